// EtherNet/IP identity decoder. Messages are single encapsulation messages taken from the corpus
// captures enip/enip_listidentity_1756-ENBT.pcap, enip/enip_listidentity_opener_lab.pcapng and
// enip/cip_identity_controllogix_openics_ipchange.pcap (CIP Get_Attribute_All replies).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/enip.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

void put16(std::vector<std::uint8_t>& out, std::size_t value) {
  out.push_back(static_cast<std::uint8_t>(value & 0xFF));
  out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}
// An encapsulation message: command, the given data, session 0, status 0.
std::vector<std::uint8_t> encapsulate(std::uint16_t command, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> out;
  put16(out, command);
  put16(out, data.size());
  out.resize(24, 0);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// frame 6: ListIdentity request
const auto kEnbtRequest = hex(
    "63000000000000000000000000000000c1debed100000000");
// frame 7: ListIdentity reply, 1756-ENBT/A
const auto kEnbtListIdentity = hex(
    "63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a400000000000000000100"
    "0c003a00040330008e4d52000b313735362d454e42542f4103");
// frame 6: ListIdentity reply from OpENer
const auto kOpenerListIdentity = hex(
    "63003a0000000000000000006c616270726f62650000000001000c00340001000002af120000000000000000000000001b01"
    "0e0092100307000015cd5b07124c616256656e646f7220504c432d3930303000");
// frame 2: Unconnected Send(Get_Attribute_All class 1 instance 1)
const auto kGaaRequest = hex(
    "6f00240000010211000000000481300018a7e10000000000000000000a00020000000000b2001400520220062401069a0600"
    "01022001240101000100");
// frame 4: Get_Attribute_All reply, 1756-L61/B
const auto kGaaLogix = hex(
    "6f00370000010211000000000481300018a7e10000000000000000000a00020000000000b20027008100000001000e003600"
    "101460303f82510014313735362d4c36312f42204c4f47495835353631");
// frame 10: Get_Attribute_All reply, 1756-ENBT/A
const auto kGaaEnbt = hex(
    "6f002e0000010211000000000781300018a7e10000000000000000000a00020000000000b2001e008100000001000c003a00"
    "04073000c3ae51000b313735362d454e42542f41");
// frame 14: Get_Attribute_All reply, ProSoft MVI56
const auto kGaaProsoft = hex(
    "6f00410000010211000000000981300018a7e10000000000000000000a00020000000000b20031008100000035010c005300"
    "0102700077ad00001e4d564935362050726f536f667420546563686e6f6c6f67792c20496e632e");
// frame 6: Get_Attribute_All reply of class 0x64 (not Identity)
const auto kGaaClass64 = hex(
    "6f00570000010211000000000581300018a7e10000000000000000000a00020000000000b2004700810000000f004e696674"
    "79436f6e74726f6c6c6572240046697273742070726f6a6563742066726f6d202747657474696e6720537461727465642700"
    "0002000100010002000900");
// frame 12: Get_Attribute_All reply of class 0x64 (not Identity)
const auto kGaaClass64b = hex(
    "6f002f0000010211000000000881300018a7e10000000000000000000a00020000000000b2001f00810000000b0031373536"
    "2d454e42542f410000000002000100010002000400");
// frame 8: error reply (path destination unknown)
const auto kPathError = hex(
    "6f00140000010211000000000681300018a7e10000000000000000000a00020000000000b20004008e000500");

// The CIP reply inside a SendRRData message from the capture (after header, handle, timeout,
// CPF count, null address item and the data item's type/length).
std::vector<std::uint8_t> cip_reply(const std::vector<std::uint8_t>& message) {
  return std::vector<std::uint8_t>(message.begin() + 24 + 6 + 2 + 4 + 4, message.end());
}

}  // namespace

