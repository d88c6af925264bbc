// decode_packet() on crafted frames: every link type, VLAN stacks, ARP, IPv4 options and
// padding, IPv6 extension chains, fragments, TCP/UDP, truncation at every byte, lying lengths.
#include <catch2/catch.hpp>

#include <list>
#include <set>
#include <string>

#include "scanner/capture/packet.hpp"
#include "tests/capture/frame_builder.hpp"

using namespace herkomst::capture;
using namespace herkomst::capture::testing;

namespace {

bool payload_inside(const DecodedPacket& packet, const Buf& frame) {
  if (packet.payload.empty()) return true;
  const auto* begin = frame.data();
  const auto* end = frame.data() + frame.size();
  return packet.payload.data() >= begin && packet.payload.data() + packet.payload.size() <= end;
}

std::string text(std::span<const std::uint8_t> bytes) { return std::string(bytes.begin(), bytes.end()); }

DecodedPacket decode(int linktype, const Buf& frame) {
  DecodedPacket packet = decode_packet(linktype, frame);
  REQUIRE(payload_inside(packet, frame));
  return packet;
}
// The payload points into the frame, so a frame built in the call is kept for the whole run.
DecodedPacket decode(int linktype, Buf&& frame) {
  static std::list<Buf> kept;
  kept.push_back(std::move(frame));
  return decode(linktype, kept.back());
}

Ipv4Options v4_options(unsigned option_words, int total_length = -1, int ihl_override = -1) {
  Ipv4Options options;
  options.option_words = option_words;
  options.total_length = total_length;
  options.ihl_override = ihl_override;
  return options;
}

Buf tcp_over_ipv4(std::size_t payload_size, const Ipv4Options& options = {}) {
  const Buf payload = filled(payload_size);
  const Buf segment = concat({tcp(49152, 102, 0x01020304, 0x18), payload});
  return concat({ipv4(options, segment.size()), segment});
}

Buf udp_over_ipv6(const Buf& extensions, unsigned first_next, std::size_t payload_size) {
  const Buf datagram = concat({udp(47808, 47808, payload_size), filled(payload_size)});
  return concat({ipv6(first_next, extensions.size() + datagram.size()), extensions, datagram});
}

}  // namespace

TEST_CASE("Ethernet IPv4 TCP frame decodes every layer", "[decode]") {
  const Buf frame = concat({ethernet(kMacB, kMacA, 0x0800), tcp_over_ipv4(10)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.stopped_at.empty());
  CHECK(p.linktype == kLinkEthernet);
  REQUIRE(p.eth_src);
  REQUIRE(p.eth_dst);
  CHECK(p.eth_src->str() == "00:1b:1b:12:34:56");
  CHECK(p.eth_dst->str() == "00:00:bc:aa:bb:cc");
  CHECK(p.ethertype == 0x0800);
  CHECK(p.vlan_ids.empty());
  REQUIRE(p.ip_src);
  CHECK(p.ip_src->str() == "192.168.0.10");
  CHECK(p.ip_dst->str() == "192.168.0.20");
  CHECK(p.ip_protocol == 6);
  CHECK(p.ip_ttl == 64);
  CHECK_FALSE(p.ip_fragment);
  CHECK(p.src_port == 49152);
  CHECK(p.dst_port == 102);
  CHECK(p.tcp_seq == 0x01020304);
  CHECK(p.tcp_flags == 0x18);
  CHECK(text(p.payload) == "ABCDEFGHIJ");
}

TEST_CASE("IPv4 options are skipped by IHL and Ethernet padding is trimmed", "[decode]") {
  Ipv4Options options;
  options.protocol = 17;
  options.option_words = 3;
  const Buf datagram = concat({udp(161, 50000, 4), filled(4)});
  const Buf frame = concat({ethernet(kMacB, kMacA, 0x0800), ipv4(options, datagram.size()), datagram, Buf(20, 0)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.src_port == 161);
  CHECK(p.dst_port == 50000);
  CHECK(text(p.payload) == "ABCD");
}

TEST_CASE("TCP payload is bounded by the IPv4 total length, not the padded frame", "[decode]") {
  const Buf frame = concat({ethernet(kMacB, kMacA, 0x0800), tcp_over_ipv4(0), Buf(6, 0)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.payload.empty());
}

TEST_CASE("VLAN tags: single 802.1Q, QinQ 802.1ad, old 0x9100, and the depth bound", "[decode][vlan]") {
  SECTION("single") {
    const Buf frame = concat({ethernet(kMacB, kMacA, 0x8100), vlan_tag(100, 0x0800, 5), tcp_over_ipv4(3)});
    const DecodedPacket p = decode(kLinkEthernet, frame);
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.vlan_ids == std::vector<std::uint16_t>{100});
    CHECK(p.ethertype == 0x0800);
    CHECK(p.dst_port == 102);
  }
  SECTION("QinQ, outermost first") {
    const Buf frame = concat({ethernet(kMacB, kMacA, 0x88a8), vlan_tag(10, 0x8100), vlan_tag(4094, 0x0806),
                              arp(1, kMacA, kIpA, Mac{}, kIpB)});
    const DecodedPacket p = decode(kLinkEthernet, frame);
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.vlan_ids == std::vector<std::uint16_t>{10, 4094});
    CHECK(p.ethertype == 0x0806);
    CHECK(p.arp);
  }
  SECTION("old 0x9100 QinQ") {
    const Buf frame = concat({ethernet(kMacB, kMacA, 0x9100), vlan_tag(7, 0x8100), vlan_tag(8, 0x88cc), filled(5)});
    const DecodedPacket p = decode(kLinkEthernet, frame);
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.vlan_ids == std::vector<std::uint16_t>{7, 8});
    CHECK(p.ethertype == 0x88cc);
    CHECK(text(p.payload) == "ABCDE");
  }
  SECTION("eight tags are fine, nine are malformed") {
    Buf eight = ethernet(kMacB, kMacA, 0x8100);
    for (unsigned i = 1; i < 8; ++i) append(eight, vlan_tag(i, 0x8100));
    append(eight, vlan_tag(8, 0x88cc));
    CHECK(decode(kLinkEthernet, eight).vlan_ids.size() == 8);
    CHECK(decode(kLinkEthernet, eight).status == DecodeStatus::ok);

    Buf nine = ethernet(kMacB, kMacA, 0x8100);
    for (unsigned i = 1; i <= 9; ++i) append(nine, vlan_tag(i, i == 9 ? 0x88cc : 0x8100));
    const DecodedPacket p = decode(kLinkEthernet, nine);
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "vlan");
    CHECK(p.vlan_ids.size() == 8);
  }
}

