// make_sample_plant: crafts samples/sample-plant.pcapng, the capture herkomst ships so that it
// has input on any machine.
//
//   make_sample_plant OUTPUT.pcapng
//
// The capture describes a small water-treatment plant (samples/README.md has the device table):
// ARP, DHCP, Modbus/TCP (incl. FC 43/14 Read Device Identification), S7comm over TPKT/COTP,
// EtherNet/IP ListIdentity, SNMP, NTP, BACnet/IP Who-Is/I-Am, ICMP, an 802.1Q VLAN, one QinQ
// frame, IPv6 NDP and an MLDv2 report behind a hop-by-hop header, and LLDP from the switch.
//
// It is a pcapng file with two interfaces of different link types and snapshot lengths:
//   interface 0  "eth0", Ethernet (LINKTYPE 1), snaplen 65535: a SPAN port of the plant switch
//   interface 1  "any", Linux cooked v2 (LINKTYPE 276), snaplen 262144: a capture on the
//                historian VM itself
// libpcap 1.10 refuses such files ("an interface has a different link-layer type / snapshot
// length"): herkomst's own pcapng reader has to handle them.
//
// Everything is a pure function of this source: fixed MACs, addresses, sequence numbers and
// timestamps (from 2026-01-15T08:00:00Z, microsecond resolution), correct IPv4, TCP, UDP and
// ICMPv6 checksums. Running it twice gives the same bytes; the test sample_capture_reproducible
// compares a fresh run with the committed file.
//
// The MAC prefixes are real IEEE MA-L assignments (registrant as spelled in the IEEE oui.csv,
// Debian ieee-data 2022-08-27); the device strings (sysDescr, product names, revisions) are
// illustrative values in each vendor's usual format, not captured from real devices.
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;
using Ip4 = std::array<std::uint8_t, 4>;
using Ip6 = std::array<std::uint8_t, 16>;

// ---------------------------------------------------------------------------------------------
// The plant.

// MA-L 00:00:0C "Cisco Systems, Inc": the WAN router/firewall to headquarters. Gateway of
// 10.10.1.0/24 and (sub-interface) of the camera VLAN 20; DHCP server; every packet from HQ
// reaches the plant with this MAC as source.
constexpr Mac kRouterMac{0x00, 0x00, 0x0c, 0x1a, 0x2b, 0x01};
constexpr Ip4 kRouterIp{10, 10, 1, 1};
constexpr Ip4 kRouterVlanIp{10, 10, 20, 1};
// MA-L 00:80:63 "Hirschmann Automation and Control GmbH": the managed plant switch.
constexpr Mac kSwitchMac{0x00, 0x80, 0x63, 0x3c, 0x4d, 0x02};
constexpr Ip4 kSwitchIp{10, 10, 1, 2};
// MA-L 00:1B:1B "Siemens AG,": S7-1500 PLC of the filtration stage.
constexpr Mac kSiemensMac{0x00, 0x1b, 0x1b, 0x6e, 0x7f, 0x10};
constexpr Ip4 kSiemensIp{10, 10, 1, 10};
// MA-L 00:00:54 "Schneider Electric": Modicon M340 PLC of the pumping station (Modbus/TCP).
constexpr Mac kSchneiderMac{0x00, 0x00, 0x54, 0x8a, 0x9b, 0x20};
constexpr Ip4 kSchneiderIp{10, 10, 1, 20};
// MA-L 00:00:BC "Rockwell Automation": CompactLogix controller of chemical dosing (EtherNet/IP).
constexpr Mac kRockwellMac{0x00, 0x00, 0xbc, 0x4c, 0x5d, 0x30};
constexpr Ip4 kRockwellIp{10, 10, 1, 30};
// MA-L 00:A0:45 "PHOENIX CONTACT Electronics GmbH": ILC 2050 BI building controller (BACnet/IP).
constexpr Mac kPhoenixMac{0x00, 0xa0, 0x45, 0x12, 0x34, 0x40};
constexpr Ip4 kPhoenixIp{10, 10, 1, 40};
// MA-L 00:90:E8 "MOXA TECHNOLOGIES CORP., LTD.": NPort serial gateway for the dosing pumps; gets
// its address by DHCP.
constexpr Mac kMoxaMac{0x00, 0x90, 0xe8, 0x56, 0x78, 0x50};
constexpr Ip4 kMoxaIp{10, 10, 1, 50};
// MA-L 08:54:11 "Hangzhou Hikvision Digital Technology Co.,Ltd.": IP camera on VLAN 20.
constexpr Mac kCameraMac{0x08, 0x54, 0x11, 0x9a, 0xbc, 0x60};
constexpr Ip4 kCameraIp{10, 10, 20, 60};
// MA-L F8:BC:12 "Dell Inc.": engineering workstation / HMI (Windows: TTL 128).
constexpr Mac kDellMac{0xf8, 0xbc, 0x12, 0xde, 0xf0, 0x64};
constexpr Ip4 kDellIp{10, 10, 1, 100};
// 52:54:00 (QEMU/KVM convention, U/L bit set: locally administered, no IEEE registrant): the
// historian VM (Linux: TTL 64).
constexpr Mac kVmMac{0x52, 0x54, 0x00, 0xc0, 0xff, 0xee};
constexpr Ip4 kVmIp{10, 10, 1, 101};
// Remote hosts at headquarters, seen only behind the router's MAC.
constexpr Ip4 kHqNtpIp{10, 20, 0, 1};
constexpr Ip4 kHqScadaIp{10, 20, 0, 5};
constexpr Ip4 kHqMonitorIp{10, 20, 0, 9};

