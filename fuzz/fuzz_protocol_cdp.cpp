// libFuzzer target for decode_cdp (bytes after the 802.3 header, from the LLC header on). Checks, besides ASan/UBSan: the outcome and
// its parts agree, fields are sorted and unique, text fields are valid UTF-8 without ASCII
// control characters, consumed never exceeds the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/cdp.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Half the inputs get a valid LLC/SNAP + version header in front, so the TLV walk is reached.
  static constexpr std::uint8_t kHeader[] = {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00, 0x02, 0xB4, 0x00, 0x00};
  if (size > 0 && (data[0] & 1)) {
    std::basic_string<std::uint8_t> buf(kHeader, sizeof kHeader);
    buf.append(data + 1, size - 1);
    herkomst::fuzz::check(decode_cdp(std::span<const std::uint8_t>(buf.data(), buf.size())), buf.size(), true, {});
  } else {
    herkomst::fuzz::check(decode_cdp(std::span<const std::uint8_t>(data, size)), size, true, {});
  }
  return 0;
}
