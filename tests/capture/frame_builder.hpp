// Test helper: crafts frames byte by byte (Ethernet, VLAN, ARP, IPv4, IPv6, TCP, UDP, the
// loopback and cooked link headers). Checksums are left zero: the decoder does not check them.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

namespace herkomst::capture::testing {

using Buf = std::vector<std::uint8_t>;

inline void put8(Buf& out, unsigned value) { out.push_back(static_cast<std::uint8_t>(value)); }
inline void put16(Buf& out, unsigned value) {
  put8(out, (value >> 8) & 0xff);
  put8(out, value & 0xff);
}
inline void put32(Buf& out, std::uint32_t value) {
  put16(out, value >> 16);
  put16(out, value & 0xffff);
}
inline void put_le32(Buf& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) put8(out, (value >> (8 * i)) & 0xff);
}
// Byte loops instead of vector::insert/resize: GCC 12 reports false -Warray-bounds for those.
inline void put_bytes(Buf& out, std::span<const std::uint8_t> more) {
  for (const std::uint8_t byte : more) out.push_back(byte);
}
inline void append(Buf& out, std::span<const std::uint8_t> more) { put_bytes(out, more); }
inline void pad_to(Buf& out, std::size_t size) {
  while (out.size() < size) out.push_back(0);
}

inline Buf concat(std::initializer_list<Buf> parts) {
  Buf out;
  for (const Buf& part : parts) append(out, part);
  return out;
}

inline Buf filled(std::size_t size, std::uint8_t start = 0x41) {
  Buf out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(start + i % 26);
  return out;
}

using Mac = std::array<std::uint8_t, 6>;
inline constexpr Mac kMacA{0x00, 0x1b, 0x1b, 0x12, 0x34, 0x56};  // Siemens OUI
inline constexpr Mac kMacB{0x00, 0x00, 0xbc, 0xaa, 0xbb, 0xcc};  // Rockwell OUI
inline constexpr Mac kMacBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

inline Buf ethernet(Mac dst, Mac src, unsigned type) {
  Buf out;
  put_bytes(out, dst);
  put_bytes(out, src);
  put16(out, type);
  return out;
}

// A VLAN tag as it follows a TPID: TCI (priority 0) and the next type.
inline Buf vlan_tag(unsigned vlan_id, unsigned next_type, unsigned priority = 0) {
  Buf out;
  put16(out, (priority << 13) | (vlan_id & 0x0fff));
  put16(out, next_type);
  return out;
}

using V4 = std::array<std::uint8_t, 4>;
inline constexpr V4 kIpA{192, 168, 0, 10};
inline constexpr V4 kIpB{192, 168, 0, 20};

struct Ipv4Options {
  unsigned protocol = 6;
  V4 src = kIpA;
  V4 dst = kIpB;
  unsigned ttl = 64;
  unsigned option_words = 0;      // IHL = 5 + option_words (options are NOPs)
  unsigned fragment_field = 0;    // flags << 13 | offset in 8-byte units
  int total_length = -1;          // -1: header + payload_length
  int ihl_override = -1;
};

inline Buf ipv4(const Ipv4Options& options, std::size_t payload_length) {
  const unsigned header = 20 + 4 * options.option_words;
  const unsigned ihl = options.ihl_override >= 0 ? static_cast<unsigned>(options.ihl_override) : header / 4;
  Buf out;
  put8(out, 0x40 | ihl);
  put8(out, 0);
  put16(out, options.total_length >= 0 ? static_cast<unsigned>(options.total_length)
                                       : header + static_cast<unsigned>(payload_length));
  put16(out, 0x1234);
  put16(out, options.fragment_field);
  put8(out, options.ttl);
  put8(out, options.protocol);
  put16(out, 0);
  put_bytes(out, options.src);
  put_bytes(out, options.dst);
  for (unsigned i = 0; i < 4 * options.option_words; ++i) put8(out, 1);
  return out;
}