constexpr Mac kBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr Mac kLldpMulticast{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e};
constexpr Ip4 kSubnetBroadcast{10, 10, 1, 255};
constexpr Ip4 kAllOnes{255, 255, 255, 255};
constexpr Ip4 kZeroIp{0, 0, 0, 0};

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherArp = 0x0806;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherLldp = 0x88cc;

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kProtoHopByHop = 0;

constexpr std::int64_t kStartUs = 1768464000LL * 1000000;  // 2026-01-15T08:00:00Z

// ---------------------------------------------------------------------------------------------
// Byte helpers.

void put8(Bytes& b, unsigned v) { b.push_back(static_cast<std::uint8_t>(v & 0xff)); }
void put16(Bytes& b, unsigned v) {
  put8(b, v >> 8);
  put8(b, v);
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}
void put16le(Bytes& b, unsigned v) {
  put8(b, v);
  put8(b, v >> 8);
}
void put32le(Bytes& b, std::uint32_t v) {
  put16le(b, v & 0xffff);
  put16le(b, v >> 16);
}
void put(Bytes& b, std::span<const std::uint8_t> bytes) { b.insert(b.end(), bytes.begin(), bytes.end()); }
void put(Bytes& b, std::string_view text) { b.insert(b.end(), text.begin(), text.end()); }
void put(Bytes& b, std::initializer_list<unsigned> bytes) {
  for (unsigned v : bytes) put8(b, v);
}
void zeros(Bytes& b, std::size_t n) { b.insert(b.end(), n, 0); }
void set16(Bytes& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>((v >> 8) & 0xff);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

// RFC 1071 one's-complement sum, folded.
std::uint32_t sum16(std::span<const std::uint8_t> data, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (data.size() % 2 == 1) sum += static_cast<std::uint32_t>(data.back() << 8);
  return sum;
}
std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// ---------------------------------------------------------------------------------------------
// Protocol builders.

// Ethernet II, optional VLAN tags (outermost first: {ethertype, vid}), padded to 60 bytes.
struct Tag {
  std::uint16_t tpid;
  std::uint16_t vid;
};
Bytes ethernet(const Mac& dst, const Mac& src, std::uint16_t type, const Bytes& payload,
               std::initializer_list<Tag> tags = {}) {
  Bytes f;
  put(f, dst);
  put(f, src);
  for (const Tag& t : tags) {
    put16(f, t.tpid);
    put16(f, t.vid & 0x0fff);  // priority 0
  }
  put16(f, type);
  put(f, payload);
  if (f.size() < 60) zeros(f, 60 - f.size());
  return f;
}

Bytes arp(unsigned op, const Mac& sender_mac, const Ip4& sender_ip, const Mac& target_mac, const Ip4& target_ip) {
  Bytes b;
  put16(b, 1);       // Ethernet
  put16(b, 0x0800);  // IPv4
  put(b, {6, 4});
  put16(b, op);
  put(b, sender_mac);
  put(b, sender_ip);
  put(b, target_mac);
  put(b, target_ip);
  return b;
}

class Ipv4Host {
 public:
  Ipv4Host(Ip4 ip, std::uint8_t ttl, std::uint16_t first_id) : ip_(ip), ttl_(ttl), id_(first_id) {}
  const Ip4& ip() const { return ip_; }
  std::uint8_t ttl() const { return ttl_; }

  // IPv4 header (no options, DF set for TCP) with a correct checksum, then the payload.
  Bytes packet(const Ip4& dst, std::uint8_t protocol, const Bytes& payload) {
    Bytes h;
    put8(h, 0x45);
    put8(h, 0);
    put16(h, static_cast<unsigned>(20 + payload.size()));
    put16(h, id_++);
    put16(h, protocol == kProtoTcp ? 0x4000 : 0);
    put8(h, ttl_);
    put8(h, protocol);
    put16(h, 0);
    put(h, ip_);
    put(h, dst);
    set16(h, 10, fold(sum16(h)));
    put(h, payload);
    return h;
  }

 private:
  Ip4 ip_;
  std::uint8_t ttl_;
  std::uint16_t id_;
};

std::uint32_t pseudo4(const Ip4& src, const Ip4& dst, std::uint8_t protocol, std::size_t length) {
  std::uint32_t sum = sum16(src) + sum16(dst);
  sum += protocol;
  sum += static_cast<std::uint32_t>(length);
  return sum;
}

Bytes udp(const Ip4& src, const Ip4& dst, unsigned sport, unsigned dport, const Bytes& payload) {
  Bytes u;
  put16(u, sport);
  put16(u, dport);
  put16(u, static_cast<unsigned>(8 + payload.size()));
  put16(u, 0);
  put(u, payload);
  std::uint16_t c = fold(sum16(u, pseudo4(src, dst, kProtoUdp, u.size())));
  set16(u, 6, c == 0 ? 0xffff : c);
  return u;
}

constexpr unsigned kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

Bytes tcp(const Ip4& src, const Ip4& dst, unsigned sport, unsigned dport, std::uint32_t seq, std::uint32_t ack,
          unsigned flags, unsigned window, const Bytes& payload) {
  const bool syn = (flags & kSyn) != 0;
  Bytes t;
  put16(t, sport);
  put16(t, dport);
  put32(t, seq);
  put32(t, (flags & kAck) ? ack : 0);
  put8(t, (syn ? 6u : 5u) << 4);  // data offset in 32-bit words
  put8(t, flags);
  put16(t, window);
  put16(t, 0);  // checksum
  put16(t, 0);  // urgent pointer
  if (syn) put(t, {2, 4, 0x05, 0xb4});  // MSS 1460
  put(t, payload);
  set16(t, 16, fold(sum16(t, pseudo4(src, dst, kProtoTcp, t.size()))));
  return t;
}

// ICMPv6 (checksum over the IPv6 pseudo-header) inside IPv6, optionally behind a hop-by-hop
// header carrying a Router Alert (as MLD requires).
Bytes ipv6_icmp(const Ip6& src, const Ip6& dst, std::uint8_t hop_limit, Bytes icmp, bool hop_by_hop) {
  std::uint32_t sum = sum16(src) + sum16(dst) + static_cast<std::uint32_t>(icmp.size()) + kProtoIcmpv6;
  set16(icmp, 2, fold(sum16(icmp, sum)));
  Bytes ext;
  if (hop_by_hop) put(ext, {kProtoIcmpv6, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00});  // Router Alert (MLD), PadN
  Bytes p;
  put32(p, 0x60000000);  // version 6, traffic class 0, flow label 0
  put16(p, static_cast<unsigned>(ext.size() + icmp.size()));
  put8(p, hop_by_hop ? kProtoHopByHop : kProtoIcmpv6);
  put8(p, hop_limit);
  put(p, src);
  put(p, dst);
  put(p, ext);
  put(p, icmp);
  return p;
}

Ip6 link_local(const Mac& mac) {  // fe80::/64 with the modified EUI-64 of the MAC
  return Ip6{0xfe, 0x80, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(mac[0] ^ 0x02), mac[1], mac[2], 0xff, 0xfe,
             mac[3], mac[4], mac[5]};
}
Ip6 solicited_node(const Ip6& ip) {
  return Ip6{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, ip[13], ip[14], ip[15]};
}
Mac ipv6_multicast_mac(const Ip6& group) { return Mac{0x33, 0x33, group[12], group[13], group[14], group[15]}; }

// BER (SNMP) encoding.
Bytes tlv(unsigned tag, const Bytes& content) {
  Bytes b;
  put8(b, tag);
  if (content.size() < 0x80) {
    put8(b, static_cast<unsigned>(content.size()));
  } else {
    put8(b, 0x81);
    put8(b, static_cast<unsigned>(content.size()));
  }
  put(b, content);
  return b;
}
Bytes ber_int(std::uint32_t v) {
  Bytes c;
  if (v >= 0x800000) put8(c, v >> 24);
  if (v >= 0x8000) put8(c, v >> 16);
  if (v >= 0x80) put8(c, v >> 8);
  put8(c, v);
  return tlv(0x02, c);
}
Bytes ber_string(std::string_view s) {
  Bytes c;
  put(c, s);
  return tlv(0x04, c);
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) put(b, p);
  return b;
}
const Bytes kOidSysDescr{0x2b, 6, 1, 2, 1, 1, 1, 0};  // 1.3.6.1.2.1.1.1.0
const Bytes kOidSysName{0x2b, 6, 1, 2, 1, 1, 5, 0};   // 1.3.6.1.2.1.1.5.0

