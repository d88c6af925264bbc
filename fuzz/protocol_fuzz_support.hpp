// What every protocol fuzz target checks besides ASan/UBSan, and the two ways of feeding a
// decoder: a datagram at once, or a TCP stream as the passive dispatcher does (a first chunk,
// then the rest, the unconsumed tail kept between calls).
//
// Invariants of an IdentityResult: consumed never exceeds the input; not_protocol consumes and
// reports nothing; identified has identities and other outcomes (bar malformed, which keeps what
// earlier messages gave) have none; malformed has an error starting with one of the protocol's
// prefixes ("modbus:"); datagram decoders never answer need_more; every identity has a signal;
// fields are named, sorted and unique; text fields are non-empty, at most 1024 bytes, valid UTF-8
// without ASCII control characters.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/protocols/identity.hpp"

namespace herkomst::fuzz {

inline bool clean_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    if (len == 1 && (b < 0x20 || b == 0x7F)) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<std::uint8_t>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

inline void check(const protocols::IdentityResult& r, std::size_t size, bool datagram,
                  std::initializer_list<std::string_view> error_prefixes) {
  using protocols::DecodeOutcome;
  if (r.consumed > size) std::abort();
  if (r.outcome == DecodeOutcome::not_protocol && (r.consumed != 0 || !r.identities.empty())) std::abort();
  if (r.outcome == DecodeOutcome::identified && r.identities.empty()) std::abort();
  if (r.outcome != DecodeOutcome::malformed && r.outcome != DecodeOutcome::identified && !r.identities.empty())
    std::abort();
  if (datagram && r.outcome == DecodeOutcome::need_more) std::abort();
  if (r.outcome == DecodeOutcome::malformed) {
    const bool named = error_prefixes.size() == 0
                           ? !r.error.empty()
                           : std::any_of(error_prefixes.begin(), error_prefixes.end(),
                                         [&](std::string_view p) { return r.error.starts_with(p); });
    if (!named) std::abort();
  }
  for (const auto& id : r.identities) {
    if (id.signal.empty()) std::abort();
    for (std::size_t i = 0; i < id.fields.size(); ++i) {
      const auto& f = id.fields[i];
      if (f.name.empty() || (i > 0 && !(id.fields[i - 1].name < f.name))) std::abort();
      if (const auto* s = std::get_if<std::string>(&f.value))
        if (s->empty() || s->size() > 1024 || !clean_utf8(*s)) std::abort();
    }
  }
}

// Byte 0: bit 0 = from_server, bits 1-7 (+1) = size of the first chunk; the rest is the stream.
template <typename Decode>
void fuzz_stream(const std::uint8_t* data, std::size_t size, Decode decode,
                 std::initializer_list<std::string_view> error_prefixes) {
  using protocols::DecodeOutcome;
  if (size == 0) return;
  const bool from_server = (data[0] & 1) != 0;
  const std::size_t first_chunk = static_cast<std::size_t>(data[0] >> 1) + 1;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  check(decode(stream, from_server), stream.size(), false, error_prefixes);
  std::vector<std::uint8_t> buffer;
  std::size_t fed = 0;
  for (int round = 0; round < 8 && (fed < stream.size() || !buffer.empty()); ++round) {
    const std::size_t take = round == 0 ? std::min(first_chunk, stream.size()) : stream.size() - fed;
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(fed),
                  stream.begin() + static_cast<std::ptrdiff_t>(fed + take));
    fed += take;
    const auto r = decode(std::span<const std::uint8_t>(buffer), from_server);
    check(r, buffer.size(), false, error_prefixes);
    if (r.outcome == DecodeOutcome::not_protocol || r.consumed == 0) {
      if (fed == stream.size()) break;
      continue;
    }
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.consumed));
  }
}

}  // namespace herkomst::fuzz
