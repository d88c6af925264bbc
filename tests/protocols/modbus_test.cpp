// Modbus/TCP identity decoder. Messages are single frames taken from the corpus captures
// (hex of one message): modbus/modbus_fc43_devid_pymodbus_lab.pcapng (pymodbus answering FC 43
// as "Schneider Electric / BMX P34 2020") and modbus/modbus_fc17_report_server_id_wingpath.pcap.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/modbus.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {


std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}


// Frame 6: basic device identification (objects 0-2).
const auto kBasic = hex(
    "000100000031012b0e018300000300125363686e656964657220456c656374726963010c424d582050333420323032300205763"
    "32e3130");
// Frame 9: regular device identification (objects 0-6).
const auto kRegular = hex(
    "00020000007a012b0e028300000700125363686e656964657220456c656374726963010c424d5820503334203230323002057633"
    "2e31300321687474703a2f2f7777772e7363686e65696465722d656c6563747269632e636f6d040c4d6f6469636f6e204d333430"
    "050c424d5820503334203230323006086c61622d74657374");
// Frame 2 of the Wingpath capture: Report Server ID response, unit 10.
const auto kServerId = hex("0000000000150a111200ff57696e6770617468204c696d69746564");
// Requests (frames 4 and 1).
const auto kDevIdRequest = hex("000100000005012b0e0100");
const auto kServerIdRequest = hex("0000000000020a11");

}  // namespace

TEST_CASE("modbus: basic device identification from pymodbus (corpus frame)") {
  const auto r = decode_modbus_stream(kBasic, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == kBasic.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "modbus.device-identification");
  CHECK(id.about_sender);
  CHECK(text(id, "vendor") == "Schneider Electric");
  CHECK(text(id, "product.code") == "BMX P34 2020");
  CHECK(text(id, "revision") == "v3.10");
  CHECK(number(id, "unit.id") == 1);
  CHECK(number(id, "conformity.level") == 0x83);
  CHECK(id.fields.size() == 5);
}