Bytes snmp(unsigned pdu_tag, std::uint32_t request_id, std::initializer_list<std::pair<Bytes, Bytes>> varbinds) {
  Bytes list;
  for (const auto& [oid, value] : varbinds) put(list, tlv(0x30, cat({tlv(0x06, oid), value})));
  const Bytes pdu = tlv(pdu_tag, cat({ber_int(request_id), ber_int(0), ber_int(0), tlv(0x30, list)}));
  return tlv(0x30, cat({ber_int(1), ber_string("public"), pdu}));  // SNMPv2c
}

// NTP v4 (RFC 5905), 48 bytes. Timestamps in microseconds since the Unix epoch.
void put_ntp_time(Bytes& b, std::int64_t us) {
  const auto seconds = static_cast<std::uint32_t>(us / 1000000 + 2208988800LL);
  const auto fraction = static_cast<std::uint32_t>(((us % 1000000) << 32) / 1000000);
  put32(b, seconds);
  put32(b, fraction);
}
Bytes ntp_request(std::int64_t transmit_us) {
  Bytes b;
  put(b, {0x23, 0, 6, 0xec});  // LI 0, VN 4, mode 3 (client); stratum 0; poll 6; precision -20
  zeros(b, 12);               // root delay, root dispersion, reference id
  zeros(b, 24);               // reference, origin, receive timestamps
  put_ntp_time(b, transmit_us);
  return b;
}
Bytes ntp_response(std::int64_t origin_us, std::int64_t receive_us, std::int64_t transmit_us) {
  Bytes b;
  put(b, {0x24, 1, 6, 0xe9});  // mode 4 (server); stratum 1; poll 6; precision -23
  put32(b, 0x00000010);        // root delay
  put32(b, 0x00000020);        // root dispersion
  put(b, "GPS");
  put8(b, 0);                                // reference id "GPS"
  put_ntp_time(b, kStartUs - 16000000);      // reference timestamp
  put_ntp_time(b, origin_us);
  put_ntp_time(b, receive_us);
  put_ntp_time(b, transmit_us);
  return b;
}

