// libFuzzer target for decode_lldp (LLDPDU after the Ethernet header). Checks, besides ASan/UBSan: the outcome and
// its parts agree, fields are sorted and unique, text fields are valid UTF-8 without ASCII
// control characters, consumed never exceeds the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "scanner/protocols/lldp.hpp"

using namespace herkomst::protocols;

namespace {

bool clean_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    if (len == 1 && (b < 0x20 || b == 0x7F)) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<std::uint8_t>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

void check(const IdentityResult& r, std::size_t size) {
  if (r.consumed > size) std::abort();
  if ((r.outcome == DecodeOutcome::identified) == r.identities.empty()) std::abort();
  if ((r.outcome == DecodeOutcome::malformed) == r.error.empty()) std::abort();
  if (r.outcome == DecodeOutcome::need_more) std::abort();  // datagram decoders never ask for more
  for (const auto& id : r.identities) {
    if (id.signal.empty() || id.fields.empty()) std::abort();
    for (std::size_t i = 0; i < id.fields.size(); ++i) {
      if (i > 0 && !(id.fields[i - 1].name < id.fields[i].name)) std::abort();
      if (const auto* s = std::get_if<std::string>(&id.fields[i].value)) {
        if (s->empty() || s->size() > 1024 || !clean_utf8(*s)) std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  check(decode_lldp(in), size);
  return 0;
}
