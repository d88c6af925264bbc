// Private helpers for the L2 / SNMP / BACnet decoders (lldp, cdp, profinet_dcp, snmp, bacnet):
// a bounds-checked big-endian cursor over a byte span and the text forms of addresses.
//
// Every read checks the remaining length first and fails (returns false, leaves the cursor
// where it was) instead of reading past the end. Nothing here throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols::be {

using Bytes = std::span<const std::uint8_t>;

class Reader {
 public:
  explicit Reader(Bytes data) : data_(data) {}

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ >= data_.size(); }

  bool u8(std::uint8_t& out) {
    if (remaining() < 1) return false;
    out = data_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& out) {
    if (remaining() < 4) return false;
    out = (static_cast<std::uint32_t>(data_[pos_]) << 24) | (static_cast<std::uint32_t>(data_[pos_ + 1]) << 16) |
          (static_cast<std::uint32_t>(data_[pos_ + 2]) << 8) | static_cast<std::uint32_t>(data_[pos_ + 3]);
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t n, Bytes& out) {
    if (remaining() < n) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(std::size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  Bytes rest() const { return data_.subspan(pos_); }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

inline std::uint16_t be16_at(Bytes data, std::size_t offset) {  // caller checked offset + 2 <= size
  return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

inline std::string hex_text(Bytes data, char separator = '\0', std::size_t max_bytes = 64) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  const std::size_t n = data.size() < max_bytes ? data.size() : max_bytes;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && separator != '\0') out.push_back(separator);
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0x0F]);
  }
  return out;
}

// "00:1b:1b:02:e6:1e" (lower case, as inventory SubjectKey wants). Any length is hex-colon text.
inline std::string mac_text(Bytes data) { return hex_text(data, ':', 32); }

inline std::string ipv4_text(Bytes a) {  // a.size() == 4
  std::string out;
  for (std::size_t i = 0; i < 4 && i < a.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(a[i]);
  }
  return out;
}

// RFC 5952: lower-case hex, leading zeros cut, the first longest run (>= 2) of zero groups as
// "::". IPv4-mapped addresses are written in hex too (kept simple and canonical for keys).
inline std::string ipv6_text(Bytes a) {  // a.size() == 16
  if (a.size() != 16) return hex_text(a);
  std::array<std::uint16_t, 8> g{};
  for (std::size_t i = 0; i < 8; ++i) g[i] = be16_at(a, 2 * i);
  std::size_t best = 8, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = 8;
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (g[i] >> shift) & 0x0Fu;
      if (nibble != 0 || started || shift == 0) {
        out.push_back(digits[nibble]);
        started = true;
      }
    }
  }
  return out;
}

// Multi-line descriptions (Cisco banners, sysDescr): CR, LF and TAB become blanks before
// sanitize_text, so "..(fc1)\nCopyright.." stays readable; every other control byte is still
// replaced by sanitize_text.
inline std::string multiline_text(Bytes data, std::size_t max_bytes = 512) {
  std::vector<std::uint8_t> copy(data.begin(), data.end());
  for (auto& b : copy) {
    if (b == '\r' || b == '\n' || b == '\t') b = ' ';
  }
  return sanitize_text(std::span<const std::uint8_t>(copy), max_bytes);
}

}  // namespace herkomst::protocols::be
