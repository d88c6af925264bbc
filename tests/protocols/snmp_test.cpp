// SNMP and BER tests: the Net-SNMP lab exchange from the corpus (udp/1161, recognised by
// content), crafted traps and an entPhysicalTable response (each checked against tshark 4.0),
// and hostile input: truncation, lying lengths, deep nesting, oversized OIDs and counts.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/ber.hpp"
#include "scanner/protocols/snmp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {




// Minimal BER encoder for crafted messages (definite lengths, short or long form).
Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out;
  out.reserve(content.size() + 6);
  out.push_back(tag);
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x10000) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  } else {
    out.push_back(0x83);
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>((n >> 8) & 0xFF));
    out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  }
  for (const std::uint8_t b : content) out.push_back(b);
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) {
    for (const std::uint8_t b : p) out.push_back(b);
  }
  return out;
}
Bytes str(std::string_view s) { return tlv(0x04, Bytes(s.begin(), s.end())); }
const Bytes kSysName = from_hex("06082b06010201010500");
const Bytes kSysDescr = from_hex("06082b06010201010100");

Bytes response(std::uint8_t version, const Bytes& varbinds, std::uint8_t pdu = 0xA2) {
  return tlv(0x30, cat({tlv(0x02, {version}), str("public"),
                        tlv(pdu, cat({tlv(0x02, {1}), tlv(0x02, {0}), tlv(0x02, {0}), tlv(0x30, varbinds)}))}));
}

// Net-SNMP 5.9.3 lab agent (snmp/snmp_sysdescr_netsnmp_lab_udp1161.pcapng), UDP payloads.
const std::string kGetRequest =
    "304502010104067075626c6963a03802044027007d020100020100302a300c06082b060102010101000500300c06082b0601"
    "02010102000500300c06082b060102010105000500";
const std::string kGetResponse =
    "3081ac02010104067075626c6963a2819e02044027007d02010002010030818f305806082b06010201010100044c5369656d"
    "656e732c2053494d41544943204e45542c205343414c414e434520583231322d322c2036474b35203231322d32424230302d"
    "324141332c2048573a20372c2046573a2056342e3032301906082b06010201010200060d2b06010401a16914010101010130"
    "1806082b06010201010500040c6c61622d7363616c616e6365";
// Crafted Trap-PDU (v1): enterprise 1.3.6.1.4.1.8691.7.19, agent 192.168.127.254, linkUp.
const std::string kTrapV1 =
    "305202010004067075626c6963a44506092b06010401c37307134004c0a87ffe020103020100430301e2403027300f060a2b"
    "060102010202010101020101301406082b0601020101050004084544532d34303841";
// Crafted SNMPv2-Trap: coldStart, snmpTrapEnterprise 1.3.6.1.4.1.4329.20.1, sysDescr.
const std::string kTrapV2 =
    "30818c0201010406736563726574a77f02014d0201000201003074300e06082b06010201010300430201f43017060a2b0601"
    "0603010104010006092b06010603010105013017060a2b06010603010104030006092b06010401a1691401303006082b0601"
    "020101010004245369656d656e732c2053494d41544943204e45542c205343414c414e4345205842323038";
// Crafted GetResponse: entPhysicalTable columns for entities 1 and 2, noSuchObject, sysLocation.
const std::string kEntity =
    "3082012102010104067075626c6963a2820112020105020100020100308201053017060c2b060102012f0101010102010407"
    "436861737369733013060c2b060102012f01010101080104034130323015060c2b060102012f0101010109010405312e342e"
    "303014060c2b060102012f010101010a01040456352e33301b060c2b060102012f010101010b01040b5356504b3132333435"
    "3637301c060c2b060102012f010101010b02040c4f544845522d4d4f44554c45301f060c2b060102012f010101010c01040f"
    "50686f656e697820436f6e74616374301e060c2b060102012f010101010d01040e464c205357495443482032323038300c06"
    "082b060102010104008000301e06082b06010201010600041248616c6c20332c20636162696e6574203132";

}  // namespace

TEST_CASE("snmp decodes the Net-SNMP lab GetResponse (sysDescr, sysObjectID, sysName)") {
  const auto r = decode_snmp(from_hex(kGetResponse));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "snmp.response");
  CHECK(text(id, "system.description") ==
        "Siemens, SIMATIC NET, SCALANCE X212-2, 6GK5 212-2BB00-2AA3, HW: 7, FW: V4.02");
  CHECK(text(id, "system.object.id") == "1.3.6.1.4.1.4329.20.1.1.1.1.1");
  CHECK(number(id, "enterprise.number") == 4329);
  CHECK(text(id, "system.name") == "lab-scalance");
  CHECK(text(id, "snmp.version") == "v2c");
  CHECK(number(id, "community.length") == 6);
  CHECK(id.fields.size() == 6);
  CHECK(r.consumed == from_hex(kGetResponse).size());
}