TEST_CASE("802.3 length frames carry LLC: ethertype 0, payload after the header", "[decode]") {
  const Buf llc = {0x42, 0x42, 0x03, 0x00, 0x00, 0x00};  // STP-ish
  const Buf frame = concat({ethernet(Mac{0x01, 0x80, 0xc2, 0, 0, 0}, kMacA, static_cast<unsigned>(llc.size())), llc,
                            Buf(40, 0)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.ethertype == 0);
  CHECK(p.payload.size() == llc.size());
  CHECK(p.payload.data() == frame.data() + 14);
  CHECK(p.eth_dst->is_multicast());
}

TEST_CASE("ARP Ethernet/IPv4 is decoded, other hardware is unsupported", "[decode][arp]") {
  const Buf frame = concat({ethernet(kMacBroadcast, kMacA, 0x0806), arp(1, kMacA, kIpA, Mac{}, kIpB), Buf(18, 0)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  REQUIRE(p.arp);
  CHECK(p.arp->operation == 1);
  CHECK(p.arp->sender_mac.str() == "00:1b:1b:12:34:56");
  CHECK(p.arp->sender_ip.str() == "192.168.0.10");
  CHECK(p.arp->target_mac.is_zero());
  CHECK(p.arp->target_ip.str() == "192.168.0.20");
  CHECK_FALSE(p.ip_src);

  const Buf other = concat({ethernet(kMacBroadcast, kMacA, 0x0806), arp(1, kMacA, kIpA, Mac{}, kIpB, 15)});
  const DecodedPacket q = decode(kLinkEthernet, other);
  CHECK(q.status == DecodeStatus::unsupported);
  CHECK(q.stopped_at == "arp");
  CHECK_FALSE(q.arp);
}

TEST_CASE("BSD loopback NULL accepts both byte orders and the BSD AF_INET6 values", "[decode][link]") {
  const Buf ip = tcp_over_ipv4(2);
  Buf little;
  put_le32(little, 2);
  Buf big;
  put32(big, 2);
  for (const Buf& header : {little, big}) {
    const DecodedPacket p = decode(kLinkNull, concat({header, ip}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.ethertype == 0x0800);
    CHECK_FALSE(p.eth_src);
    CHECK(p.dst_port == 102);
  }
  const Buf v6 = udp_over_ipv6({}, 17, 3);
  for (std::uint32_t family : {24U, 28U, 30U}) {
    Buf header_le;
    put_le32(header_le, family);
    Buf header_be;
    put32(header_be, family);
    for (const Buf& header : {header_le, header_be}) {
      const DecodedPacket p = decode(kLinkNull, concat({header, v6}));
      CHECK(p.status == DecodeStatus::ok);
      CHECK(p.ethertype == 0x86dd);
      CHECK(p.ip_src->v6);
      CHECK(p.src_port == 47808);
    }
  }
  Buf unknown;
  put_le32(unknown, 7);
  const DecodedPacket p = decode(kLinkNull, concat({unknown, ip}));
  CHECK(p.status == DecodeStatus::unsupported);
  CHECK(p.stopped_at == "null");
}

TEST_CASE("LOOP uses network byte order", "[decode][link]") {
  Buf header;
  put32(header, 2);
  const DecodedPacket p = decode(kLinkLoop, concat({header, tcp_over_ipv4(1)}));
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.src_port == 49152);
  Buf six;
  put32(six, 24);
  CHECK(decode(kLinkLoop, concat({six, udp_over_ipv6({}, 17, 0)})).dst_port == 47808);
}

TEST_CASE("Linux cooked SLL and SLL2", "[decode][link]") {
  SECTION("SLL over Ethernet gives the source MAC") {
    const DecodedPacket p = decode(kLinkLinuxSll, concat({sll(1, kMacA, 0x0800), tcp_over_ipv4(4)}));
    CHECK(p.status == DecodeStatus::ok);
    REQUIRE(p.eth_src);
    CHECK(p.eth_src->str() == "00:1b:1b:12:34:56");
    CHECK_FALSE(p.eth_dst);
    CHECK(p.dst_port == 102);
  }
  SECTION("SLL on loopback (ARPHRD 772) has no MAC") {
    const DecodedPacket p = decode(kLinkLinuxSll, concat({sll(772, Mac{}, 0x0800, 0), tcp_over_ipv4(4)}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK_FALSE(p.eth_src);
  }
  SECTION("SLL with a VLAN tag and with LLC") {
    const DecodedPacket p =
        decode(kLinkLinuxSll, concat({sll(1, kMacA, 0x8100), vlan_tag(12, 0x86dd), udp_over_ipv6({}, 17, 1)}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.vlan_ids == std::vector<std::uint16_t>{12});
    CHECK(p.ip_dst->str() == "2001:db8::1");
    const DecodedPacket llc = decode(kLinkLinuxSll, concat({sll(1, kMacA, 0x0004), filled(3)}));
    CHECK(llc.status == DecodeStatus::ok);
    CHECK(llc.ethertype == 0);
    CHECK(text(llc.payload) == "ABC");
  }
  SECTION("SLL netlink is unsupported") {
    const DecodedPacket p = decode(kLinkLinuxSll, concat({sll(824, Mac{}, 0x0010, 0), filled(16)}));
    CHECK(p.status == DecodeStatus::unsupported);
    CHECK(p.stopped_at == "sll");
  }
  SECTION("SLL2") {
    const DecodedPacket p = decode(kLinkLinuxSll2, concat({sll2(1, kMacB, 0x0806), arp(2, kMacB, kIpB, kMacA, kIpA)}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.eth_src->str() == "00:00:bc:aa:bb:cc");
    REQUIRE(p.arp);
    CHECK(p.arp->operation == 2);
  }
}

TEST_CASE("Raw IP link types", "[decode][link]") {
  const DecodedPacket v4 = decode(kLinkRaw, tcp_over_ipv4(1));
  CHECK(v4.status == DecodeStatus::ok);
  CHECK(v4.ethertype == 0x0800);
  CHECK_FALSE(v4.eth_src);
  const DecodedPacket v6 = decode(kLinkRaw, udp_over_ipv6({}, 17, 1));
  CHECK(v6.status == DecodeStatus::ok);
  CHECK(v6.ethertype == 0x86dd);
  CHECK(decode(kLinkIpv4, tcp_over_ipv4(1)).dst_port == 102);
  CHECK(decode(kLinkIpv6, udp_over_ipv6({}, 17, 1)).dst_port == 47808);

  const DecodedPacket other = decode(kLinkRaw, Buf{0x20, 0, 0, 0});
  CHECK(other.status == DecodeStatus::unsupported);
  CHECK(other.stopped_at == "raw");
  const DecodedPacket empty = decode(kLinkRaw, Buf{});
  CHECK(empty.status == DecodeStatus::truncated);
  // An IPv6 packet handed to the IPv4 link type is malformed.
  CHECK(decode(kLinkIpv4, udp_over_ipv6({}, 17, 1)).status == DecodeStatus::malformed);
}

TEST_CASE("Unsupported link types", "[decode][link]") {
  const Buf frame = filled(30);
  const DecodedPacket p = decode(105, frame);  // 802.11
  CHECK(p.status == DecodeStatus::unsupported);
  CHECK(p.stopped_at == "link");
  CHECK(p.payload.size() == frame.size());
  CHECK_FALSE(linktype_supported(105));
  for (int linktype : kSupportedLinktypes) CHECK(linktype_supported(linktype));
}

TEST_CASE("IPv6 extension header chain ends in UDP", "[decode][ipv6]") {
  // hop-by-hop -> routing -> destination options -> AH -> fragment (first, more) -> mobility? no: UDP
  const Buf extensions = concat({ipv6_extension(43, 0), ipv6_extension(60, 2), ipv6_extension(51, 1), ipv6_ah(44, 4),
                                 ipv6_fragment(17, 0, true)});
  const Buf frame = concat({ethernet(kMacB, kMacA, 0x86dd), udp_over_ipv6(extensions, 0, 5)});
  const DecodedPacket p = decode(kLinkEthernet, frame);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.ip_protocol == 17);
  CHECK(p.ip_fragment);
  CHECK(p.src_port == 47808);
  CHECK(text(p.payload) == "ABCDE");
  CHECK(p.ip_src->str() == "fe80::21b:1bff:fe12:3456");
  CHECK(p.ip_ttl == 64);
}

TEST_CASE("IPv6 mobility header and no-next-header", "[decode][ipv6]") {
  const DecodedPacket mobility = decode(kLinkIpv6, udp_over_ipv6(ipv6_extension(17, 1), 135, 2));
  CHECK(mobility.status == DecodeStatus::ok);
  CHECK(mobility.dst_port == 47808);

  const Buf none = concat({ipv6(60, 16 + 4), ipv6_extension(59, 1), filled(4)});
  const DecodedPacket p = decode(kLinkIpv6, none);
  CHECK(p.status == DecodeStatus::ok);
  CHECK(p.ip_protocol == 59);
  CHECK(p.payload.empty());
  CHECK_FALSE(p.src_port);
}

TEST_CASE("IPv6 extension chains are bounded", "[decode][ipv6]") {
  Buf extensions;
  for (int i = 0; i < 9; ++i) append(extensions, ipv6_extension(60, 0));
  extensions[extensions.size() - 8] = 17;
  const DecodedPacket p = decode(kLinkIpv6, udp_over_ipv6(extensions, 60, 1));
  CHECK(p.status == DecodeStatus::malformed);
  CHECK(p.stopped_at == "ipv6");
}

TEST_CASE("Non-first fragments have no ports", "[decode][fragment]") {
  SECTION("IPv4") {
    Ipv4Options options;
    options.protocol = 17;
    options.fragment_field = 185;  // offset 1480 bytes, last fragment
    const Buf body = filled(16);
    const DecodedPacket p = decode(kLinkRaw, concat({ipv4(options, body.size()), body}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.ip_fragment);
    CHECK(p.ip_protocol == 17);
    CHECK_FALSE(p.src_port);
    CHECK(p.payload.size() == 16);
  }
  SECTION("IPv4 first fragment keeps its ports even though UDP spans fragments") {
    Ipv4Options options;
    options.protocol = 17;
    options.fragment_field = 0x2000;  // more fragments
    const Buf datagram = concat({udp(47808, 47808, 3000), filled(100)});
    const DecodedPacket p = decode(kLinkRaw, concat({ipv4(options, datagram.size()), datagram}));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.ip_fragment);
    CHECK(p.src_port == 47808);
    CHECK(p.payload.size() == 100);
  }
  SECTION("IPv6") {
    const Buf rest = filled(24);
    const Buf frame = concat({ipv6(44, 8 + rest.size()), ipv6_fragment(6, 100, false), rest});
    const DecodedPacket p = decode(kLinkIpv6, frame);
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.ip_fragment);
    CHECK(p.ip_protocol == 6);
    CHECK_FALSE(p.src_port);
    CHECK(p.payload.size() == 24);
  }
}

TEST_CASE("Truncated at every byte offset: no crash, status truncated, sensible layer", "[decode][truncation]") {
  struct Case {
    int linktype;
    Buf frame;
  };
  Buf null_header;
  put_le32(null_header, 2);
  const std::vector<Case> cases = {
      {kLinkEthernet, concat({ethernet(kMacB, kMacA, 0x0800), tcp_over_ipv4(12)})},
      {kLinkEthernet, concat({ethernet(kMacB, kMacA, 0x88a8), vlan_tag(1, 0x8100), vlan_tag(2, 0x86dd),
                              udp_over_ipv6(concat({ipv6_extension(60, 1), ipv6_ah(44, 1), ipv6_fragment(17, 0, false)}),
                                            0, 9)})},
      {kLinkEthernet, concat({ethernet(kMacBroadcast, kMacA, 0x0806), arp(1, kMacA, kIpA, Mac{}, kIpB)})},
      {kLinkLinuxSll, concat({sll(1, kMacA, 0x0800), tcp_over_ipv4(5)})},
      {kLinkLinuxSll2, concat({sll2(1, kMacA, 0x86dd), udp_over_ipv6({}, 17, 5)})},
      {kLinkNull, concat({null_header, tcp_over_ipv4(5)})},
      {kLinkRaw, tcp_over_ipv4(7, v4_options(2))},
  };
  const std::set<std::string_view> layers = {"ethernet", "vlan", "arp", "ipv4", "ipv6", "tcp",
                                             "udp",      "sll",  "sll2", "null", "raw"};
  for (const Case& c : cases) {
    const DecodedPacket whole = decode_packet(c.linktype, c.frame, static_cast<std::uint32_t>(c.frame.size()));
    REQUIRE(whole.status == DecodeStatus::ok);
    for (std::size_t cut = 0; cut < c.frame.size(); ++cut) {
      INFO("linktype " << c.linktype << " cut at " << cut << " of " << c.frame.size());
      const Buf part(c.frame.begin(), c.frame.begin() + static_cast<std::ptrdiff_t>(cut));
      // Without original length and with it (the frame is known to be cut by the snap length).
      for (const DecodedPacket& p : {decode_packet(c.linktype, part),
                                     decode_packet(c.linktype, part, static_cast<std::uint32_t>(c.frame.size()))}) {
        CHECK(p.status == DecodeStatus::truncated);
        CHECK(layers.count(p.stopped_at) == 1);
        CHECK(payload_inside(p, part));
        if (p.src_port) CHECK(p.src_port == whole.src_port);
      }
      // Claimed whole although cut: lengths now lie; never ok... unless the cut is only padding.
      const DecodedPacket lying = decode_packet(c.linktype, part, static_cast<std::uint32_t>(cut));
      CHECK(lying.status != DecodeStatus::ok);
      CHECK(payload_inside(lying, part));
    }
  }
}

TEST_CASE("Cut by the snapshot length after the TCP header: ports kept, status truncated", "[decode][truncation]") {
  const Buf frame = concat({ethernet(kMacB, kMacA, 0x0800), tcp_over_ipv4(100)});
  const Buf part(frame.begin(), frame.begin() + 64);
  const DecodedPacket p = decode_packet(kLinkEthernet, part, static_cast<std::uint32_t>(frame.size()));
  CHECK(p.status == DecodeStatus::truncated);
  CHECK(p.stopped_at == "tcp");
  CHECK(p.dst_port == 102);
  CHECK(p.payload.size() == 64 - 14 - 20 - 20);
}

TEST_CASE("Lying IPv4 lengths", "[decode][malformed]") {
  SECTION("total length beyond the frame: truncated without original length, malformed when whole") {
    Ipv4Options options;
    options.total_length = 400;
    const Buf frame = concat({ethernet(kMacB, kMacA, 0x0800), tcp_over_ipv4(10, options)});
    const DecodedPacket snapped = decode(kLinkEthernet, frame);
    CHECK(snapped.status == DecodeStatus::truncated);
    CHECK(snapped.dst_port == 102);
    const DecodedPacket whole = decode_packet(kLinkEthernet, frame, static_cast<std::uint32_t>(frame.size()));
    CHECK(whole.status == DecodeStatus::malformed);
    CHECK(whole.stopped_at == "ipv4");
    CHECK_FALSE(whole.src_port);
  }
  SECTION("IHL below 5") {
    const DecodedPacket p = decode(kLinkRaw, tcp_over_ipv4(4, v4_options(0, -1, 4)));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "ipv4");
  }
  SECTION("total length below the header length") {
    const DecodedPacket p = decode(kLinkRaw, tcp_over_ipv4(4, v4_options(1, 20)));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "ipv4");
  }
  SECTION("IHL beyond the frame") {
    const Buf frame = ipv4(v4_options(10, 60), 0);
    const Buf part(frame.begin(), frame.begin() + 30);
    CHECK(decode(kLinkRaw, part).status == DecodeStatus::truncated);
  }
  SECTION("total length 0 (segmentation offload) means up to the frame end") {
    const DecodedPacket p = decode(kLinkRaw, tcp_over_ipv4(6, v4_options(0, 0)));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(p.payload.size() == 6);
  }
}

TEST_CASE("Lying TCP and UDP lengths", "[decode][malformed]") {
  const auto with_segment = [](unsigned protocol, const Buf& segment) {
    Ipv4Options options;
    options.protocol = protocol;
    return concat({ipv4(options, segment.size()), segment});
  };
  SECTION("TCP data offset below 5") {
    const DecodedPacket p = decode(kLinkRaw, with_segment(6, concat({tcp(1, 2, 3, 0x02, 4), filled(8)})));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "tcp");
    CHECK_FALSE(p.src_port);
  }
  SECTION("TCP data offset beyond the segment") {
    Buf segment = tcp(1, 2, 3, 0x02);
    segment[12] = 0xf0;
    const DecodedPacket p = decode(kLinkRaw, with_segment(6, segment));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "tcp");
  }
  SECTION("TCP segment shorter than a header inside a complete IP packet") {
    const DecodedPacket p = decode(kLinkRaw, with_segment(6, filled(10)));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "tcp");
  }
  SECTION("UDP length below 8") {
    const DecodedPacket p = decode(kLinkRaw, with_segment(17, concat({udp(1, 2, 0, 7), filled(4)})));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "udp");
  }
  SECTION("UDP length beyond the IP payload") {
    const DecodedPacket p = decode(kLinkRaw, with_segment(17, concat({udp(1, 2, 0, 200), filled(4)})));
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "udp");
  }
  SECTION("UDP length shorter than the IP payload trims the payload") {
    const DecodedPacket p = decode(kLinkRaw, with_segment(17, concat({udp(1, 2, 2), filled(6)})));
    CHECK(p.status == DecodeStatus::ok);
    CHECK(text(p.payload) == "AB");
  }
}

