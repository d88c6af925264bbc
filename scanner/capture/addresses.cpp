// MacAddress / IpAddress text forms and classification, DecodeStatus names and the list of
// decoded link types (declared in packet.hpp).
#include "scanner/capture/packet.hpp"

#include <algorithm>
#include <cstddef>

namespace herkomst::capture {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, std::uint8_t value) {
  out.push_back(kHex[value >> 4]);
  out.push_back(kHex[value & 0x0f]);
}

void append_decimal(std::string& out, unsigned value) {
  if (value >= 100) out.push_back(static_cast<char>('0' + value / 100));
  if (value >= 10) out.push_back(static_cast<char>('0' + (value / 10) % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

void append_dotted_quad(std::string& out, const std::uint8_t* four) {
  for (int i = 0; i < 4; ++i) {
    if (i != 0) out.push_back('.');
    append_decimal(out, four[i]);
  }
}

// One IPv6 group in RFC 5952 form: lower case, no leading zeros.
void append_group(std::string& out, unsigned group) {
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned nibble = (group >> shift) & 0x0f;
    if (nibble != 0 || started || shift == 0) {
      out.push_back(kHex[nibble]);
      started = true;
    }
  }
}

}  // namespace

std::string MacAddress::str() const {
  std::string out;
  out.reserve(17);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out.push_back(':');
    append_hex_byte(out, bytes[i]);
  }
  return out;
}

bool MacAddress::is_broadcast() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xff; });
}

bool MacAddress::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string IpAddress::str() const {
  std::string out;
  if (!v6) {
    out.reserve(15);
    append_dotted_quad(out, bytes.data());
    return out;
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = (unsigned{bytes[2 * i]} << 8) | bytes[2 * i + 1];

  // IPv4-mapped (::ffff:a.b.c.d), RFC 5952 section 5.
  const bool mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 &&
                      groups[5] == 0xffff;
  if (mapped) {
    out = "::ffff:";
    append_dotted_quad(out, bytes.data() + 12);
    return out;
  }

  // Longest run of two or more zero groups; the first one wins a tie.
  int best_start = -1;
  int best_length = 0;
  for (int i = 0; i < 8;) {
    if (groups[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  if (best_length < 2) best_start = -1;

  out.reserve(39);
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    append_group(out, groups[static_cast<std::size_t>(i)]);
  }
  return out;
}

bool IpAddress::is_multicast() const {
  return v6 ? bytes[0] == 0xff : (bytes[0] & 0xf0) == 0xe0;
}

bool IpAddress::is_broadcast() const {
  return !v6 && bytes[0] == 0xff && bytes[1] == 0xff && bytes[2] == 0xff && bytes[3] == 0xff;
}

bool IpAddress::is_unspecified() const {
  const std::size_t size = v6 ? 16 : 4;
  return std::all_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size),
                     [](std::uint8_t b) { return b == 0; });
}

bool IpAddress::is_link_local() const {
  return v6 ? (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) : (bytes[0] == 169 && bytes[1] == 254);
}

bool IpAddress::is_loopback() const {
  if (!v6) return bytes[0] == 127;
  return std::all_of(bytes.begin(), bytes.begin() + 15, [](std::uint8_t b) { return b == 0; }) && bytes[15] == 1;
}

IpAddress IpAddress::from_v4(std::span<const std::uint8_t, 4> four) {
  IpAddress address;
  std::copy(four.begin(), four.end(), address.bytes.begin());
  return address;
}

IpAddress IpAddress::from_v6(std::span<const std::uint8_t, 16> sixteen) {
  IpAddress address;
  address.v6 = true;
  std::copy(sixteen.begin(), sixteen.end(), address.bytes.begin());
  return address;
}

MacAddress MacAddress::from(std::span<const std::uint8_t, 6> six) {
  MacAddress address;
  std::copy(six.begin(), six.end(), address.bytes.begin());
  return address;
}

std::string_view to_string(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::ok: return "ok";
    case DecodeStatus::truncated: return "truncated";
    case DecodeStatus::malformed: return "malformed";
    case DecodeStatus::unsupported: return "unsupported";
  }
  return "unknown";
}

bool linktype_supported(int linktype) {
  switch (linktype) {
    case kLinkNull:
    case kLinkEthernet:
    case kLinkRaw:
    case kLinkLoop:
    case kLinkLinuxSll:
    case kLinkIpv4:
    case kLinkIpv6:
    case kLinkLinuxSll2:
      return true;
    default:
      return false;
  }
}

}  // namespace herkomst::capture
