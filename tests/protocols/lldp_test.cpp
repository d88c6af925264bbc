// LLDP decoder tests: real advertisements from the corpus (bytes after the Ethernet header, as
// tshark -x shows them), a crafted LLDP-MED inventory frame (checked against tshark 4.0), and
// hostile input: truncation at every offset, lying lengths, too many TLVs, control characters.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/lldp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {


std::vector<std::uint8_t> tlv(std::uint8_t type, const std::vector<std::uint8_t>& value) {
  std::vector<std::uint8_t> out;
  out.reserve(value.size() + 2);
  out.push_back(static_cast<std::uint8_t>((type << 1) | (value.size() >> 8)));
  out.push_back(static_cast<std::uint8_t>(value.size() & 0xFF));
  for (const std::uint8_t b : value) out.push_back(b);  // (GCC 12 -Warray-bounds false positive on insert)
  return out;
}
std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }
void append(std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  for (const std::uint8_t x : b) a.push_back(x);
}

std::vector<std::uint8_t> mandatory() {
  std::vector<std::uint8_t> p = tlv(1, {7, 'c', 'h'});
  append(p, tlv(2, {7, 'p', '1'}));
  append(p, tlv(3, {0, 120}));
  return p;
}

// SCALANCE X212-2 (mixed/mb2_modbus_s7_enip_lldp_pndcp.pcap frame 499), after the Ethernet header.
const std::string kX212 =
    "02080773776974636831040907706f72742d30303106020014082d5369656d656e732c2053494d41544943204e45542c2045"
    "746865726e65742053776974636820506f72742030310a07537769746368310c4c5369656d656e732c2053494d4154494320"
    "4e45542c205343414c414e434520583231322d322c2036474b35203231322d32424230302d324141332c2048573a20372c20"
    "46573a2056342e30320e0400800080101405018d5100be0200000001082b0601040181c06efe08000ecf0200000000fe0a00"
    "0ecf05001b1b02e61efe0900120f01036c0000100000";
// S7-1200 CPU (lldp/lldp_siemens_s7-1200_ktp700.pcap frame 1).
const std::string kS71200 =
    "02510753372d313230302020202020202020202020202020202020202036455337203231342d31414734302d305842302020"
    "5320562d4b32433133373037202020202020202020372056202034202032202031041407706f72742d3030312e706c637862"
    "31643065640602001408295369656d656e732c2053494d415449432053372c2045746865726e657420506f72742c20583120"
    "50310c545369656d656e732c2053494d415449432053372c204350552d313230302c2036455337203231342d31414734302d"
    "305842302c2048573a20372c2046573a20562e342e322e312c205320562d4b324331333730370e040084008410140501c0a8"
    "00010200000001082b0601040181c06efe08000ecf0200000000fe0a000ecf05e0dca03421d4fe0900120f01036c000010fe"
    "0600120f0405f20000";
// Hirschmann MAR (lldp/lldp_hirschmann_mar_c37118.pcap frame 37).
const std::string kHirschmann =
    "020704ece555ea392e040907706f72742d3030390602007808224d6f64756c653a203120506f72743a2039202d2031302f31"
    "3030204d6269742054580a0a4d41522d4541333932450c204869727363686d616e6e204d4152202d2053573a204c32502d30"
    "392e302e30300e040004000410160501c0a8000e02000000390a2b0601040181780e0a5afe0f0080c2040a00274242030000"
    "020003fe0900120f01036c000010fe0900120f030100000000fe060080c2010001fe070080c202030001fe0e0080c2030001"
    "0744656661756c74fe05008063010dfe050080630201fe050080630305fe0a00806304018080440000fe0600120f0405f2fe"
    "070012bb010003040000";
// Cisco C3560 (lldp/lldp_cdp_cisco_c3560.pcap frame 4): multi-line system description.
const std::string kCisco =
    "0207040018ba98688f0407074661302f3133060200780a0c53312e636973636f2e636f6d0cbe436973636f20494f5320536f"
    "6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c20"
    "56657273696f6e2031322e322834342953452c2052454c4541534520534f4654574152452028666331290a436f7079726967"
    "68742028632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c65642053"
    "61742030352d4a616e2d30382030303a3135206279207765696c697508104661737445746865726e6574302f31330e040014"
    "0004fe060080c2010001fe0900120f0103003600100000";
// Crafted: network-address chassis id, MAC port id, IPv6 management address, LLDP-MED inventory.
const std::string kMed =
    "020605010a000005040703001122334455060200781018110220010db8000000000000000000000001020000000100fe0800"
    "12bb0548572d33fe0c0012bb06465720322e302e31fe0a0012bb07535720372e31fe0b0012bb08534e3132333435fe0d0012"
    "bb0941636d6520436f7270fe110012bb0a49502d50686f6e652039303030fe0c0012bb0b41535345542d34320e0400240020"
    "0000";

}  // namespace

