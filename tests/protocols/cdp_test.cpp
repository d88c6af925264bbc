// CDP tests: advertisements from the corpus (Cisco C3560 pair, CE500), starting at the LLC
// header after the 802.3 header, and hostile input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/cdp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {




// lldp/lldp_cdp_cisco_c3560.pcap frames 1 and 2.
const std::string kC3560 =
    "aaaa0300000c200002b40bea000100065331000500c2436973636f20494f5320536f6674776172652c20433335363020536f"
    "667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e3228343429"
    "53452c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d32303038"
    "20627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205361742030352d4a616e2d30382030303a"
    "3135206279207765696c697500060017636973636f2057532d43333536302d3234545300020011000000010101cc00040000"
    "0000000300144661737445746865726e6574302f313300040008000000280008002400000c011200000000ffffffff010220"
    "ff0000000000000018ba986880ff000000090004000a00060001000b00050100120005000013000500001600110000000101"
    "01cc000400000000001a00100000000100000000ffffffff";
const std::string kC3560G =
    "aaaa0300000c200002b4971d000100065332000500c2436973636f20494f5320536f6674776172652c20433335363020536f"
    "667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e3228343429"
    "53452c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d32303038"
    "20627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205361742030352d4a616e2d30382030303a"
    "3135206279207765696c697500060018636973636f2057532d4333353630472d3234505300020011000000010101cc000400"
    "000000000300174769676162697445746865726e6574302f313300040008000000280008002400000c011200000000ffffff"
    "ff010220ff00000000000000192fa7b280ff000000090004000a00060001000b000501001200050000130005000016001100"
    "0000010101cc000400000000001a00100000000100000000ffffffff";
// enip/cip_identity_controllogix_openics_ipchange.pcap frame 272.
const std::string kCe500 =
    "aaaa0300000c200002b40ab0000100094e73356774000500bc436973636f20494f5320536f6674776172652c204345353030"
    "20536f667477617265202843453530302d4c414e424153452d4d292c2056657273696f6e2031322e3228323529534547342c"
    "2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d32303037206279"
    "20436973636f2053797374656d732c20496e632e0a436f6d70696c6564204d6f6e2031332d4175672d30372031373a333420"
    "62792079656e616e6800060017636973636f2057532d43453530302d3234545400020011000000010101cc0004c0a80afd00"
    "0300144769676162697445746865726e657431000400080000002800090004000a00060003000b0005010012000500001300"
    "050000160011000000010101cc0004c0a80afd001a00100000000100000000ffffffff";

Bytes cdp_with(const std::vector<std::pair<std::uint16_t, Bytes>>& tlvs) {
  Bytes out = from_hex("aaaa0300000c2000" "02b40000");
  for (const auto& [type, value] : tlvs) {
    const std::size_t len = value.size() + 4;
    for (const std::size_t b : {std::size_t{type} >> 8, std::size_t{type} & 0xFF, len >> 8, len & 0xFF})
      out.push_back(static_cast<std::uint8_t>(b));
    for (const std::uint8_t b : value) out.push_back(b);
  }
  return out;
}
Bytes text_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace

TEST_CASE("cdp decodes the Cisco C3560 advertisement from the corpus") {
  const auto r = decode_cdp(from_hex(kC3560));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "cdp.advertisement");
  CHECK(text(id, "system.name") == "S1");
  CHECK(text(id, "platform") == "cisco WS-C3560-24TS");
  CHECK(text(id, "software.version") == "12.2(44)SE");
  CHECK(text(id, "system.description") ==
        "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(44)SE, RELEASE SOFTWARE (fc1) "
        "Copyright (c) 1986-2008 by Cisco Systems, Inc. Compiled Sat 05-Jan-08 00:15 by weiliu");
  CHECK(text(id, "port.id") == "FastEthernet0/13");
  CHECK(text(id, "capabilities") == "switch,igmp");
  CHECK(find(id, "management.address") == nullptr);  // advertised as 0.0.0.0: nothing to say
  CHECK(number(id, "native.vlan") == 1);
  CHECK(number(id, "cdp.version") == 2);
  CHECK(number(id, "ttl") == 180);
  CHECK(find(id, "vtp.domain") == nullptr);  // empty VTP domain
}