TEST_CASE("enip: ListIdentity reply of a 1756-ENBT/A") {
  const auto r = decode_enip_stream(kEnbtListIdentity, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == kEnbtListIdentity.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "enip.list-identity");
  CHECK(number(id, "vendor.id") == 1);
  CHECK(number(id, "device.type") == 12);
  CHECK(number(id, "product.code") == 58);
  CHECK(text(id, "revision") == "4.3");
  CHECK(text(id, "serial") == "0x00524d8e");
  CHECK(text(id, "product.name") == "1756-ENBT/A");
  CHECK(text(id, "device.ip") == "10.1.1.164");
  CHECK(number(id, "device.status") == 0x0030);
  CHECK(number(id, "device.state") == 3);
  CHECK(id.fields.size() == 9);
}

TEST_CASE("enip: ListIdentity reply of OpENer, also as a UDP datagram") {
  for (const auto& r : {decode_enip_stream(kOpenerListIdentity, true), decode_enip_datagram(kOpenerListIdentity)}) {
    REQUIRE(r.outcome == DecodeOutcome::identified);
    REQUIRE(r.identities.size() == 1);
    const Identity& id = r.identities[0];
    CHECK(number(id, "vendor.id") == 283);
    CHECK(number(id, "device.type") == 14);
    CHECK(number(id, "product.code") == 4242);
    CHECK(text(id, "revision") == "3.7");
    CHECK(text(id, "serial") == "0x075bcd15");
    CHECK(text(id, "product.name") == "LabVendor PLC-9000");
    CHECK(field(id, "device.ip") == nullptr);  // 0.0.0.0 is not an address
  }
  // A datagram with a byte too many or too few is malformed.
  auto longer = kOpenerListIdentity;
  longer.push_back(0);
  CHECK(decode_enip_datagram(longer).outcome == DecodeOutcome::malformed);
  CHECK(decode_enip_datagram(std::span<const std::uint8_t>(kOpenerListIdentity).first(40)).outcome ==
        DecodeOutcome::malformed);
  CHECK(decode_enip_datagram(kEnbtRequest).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("enip: CIP Get_Attribute_All replies of the Identity object") {
  const auto logix = decode_enip_stream(kGaaLogix, true);
  REQUIRE(logix.outcome == DecodeOutcome::identified);
  const Identity& l = logix.identities[0];
  CHECK(l.signal == "cip.identity");
  CHECK(number(l, "vendor.id") == 1);
  CHECK(number(l, "device.type") == 14);
  CHECK(number(l, "product.code") == 54);
  CHECK(text(l, "revision") == "16.20");
  CHECK(text(l, "serial") == "0x0051823f");
  CHECK(text(l, "product.name") == "1756-L61/B LOGIX5561");
  CHECK(field(l, "device.ip") == nullptr);
  CHECK(field(l, "device.state") == nullptr);

  const auto enbt = decode_enip_stream(kGaaEnbt, true);
  REQUIRE(enbt.outcome == DecodeOutcome::identified);
  CHECK(text(enbt.identities[0], "revision") == "4.7");
  CHECK(text(enbt.identities[0], "serial") == "0x0051aec3");
  CHECK(text(enbt.identities[0], "product.name") == "1756-ENBT/A");

  const auto prosoft = decode_enip_stream(kGaaProsoft, true);
  REQUIRE(prosoft.outcome == DecodeOutcome::identified);
  CHECK(number(prosoft.identities[0], "vendor.id") == 309);
  CHECK(text(prosoft.identities[0], "revision") == "1.2");
  CHECK(text(prosoft.identities[0], "product.name") == "MVI56 ProSoft Technology, Inc.");
}

TEST_CASE("enip: replies of other classes, errors and requests carry no identity") {
  CHECK(decode_enip_stream(kGaaClass64, true).outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(kGaaClass64b, true).outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(kPathError, true).outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(kGaaRequest, false).outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(kEnbtRequest, false).outcome == DecodeOutcome::no_identity);
  // RegisterSession, ListServices reply (one item 0x100), ListInterfaces reply (no items).
  CHECK(decode_enip_stream(encapsulate(0x65, hex("01000000")), true).outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(encapsulate(0x04, hex("01000001140001002001436f6d6d756e69636174696f6e730000")), true)
            .outcome == DecodeOutcome::no_identity);
  CHECK(decode_enip_stream(encapsulate(0x64, hex("0000")), true).outcome == DecodeOutcome::no_identity);
  // Unconnected Send failed (0xD2).
  CHECK(decode_enip_stream(encapsulate(0x6F, hex("000000000000" "0200" "00000000" "b2000600" "d2000100" "0000")),
                           true)
            .outcome == DecodeOutcome::no_identity);
  // A Get_Attribute_All reply with one more byte than any Identity layout allows is not taken.
  auto longer = cip_reply(kGaaEnbt);
  longer.insert(longer.end(), {0, 0});
  std::vector<std::uint8_t> data = hex("000000000000" "0200" "00000000");
  data.insert(data.end(), {0xb2, 0x00});
  put16(data, longer.size());
  data.insert(data.end(), longer.begin(), longer.end());
  CHECK(decode_enip_stream(encapsulate(0x6F, data), true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("enip: connected data items and Multiple Service Packet replies") {
  const auto reply = cip_reply(kGaaLogix);
  // SendUnitData: connected address item (0xA1) and connected data item (0xB1) with a sequence count.
  std::vector<std::uint8_t> unit = hex("000000000000" "0200" "a1000400" "11223344" "b100");
  put16(unit, reply.size() + 2);
  unit.insert(unit.end(), {0x07, 0x00});
  unit.insert(unit.end(), reply.begin(), reply.end());
  const auto r = decode_enip_stream(encapsulate(0x70, unit), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "product.name") == "1756-L61/B LOGIX5561");

  // Multiple Service Packet reply with two Identity replies and an error reply.
  const auto enbt = cip_reply(kGaaEnbt);
  const auto error = hex("8e000500");
  std::vector<std::uint8_t> msp = hex("8a000000" "0300");
  const std::size_t first = 2 + 3 * 2;
  put16(msp, first);
  put16(msp, first + reply.size());
  put16(msp, first + reply.size() + enbt.size());
  msp.insert(msp.end(), reply.begin(), reply.end());
  msp.insert(msp.end(), enbt.begin(), enbt.end());
  msp.insert(msp.end(), error.begin(), error.end());
  std::vector<std::uint8_t> rr = hex("000000000000" "0200" "00000000" "b200");
  put16(rr, msp.size());
  rr.insert(rr.end(), msp.begin(), msp.end());
  const auto m = decode_enip_stream(encapsulate(0x6F, rr), true);
  REQUIRE(m.outcome == DecodeOutcome::identified);
  REQUIRE(m.identities.size() == 2);
  CHECK(text(m.identities[1], "product.name") == "1756-ENBT/A");

  // An offset pointing outside the reply is malformed.
  auto bad = rr;
  bad[16 + 4 + 2 + 2] = 0xF0;  // second offset
  const auto b = decode_enip_stream(encapsulate(0x6F, bad), true);
  CHECK(b.outcome == DecodeOutcome::malformed);
  CHECK(b.error.find("cip: Multiple Service Packet offset") == 0);
  // A count beyond the data.
  auto many = rr;
  many[16 + 4] = 0xFF;
  many[16 + 5] = 0xFF;
  CHECK(decode_enip_stream(encapsulate(0x6F, many), true).outcome == DecodeOutcome::malformed);
}

TEST_CASE("enip: truncated at every offset never crashes and never identifies") {
  for (const auto* message : {&kEnbtListIdentity, &kOpenerListIdentity, &kGaaLogix, &kGaaProsoft}) {
    for (std::size_t n = 0; n < message->size(); ++n) {
      const std::span<const std::uint8_t> part(message->data(), n);
      const auto r = decode_enip_stream(part, true);
      INFO("offset " << n);
      CHECK(r.outcome == DecodeOutcome::need_more);
      CHECK(r.consumed == 0);
      CHECK(r.identities.empty());
      const auto d = decode_enip_datagram(part);
      CHECK(d.identities.empty());
      CHECK(d.outcome == (n == 0 ? DecodeOutcome::not_protocol : DecodeOutcome::malformed));
    }
  }
}

TEST_CASE("enip: lying lengths and counts") {
  SECTION("CPF item count 0xFFFF with one item") {
    auto bad = kEnbtListIdentity;
    bad[24] = 0xFF;
    bad[25] = 0xFF;
    const auto r = decode_enip_stream(concat({bad, kOpenerListIdentity}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("enip: CPF item 2 of 65535") == 0);
    CHECK(r.consumed == bad.size());
    CHECK(r.identities.size() == 1);  // the item before the lie
  }
  SECTION("item length beyond the message") {
    auto bad = kEnbtListIdentity;
    bad[28] = 0x60;
    CHECK(decode_enip_stream(bad, true).outcome == DecodeOutcome::malformed);
  }
  SECTION("product name length beyond the item") {
    auto bad = kEnbtListIdentity;
    bad[24 + 2 + 4 + 2 + 16 + 14] = 0x40;
    const auto r = decode_enip_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("enip: ListIdentity product name length 64") == 0);
  }
  SECTION("ListIdentity item too short") {
    CHECK(decode_enip_stream(encapsulate(0x63, hex("01000c000400" "01000000")), true).outcome == DecodeOutcome::malformed);
  }
  SECTION("CIP additional status beyond the reply") {
    CHECK(decode_enip_stream(encapsulate(0x6F, hex("000000000000" "0200" "00000000" "b2000400" "810000ff")), true)
              .outcome == DecodeOutcome::malformed);
  }
  SECTION("header length inconsistent with the command") {
    CHECK(decode_enip_stream(encapsulate(0x65, hex("010000")), true).outcome == DecodeOutcome::not_protocol);
    const auto r = decode_enip_stream(concat({kEnbtListIdentity, encapsulate(0x66, hex("00"))}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.consumed == kEnbtListIdentity.size());
    CHECK(r.identities.size() == 1);
  }
}

TEST_CASE("enip: garbage is not the protocol") {
  const std::string_view http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(http.data()), http.size());
  CHECK(decode_enip_stream(bytes, true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_enip_datagram(bytes).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_enip_stream(hex("0300001611e0"), true).outcome == DecodeOutcome::not_protocol);
  auto options = kEnbtRequest;
  options[20] = 1;  // options must be 0
  CHECK(decode_enip_stream(options, true).outcome == DecodeOutcome::not_protocol);
  auto status = kEnbtRequest;
  status[8] = 0x42;  // unknown status
  CHECK(decode_enip_stream(status, true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_enip_stream(hex("6301"), true).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("enip: two messages back to back, and a message split across two calls") {
  const auto stream = concat({kEnbtRequest, kEnbtListIdentity, kGaaLogix, kGaaClass64, kGaaProsoft});
  const auto r = decode_enip_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 3);
  CHECK(r.identities[0].signal == "enip.list-identity");
  CHECK(r.identities[1].signal == "cip.identity");
  CHECK(r.identities[2].signal == "cip.identity");

  const std::size_t cut = kEnbtRequest.size() + kEnbtListIdentity.size() + 30;
  const auto first = decode_enip_stream(std::span<const std::uint8_t>(stream.data(), cut), true);
  CHECK(first.outcome == DecodeOutcome::identified);
  CHECK(first.consumed == kEnbtRequest.size() + kEnbtListIdentity.size());
  const auto part = decode_enip_stream(std::span<const std::uint8_t>(stream.data() + first.consumed, 30), true);
  CHECK(part.outcome == DecodeOutcome::need_more);
  const auto rest = decode_enip_stream(std::span<const std::uint8_t>(stream).subspan(first.consumed), true);
  CHECK(rest.outcome == DecodeOutcome::identified);
  CHECK(rest.identities.size() == 2);
}