TEST_CASE("lldp decodes the SCALANCE X212-2 advertisement from the corpus") {
  const auto r = decode_lldp(from_hex(kX212));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "lldp.advertisement");
  CHECK(id.about_sender);
  CHECK(text(id, "system.description") ==
        "Siemens, SIMATIC NET, SCALANCE X212-2, 6GK5 212-2BB00-2AA3, HW: 7, FW: V4.02");
  CHECK(text(id, "system.name") == "Switch1");
  CHECK(text(id, "chassis.id") == "switch1");
  CHECK(text(id, "chassis.id.subtype") == "local");
  CHECK(text(id, "port.id") == "port-001");
  CHECK(text(id, "port.id.subtype") == "local");
  CHECK(text(id, "port.description") == "Siemens, SIMATIC NET, Ethernet Switch Port 01");
  CHECK(number(id, "ttl") == 20);
  CHECK(text(id, "capabilities") == "station");
  CHECK(text(id, "capabilities.enabled") == "station");
  CHECK(text(id, "management.address") == "141.81.0.190");
  CHECK(text(id, "profinet.chassis.mac") == "00:1b:1b:02:e6:1e");
  CHECK(id.fields.size() == 12);
}

TEST_CASE("lldp decodes the S7-1200 advertisement (space-padded chassis id, no system name)") {
  const auto r = decode_lldp(from_hex(kS71200));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "system.description") ==
        "Siemens, SIMATIC S7, CPU-1200, 6ES7 214-1AG40-0XB0, HW: 7, FW: V.4.2.1, S V-K2C13707");
  CHECK(text(id, "chassis.id").rfind("S7-1200   ", 0) == 0);
  CHECK(text(id, "chassis.id").back() == '1');  // trailing blanks cut, inner ones kept
  CHECK(find(id, "system.name") == nullptr);
  CHECK(text(id, "port.id") == "port-001.plcxb1d0ed");
  CHECK(text(id, "management.address") == "192.168.0.1");
  CHECK(text(id, "profinet.chassis.mac") == "e0:dc:a0:34:21:d4");
  CHECK(text(id, "capabilities") == "bridge,station");  // 0x0084, as tshark shows
}

TEST_CASE("lldp decodes a MAC chassis id and the Hirschmann system name") {
  const auto r = decode_lldp(from_hex(kHirschmann));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "chassis.id") == "ec:e5:55:ea:39:2e");
  CHECK(text(id, "chassis.id.subtype") == "mac-address");
  CHECK(text(id, "system.name") == "MAR-EA392E");
  CHECK(text(id, "system.description") == "Hirschmann MAR - SW: L2P-09.0.00");
  CHECK(text(id, "management.address") == "192.168.0.14");
  CHECK(text(id, "capabilities") == "bridge");
  CHECK(number(id, "ttl") == 120);
  CHECK(find(id, "serial") == nullptr);  // LLDP-MED capabilities TLV (subtype 1) is not inventory
}

TEST_CASE("lldp turns line breaks in a Cisco system description into blanks") {
  const auto r = decode_lldp(from_hex(kCisco));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "system.description") ==
        "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(44)SE, RELEASE SOFTWARE (fc1) "
        "Copyright (c) 1986-2008 by Cisco Systems, Inc. Compiled Sat 05-Jan-08 00:15 by weiliu");
  CHECK(text(id, "system.name") == "S1.cisco.com");
  CHECK(text(id, "port.id") == "Fa0/13");
  CHECK(text(id, "capabilities") == "bridge,router");
  CHECK(text(id, "capabilities.enabled") == "bridge");
}

TEST_CASE("lldp decodes LLDP-MED inventory, network-address ids and IPv6 management addresses") {
  const auto r = decode_lldp(from_hex(kMed));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "chassis.id") == "10.0.0.5");
  CHECK(text(id, "chassis.id.subtype") == "network-address");
  CHECK(text(id, "port.id") == "00:11:22:33:44:55");
  CHECK(text(id, "port.id.subtype") == "mac-address");
  CHECK(text(id, "management.address") == "2001:db8::1");
  CHECK(text(id, "hardware.version") == "HW-3");
  CHECK(text(id, "firmware.version") == "FW 2.0.1");
  CHECK(text(id, "software.version") == "SW 7.1");
  CHECK(text(id, "serial") == "SN12345");
  CHECK(text(id, "manufacturer") == "Acme Corp");
  CHECK(text(id, "model.name") == "IP-Phone 9000");
  CHECK(text(id, "asset.id") == "ASSET-42");
  CHECK(text(id, "capabilities") == "bridge,telephone");
  CHECK(text(id, "capabilities.enabled") == "telephone");
}