TEST_CASE("modbus: regular device identification carries all standard objects") {
  const auto r = decode_modbus_stream(kRegular, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(text(id, "vendor") == "Schneider Electric");
  CHECK(text(id, "vendor.url") == "http://www.schneider-electric.com");
  CHECK(text(id, "product.name") == "Modicon M340");
  CHECK(text(id, "model.name") == "BMX P34 2020");
  CHECK(text(id, "application.name") == "lab-test");
  CHECK(id.fields.size() == 9);
}

TEST_CASE("modbus: private objects and more-follows responses") {
  // Extended response, more follows 0xff, next object 0x81, one private object 0x80.
  const auto msg = hex("000900000010112b0e0383ff8101" "8006" "4c6162583130");
  const auto r = decode_modbus_stream(msg, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "object.80") == "LabX10");
  CHECK(number(r.identities[0], "unit.id") == 0x11);
  // No objects at all: no identity.
  CHECK(decode_modbus_stream(hex("000900000008112b0e0383000000"), true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("modbus: report server id (Wingpath) splits id, run indicator and text") {
  const auto r = decode_modbus_stream(kServerId, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "modbus.report-server-id");
  CHECK(text(id, "server.id") == "Wingpath Limited");
  CHECK(text(id, "server.id.hex") == "00ff57696e6770617468204c696d69746564");
  CHECK(number(id, "unit.id") == 10);
  const FieldValue* run = field(id, "run.indicator");
  REQUIRE(run);
  CHECK(std::get<bool>(*run));
  // A text id followed by the run indicator (the pymodbus layout).
  const auto r2 = decode_modbus_stream(hex("00000000000c011109" "50796d6f64627573" "00"), true);
  REQUIRE(r2.outcome == DecodeOutcome::identified);
  REQUIRE(r2.consumed == 18);
  CHECK(text(r2.identities[0], "server.id") == "Pymodbus");
  REQUIRE(field(r2.identities[0], "run.indicator"));
  CHECK(!std::get<bool>(*field(r2.identities[0], "run.indicator")));
  // One binary id byte and nothing else: hex only, no text.
  const auto r3 = decode_modbus_stream(hex("0000000000040a110101"), true);
  REQUIRE(r3.outcome == DecodeOutcome::identified);
  CHECK(text(r3.identities[0], "server.id.hex") == "01");
  CHECK(field(r3.identities[0], "server.id") == nullptr);
}

TEST_CASE("modbus: requests and exception responses carry no identity") {
  CHECK(decode_modbus_stream(kDevIdRequest, false).outcome == DecodeOutcome::no_identity);
  CHECK(decode_modbus_stream(kServerIdRequest, false).outcome == DecodeOutcome::no_identity);
  // Responses read as requests: the direction flag rules.
  CHECK(decode_modbus_stream(kBasic, false).outcome == DecodeOutcome::no_identity);
  const auto r = decode_modbus_stream(hex("00010000000301ab01"), true);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == 9);
  // Read holding registers response.
  CHECK(decode_modbus_stream(hex("000700000007010304000a0014"), true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("modbus: truncated at every offset never crashes and never identifies") {
  for (const auto* message : {&kBasic, &kRegular, &kServerId}) {
    for (std::size_t n = 0; n < message->size(); ++n) {
      const std::span<const std::uint8_t> part(message->data(), n);
      const auto r = decode_modbus_stream(part, true);
      INFO("offset " << n);
      CHECK(r.outcome == DecodeOutcome::need_more);
      CHECK(r.consumed == 0);
      CHECK(r.identities.empty());
    }
  }
}

TEST_CASE("modbus: lying lengths and counts are malformed, the stream can continue") {
  SECTION("object count 255 with 2 bytes of objects") {
    const auto msg = hex("00010000000a012b0e01830000ff0001");
    const auto r = decode_modbus_stream(msg, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.consumed == msg.size());
    CHECK(r.error.find("modbus") == 0);
    CHECK(r.error.find("255") != std::string::npos);
    CHECK(r.identities.empty());
  }
  SECTION("object length beyond the message") {
    const auto msg = hex("00010000000c012b0e018300000100124142");
    CHECK(decode_modbus_stream(msg, true).outcome == DecodeOutcome::malformed);
  }
  SECTION("byte count of report server id lies") {
    const auto msg = hex("0000000000050a1190aabb");
    const auto r = decode_modbus_stream(msg, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("byte count 144") != std::string::npos);
    // The next message still decodes when the caller continues after `consumed`.
    const auto stream = concat(msg, kServerId);
    const auto first = decode_modbus_stream(stream, true);
    REQUIRE(first.consumed == msg.size());
    const auto rest = std::span<const std::uint8_t>(stream).subspan(first.consumed);
    CHECK(decode_modbus_stream(rest, true).outcome == DecodeOutcome::identified);
  }
  SECTION("short device identification header") {
    CHECK(decode_modbus_stream(hex("000100000005012b0e0183"), true).outcome == DecodeOutcome::malformed);
  }
  SECTION("MBAP length outside 2..260") {
    CHECK(decode_modbus_stream(hex("000100000001012b"), true).outcome == DecodeOutcome::not_protocol);
    CHECK(decode_modbus_stream(hex("00010000ffff012b"), true).outcome == DecodeOutcome::not_protocol);
    // The same after a good message: malformed, the good one is kept.
    const auto r = decode_modbus_stream(concat(kServerId, hex("00010000ffff012b")), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.consumed == kServerId.size());
    CHECK(r.identities.size() == 1);
  }
}

TEST_CASE("modbus: garbage is not the protocol") {
  const std::string_view http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(http.data()), http.size());
  CHECK(decode_modbus_stream(bytes, true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_modbus_stream(hex("0300001611e0"), true).outcome == DecodeOutcome::not_protocol);  // TPKT
  CHECK(decode_modbus_stream(hex("000100010005"), true).outcome == DecodeOutcome::not_protocol);  // protocol id 1
  CHECK(decode_modbus_stream(hex("0001ff"), true).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("modbus: two messages back to back, and a message split across two calls") {
  const auto stream = concat(kBasic, kServerId);
  const auto r = decode_modbus_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 2);
  CHECK(r.identities[0].signal == "modbus.device-identification");
  CHECK(r.identities[1].signal == "modbus.report-server-id");

  const std::size_t cut = kBasic.size() + 10;
  const auto first = decode_modbus_stream(std::span<const std::uint8_t>(stream.data(), cut), true);
  CHECK(first.outcome == DecodeOutcome::identified);
  CHECK(first.identities.size() == 1);
  CHECK(first.consumed == kBasic.size());
  const auto only_part = decode_modbus_stream(std::span<const std::uint8_t>(kRegular.data(), 40), true);
  CHECK(only_part.outcome == DecodeOutcome::need_more);
  const auto whole = decode_modbus_stream(kRegular, true);
  CHECK(whole.outcome == DecodeOutcome::identified);
  const auto tail = decode_modbus_stream(std::span<const std::uint8_t>(stream).subspan(first.consumed), true);
  CHECK(tail.outcome == DecodeOutcome::identified);
  CHECK(tail.consumed == kServerId.size());
}