// BOOTP/DHCP (RFC 2131), padded to the classic 300-byte minimum.
Bytes dhcp(unsigned op, unsigned message_type, std::uint32_t xid, const Ip4& yiaddr, const Mac& chaddr,
           const Bytes& options) {
  Bytes b;
  put(b, {op, 1, 6, 0});
  put32(b, xid);
  put16(b, 0);       // secs
  put16(b, 0x8000);  // broadcast flag
  put(b, kZeroIp);   // ciaddr
  put(b, yiaddr);
  put(b, op == 2 ? kRouterIp : kZeroIp);  // siaddr
  put(b, kZeroIp);                        // giaddr
  put(b, chaddr);
  zeros(b, 10 + 64 + 128);  // chaddr padding, sname, file
  put(b, {0x63, 0x82, 0x53, 0x63});
  put(b, {53, 1, message_type});
  put(b, options);
  put8(b, 255);
  if (b.size() < 300) zeros(b, 300 - b.size());
  return b;
}

// Modbus/TCP: MBAP header + PDU.
Bytes modbus(unsigned transaction, unsigned unit, const Bytes& pdu) {
  Bytes b;
  put16(b, transaction);
  put16(b, 0);  // protocol id
  put16(b, static_cast<unsigned>(pdu.size() + 1));
  put8(b, unit);
  put(b, pdu);
  return b;
}
Bytes device_id_object(unsigned id, std::string_view value) {
  Bytes b;
  put8(b, id);
  put8(b, static_cast<unsigned>(value.size()));
  put(b, value);
  return b;
}

// TPKT (RFC 1006) around a COTP TPDU.
Bytes tpkt(const Bytes& cotp_and_data) {
  Bytes b;
  put(b, {3, 0});
  put16(b, static_cast<unsigned>(4 + cotp_and_data.size()));
  put(b, cotp_and_data);
  return b;
}

// EtherNet/IP encapsulation header (little-endian) + data.
Bytes enip(unsigned command, const Bytes& data) {
  Bytes b;
  put16le(b, command);
  put16le(b, static_cast<unsigned>(data.size()));
  put32le(b, 0);  // session handle
  put32le(b, 0);  // status
  put(b, {0x68, 0x65, 0x72, 0x6b, 0x6f, 0x6d, 0x73, 0x74});  // sender context "herkomst"
  put32le(b, 0);  // options
  put(b, data);
  return b;
}

// LLDP TLV: 7-bit type, 9-bit length.
void lldp_tlv(Bytes& b, unsigned type, const Bytes& value) {
  put16(b, (type << 9) | static_cast<unsigned>(value.size()));
  put(b, value);
}
Bytes lldp_frame_payload() {
  Bytes b;
  Bytes v;
  v = {4};  // chassis id subtype: MAC address
  put(v, kSwitchMac);
  lldp_tlv(b, 1, v);
  v = {5};  // port id subtype: interface name
  put(v, "1/1");
  lldp_tlv(b, 2, v);
  v.clear();
  put16(v, 120);
  lldp_tlv(b, 3, v);  // TTL
  v.clear();
  put(v, "Module: 1 Port: 1 - 1 Gbit");
  lldp_tlv(b, 4, v);  // port description
  v.clear();
  put(v, "plant-sw-01");
  lldp_tlv(b, 5, v);  // system name
  v.clear();
  put(v, "Hirschmann Railswitch RSP20 HiOS-2S-08.0.00");
  lldp_tlv(b, 6, v);  // system description
  v.clear();
  put16(v, 0x0014);  // capabilities: bridge, router
  put16(v, 0x0004);  // enabled: bridge
  lldp_tlv(b, 7, v);
  v = {5, 1};  // management address: length 5, IPv4
  put(v, kSwitchIp);
  put8(v, 2);     // interface numbering: ifIndex
  put32(v, 1);    // interface 1
  put8(v, 0);     // no OID
  lldp_tlv(b, 8, v);
  lldp_tlv(b, 0, {});  // end
  return b;
}

// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2) header.
Bytes sll2(std::uint16_t protocol, unsigned packet_type, const Mac& address, const Bytes& payload) {
  Bytes b;
  put16(b, protocol);
  put16(b, 0);   // reserved
  put32(b, 2);   // interface index (eth0 inside the VM)
  put16(b, 1);   // ARPHRD_ETHER
  put8(b, packet_type);
  put8(b, 6);
  put(b, address);
  put(b, {0, 0});
  put(b, payload);
  return b;
}
constexpr unsigned kPacketHost = 0, kPacketOutgoing = 4;

// ---------------------------------------------------------------------------------------------
// The capture: frames with their interface and time, written as pcapng.

struct Frame {
  std::uint32_t interface;
  std::int64_t time_us;
  Bytes data;
};

class Capture {
 public:
  // Advances the clock by `step_us` and records a frame on `interface`.
  void add(Bytes data, std::int64_t step_us = 700, std::uint32_t interface = 0) {
    now_ += step_us;
    frames_.push_back(Frame{interface, now_, std::move(data)});
  }
  std::int64_t now() const { return now_; }
  void at(std::int64_t time_us) { now_ = time_us; }
  std::size_t size() const { return frames_.size(); }

