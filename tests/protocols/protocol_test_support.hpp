// Helpers the protocol decoder tests share: hex to bytes, field lookup, truncation.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols::test {

using Bytes = std::vector<std::uint8_t>;

// "0a1B" -> {0x0a, 0x1b}; hex digits of either case, no separators.
inline Bytes from_hex(std::string_view hex) {
  Bytes out;
  auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  return out;
}
inline Bytes hex(std::string_view text) { return from_hex(text); }

// The parts one after the other.
inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline const Field* find(const Identity& id, std::string_view name) {
  for (const auto& f : id.fields)
    if (f.name == name) return &f;
  return nullptr;
}
inline const FieldValue* field(const Identity& id, std::string_view name) {
  const Field* f = find(id, name);
  return f ? &f->value : nullptr;
}

// A text field's value, or "<missing>".
inline std::string text(const Identity& id, std::string_view name) {
  const Field* f = find(id, name);
  return f && std::holds_alternative<std::string>(f->value) ? std::get<std::string>(f->value) : "<missing>";
}

// An integer field's value, or -1.
inline std::int64_t number(const Identity& id, std::string_view name) {
  const Field* f = find(id, name);
  return f && std::holds_alternative<std::int64_t>(f->value) ? std::get<std::int64_t>(f->value) : -1;
}

// The first n bytes.
inline Bytes cut(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)); }

}  // namespace herkomst::protocols::test