using V6 = std::array<std::uint8_t, 16>;
inline constexpr V6 kIp6A{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1b, 0x1b, 0xff, 0xfe, 0x12, 0x34, 0x56};
inline constexpr V6 kIp6B{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

inline Buf ipv6(unsigned next_header, std::size_t payload_length, unsigned hop_limit = 64, V6 src = kIp6A,
                V6 dst = kIp6B) {
  Buf out;
  put32(out, 0x60000000);
  put16(out, static_cast<unsigned>(payload_length));
  put8(out, next_header);
  put8(out, hop_limit);
  put_bytes(out, src);
  put_bytes(out, dst);
  return out;
}

// A generic extension header of (length_field + 1) * 8 bytes (hop-by-hop, routing, dest, mobility).
inline Buf ipv6_extension(unsigned next_header, unsigned length_field) {
  Buf out;
  put8(out, next_header);
  put8(out, length_field);
  pad_to(out, (length_field + 1) * 8);
  return out;
}

// Authentication header: (length_field + 2) * 4 bytes.
inline Buf ipv6_ah(unsigned next_header, unsigned length_field) {
  Buf out;
  put8(out, next_header);
  put8(out, length_field);
  pad_to(out, (length_field + 2) * 4);
  return out;
}

inline Buf ipv6_fragment(unsigned next_header, unsigned offset_units, bool more) {
  Buf out;
  put8(out, next_header);
  put8(out, 0);
  put16(out, (offset_units << 3) | (more ? 1U : 0U));
  put32(out, 0xcafe);
  return out;
}

inline Buf tcp(unsigned src_port, unsigned dst_port, std::uint32_t seq, unsigned flags, unsigned data_offset_words = 5) {
  Buf out;
  put16(out, src_port);
  put16(out, dst_port);
  put32(out, seq);
  put32(out, 0);
  put8(out, data_offset_words << 4);
  put8(out, flags);
  put16(out, 8192);
  put16(out, 0);
  put16(out, 0);
  while (out.size() < 4 * data_offset_words && out.size() < 60) put8(out, 1);  // NOP options
  return out;
}

inline Buf udp(unsigned src_port, unsigned dst_port, std::size_t payload_length, int length_override = -1) {
  Buf out;
  put16(out, src_port);
  put16(out, dst_port);
  put16(out, length_override >= 0 ? static_cast<unsigned>(length_override) : 8 + static_cast<unsigned>(payload_length));
  put16(out, 0);
  return out;
}

inline Buf arp(unsigned operation, Mac sender_mac, V4 sender_ip, Mac target_mac, V4 target_ip,
               unsigned hardware = 1) {
  Buf out;
  put16(out, hardware);
  put16(out, 0x0800);
  put8(out, 6);
  put8(out, 4);
  put16(out, operation);
  put_bytes(out, sender_mac);
  put_bytes(out, sender_ip);
  put_bytes(out, target_mac);
  put_bytes(out, target_ip);
  return out;
}

// Linux cooked header v1: packet type, ARPHRD, address length, 8 address bytes, protocol.
inline Buf sll(unsigned arphrd, Mac address, unsigned protocol, unsigned address_length = 6) {
  Buf out;
  put16(out, 0);
  put16(out, arphrd);
  put16(out, address_length);
  put_bytes(out, address);
  put16(out, 0);
  put16(out, protocol);
  return out;
}

// Linux cooked header v2: protocol, reserved, ifindex, ARPHRD, packet type, address length, address.
inline Buf sll2(unsigned arphrd, Mac address, unsigned protocol, unsigned address_length = 6) {
  Buf out;
  put16(out, protocol);
  put16(out, 0);
  put32(out, 3);
  put16(out, arphrd);
  put8(out, 0);
  put8(out, address_length);
  put_bytes(out, address);
  put16(out, 0);
  return out;
}

}  // namespace herkomst::capture::testing
