// libFuzzer target for decode_profinet_dcp (PROFINET payload from the frame id on). Checks, besides ASan/UBSan: the outcome and
// its parts agree, fields are sorted and unique, text fields are valid UTF-8 without ASCII
// control characters, consumed never exceeds the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/profinet_dcp.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  herkomst::fuzz::check(decode_profinet_dcp(std::span<const std::uint8_t>(data, size)), size, true, {});
  return 0;
}