TEST_CASE("cdp decodes the C3560G and CE500 advertisements") {
  const auto g = decode_cdp(from_hex(kC3560G));
  REQUIRE(g.outcome == DecodeOutcome::identified);
  CHECK(text(g.identities[0], "platform") == "cisco WS-C3560G-24PS");
  const auto ce = decode_cdp(from_hex(kCe500));
  REQUIRE(ce.outcome == DecodeOutcome::identified);
  const Identity& id = ce.identities[0];
  CHECK(text(id, "system.name") == "Ns5gt");
  CHECK(text(id, "platform") == "cisco WS-CE500-24TT");
  CHECK(text(id, "software.version") == "12.2(25)SEG4");
  CHECK(text(id, "management.address") == "192.168.10.253");
  CHECK(text(id, "port.id") == "GigabitEthernet1");
  CHECK(number(id, "native.vlan") == 3);
}

TEST_CASE("cdp truncated at every offset never yields other values than the whole frame") {
  for (const std::string* hex : {&kC3560, &kC3560G, &kCe500}) {
    const Bytes full_bytes = from_hex(*hex);
    const auto full = decode_cdp(full_bytes);
    REQUIRE(full.outcome == DecodeOutcome::identified);
    for (std::size_t n = 0; n < full_bytes.size(); ++n) {
      const auto r = decode_cdp(cut(full_bytes, n));
      if (r.outcome != DecodeOutcome::identified) continue;
      for (const auto& f : r.identities.at(0).fields) {  // cut on a TLV boundary: a subset
        const Field* whole = find(full.identities.at(0), f.name);
        REQUIRE(whole != nullptr);
        if (f.name != "management.address") CHECK(*whole == f);
      }
    }
  }
}

TEST_CASE("cdp garbage and other SNAP protocols are not_protocol") {
  CHECK(decode_cdp({}).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_cdp(from_hex("aaaa0300000c2004" "02b40000")).outcome == DecodeOutcome::not_protocol);  // DTP
  CHECK(decode_cdp(from_hex("aaaa0300000c2000" "03b40000")).outcome == DecodeOutcome::not_protocol);  // version 3
  CHECK(decode_cdp(from_hex("424203000000")).outcome == DecodeOutcome::not_protocol);                  // STP
  CHECK(decode_cdp(from_hex("aaaa0300000c2000" "02")).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_cdp(cdp_with({})).outcome == DecodeOutcome::no_identity);
  CHECK(decode_cdp(cdp_with({{0x000b, {1}}})).outcome == DecodeOutcome::no_identity);  // duplex only
}

TEST_CASE("cdp reports lying TLV lengths and address counts as malformed") {
  Bytes lying = cdp_with({{0x0001, text_bytes("sw1")}});
  lying[15] = 0x40;  // TLV length 64
  auto r = decode_cdp(lying);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("runs past the data") != std::string::npos);
  Bytes short_len = cdp_with({{0x0001, text_bytes("sw1")}});
  short_len[15] = 0x02;  // TLV length below its own header
  CHECK(decode_cdp(short_len).outcome == DecodeOutcome::malformed);
  r = decode_cdp(cdp_with({{0x0002, from_hex("ffffffff" "0101cc0004c0a80001")}}));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("address count 4294967295") != std::string::npos);
  CHECK(decode_cdp(cdp_with({{0x0002, from_hex("00000002" "0101cc0004c0a80001" "0101cc0004c0")}})).outcome ==
        DecodeOutcome::malformed);
  std::vector<std::pair<std::uint16_t, Bytes>> many(kCdpMaxTlvs + 1, {0x000b, {1}});
  r = decode_cdp(cdp_with(many));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("more than 256 TLVs") != std::string::npos);
}

TEST_CASE("cdp decodes IPv6 addresses and sanitizes names") {
  const auto r = decode_cdp(cdp_with({
      {0x0001, text_bytes("%s%n\x1b[31m\x01sw")},
      {0x0002, from_hex("00000001" "0208aaaa0300000086dd" "0010" "20010db8000000000000000000000010")},
      {0x0005, text_bytes("Custom OS 4.1\r\nsecond line")},
      {0x0009, text_bytes("plant-vtp")},
  }));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "system.name") == "%s%n\xEF\xBF\xBD[31m\xEF\xBF\xBDsw");
  CHECK(text(id, "management.address") == "2001:db8::10");
  CHECK(text(id, "software.version") == "Custom OS 4.1");  // no "Version x": the first line
  CHECK(text(id, "vtp.domain") == "plant-vtp");
}