TEST_CASE("Lying IPv6 lengths", "[decode][malformed]") {
  SECTION("payload length beyond the frame") {
    Buf frame = udp_over_ipv6({}, 17, 4);
    frame[5] = 200;
    CHECK(decode(kLinkIpv6, frame).status == DecodeStatus::truncated);
    const DecodedPacket whole = decode_packet(kLinkIpv6, frame, static_cast<std::uint32_t>(frame.size()));
    CHECK(whole.status == DecodeStatus::malformed);
    CHECK(whole.stopped_at == "ipv6");
  }
  SECTION("extension header longer than the payload") {
    const Buf extension = ipv6_extension(17, 0);
    Buf frame = concat({ipv6(0, extension.size()), extension});
    frame[41] = 10;  // claims 88 bytes
    const DecodedPacket p = decode(kLinkIpv6, frame);
    CHECK(p.status == DecodeStatus::malformed);
    CHECK(p.stopped_at == "ipv6");
  }
  SECTION("extension header beyond a frame cut by the snap length") {
    const Buf frame = udp_over_ipv6(ipv6_extension(17, 3), 0, 4);
    const Buf part(frame.begin(), frame.begin() + 50);
    const DecodedPacket p = decode(kLinkIpv6, part);
    CHECK(p.status == DecodeStatus::truncated);
    CHECK(p.stopped_at == "ipv6");
  }
  SECTION("payload length shorter than the frame trims trailing bytes") {
    const Buf frame = concat({udp_over_ipv6({}, 17, 2), Buf(10, 0xee)});
    const DecodedPacket p = decode(kLinkIpv6, frame);
    CHECK(p.status == DecodeStatus::ok);
    CHECK(text(p.payload) == "AB");
  }
}

TEST_CASE("Status names", "[decode]") {
  CHECK(to_string(DecodeStatus::ok) == "ok");
  CHECK(to_string(DecodeStatus::truncated) == "truncated");
  CHECK(to_string(DecodeStatus::malformed) == "malformed");
  CHECK(to_string(DecodeStatus::unsupported) == "unsupported");
}
