// libFuzzer target for decode_ssh_stream() (scanner/protocols/ssh.hpp). Input: byte 0 bit 0 is the
// from_server flag, bits 1-7 (+1) the size of the first chunk when the rest is fed as a caller
// feeds a TCP stream (append a chunk, decode, keep the unconsumed tail); the rest is the stream.
// Checks, besides ASan/UBSan, the IdentityResult invariants of fuzz/protocol_fuzz_support.hpp.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/ssh.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  herkomst::fuzz::fuzz_stream(
      data, size, [](std::span<const std::uint8_t> b, bool from_server) { return decode_ssh_stream(b, from_server); },
      {"ssh:"});
  return 0;
}
