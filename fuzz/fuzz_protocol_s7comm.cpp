// libFuzzer target for decode_s7_stream() (scanner/protocols/s7comm.hpp). Input: byte 0 bit 0 is the
// from_server flag, bits 1-7 (+1) the size of the first chunk when the rest is fed as a caller
// feeds a TCP stream (append a chunk, decode, keep the unconsumed tail); the rest is the stream.
// Checks, besides ASan/UBSan: consumed never exceeds the input, not_protocol consumes nothing
// and reports nothing, identified has identities, malformed names the protocol, every field is
// named, sorted, unique, and its text is sanitised (no control bytes, at most 256 bytes).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/s7comm.hpp"
#include "scanner/protocols/tpkt_cotp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 0) {
    const std::span<const std::uint8_t> stream(data + 1, size - 1);
    const cotp::Stream units = cotp::read_stream(stream, "s7");
    if (units.consumed > stream.size()) std::abort();
    for (const cotp::Unit& u : units.units)
      if (u.begin >= u.end || u.end > stream.size() || u.data.size() > cotp::kMaxReassembledSize) std::abort();
  }
  herkomst::fuzz::fuzz_stream(data, size, [](std::span<const std::uint8_t> b, bool from_server) { return decode_s7_stream(b, from_server); }, {"s7:"});
  return 0;
}
