// libFuzzer target for decode_pcworx_stream() (scanner/protocols/pcworx.hpp). Input and checks: see
// protocol_fuzz_support.hpp (byte 0: from_server and first chunk size; the rest is one direction
// of a TCP stream, fed at once and as a caller feeds it).
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/pcworx.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  herkomst::fuzz::fuzz_stream(
      data, size, [](std::span<const std::uint8_t> b, bool from_server) { return decode_pcworx_stream(b, from_server); },
      {"pcworx:"});
  return 0;
}
