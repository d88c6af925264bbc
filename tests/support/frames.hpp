// Test helper: crafts Ethernet/ARP/IPv4/UDP/TCP frames and writes classic pcap files.
// Header-only so any test program can use it.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace herkomst::test {

using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;
using Ip4 = std::array<std::uint8_t, 4>;

inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v & 0xff));
}
inline void append(Bytes& b, const Bytes& tail) { b.insert(b.end(), tail.begin(), tail.end()); }
template <std::size_t N>
inline void append(Bytes& b, const std::array<std::uint8_t, N>& tail) {
  b.insert(b.end(), tail.begin(), tail.end());
}

inline Bytes ethernet(const Mac& src, const Mac& dst, std::uint16_t type, const Bytes& payload) {
  Bytes b;
  append(b, dst);
  append(b, src);
  put16(b, type);
  append(b, payload);
  while (b.size() < 60) b.push_back(0);  // minimum frame size, as on the wire
  return b;
}

inline Bytes arp(std::uint16_t op, const Mac& sender, const Ip4& sender_ip, const Mac& target, const Ip4& target_ip) {
  Bytes b;
  put16(b, 1);
  put16(b, 0x0800);
  b.push_back(6);
  b.push_back(4);
  put16(b, op);
  append(b, sender);
  append(b, sender_ip);
  append(b, target);
  append(b, target_ip);
  return b;
}

inline Bytes ipv4(const Ip4& src, const Ip4& dst, std::uint8_t proto, const Bytes& payload) {
  Bytes b{0x45, 0};
  put16(b, static_cast<std::uint16_t>(20 + payload.size()));
  put16(b, 0x1234);
  put16(b, 0x4000);
  b.push_back(64);
  b.push_back(proto);
  put16(b, 0);
  append(b, src);
  append(b, dst);
  append(b, payload);
  return b;
}

inline Bytes udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, static_cast<std::uint16_t>(8 + payload.size()));
  put16(b, 0);
  append(b, payload);
  return b;
}

inline Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags, const Bytes& payload = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  for (int i = 0; i < 8; ++i) b.push_back(0);  // seq, ack
  b.push_back(0x50);
  b.push_back(flags);
  put16(b, 8192);
  put16(b, 0);
  put16(b, 0);
  append(b, payload);
  return b;
}

// Writes a classic little-endian microsecond pcap with the given link type.
inline void write_pcap(const std::string& path, const std::vector<Bytes>& frames, std::uint32_t linktype = 1,
                       std::uint32_t start_sec = 1768464000) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  auto u32 = [&out](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [&out](std::uint16_t v) {
    out.put(static_cast<char>(v & 0xff));
    out.put(static_cast<char>(v >> 8));
  };
  u32(0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(65535);
  u32(linktype);
  std::uint32_t usec = 0;
  for (const auto& f : frames) {
    u32(start_sec);
    u32(usec += 1000);
    u32(static_cast<std::uint32_t>(f.size()));
    u32(static_cast<std::uint32_t>(f.size()));
    out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  }
}

}  // namespace herkomst::test
