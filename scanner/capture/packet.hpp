// One captured frame, decoded from the link layer up to TCP/UDP.
//
// decode_packet() never throws and never reads outside the bytes it is given: a frame that
// ends early or whose length fields lie comes back with status truncated/malformed and the
// layer where decoding stopped; everything decoded up to that layer is kept.
//
// Layers: link (Ethernet incl. 802.3/LLC, BSD loopback NULL and LOOP, Linux cooked SLL and
// SLL2, raw IPv4/IPv6), any number (at most kMaxVlanTags) of 802.1Q / 802.1ad / 0x9100 VLAN
// tags, ARP (Ethernet/IPv4), IPv4 (options, fragments), IPv6 (extension headers: hop-by-hop,
// routing, fragment, destination options, AH, mobility; at most kMaxIpv6ExtensionHeaders),
// TCP and UDP.
//
// Status rules:
//   truncated    the captured bytes end before the end a header claims. Decoding goes on with
//                what was captured (a frame cut by the snapshot length still yields its ports
//                when the TCP/UDP header made it in); stopped_at names the innermost layer
//                that is incomplete.
//   malformed    a header is inconsistent in itself (IPv4 IHL < 5, total length < header
//                length, TCP data offset < 5, UDP length < 8, an inner length reaching past
//                the end the outer layer gives while that outer layer was captured completely,
//                more VLAN tags or IPv6 extension headers than the bounds above).
//   unsupported  a link type, ARP hardware/protocol pair or loopback family not decoded here.
// An IPv4 total length larger than the captured bytes counts as truncated (snapshot length),
// unless the overload with original_length is used and it shows the frame was captured
// whole: then the length lies and the packet is malformed. The same holds for the IPv6
// payload length. IPv4 total length 0 and IPv6 payload length 0 (segmentation offload,
// jumbograms) mean "up to the end of the frame".
//
// Fragments: ip_fragment is set for any fragment; only the first fragment (offset 0) has
// ports, and its UDP length is not checked against the fragment's size.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
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
  static MacAddress from(std::span<const std::uint8_t, 6> six);
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
  static IpAddress from_v4(std::span<const std::uint8_t, 4> four);
  static IpAddress from_v6(std::span<const std::uint8_t, 16> sixteen);
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

inline constexpr std::size_t kMaxVlanTags = 8;

// The VLAN tags of a frame, held in place (no allocation per frame).
class VlanTags {
 public:
  void push_back(std::uint16_t id) {
    if (size_ < ids_.size()) ids_[size_++] = id;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::uint16_t back() const { return ids_[size_ - 1]; }
  std::uint16_t operator[](std::size_t i) const { return ids_[i]; }
  const std::uint16_t* begin() const { return ids_.data(); }
  const std::uint16_t* end() const { return ids_.data() + size_; }
  bool operator==(const std::vector<std::uint16_t>& other) const {
    return std::equal(begin(), end(), other.begin(), other.end());
  }

 private:
  std::array<std::uint16_t, kMaxVlanTags> ids_{};
  std::size_t size_ = 0;
};

struct DecodedPacket {
  int linktype = 0;  // DLT_* / LINKTYPE_* of the frame
  // Link layer. Absent for link types without MAC addresses (raw IP, BSD loopback).
  std::optional<MacAddress> eth_src;
  std::optional<MacAddress> eth_dst;
  VlanTags vlan_ids;  // outermost first (802.1ad S-tag, then 802.1Q C-tag, ...)
  // After VLAN tags; 0 for 802.3 frames with LLC (and SLL protocol 0x0004). For link types
  // without an ethertype (NULL, LOOP, raw IP) it is set to 0x0800 / 0x86dd from the family
  // or IP version, so callers can always dispatch on it.
  std::uint16_t ethertype = 0;
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
  std::uint8_t tcp_flags = 0;  // byte 13 of the TCP header: CWR ECE URG ACK PSH RST SYN FIN
  std::uint32_t tcp_seq = 0;

  // What follows the last decoded header (TCP/UDP payload, or the link payload of a
  // protocol not decoded here, e.g. LLDP or PROFINET). Points into the caller's buffer.
  std::span<const std::uint8_t> payload;

  DecodeStatus status = DecodeStatus::ok;
  // Layer where decoding stopped when status != ok: "link" (link type not decoded), "ethernet",
  // "null", "loop", "sll", "sll2", "raw", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp". Empty when ok.
  // When a header could not be decoded, payload holds the bytes from the start of that header.
  std::string_view stopped_at;
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
inline constexpr std::array<int, 8> kSupportedLinktypes = {kLinkNull,     kLinkEthernet, kLinkRaw,  kLinkLoop,
                                                            kLinkLinuxSll, kLinkIpv4,     kLinkIpv6, kLinkLinuxSll2};
bool linktype_supported(int linktype);

inline constexpr std::size_t kMaxIpv6ExtensionHeaders = 8;

DecodedPacket decode_packet(int linktype, std::span<const std::uint8_t> frame);
// As above; original_length (Frame::original_length) tells whether the frame was cut by the
// snapshot length, which turns an IP length beyond the captured bytes into "truncated"
// (frame.size() < original_length) or "malformed" (the frame was captured whole).
DecodedPacket decode_packet(int linktype, std::span<const std::uint8_t> frame, std::uint32_t original_length);

}  // namespace herkomst::capture