TEST_CASE("snmp never stores the community string") {
  for (const std::string* hex : {&kGetResponse, &kTrapV1, &kTrapV2, &kEntity}) {
    const auto r = decode_snmp(from_hex(*hex));
    REQUIRE(r.outcome == DecodeOutcome::identified);
    for (const auto& f : r.identities[0].fields) {
      if (const auto* s = std::get_if<std::string>(&f.value)) {
        CHECK(s->find("public") == std::string::npos);
        CHECK(s->find("secret") == std::string::npos);
      }
    }
  }
}

TEST_CASE("snmp requests carry no identity") {
  CHECK(decode_snmp(from_hex(kGetRequest)).outcome == DecodeOutcome::no_identity);
  for (const int pdu : {0xA0, 0xA1, 0xA3, 0xA5}) {
    CHECK(decode_snmp(response(1, tlv(0x30, cat({kSysName, tlv(0x05, {})})), static_cast<std::uint8_t>(pdu))).outcome ==
          DecodeOutcome::no_identity);
  }
  // A response without identity varbinds (an interface counter) is no_identity too.
  CHECK(decode_snmp(response(1, tlv(0x30, cat({from_hex("060a2b06010201020201100f"), tlv(0x41, {1, 2})})))).outcome ==
        DecodeOutcome::no_identity);
}

TEST_CASE("snmp decodes a v1 Trap-PDU: enterprise, agent address, varbinds") {
  const auto r = decode_snmp(from_hex(kTrapV1));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "snmp.trap");
  CHECK(text(id, "snmp.version") == "v1");
  CHECK(text(id, "trap.enterprise") == "1.3.6.1.4.1.8691.7.19");
  CHECK(number(id, "enterprise.number") == 8691);
  CHECK(text(id, "agent.address") == "192.168.127.254");
  CHECK(number(id, "trap.generic") == 3);
  CHECK(number(id, "trap.specific") == 0);
  CHECK(text(id, "system.name") == "EDS-408A");
}

TEST_CASE("snmp decodes an SNMPv2-Trap: snmpTrapOID, snmpTrapEnterprise, sysDescr") {
  const auto r = decode_snmp(from_hex(kTrapV2));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "snmp.trap");
  CHECK(text(id, "trap.oid") == "1.3.6.1.6.3.1.1.5.1");
  CHECK(text(id, "trap.enterprise") == "1.3.6.1.4.1.4329.20.1");
  CHECK(number(id, "enterprise.number") == 4329);
  CHECK(text(id, "system.description") == "Siemens, SIMATIC NET, SCALANCE XB208");
  CHECK(number(id, "community.length") == 6);
}

TEST_CASE("snmp decodes entPhysicalTable columns (first entity wins) and skips exceptions") {
  const auto r = decode_snmp(from_hex(kEntity));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "entity.description") == "Chassis");
  CHECK(text(id, "hardware.version") == "A02");
  CHECK(text(id, "firmware.version") == "1.4.0");
  CHECK(text(id, "software.version") == "V5.3");
  CHECK(text(id, "serial") == "SVPK1234567");
  CHECK(text(id, "manufacturer") == "Phoenix Contact");
  CHECK(text(id, "model.name") == "FL SWITCH 2208");
  CHECK(text(id, "location") == "Hall 3, cabinet 12");
  CHECK(find(id, "contact") == nullptr);  // noSuchObject
  CHECK(find(id, "enterprise.number") == nullptr);
}

TEST_CASE("snmp truncated at every offset is never identified") {
  for (const std::string* hex : {&kGetResponse, &kTrapV1, &kTrapV2, &kEntity, &kGetRequest}) {
    const Bytes full = from_hex(*hex);
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      const auto r = decode_snmp(cut);
      CHECK(r.outcome != DecodeOutcome::identified);
      CHECK(r.identities.empty());
      if (n >= 8) CHECK(r.outcome == DecodeOutcome::malformed);  // past the version: it is SNMP
    }
  }
}

TEST_CASE("snmp recognises by content: garbage and other protocols are not_protocol") {
  CHECK(decode_snmp({}).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_snmp(Bytes{0x30}).outcome == DecodeOutcome::not_protocol);
  const std::string http = "GET / HTTP/1.1\r\n\r\n";
  CHECK(decode_snmp(Bytes(http.begin(), http.end())).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_snmp(from_hex("30060201020400")).outcome == DecodeOutcome::not_protocol);  // version 2
  CHECK(decode_snmp(from_hex("3080020101")).outcome == DecodeOutcome::not_protocol);      // indefinite
  CHECK(decode_snmp(from_hex("12340100000100000000000003777777")).outcome == DecodeOutcome::not_protocol);  // DNS
}

