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

#include "scanner/protocols/s7comm.hpp"
#include "scanner/protocols/tpkt_cotp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;

namespace {

void check(const IdentityResult& r, std::size_t size) {
  if (r.consumed > size) std::abort();
  if (r.outcome == DecodeOutcome::not_protocol && (r.consumed != 0 || !r.identities.empty())) std::abort();
  if (r.outcome == DecodeOutcome::identified && r.identities.empty()) std::abort();
  if (r.outcome != DecodeOutcome::malformed && r.outcome != DecodeOutcome::identified && !r.identities.empty())
    std::abort();
  if (r.outcome == DecodeOutcome::malformed) {
    bool named = false;
    for (std::string_view prefix : {"s7:"}) named = named || r.error.starts_with(prefix);
    if (!named) std::abort();
  }
  for (const Identity& id : r.identities) {
    if (id.signal.empty()) std::abort();
    for (std::size_t i = 0; i < id.fields.size(); ++i) {
      const Field& f = id.fields[i];
      if (f.name.empty() || (i > 0 && !(id.fields[i - 1].name < f.name))) std::abort();
      if (const auto* s = std::get_if<std::string>(&f.value)) {
        if (s->empty() || s->size() > 256) std::abort();
        for (char c : *s)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool from_server = (data[0] & 1) != 0;
  const std::size_t first_chunk = static_cast<std::size_t>(data[0] >> 1) + 1;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  const cotp::Stream units = cotp::read_stream(stream, "s7");
  if (units.consumed > stream.size()) std::abort();
  for (const cotp::Unit& u : units.units)
    if (u.begin >= u.end || u.end > stream.size() || u.data.size() > cotp::kMaxReassembledSize) std::abort();
  // All at once.
  const IdentityResult whole = decode_s7_stream(stream, from_server);
  check(whole, stream.size());
  // As a caller feeds it: two chunks, the unconsumed tail kept.
  std::vector<std::uint8_t> buffer;
  std::size_t fed = 0;
  for (int round = 0; round < 8 && (fed < stream.size() || !buffer.empty()); ++round) {
    const std::size_t take = round == 0 ? std::min(first_chunk, stream.size()) : stream.size() - fed;
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(fed),
                  stream.begin() + static_cast<std::ptrdiff_t>(fed + take));
    fed += take;
    const IdentityResult r = decode_s7_stream(buffer, from_server);
    check(r, buffer.size());
    if (r.outcome == DecodeOutcome::not_protocol || r.consumed == 0) {
      if (fed == stream.size()) break;
      continue;
    }
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.consumed));
  }
  return 0;
}
