// A bounds-checked reader of DER TLVs (ITU-T X.690, 8.1 and 10: definite lengths only, single-
// byte tags) over a string_view, for the few ASN.1 structures OpenSSL has no type for
// (Authenticode's SpcIndirectDataContent). Every length is checked against what is left.
// Spec: https://www.itu.int/rec/T-REC-X.690
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace herkomst::fs {

inline constexpr unsigned char kDerSequence = 0x30;
inline constexpr unsigned char kDerOctetString = 0x04;
inline constexpr unsigned char kDerOid = 0x06;

struct DerItem {
  unsigned char tag = 0;
  std::string_view content;  // the value bytes
  std::string_view whole;    // tag, length and value
};

// The next TLV of `in`, which is advanced past it; nullopt when it does not fit or is not DER
// (indefinite length, a length of more than 4 bytes, a multi-byte tag).
inline std::optional<DerItem> der_next(std::string_view& in) {
  if (in.size() < 2) return std::nullopt;
  const auto tag = static_cast<unsigned char>(in[0]);
  if ((tag & 0x1F) == 0x1F) return std::nullopt;
  std::size_t length = static_cast<unsigned char>(in[1]);
  std::size_t header = 2;
  if (length & 0x80) {
    const std::size_t bytes = length & 0x7F;
    if (bytes == 0 || bytes > 4 || in.size() < 2 + bytes) return std::nullopt;
    length = 0;
    for (std::size_t i = 0; i < bytes; ++i) length = length << 8 | static_cast<unsigned char>(in[2 + i]);
    header += bytes;
  }
  if (length > in.size() - header) return std::nullopt;
  DerItem item{tag, in.substr(header, length), in.substr(0, header + length)};
  in.remove_prefix(header + length);
  return item;
}

// The next TLV when it has `tag`.
inline std::optional<DerItem> der_expect(std::string_view& in, unsigned char tag) {
  auto item = der_next(in);
  if (!item || item->tag != tag) return std::nullopt;
  return item;
}

}  // namespace herkomst::fs