TEST_CASE("snmp reports lying lengths, trailing bytes and bad structure as malformed") {
  Bytes longer = from_hex(kGetResponse);
  longer[2] = 0xFF;  // outer length 0x81 0xFF: more than the datagram
  auto r = decode_snmp(longer);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.rfind("snmp: message header", 0) == 0);

  Bytes trailing = from_hex(kGetResponse);
  trailing.push_back(0);
  CHECK(decode_snmp(trailing).outcome == DecodeOutcome::malformed);

  // A varbind value whose length runs past its varbind.
  Bytes lying = response(1, tlv(0x30, cat({kSysName, Bytes{0x04, 0x7F, 'a'}})));
  r = decode_snmp(lying);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.identities.empty());

  // Community is not an OCTET STRING; PDU tag unknown; varbind not { OID, value }.
  CHECK(decode_snmp(tlv(0x30, cat({tlv(0x02, {1}), tlv(0x02, {0}), tlv(0xA2, {})}))).outcome ==
        DecodeOutcome::malformed);
  CHECK(decode_snmp(tlv(0x30, cat({tlv(0x02, {1}), str("x"), tlv(0xAF, {})}))).outcome == DecodeOutcome::malformed);
  CHECK(decode_snmp(response(1, tlv(0x30, tlv(0x30, cat({str("x"), str("y")}))))).outcome ==
        DecodeOutcome::malformed);
  // Five length bytes in the long form.
  CHECK(decode_snmp(response(1, tlv(0x30, cat({kSysName, Bytes{0x04, 0x85, 0, 0, 0, 0, 1, 'a'}})))).outcome ==
        DecodeOutcome::malformed);
}

TEST_CASE("snmp limits nesting depth and varbind count") {
  Bytes nested = tlv(0x04, {'x'});
  for (int i = 0; i < 2000; ++i) nested = tlv(0x30, nested);
  const auto deep = decode_snmp(response(1, tlv(0x30, cat({kSysName, nested}))));
  CHECK(deep.outcome == DecodeOutcome::malformed);
  CHECK(deep.error.find("nesting") != std::string::npos);

  Bytes many;
  for (std::size_t i = 0; i <= kSnmpMaxVarbinds; ++i) {
    const Bytes one = tlv(0x30, cat({kSysName, str("n")}));
    many.insert(many.end(), one.begin(), one.end());
  }
  const auto r = decode_snmp(response(1, many));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("more than 256 varbinds") != std::string::npos);
  INFO(r.error);
}

TEST_CASE("snmp sanitizes control characters and format strings in values") {
  const auto r = decode_snmp(response(0, cat({tlv(0x30, cat({kSysName, str("%n%s\x1b]0;pwn\x07")})),
                                              tlv(0x30, cat({kSysDescr, str("a\r\nb\x7f")}))})));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "system.name") == "%n%s\xEF\xBF\xBD]0;pwn\xEF\xBF\xBD");
  CHECK(text(id, "system.description") == "a  b\xEF\xBF\xBD");
  CHECK(text(id, "snmp.version") == "v1");
}

TEST_CASE("snmp v3 messages are recognised but not decoded") {
  const Bytes v3 = tlv(0x30, cat({tlv(0x02, {3}), tlv(0x30, cat({tlv(0x02, {1}), tlv(0x02, {0x05, 0xdc}),
                                                                  tlv(0x04, {4}), tlv(0x02, {3})})),
                                  tlv(0x04, {}), tlv(0x30, {})}));
  CHECK(decode_snmp(v3).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("snmp BER reader: lengths, integers and object identifiers") {
  ber::Tlv t;
  {
    const Bytes b = from_hex("0481050000000161");  // 0x81 0x05: non-minimal long form
    ber::Reader r(b);
    CHECK(r.next(t) == ber::Status::bad_length);
  }
  {
    const Bytes b = from_hex("048480000000");  // 4 length bytes, 2 GiB: runs past the data
    ber::Reader r(b);
    CHECK(r.next(t) == ber::Status::truncated);
  }
  {
    const Bytes b = from_hex("1f0100");  // high-tag-number form
    ber::Reader r(b);
    CHECK(r.next(t) == ber::Status::bad_tag);
  }
  CHECK(ber::integer(from_hex("ff")) == -1);
  CHECK(ber::integer(from_hex("4027007d")) == 1076297853);
  CHECK(!ber::integer({}));
  CHECK(!ber::integer(from_hex("010203040506070809")));
  CHECK(ber::unsigned_integer(from_hex("00ffffffffffffffff")) == 0xFFFFFFFFFFFFFFFFull);
  CHECK(ber::oid_text(*ber::oid_arcs(from_hex("2b06010401a169140101010101"))) == "1.3.6.1.4.1.4329.20.1.1.1.1.1");
  CHECK(ber::oid_text(*ber::oid_arcs(from_hex("8837"))) == "2.999");
  CHECK(!ber::oid_arcs(from_hex("2b86")));              // last sub-identifier not terminated
  CHECK(!ber::oid_arcs(from_hex("2b8001")));            // non-minimal 0x80 lead byte
  CHECK(!ber::oid_arcs(from_hex("2bffffffffffffffffff7f")));  // beyond 64 bits
  const Bytes long_oid(200, 0x01);
  CHECK(!ber::oid_arcs(long_oid));  // more than 128 arcs
  std::string error;
  Bytes nested = tlv(0x05, {});
  for (int i = 0; i < 9; ++i) nested = tlv(0x30, nested);
  CHECK(!ber::well_formed(nested, ber::kMaxDepth, error));
  CHECK(error.find("nesting deeper than 8") != std::string::npos);
}
