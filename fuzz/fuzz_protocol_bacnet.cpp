// libFuzzer target for decode_bacnet_ip / decode_bacnet_npdu (byte 0 bit 0 picks: BVLC datagram or bare NPDU). Checks, besides ASan/UBSan: the outcome and
// its parts agree, fields are sorted and unique, text fields are valid UTF-8 without ASCII
// control characters, consumed never exceeds the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/bacnet.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> in(data + 1, size - 1);
  herkomst::fuzz::check((data[0] & 1) ? decode_bacnet_npdu(in) : decode_bacnet_ip(in), in.size(), true, {});
  return 0;
}