TEST_CASE("lldp truncated at every offset never yields other values than the whole frame") {
  for (const std::string* hex : {&kX212, &kS71200, &kHirschmann, &kCisco, &kMed}) {
    const auto full_bytes = from_hex(*hex);
    const auto full = decode_lldp(full_bytes);
    REQUIRE(full.outcome == DecodeOutcome::identified);
    for (std::size_t n = 0; n < full_bytes.size(); ++n) {
      const std::vector<std::uint8_t> cut(full_bytes.begin(), full_bytes.begin() + static_cast<std::ptrdiff_t>(n));
      const auto r = decode_lldp(cut);
      if (r.outcome != DecodeOutcome::identified) {
        CHECK(r.identities.empty());
        continue;
      }
      // Cut on a TLV boundary: a subset of the whole frame's fields, nothing invented.
      for (const auto& f : r.identities.at(0).fields) {
        const Field* whole = find(full.identities.at(0), f.name);
        REQUIRE(whole != nullptr);
        CHECK(*whole == f);
      }
    }
  }
}

TEST_CASE("lldp rejects garbage and frames without the mandatory TLVs as not_protocol") {
  CHECK(decode_lldp({}).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_lldp(from_hex("0000")).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_lldp(from_hex("450000541234")).outcome == DecodeOutcome::not_protocol);  // an IPv4 header
  std::vector<std::uint8_t> port_first = tlv(2, {7, 'p'});
  append(port_first, tlv(1, {7, 'c'}));
  append(port_first, tlv(3, {0, 1}));
  CHECK(decode_lldp(port_first).outcome == DecodeOutcome::not_protocol);
  std::vector<std::uint8_t> bad_ttl = tlv(1, {7, 'c'});
  append(bad_ttl, tlv(2, {7, 'p'}));
  append(bad_ttl, tlv(3, {0, 1, 2}));
  CHECK(decode_lldp(bad_ttl).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_lldp(tlv(1, {7})).outcome == DecodeOutcome::not_protocol);  // chassis id too short
}

TEST_CASE("lldp reports lying TLV lengths and too many TLVs as malformed") {
  auto p = mandatory();
  p.push_back(0x0C);  // system description, length 0x50 = 80, but only 3 bytes follow
  p.push_back(0x50);
  append(p, bytes_of("abc"));
  const auto r = decode_lldp(p);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("TLV 6 length 80 exceeds data (3 bytes)") != std::string::npos);
  CHECK(r.identities.empty());

  auto many = mandatory();
  for (std::size_t i = 0; i < kLldpMaxTlvs; ++i) append(many, tlv(4, {}));
  const auto m = decode_lldp(many);
  CHECK(m.outcome == DecodeOutcome::malformed);
  CHECK(m.error.find("more than 1024 TLVs") != std::string::npos);

  auto cut_header = mandatory();
  cut_header.push_back(0x0A);  // one byte of a TLV header
  CHECK(decode_lldp(cut_header).outcome == DecodeOutcome::malformed);
}

TEST_CASE("lldp sanitizes control characters and keeps format strings as text") {
  auto p = mandatory();
  append(p, tlv(5, bytes_of(std::string_view("%s%n%x\x1b[2J\x07name\0\0", 17))));
  append(p, tlv(6, bytes_of("line1\r\nline2\x01")));
  append(p, tlv(127, {0x00, 0x12, 0xbb, 8, 0xff, 0xfe, 'S', 'N'}));
  append(p, tlv(0, {}));
  const auto r = decode_lldp(p);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "system.name") == "%s%n%x\xEF\xBF\xBD[2J\xEF\xBF\xBDname");
  CHECK(text(id, "system.description") == "line1  line2\xEF\xBF\xBD");
  CHECK(text(id, "serial") == "\xEF\xBF\xBD\xEF\xBF\xBDSN");
}

TEST_CASE("lldp ignores what follows the End TLV and tolerates a missing End TLV") {
  auto p = mandatory();
  append(p, tlv(5, bytes_of("sw")));
  auto with_end = p;
  append(with_end, tlv(0, {}));
  append(with_end, {0xde, 0xad, 0xbe, 0xef});  // Ethernet padding / trailer
  const auto a = decode_lldp(with_end);
  const auto b = decode_lldp(p);
  REQUIRE(a.outcome == DecodeOutcome::identified);
  REQUIRE(b.outcome == DecodeOutcome::identified);
  CHECK(a.identities[0].fields == b.identities[0].fields);
  CHECK(a.consumed == p.size() + 2);
}
