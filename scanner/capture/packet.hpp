// One captured frame, decoded from the link layer up to TCP/UDP.
//
// decode_packet() never throws and never reads outside the bytes it is given: a frame that
// ends early or whose length fields lie comes back with status truncated/malformed and the
// layer where decoding stopped; everything decoded up to that layer is kept.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace herkomst::capture {

struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};
  std::string str() const;                  // "00:1b:1b:12:34:56"
  bool is_multicast() const { return (bytes[0] & 0x01) != 0; }  // includes broadcast
  bool is_broadcast() const;
  bool is_locally_administered() const { return (bytes[0] & 0x02) != 0; }
  bool is_zero() const;
  auto operator<=>(const MacAddress&) const = default;
};

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
  std::string str() const;               // dotted quad, or RFC 5952 text for IPv6
  bool is_multicast() const;
  bool is_broadcast() const;             // 255.255.255.255 only (subnet broadcasts are unknown here)
  bool is_unspecified() const;           // 0.0.0.0, ::
  bool is_link_local() const;            // 169.254/16, fe80::/10
  bool is_loopback() const;
  auto operator<=>(const IpAddress&) const = default;
};

enum class DecodeStatus { ok, truncated, malformed, unsupported };
std::string_view to_string(DecodeStatus status);

struct ArpInfo {
  std::uint16_t operation = 0;  // 1 request, 2 reply
  MacAddress sender_mac;
  IpAddress sender_ip;
  MacAddress target_mac;
  IpAddress target_ip;
};

struct DecodedPacket {
  int linktype = 0;  // DLT_* / LINKTYPE_* of the frame
  // Link layer. Absent for link types without MAC addresses (raw IP, BSD loopback).
  std::optional<MacAddress> eth_src;
  std::optional<MacAddress> eth_dst;
  std::vector<std::uint16_t> vlan_ids;  // outermost first (802.1ad S-tag, then 802.1Q C-tag, ...)
  std::uint16_t ethertype = 0;          // after VLAN tags; 0 for 802.3 frames with LLC
  std::optional<ArpInfo> arp;

  // Network layer.
  std::optional<IpAddress> ip_src;
  std::optional<IpAddress> ip_dst;
  std::uint8_t ip_protocol = 0;  // after IPv6 extension headers
  std::uint8_t ip_ttl = 0;       // TTL or hop limit
  bool ip_fragment = false;      // not the first fragment, or more fragments follow

  // Transport layer.
  std::optional<std::uint16_t> src_port;
  std::optional<std::uint16_t> dst_port;
  std::uint8_t tcp_flags = 0;
  std::uint32_t tcp_seq = 0;

  // What follows the last decoded header (TCP/UDP payload, or the link payload of a
  // protocol not decoded here, e.g. LLDP or PROFINET). Points into the caller's buffer.
  std::span<const std::uint8_t> payload;

  DecodeStatus status = DecodeStatus::ok;
  std::string_view stopped_at;  // layer where decoding stopped when status != ok: "ethernet", "ipv4", ...
};

// Link types herkomst decodes (values from the tcpdump.org LINKTYPE registry).
inline constexpr int kLinkNull = 0;         // BSD loopback, host-order 4-byte family
inline constexpr int kLinkEthernet = 1;
inline constexpr int kLinkRaw = 101;        // raw IPv4/IPv6
inline constexpr int kLinkLoop = 108;       // OpenBSD loopback, network-order family
inline constexpr int kLinkLinuxSll = 113;
inline constexpr int kLinkIpv4 = 228;
inline constexpr int kLinkIpv6 = 229;
inline constexpr int kLinkLinuxSll2 = 276;
bool linktype_supported(int linktype);

DecodedPacket decode_packet(int linktype, std::span<const std::uint8_t> frame);

}  // namespace herkomst::capture