  Bytes pcapng() const {
    Bytes out;
    {  // Section Header Block
      Bytes body;
      put32le(body, 0x1a2b3c4d);
      put16le(body, 1);
      put16le(body, 0);
      put32le(body, 0xffffffff);  // section length: unspecified
      put32le(body, 0xffffffff);
      option(body, 4, "herkomst make_sample_plant (samples/make_sample_plant.cpp)");  // shb_userappl
      end_options(body);
      block(out, 0x0a0d0d0a, body);
    }
    interface(out, 1, 65535, "eth0", "SPAN port of plant-sw-01 (Ethernet)");
    interface(out, 276, 262144, "any", "historian VM, Linux cooked capture v2");
    for (const Frame& f : frames_) {  // Enhanced Packet Blocks
      Bytes body;
      const auto ts = static_cast<std::uint64_t>(f.time_us);
      put32le(body, f.interface);
      put32le(body, static_cast<std::uint32_t>(ts >> 32));
      put32le(body, static_cast<std::uint32_t>(ts & 0xffffffff));
      put32le(body, static_cast<std::uint32_t>(f.data.size()));
      put32le(body, static_cast<std::uint32_t>(f.data.size()));
      put(body, f.data);
      pad(body);
      block(out, 6, body);
    }
    return out;
  }

 private:
  static void pad(Bytes& b) {
    while (b.size() % 4 != 0) b.push_back(0);
  }
  static void option(Bytes& b, unsigned code, std::string_view value) {
    put16le(b, code);
    put16le(b, static_cast<unsigned>(value.size()));
    put(b, value);
    pad(b);
  }
  static void end_options(Bytes& b) { put32le(b, 0); }
  static void block(Bytes& out, std::uint32_t type, const Bytes& body) {
    const auto length = static_cast<std::uint32_t>(12 + body.size());
    put32le(out, type);
    put32le(out, length);
    put(out, body);
    put32le(out, length);
  }
  static void interface(Bytes& out, unsigned linktype, std::uint32_t snaplen, std::string_view name,
                        std::string_view description) {
    Bytes body;
    put16le(body, linktype);
    put16le(body, 0);
    put32le(body, snaplen);
    option(body, 2, name);         // if_name
    option(body, 3, description);  // if_description
    put16le(body, 9);              // if_tsresol: 10^-6 s
    put16le(body, 1);
    put(body, {6, 0, 0, 0});
    end_options(body);
    block(out, 1, body);
  }

  std::int64_t now_ = kStartUs;
  std::vector<Frame> frames_;
};

// A TCP connection seen on the SPAN port: handshake, exchanges, orderly close.
class TcpFlow {
 public:
  struct End {
    Mac mac;  // link-layer address the frames carry (the router's for remote hosts)
    Ipv4Host* host;
    unsigned port;
    std::uint32_t seq;
    unsigned window;
  };
  TcpFlow(Capture& capture, End client, End server) : cap_(capture), c_(client), s_(server) {}

  void open() {
    send(c_, s_, kSyn, {}, 300);
    c_.seq += 1;  // a SYN counts as one byte
    send(s_, c_, kSyn | kAck, {}, 250);
    s_.seq += 1;
    send(c_, s_, kAck, {}, 150);
  }
  void request(const Bytes& payload) { send(c_, s_, kPsh | kAck, payload, 2000); }
  void response(const Bytes& payload) { send(s_, c_, kPsh | kAck, payload, 1800); }
  void close() {
    send(c_, s_, kFin | kAck, {}, 5000);
    c_.seq += 1;
    send(s_, c_, kFin | kAck, {}, 300);
    s_.seq += 1;
    send(c_, s_, kAck, {}, 200);
  }

 private:
  void send(End& from, End& to, unsigned flags, const Bytes& payload, std::int64_t step_us) {
    const Bytes segment =
        tcp(from.host->ip(), to.host->ip(), from.port, to.port, from.seq, to.seq, flags, from.window, payload);
    cap_.add(ethernet(to.mac, from.mac, kEtherIpv4, from.host->packet(to.host->ip(), kProtoTcp, segment)), step_us);
    from.seq += static_cast<std::uint32_t>(payload.size());
  }

  Capture& cap_;
  End c_;
  End s_;
};

// ---------------------------------------------------------------------------------------------

