// decode_packet(): link layers (Ethernet, NULL/LOOP, SLL/SLL2, raw IP) and VLAN tags; hands
// ARP and IP on to network_decoder.cpp.
#include <cstddef>
#include <cstdint>

#include "scanner/capture/bytes.hpp"
#include "scanner/capture/decoder_internal.hpp"
#include "scanner/capture/packet.hpp"

namespace herkomst::capture {

namespace {

using detail::Bytes;
using detail::DecodeContext;
using detail::stop;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherArp = 0x0806;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQOld = 0x9100;
constexpr std::uint16_t kMaxEthernetLength = 1500;  // type/length values up to here are 802.3 lengths
constexpr std::uint16_t kMinEthertype = 0x0600;

constexpr std::uint16_t kArphrdEther = 1;
constexpr std::uint16_t kArphrdNetlink = 824;
constexpr std::uint16_t kSllProtoNovell8023 = 0x0001;
constexpr std::uint16_t kSllProtoLlc = 0x0004;

bool is_vlan_tpid(std::uint16_t type) {
  return type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld;
}

void decode_ip_by_ethertype(DecodedPacket& packet, std::uint16_t ethertype, Bytes rest,
                            const DecodeContext& context) {
  packet.ethertype = ethertype;
  packet.payload = rest;
  if (ethertype == kEtherIpv4) {
    detail::decode_ipv4(packet, rest, context);
  } else if (ethertype == kEtherIpv6) {
    detail::decode_ipv6(packet, rest, context);
  }
}

// Everything after an Ethernet-style type field: VLAN tags, then 802.3 length / ARP / IP /
// any other ethertype (payload = the rest).
void decode_ether_payload(DecodedPacket& packet, std::uint16_t type, Bytes rest, const DecodeContext& context) {
  while (is_vlan_tpid(type)) {
    if (packet.vlan_ids.size() >= kMaxVlanTags) return stop(packet, DecodeStatus::malformed, "vlan", rest);
    if (rest.size() < 4) return stop(packet, DecodeStatus::truncated, "vlan", rest);
    packet.vlan_ids.push_back(static_cast<std::uint16_t>(bytes::be16(rest, 0) & 0x0fff));
    type = bytes::be16(rest, 2);
    rest = rest.subspan(4);
  }
  if (type <= kMaxEthernetLength) {
    // IEEE 802.3 length field: an LLC frame follows. Trim Ethernet padding by the length.
    packet.ethertype = 0;
    packet.payload = type <= rest.size() ? rest.first(type) : rest;
    return;
  }
  if (type == kEtherArp) {
    packet.ethertype = type;
    packet.payload = rest;
    return detail::decode_arp(packet, rest);
  }
  decode_ip_by_ethertype(packet, type, rest, context);
}

void decode_ethernet(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  if (frame.size() < 14) return stop(packet, DecodeStatus::truncated, "ethernet", frame);
  packet.eth_dst = MacAddress::from(frame.subspan<0, 6>());
  packet.eth_src = MacAddress::from(frame.subspan<6, 6>());
  decode_ether_payload(packet, bytes::be16(frame, 12), frame.subspan(14), context);
}

// AF_INET is 2 everywhere; AF_INET6 is 10 on Linux (not used by DLT_NULL writers), 24 on
// NetBSD/OpenBSD/BSD/OS, 28 on FreeBSD/DragonFly, 30 on macOS.
void decode_loopback_family(DecodedPacket& packet, std::uint32_t family, Bytes rest, std::string_view layer,
                            const DecodeContext& context) {
  if (family == 2) return decode_ip_by_ethertype(packet, kEtherIpv4, rest, context);
  if (family == 24 || family == 28 || family == 30) return decode_ip_by_ethertype(packet, kEtherIpv6, rest, context);
  stop(packet, DecodeStatus::unsupported, layer, rest);
}

void decode_null(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  if (frame.size() < 4) return stop(packet, DecodeStatus::truncated, "null", frame);
  // Host byte order of the capturing machine: a family is small, so a value with any of the
  // upper 16 bits set was written in the other byte order.
  std::uint32_t family = bytes::le32(frame, 0);
  if ((family & 0xffff0000U) != 0) family = bytes::be32(frame, 0);
  decode_loopback_family(packet, family, frame.subspan(4), "null", context);
}

void decode_loop(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  if (frame.size() < 4) return stop(packet, DecodeStatus::truncated, "loop", frame);
  decode_loopback_family(packet, bytes::be32(frame, 0), frame.subspan(4), "loop", context);
}

void decode_raw(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  if (frame.empty()) return stop(packet, DecodeStatus::truncated, "raw", frame);
  const int version = frame[0] >> 4;
  if (version == 4) return decode_ip_by_ethertype(packet, kEtherIpv4, frame, context);
  if (version == 6) return decode_ip_by_ethertype(packet, kEtherIpv6, frame, context);
  stop(packet, DecodeStatus::unsupported, "raw", frame);
}

// The protocol field of SLL/SLL2: an ethertype, or one of Linux's small ETH_P_* values.
void decode_sll_protocol(DecodedPacket& packet, std::uint16_t arphrd, std::uint16_t protocol, Bytes rest,
                         std::string_view layer, const DecodeContext& context) {
  if (arphrd == kArphrdNetlink) return stop(packet, DecodeStatus::unsupported, layer, rest);
  if (protocol >= kMinEthertype) return decode_ether_payload(packet, protocol, rest, context);
  if (protocol == kSllProtoLlc || protocol == kSllProtoNovell8023) {
    packet.ethertype = 0;
    packet.payload = rest;
    return;
  }
  stop(packet, DecodeStatus::unsupported, layer, rest);
}

void set_sll_source(DecodedPacket& packet, std::uint16_t arphrd, std::size_t address_length, Bytes address) {
  if (arphrd == kArphrdEther && address_length >= 6 && address_length <= 8) {
    packet.eth_src = MacAddress::from(address.first<6>());
  }
}

void decode_sll(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
  if (frame.size() < 16) return stop(packet, DecodeStatus::truncated, "sll", frame);
  const std::uint16_t arphrd = bytes::be16(frame, 2);
  set_sll_source(packet, arphrd, bytes::be16(frame, 4), frame.subspan(6, 8));
  decode_sll_protocol(packet, arphrd, bytes::be16(frame, 14), frame.subspan(16), "sll", context);
}

void decode_sll2(DecodedPacket& packet, Bytes frame, const DecodeContext& context) {
  // protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1) address(8)
  if (frame.size() < 20) return stop(packet, DecodeStatus::truncated, "sll2", frame);
  const std::uint16_t arphrd = bytes::be16(frame, 8);
  set_sll_source(packet, arphrd, frame[11], frame.subspan(12, 8));
  decode_sll_protocol(packet, arphrd, bytes::be16(frame, 0), frame.subspan(20), "sll2", context);
}

DecodedPacket decode(int linktype, Bytes frame, const DecodeContext& context) {
  DecodedPacket packet;
  packet.linktype = linktype;
  packet.payload = frame;
  switch (linktype) {
    case kLinkEthernet: decode_ethernet(packet, frame, context); break;
    case kLinkNull: decode_null(packet, frame, context); break;
    case kLinkLoop: decode_loop(packet, frame, context); break;
    case kLinkRaw: decode_raw(packet, frame, context); break;
    case kLinkIpv4: decode_ip_by_ethertype(packet, kEtherIpv4, frame, context); break;
    case kLinkIpv6: decode_ip_by_ethertype(packet, kEtherIpv6, frame, context); break;
    case kLinkLinuxSll: decode_sll(packet, frame, context); break;
    case kLinkLinuxSll2: decode_sll2(packet, frame, context); break;
    default: stop(packet, DecodeStatus::unsupported, "link", frame); break;
  }
  return packet;
}

}  // namespace

DecodedPacket decode_packet(int linktype, std::span<const std::uint8_t> frame) {
  return decode(linktype, frame, DecodeContext{});
}

DecodedPacket decode_packet(int linktype, std::span<const std::uint8_t> frame, std::uint32_t original_length) {
  return decode(linktype, frame, DecodeContext{.whole = frame.size() >= original_length});
}

}  // namespace herkomst::capture
