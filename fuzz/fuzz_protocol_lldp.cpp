// libFuzzer target for decode_lldp (LLDPDU after the Ethernet header). Checks, besides ASan/UBSan: the outcome and
// its parts agree, fields are sorted and unique, text fields are valid UTF-8 without ASCII
// control characters, consumed never exceeds the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/lldp.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  herkomst::fuzz::check(decode_lldp(in), size, true, {});
  return 0;
}