Capture build() {
  Capture cap;
  Ipv4Host router(kRouterIp, 255, 0x1000);
  Ipv4Host router_vlan(kRouterVlanIp, 255, 0x2000);
  Ipv4Host sw(kSwitchIp, 64, 0x0100);
  Ipv4Host siemens(kSiemensIp, 30, 0x0001);
  Ipv4Host schneider(kSchneiderIp, 64, 0x0a00);
  Ipv4Host rockwell(kRockwellIp, 64, 0x3e00);
  Ipv4Host phoenix(kPhoenixIp, 64, 0x0040);
  Ipv4Host moxa_unconfigured(kZeroIp, 64, 0x0000);
  Ipv4Host camera(kCameraIp, 64, 0x6000);
  Ipv4Host dell(kDellIp, 128, 0x4a10);
  Ipv4Host vm(kVmIp, 64, 0xb200);
  // Hosts at headquarters: their packets reach the plant through the router (TTL already
  // decremented) and carry the router's MAC.
  Ipv4Host hq_ntp(kHqNtpIp, 63, 0x7100);
  Ipv4Host hq_scada(kHqScadaIp, 127, 0x5200);
  Ipv4Host hq_monitor(kHqMonitorIp, 63, 0x3300);

  // 08:00:00.0 LLDP from the switch.
  cap.add(ethernet(kLldpMulticast, kSwitchMac, kEtherLldp, lldp_frame_payload()), 0);

  // The Moxa gateway boots and asks for an address.
  const Mac& m = kMoxaMac;
  Bytes client_id{1};
  put(client_id, m);
  Bytes discover_opts{61, 7};
  put(discover_opts, client_id);
  put(discover_opts, {12, 16});
  put(discover_opts, "NPort5150-dosing");
  put(discover_opts, {55, 4, 1, 3, 6, 42});
  Bytes offer_opts{54, 4};
  put(offer_opts, kRouterIp);
  put(offer_opts, {51, 4, 0x00, 0x01, 0x51, 0x80});  // lease 86400 s
  put(offer_opts, {1, 4, 255, 255, 255, 0});
  put(offer_opts, {3, 4});
  put(offer_opts, kRouterIp);
  put(offer_opts, {42, 4});
  put(offer_opts, kHqNtpIp);
  Bytes request_opts{61, 7};
  put(request_opts, client_id);
  put(request_opts, {50, 4});
  put(request_opts, kMoxaIp);
  put(request_opts, {54, 4});
  put(request_opts, kRouterIp);
  put(request_opts, {12, 16});
  put(request_opts, "NPort5150-dosing");
  put(request_opts, {55, 4, 1, 3, 6, 42});
  const std::uint32_t xid = 0x5a17c0de;
  const auto dhcp_frame = [&](Ipv4Host& from, const Mac& src_mac, unsigned sport, unsigned dport, const Bytes& d) {
    return ethernet(kBroadcast, src_mac, kEtherIpv4,
                    from.packet(kAllOnes, kProtoUdp, udp(from.ip(), kAllOnes, sport, dport, d)));
  };
  cap.add(dhcp_frame(moxa_unconfigured, m, 68, 67, dhcp(1, 1, xid, kZeroIp, m, discover_opts)), 100000);
  cap.add(dhcp_frame(router, kRouterMac, 67, 68, dhcp(2, 2, xid, kMoxaIp, m, offer_opts)), 1200);
  cap.add(dhcp_frame(moxa_unconfigured, m, 68, 67, dhcp(1, 3, xid, kZeroIp, m, request_opts)), 1500);
  cap.add(dhcp_frame(router, kRouterMac, 67, 68, dhcp(2, 5, xid, kMoxaIp, m, offer_opts)), 1100);
  // Gratuitous ARP: the gateway announces its new address.
  cap.add(ethernet(kBroadcast, m, kEtherArp, arp(1, m, kMoxaIp, Mac{}, kMoxaIp)), 20000);

  // The engineering workstation resolves the controllers.
  const std::pair<Mac, Ip4> controllers[] = {
      {kSchneiderMac, kSchneiderIp}, {kSiemensMac, kSiemensIp}, {kRockwellMac, kRockwellIp}, {kSwitchMac, kSwitchIp}};
  for (const auto& [mac, ip] : controllers) {
    cap.add(ethernet(kBroadcast, kDellMac, kEtherArp, arp(1, kDellMac, kDellIp, Mac{}, ip)), 50000);
    cap.add(ethernet(kDellMac, mac, kEtherArp, arp(2, mac, ip, kDellMac, kDellIp)), 400);
  }
  // The historian VM resolves its gateway.
  cap.add(ethernet(kBroadcast, kVmMac, kEtherArp, arp(1, kVmMac, kVmIp, Mac{}, kRouterIp)), 30000);
  cap.add(ethernet(kVmMac, kRouterMac, kEtherArp, arp(2, kRouterMac, kRouterIp, kVmMac, kVmIp)), 350);

  // IPv6 link-local: neighbour solicitation/advertisement between the workstation and the S7,
  // and the workstation's MLDv2 report (hop-by-hop header with Router Alert).
  const Ip6 dell6 = link_local(kDellMac);
  const Ip6 siemens6 = link_local(kSiemensMac);
  {
    Bytes ns{135, 0, 0, 0, 0, 0, 0, 0};
    put(ns, siemens6);
    put(ns, {1, 1});
    put(ns, kDellMac);
    const Ip6 group = solicited_node(siemens6);
    cap.add(ethernet(ipv6_multicast_mac(group), kDellMac, kEtherIpv6, ipv6_icmp(dell6, group, 255, ns, false)), 40000);
    Bytes na{136, 0, 0, 0, 0x60, 0, 0, 0};  // solicited, override
    put(na, siemens6);
    put(na, {2, 1});
    put(na, kSiemensMac);
    cap.add(ethernet(kDellMac, kSiemensMac, kEtherIpv6, ipv6_icmp(siemens6, dell6, 255, na, false)), 600);
    const Ip6 all_mld_routers{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16};
    Bytes mld{143, 0, 0, 0, 0, 0, 0, 1};  // MLDv2 report, one record
    put(mld, {4, 0, 0, 0});               // CHANGE_TO_EXCLUDE_MODE, no sources
    put(mld, solicited_node(dell6));
    cap.add(ethernet(ipv6_multicast_mac(all_mld_routers), kDellMac, kEtherIpv6,
                     ipv6_icmp(dell6, all_mld_routers, 1, mld, true)),
            15000);
  }

  // Modbus/TCP: the HMI polls the M340 and reads its device identification.
  {
    TcpFlow flow(cap, {kDellMac, &dell, 50211, 0x1f3a9c01, 64240}, {kSchneiderMac, &schneider, 502, 0x00a5e201, 8192});
    flow.open();
    flow.request(modbus(1, 1, {0x03, 0x00, 0x00, 0x00, 0x04}));  // read 4 holding registers at 0
    flow.response(modbus(1, 1, {0x03, 0x08, 0x01, 0xf4, 0x00, 0x2a, 0x03, 0xe8, 0x00, 0x00}));
    flow.request(modbus(2, 1, {0x2b, 0x0e, 0x01, 0x00}));  // FC 43/14: basic device id, from object 0
    Bytes id{0x2b, 0x0e, 0x01, 0x01, 0x00, 0x00, 0x03};   // code 1, conformity 1, no more, 3 objects
    put(id, device_id_object(0x00, "Schneider Electric"));  // VendorName
    put(id, device_id_object(0x01, "BMX P34 2020"));        // ProductCode
    put(id, device_id_object(0x02, "v3.10"));               // MajorMinorRevision
    flow.response(modbus(2, 1, id));
    flow.close();
  }
  // The SCADA server at headquarters polls the same PLC through the router.
  {
    TcpFlow flow(cap, {kRouterMac, &hq_scada, 49733, 0x6b2c0e11, 65535},
                 {kSchneiderMac, &schneider, 502, 0x00b71402, 8192});
    flow.open();
    flow.request(modbus(0x0101, 1, {0x04, 0x00, 0x00, 0x00, 0x02}));  // read 2 input registers
    flow.response(modbus(0x0101, 1, {0x04, 0x04, 0x00, 0x7b, 0x01, 0xc8}));
    flow.close();
  }

  // S7comm: COTP connect to rack 0 slot 1, then Setup Communication.
  {
    TcpFlow flow(cap, {kDellMac, &dell, 50212, 0x2d4e6f01, 64240}, {kSiemensMac, &siemens, 102, 0x7a000001, 8192});
    flow.open();
    flow.request(tpkt({0x11, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2,
                       0x02, 0x03, 0x01}));  // CR: TPDU 1024, TSAPs 0x0100 / 0x0301
    flow.response(tpkt({0x11, 0xd0, 0x00, 0x01, 0x00, 0x02, 0x00, 0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2,
                        0x02, 0x03, 0x01}));  // CC
    flow.request(tpkt({0x02, 0xf0, 0x80,                                                    // COTP DT
                       0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00,          // S7 job
                       0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0}));                   // setup: PDU 480
    flow.response(tpkt({0x02, 0xf0, 0x80,                                                   // COTP DT
                        0x32, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,  // ack-data
                        0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0}));
    flow.close();
  }

  // EtherNet/IP ListIdentity over TCP 44818.
  {
    TcpFlow flow(cap, {kDellMac, &dell, 50213, 0x3c5d7e01, 64240}, {kRockwellMac, &rockwell, 44818, 0x0bad0001, 4096});
    flow.open();
    flow.request(enip(0x0063, {}));
    Bytes item;
    put16le(item, 1);  // encapsulation protocol version
    put16(item, 2);    // sockaddr (big-endian): AF_INET, port 44818, address, zero
    put16(item, 44818);
    put(item, kRockwellIp);
    zeros(item, 8);
    put16le(item, 1);       // vendor: Rockwell Automation/Allen-Bradley
    put16le(item, 0x0e);    // device type: programmable logic controller
    put16le(item, 0x00bf);  // product code (illustrative)
    put(item, {33, 11});    // revision 33.11
    put16le(item, 0x0060);  // status
    put32le(item, 0x60c0ffee);  // serial number
    const std::string_view name = "1769-L33ER/A LOGIX5333ER";
    put8(item, static_cast<unsigned>(name.size()));
    put(item, name);
    put8(item, 3);  // state
    Bytes data;
    put16le(data, 1);       // item count
    put16le(data, 0x000c);  // CIP identity item
    put16le(data, static_cast<unsigned>(item.size()));
    put(data, item);
    flow.response(enip(0x0063, data));
    flow.close();
  }

  // BACnet/IP: Who-Is from the workstation, I-Am from the Phoenix Contact controller.
  {
    const Bytes who_is{0x81, 0x0b, 0x00, 0x0c, 0x01, 0x20, 0xff, 0xff, 0x00, 0xff, 0x10, 0x08};
    cap.add(ethernet(kBroadcast, kDellMac, kEtherIpv4,
                     dell.packet(kSubnetBroadcast, kProtoUdp, udp(kDellIp, kSubnetBroadcast, 47808, 47808, who_is))),
            80000);
    Bytes i_am{0x81, 0x0b, 0x00, 0x00, 0x01, 0x20, 0xff, 0xff, 0x00, 0xff, 0x10, 0x00};
    put(i_am, {0xc4, 0x02, 0x00, 0x04, 0x10});  // device, instance 1040
    put(i_am, {0x22, 0x01, 0xe0});              // max APDU 480
    put(i_am, {0x91, 0x03});                    // no segmentation
    put(i_am, {0x21, 226});                     // vendor 226: Phoenix Contact GmbH & Co. KG
    set16(i_am, 2, static_cast<unsigned>(i_am.size()));  // BVLC length
    cap.add(ethernet(kBroadcast, kPhoenixMac, kEtherIpv4,
                     phoenix.packet(kSubnetBroadcast, kProtoUdp, udp(kPhoenixIp, kSubnetBroadcast, 47808, 47808, i_am))),
            3000);
  }

  // Monitoring at headquarters pings the S7 through the router.
  {
    const auto echo = [](unsigned type, unsigned sequence) {
      Bytes b;
      put(b, {type, 0, 0, 0});
      put16(b, 0x0301);  // identifier
      put16(b, sequence);
      put(b, "herkomst sample plant ping......");
      set16(b, 2, fold(sum16(b)));
      return b;
    };
    cap.add(ethernet(kSiemensMac, kRouterMac, kEtherIpv4, hq_monitor.packet(kSiemensIp, kProtoIcmp, echo(8, 1))), 60000);
    cap.add(ethernet(kRouterMac, kSiemensMac, kEtherIpv4, siemens.packet(kHqMonitorIp, kProtoIcmp, echo(0, 1))), 900);
  }

  // The camera on VLAN 20: ARP for its gateway and NTP, 802.1Q-tagged on the trunk.
  {
    const Tag vlan20{kEtherVlan, 20};
    cap.add(ethernet(kBroadcast, kCameraMac, kEtherArp, arp(1, kCameraMac, kCameraIp, Mac{}, kRouterVlanIp), {vlan20}),
            70000);
    cap.add(ethernet(kCameraMac, kRouterMac, kEtherArp, arp(2, kRouterMac, kRouterVlanIp, kCameraMac, kCameraIp),
                     {vlan20}),
            500);
    const std::int64_t t1 = cap.now() + 2000;
    cap.add(ethernet(kRouterMac, kCameraMac, kEtherIpv4,
                     camera.packet(kRouterVlanIp, kProtoUdp, udp(kCameraIp, kRouterVlanIp, 123, 123, ntp_request(t1))),
                     {vlan20}),
            2000);
    const std::int64_t t2 = cap.now() + 700;
    cap.add(ethernet(kCameraMac, kRouterMac, kEtherIpv4,
                     router_vlan.packet(kCameraIp, kProtoUdp,
                                        udp(kRouterVlanIp, kCameraIp, 123, 123, ntp_response(t1, t2 - 100, t2))),
                     {vlan20}),
            700);
    // One frame seen on the provider uplink with an S-tag (QinQ): the camera's ARP announcement.
    cap.add(ethernet(kBroadcast, kCameraMac, kEtherArp, arp(1, kCameraMac, kCameraIp, Mac{}, kCameraIp),
                     {Tag{kEtherQinQ, 100}, vlan20}),
            40000);
  }

  // Interface 1: captured on the historian VM itself (Linux cooked v2): SNMP get of the switch's
  // sysDescr/sysName and NTP with the server at headquarters.
  {
    const Bytes get = snmp(0xa0, 0x2f1c, {{kOidSysDescr, Bytes{0x05, 0x00}}, {kOidSysName, Bytes{0x05, 0x00}}});
    cap.add(sll2(kEtherIpv4, kPacketOutgoing, kVmMac, vm.packet(kSwitchIp, kProtoUdp, udp(kVmIp, kSwitchIp, 40161, 161, get))),
            90000, 1);
    const Bytes response =
        snmp(0xa2, 0x2f1c, {{kOidSysDescr, ber_string("Hirschmann Railswitch RSP20 HiOS-2S-08.0.00")},
                            {kOidSysName, ber_string("plant-sw-01")}});
    cap.add(sll2(kEtherIpv4, kPacketHost, kSwitchMac,
                 sw.packet(kVmIp, kProtoUdp, udp(kSwitchIp, kVmIp, 161, 40161, response))),
            2500, 1);
    const std::int64_t t1 = cap.now() + 5000;
    cap.add(sll2(kEtherIpv4, kPacketOutgoing, kVmMac,
                 vm.packet(kHqNtpIp, kProtoUdp, udp(kVmIp, kHqNtpIp, 123, 123, ntp_request(t1)))),
            5000, 1);
    const std::int64_t t2 = cap.now() + 4200;
    cap.add(sll2(kEtherIpv4, kPacketHost, kRouterMac,
                 hq_ntp.packet(kVmIp, kProtoUdp, udp(kHqNtpIp, kVmIp, 123, 123, ntp_response(t1, t2 - 2100, t2 - 2000)))),
            4200, 1);
  }

  // 08:00:30: the switch's next LLDP advertisement.
  cap.at(kStartUs + 30000000);
  cap.add(ethernet(kLldpMulticast, kSwitchMac, kEtherLldp, lldp_frame_payload()), 0);
  return cap;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_sample_plant OUTPUT.pcapng\n";
    return 2;
  }
  const Capture capture = build();
  const Bytes file = capture.pcapng();
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << "make_sample_plant: cannot open " << argv[1] << " for writing\n";
    return 1;
  }
  const std::string bytes(file.begin(), file.end());
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << "make_sample_plant: cannot write " << argv[1] << "\n";
    return 1;
  }
  std::cout << argv[1] << ": " << capture.size() << " frames, " << file.size() << " bytes\n";
  return 0;
}
