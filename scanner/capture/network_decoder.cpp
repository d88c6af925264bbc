// ARP, IPv4, IPv6 (with extension headers), TCP and UDP: the part of decode_packet() above
// the link layer. Rules for truncated vs malformed are documented in packet.hpp.
#include <cstddef>
#include <cstdint>

#include "scanner/capture/bytes.hpp"
#include "scanner/capture/decoder_internal.hpp"

namespace herkomst::capture::detail {

namespace {

constexpr std::uint8_t kProtoHopByHop = 0;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoRouting = 43;
constexpr std::uint8_t kProtoFragment = 44;
constexpr std::uint8_t kProtoAh = 51;
constexpr std::uint8_t kProtoNoNext = 59;
constexpr std::uint8_t kProtoDestOptions = 60;
constexpr std::uint8_t kProtoMobility = 135;

// How the IP layer hands its payload to the transport layer.
struct IpBody {
  Bytes data;                     // the IP payload, bounded by the IP length fields and the capture
  bool cut = false;               // the capture ended before the end the IP header claims
  bool first_fragment = false;    // offset 0 and more fragments follow: L4 lengths span fragments
  std::string_view layer;         // "ipv4" or "ipv6"
};

// A header or length reaching past the available bytes: truncated when the capture cut the
// packet (or a fragment boundary did), malformed when the bytes are all there.
DecodeStatus short_status(const IpBody& body) {
  return body.cut || body.first_fragment ? DecodeStatus::truncated : DecodeStatus::malformed;
}

void decode_tcp(DecodedPacket& packet, const IpBody& body) {
  const Bytes segment = body.data;
  if (segment.size() < 20) return stop(packet, short_status(body), "tcp", segment);
  const std::size_t data_offset = static_cast<std::size_t>(segment[12] >> 4) * 4;
  if (data_offset < 20) return stop(packet, DecodeStatus::malformed, "tcp", segment);
  const bool options_cut = data_offset > segment.size();
  if (options_cut && short_status(body) == DecodeStatus::malformed) {
    return stop(packet, DecodeStatus::malformed, "tcp", segment);
  }
  packet.src_port = bytes::be16(segment, 0);
  packet.dst_port = bytes::be16(segment, 2);
  packet.tcp_seq = bytes::be32(segment, 4);
  packet.tcp_flags = segment[13];
  if (options_cut) return stop(packet, DecodeStatus::truncated, "tcp", segment);
  packet.payload = segment.subspan(data_offset);
  if (body.cut) mark_truncated(packet, "tcp");
}

void decode_udp(DecodedPacket& packet, const IpBody& body) {
  const Bytes datagram = body.data;
  if (datagram.size() < 8) return stop(packet, short_status(body), "udp", datagram);
  const std::size_t length = bytes::be16(datagram, 4);
  if (length < 8) return stop(packet, DecodeStatus::malformed, "udp", datagram);
  if (length > datagram.size() && short_status(body) == DecodeStatus::malformed) {
    return stop(packet, DecodeStatus::malformed, "udp", datagram);
  }
  packet.src_port = bytes::be16(datagram, 0);
  packet.dst_port = bytes::be16(datagram, 2);
  if (length <= datagram.size()) {
    packet.payload = datagram.subspan(8, length - 8);
  } else {
    packet.payload = datagram.subspan(8);  // first fragment, or cut by the capture
  }
  if (body.cut) mark_truncated(packet, "udp");
}

void decode_transport(DecodedPacket& packet, const IpBody& body) {
  packet.payload = body.data;
  if (packet.ip_protocol == kProtoTcp) return decode_tcp(packet, body);
  if (packet.ip_protocol == kProtoUdp) return decode_udp(packet, body);
  if (body.cut) mark_truncated(packet, body.layer);
}

}  // namespace

void decode_arp(DecodedPacket& packet, Bytes data) {
  // htype(2) ptype(2) hlen(1) plen(1) oper(2) sha(6) spa(4) tha(6) tpa(4)
  if (data.size() < 8) return stop(packet, DecodeStatus::truncated, "arp", data);
  const std::uint16_t hardware = bytes::be16(data, 0);
  const std::uint16_t protocol = bytes::be16(data, 2);
  const bool ethernet_like = hardware == 1 || hardware == 6;  // Ethernet, IEEE 802
  if (!ethernet_like || protocol != 0x0800 || data[4] != 6 || data[5] != 4) {
    return stop(packet, DecodeStatus::unsupported, "arp", data);
  }
  if (data.size() < 28) return stop(packet, DecodeStatus::truncated, "arp", data);
  ArpInfo arp;
  arp.operation = bytes::be16(data, 6);
  arp.sender_mac = MacAddress::from(data.subspan<8, 6>());
  arp.sender_ip = IpAddress::from_v4(data.subspan<14, 4>());
  arp.target_mac = MacAddress::from(data.subspan<18, 6>());
  arp.target_ip = IpAddress::from_v4(data.subspan<24, 4>());
  packet.arp = arp;
  packet.payload = data.subspan(28);
}

void decode_ipv4(DecodedPacket& packet, Bytes data, const DecodeContext& context) {
  if (data.size() < 20) return stop(packet, DecodeStatus::truncated, "ipv4", data);
  if ((data[0] >> 4) != 4) return stop(packet, DecodeStatus::malformed, "ipv4", data);
  const std::size_t header_length = static_cast<std::size_t>(data[0] & 0x0f) * 4;
  if (header_length < 20) return stop(packet, DecodeStatus::malformed, "ipv4", data);
  std::size_t total_length = bytes::be16(data, 2);
  if (total_length != 0 && total_length < header_length) return stop(packet, DecodeStatus::malformed, "ipv4", data);

  packet.ip_ttl = data[8];
  packet.ip_protocol = data[9];
  packet.ip_src = IpAddress::from_v4(data.subspan<12, 4>());
  packet.ip_dst = IpAddress::from_v4(data.subspan<16, 4>());
  const std::uint16_t fragment_field = bytes::be16(data, 6);
  const bool more_fragments = (fragment_field & 0x2000) != 0;
  const bool first = (fragment_field & 0x1fff) == 0;
  packet.ip_fragment = more_fragments || !first;

  if (data.size() < header_length) return stop(packet, DecodeStatus::truncated, "ipv4", data);
  if (total_length == 0) total_length = data.size();  // segmentation offload: length left 0

  IpBody body;
  body.layer = "ipv4";
  if (total_length > data.size()) {
    if (context.whole) return stop(packet, DecodeStatus::malformed, "ipv4", data);
    body.cut = true;
    total_length = data.size();
  }
  body.data = data.subspan(header_length, total_length - header_length);  // trims Ethernet padding
  if (!first) {
    packet.payload = body.data;
    if (body.cut) mark_truncated(packet, "ipv4");
    return;
  }
  body.first_fragment = more_fragments;
  decode_transport(packet, body);
}

void decode_ipv6(DecodedPacket& packet, Bytes data, const DecodeContext& context) {
  if (data.size() < 40) return stop(packet, DecodeStatus::truncated, "ipv6", data);
  if ((data[0] >> 4) != 6) return stop(packet, DecodeStatus::malformed, "ipv6", data);
  std::size_t payload_length = bytes::be16(data, 4);
  std::uint8_t next = data[6];
  packet.ip_ttl = data[7];
  packet.ip_protocol = next;
  packet.ip_src = IpAddress::from_v6(data.subspan<8, 16>());
  packet.ip_dst = IpAddress::from_v6(data.subspan<24, 16>());

  const std::size_t available = data.size() - 40;
  if (payload_length == 0) payload_length = available;  // jumbogram or segmentation offload
  IpBody body;
  body.layer = "ipv6";
  if (payload_length > available) {
    if (context.whole) return stop(packet, DecodeStatus::malformed, "ipv6", data);
    body.cut = true;
    payload_length = available;
  }
  Bytes rest = data.subspan(40, payload_length);
  const DecodeStatus short_extension = body.cut ? DecodeStatus::truncated : DecodeStatus::malformed;

  for (std::size_t extensions = 0;; ++extensions) {
    packet.ip_protocol = next;
    const bool is_extension = next == kProtoHopByHop || next == kProtoRouting || next == kProtoFragment ||
                              next == kProtoAh || next == kProtoDestOptions || next == kProtoMobility;
    if (!is_extension) break;
    if (extensions >= kMaxIpv6ExtensionHeaders) return stop(packet, DecodeStatus::malformed, "ipv6", rest);

    if (next == kProtoFragment) {
      if (rest.size() < 8) return stop(packet, short_extension, "ipv6", rest);
      const std::uint16_t field = bytes::be16(rest, 2);
      const bool more_fragments = (field & 0x0001) != 0;
      const bool first = (field >> 3) == 0;
      next = rest[0];
      rest = rest.subspan(8);
      if (more_fragments || !first) packet.ip_fragment = true;
      if (!first) {
        packet.ip_protocol = next;
        packet.payload = rest;
        if (body.cut) mark_truncated(packet, "ipv6");
        return;
      }
      body.first_fragment = body.first_fragment || more_fragments;
      continue;
    }

    if (rest.size() < 2) return stop(packet, short_extension, "ipv6", rest);
    const std::size_t length = next == kProtoAh ? (static_cast<std::size_t>(rest[1]) + 2) * 4
                                                : (static_cast<std::size_t>(rest[1]) + 1) * 8;
    if (length > rest.size()) return stop(packet, short_extension, "ipv6", rest);
    next = rest[0];
    rest = rest.subspan(length);
  }

  if (next == kProtoNoNext) {
    packet.payload = rest.first(0);  // RFC 8200: bytes after "no next header" are ignored
    if (body.cut) mark_truncated(packet, "ipv6");
    return;
  }
  body.data = rest;
  decode_transport(packet, body);
}

}  // namespace herkomst::capture::detail
