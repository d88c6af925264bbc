// libFuzzer target for the C37.118 decoder (scanner/protocols/c37118.hpp). Byte 0 bit 7 picks the
// datagram decoder (the rest is one UDP datagram); otherwise the input is a TCP stream as in
// protocol_fuzz_support.hpp.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/c37118.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if ((data[0] & 0x80) != 0) {
    const std::span<const std::uint8_t> in(data + 1, size - 1);
    herkomst::fuzz::check(decode_c37118_datagram(in), in.size(), true, {"c37118:"});
    return 0;
  }
  herkomst::fuzz::fuzz_stream(
      data, size, [](std::span<const std::uint8_t> b, bool from_server) { return decode_c37118_stream(b, from_server); },
      {"c37118:"});
  return 0;
}
