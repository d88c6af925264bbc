// BACnet tests: the @bacnet-js lab device (I-Am, ReadProperty ACKs), BACnet/Ethernet NPDUs
// from the Lithonia capture, routed messages from the BACnet Stack captures, a crafted
// ReadPropertyMultiple-ACK (checked against tshark 4.0) with ISO 8859-1, UCS-2, extended
// lengths and an error result, and hostile input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/bacnet.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {




// bacnet/bacnet_device_emulator_lab.pcapng, UDP payloads by frame number.
const std::string kWhoIs = "810a000801001008";
const std::string kIAm = "810a001401001000c402008d112205ca9100210f";
const std::string kReadPropertyRequest = "810a001101040275000c0c02008d111979";
const std::vector<std::string> kLabAcks = {
    "810a002f010030000c0c02008d1119793e751b00416c6572746f6e20546563686e6f6c6f676965732c20496e632e3f",
    "810a0014010030010c0c02008d1119783e210f3f",
    "810a0026010030020c0c02008d1119463e7512005641562d444420436f6e74726f6c6c65723f",
    "810a001a010030030c0c02008d11192c3e750600322e312e373f",
    "810a0020010030040c0c02008d11190c3e750c0042414374616c6b20332e303f",
    "810a001a010030050c0c02008d11194d3e7506004148552d313f"
};
// bacnet/bacnet_properties_lithonia.cap frames 20 and 23: BACnet/Ethernet, NPDU after LLC 82 82 03,
// with DNET 13 / DADR 0x3d / hop count.
const std::string kLithoniaVendorName = "00602d0015d5000c6eb03c15002a8282030120000d013dff30170c0c0200006f19793e7512004c6974686f6e6961204c69676874696e673f";
const std::string kLithoniaVendorId = "00602d0015d5000c6eb03c1500188282030120000d013dff30180c0c0200006f19783e212a3f";
// bacnet/bacnet_mstp_ip_mix_bacnetstack.cap frames 1983 and 850: routed from SNET 0x6591 SADR 0x72;
// I-Am broadcast to DNET 0xffff.
const std::string kRoutedDescription =
    "810a0029010865910172300a0c0c02015062191c3e75110041546d656761313638204465766963653f";
const std::string kIAmBroadcast = "810b00190120ffff00ff1000c4023fffff2201e09103220104";
// bacnet/bacnet_stack_services.cap frame 13: I-Am with DNET and SNET/SADR.
const std::string kIAmRouted = "810b001c0128ffff00000d013dfe1000c40200003d2201e09100212a";
// Crafted ReadPropertyMultiple-ACK for device 36113.
const std::string kRpm =
    "810a0197010030070e0c02008d111e29794e750c05536368e96d6120476d62484f29464e7512005641562d444420436f6e74"
    "726f6c6c65724f2a01745e910291205f290c4e75130400420041004300740061006c006b002000fc4f291c4e75fe012d0044"
    "4444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"
    "4444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"
    "4444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"
    "4444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"
    "4444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"
    "444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444f"
    "29784e210f4f1f";

}  // namespace

TEST_CASE("bacnet decodes the lab I-Am (device 36113, vendor 15)") {
  const auto r = decode_bacnet_ip(from_hex(kIAm));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "bacnet.i-am");
  CHECK(number(id, "device.instance") == 36113);
  CHECK(number(id, "vendor.id") == 15);
  CHECK(number(id, "max.apdu") == 1482);
  CHECK(text(id, "segmentation") == "both");  // 0 = segmented-both
  CHECK(id.fields.size() == 4);
}

TEST_CASE("bacnet decodes the lab ReadProperty ACKs of the Device object") {
  std::vector<Identity> ids;
  for (const auto& hex : kLabAcks) {
    const auto r = decode_bacnet_ip(from_hex(hex));
    REQUIRE(r.outcome == DecodeOutcome::identified);
    REQUIRE(r.identities.size() == 1);
    CHECK(r.identities[0].signal == "bacnet.device-properties");
    CHECK(number(r.identities[0], "device.instance") == 36113);
    ids.push_back(r.identities[0]);
  }
  CHECK(text(ids[0], "vendor.name") == "Alerton Technologies, Inc.");
  CHECK(number(ids[1], "vendor.id") == 15);
  CHECK(text(ids[2], "model.name") == "VAV-DD Controller");
  CHECK(text(ids[3], "firmware.version") == "2.1.7");
  CHECK(text(ids[4], "software.version") == "BACtalk 3.0");
  CHECK(text(ids[5], "object.name") == "AHU-1");
}

TEST_CASE("bacnet requests carry no identity") {
  CHECK(decode_bacnet_ip(from_hex(kWhoIs)).outcome == DecodeOutcome::no_identity);
  CHECK(decode_bacnet_ip(from_hex(kReadPropertyRequest)).outcome == DecodeOutcome::no_identity);
  CHECK(decode_bacnet_ip(from_hex("81050006003c")).outcome == DecodeOutcome::no_identity);   // Register-FD
  CHECK(decode_bacnet_ip(from_hex("8100000600000")).outcome != DecodeOutcome::identified);  // BVLC-Result
  CHECK(decode_bacnet_ip(from_hex("810b000901800000")).outcome == DecodeOutcome::malformed);  // length 9 vs 8
  CHECK(decode_bacnet_ip(from_hex("810b000801800000")).outcome == DecodeOutcome::no_identity);  // Who-Is-Router
  CHECK(decode_bacnet_npdu(from_hex("0100" "20" "01" "0c")).outcome == DecodeOutcome::no_identity);  // Simple-ACK
  CHECK(decode_bacnet_npdu(from_hex("0100" "50" "01" "1f")).outcome == DecodeOutcome::no_identity);  // Error
}

TEST_CASE("bacnet decodes BACnet/Ethernet NPDUs with a remote destination (Lithonia)") {
  const Bytes frame = from_hex(kLithoniaVendorName);
  REQUIRE(frame.size() > 20);
  const Bytes npdu(frame.begin() + 17, frame.end());  // after 802.3 header (14) and LLC (3)
  const auto r = decode_bacnet_npdu(npdu);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "vendor.name") == "Lithonia Lighting");
  CHECK(number(r.identities[0], "device.instance") == 111);
  const Bytes frame2 = from_hex(kLithoniaVendorId);
  const auto r2 = decode_bacnet_npdu(Bytes(frame2.begin() + 17, frame2.end()));
  REQUIRE(r2.outcome == DecodeOutcome::identified);
  CHECK(number(r2.identities[0], "vendor.id") == 42);
}

TEST_CASE("bacnet keeps the routed source network and address") {
  const auto r = decode_bacnet_ip(from_hex(kRoutedDescription));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "description") == "ATmega168 Device");
  CHECK(number(id, "device.instance") == 86114);
  CHECK(number(id, "source.network") == 0x6591);
  CHECK(text(id, "source.address") == "72");

  const auto b = decode_bacnet_ip(from_hex(kIAmBroadcast));
  REQUIRE(b.outcome == DecodeOutcome::identified);
  CHECK(number(b.identities[0], "device.instance") == 4194303);
  CHECK(number(b.identities[0], "vendor.id") == 260);
  CHECK(find(b.identities[0], "source.network") == nullptr);

  const auto s = decode_bacnet_ip(from_hex(kIAmRouted));
  REQUIRE(s.outcome == DecodeOutcome::identified);
  CHECK(number(s.identities[0], "device.instance") == 61);
  CHECK(number(s.identities[0], "vendor.id") == 42);
  CHECK(number(s.identities[0], "source.network") == 13);
  CHECK(text(s.identities[0], "source.address") == "3d");
}

TEST_CASE("bacnet decodes a ReadPropertyMultiple-ACK with other character sets and an error result") {
  const auto r = decode_bacnet_ip(from_hex(kRpm));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "bacnet.device-properties");
  CHECK(number(id, "device.instance") == 36113);
  CHECK(text(id, "vendor.name") == "Sch\xC3\xA9ma GmbH");       // ISO 8859-1
  CHECK(text(id, "model.name") == "VAV-DD Controller");
  CHECK(text(id, "software.version") == "BACtalk \xC3\xBC");     // UCS-2
  CHECK(text(id, "description") == std::string(256, 'D'));       // extended length 301, capped
  CHECK(number(id, "vendor.id") == 15);
  CHECK(find(id, "serial") == nullptr);                          // error result
}

TEST_CASE("bacnet Forwarded-NPDU keeps the original sender") {
  Bytes fwd = from_hex("8104001ac0a80a05bac0" "01001000c402008d112205ca9100210f");
  fwd[3] = static_cast<std::uint8_t>(fwd.size());
  const auto r = decode_bacnet_ip(fwd);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "origin.address") == "192.168.10.5");
  CHECK(number(r.identities[0], "origin.port") == 47808);
  CHECK(number(r.identities[0], "device.instance") == 36113);
}

TEST_CASE("bacnet truncated at every offset is never identified") {
  std::vector<std::string> all = kLabAcks;
  for (const auto& s : {kIAm, kRpm, kRoutedDescription, kIAmRouted}) all.push_back(s);
  for (const auto& hex : all) {
    const Bytes full = from_hex(hex);
    for (std::size_t n = 0; n < full.size(); ++n) {
      const auto r = decode_bacnet_ip(cut(full, n));
      CHECK(r.outcome != DecodeOutcome::identified);
      if (n >= 4) CHECK(r.outcome == DecodeOutcome::malformed);  // BVLC length no longer matches
      // The NPDU alone, cut: never identified with garbage either.
      if (n > 4) {
        const auto npdu = decode_bacnet_npdu(Bytes(full.begin() + 4, full.begin() + static_cast<std::ptrdiff_t>(n)));
        CHECK(npdu.outcome != DecodeOutcome::identified);
      }
    }
  }
}

TEST_CASE("bacnet garbage and other protocols are not_protocol") {
  CHECK(decode_bacnet_ip({}).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_bacnet_ip(from_hex("8201000401")).outcome == DecodeOutcome::not_protocol);  // type 0x82
  CHECK(decode_bacnet_ip(from_hex("81200004")).outcome == DecodeOutcome::not_protocol);    // function 0x20
  const std::string dns = "\x12\x34\x01\x00\x00\x01";
  CHECK(decode_bacnet_ip(Bytes(dns.begin(), dns.end())).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_bacnet_npdu(from_hex("0200")).outcome == DecodeOutcome::not_protocol);  // version 2
  CHECK(decode_bacnet_npdu(from_hex("0140")).outcome == DecodeOutcome::not_protocol);  // reserved bit
  CHECK(decode_bacnet_ip(from_hex("810a00060200")).outcome == DecodeOutcome::malformed);  // BVLC ok, NPDU not
}

TEST_CASE("bacnet reports lying lengths, bad tags and deep nesting as malformed") {
  // DLEN 7 with 2 address bytes.
  auto r = decode_bacnet_npdu(from_hex("0120ffff070102"));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("DLEN 7") != std::string::npos);
  // SLEN 0 is invalid.
  CHECK(decode_bacnet_npdu(from_hex("0108000100" "1000")).outcome == DecodeOutcome::malformed);
  // Character string extended length 0xfe 0x7fff past the data.
  CHECK(decode_bacnet_npdu(from_hex("0100" "30010c" "0c02008d11" "1979" "3e" "75fe7fff00414243" "3f")).outcome ==
        DecodeOutcome::malformed);
  // I-Am of a non-device object, I-Am with wrong tags.
  CHECK(decode_bacnet_npdu(from_hex("0100" "1000" "c400000001" "2205ca" "9100" "210f")).outcome == DecodeOutcome::malformed);
  CHECK(decode_bacnet_npdu(from_hex("0100" "1000" "c402008d11" "2205ca" "2100" "210f")).outcome == DecodeOutcome::malformed);
  // Wrong closing tag.
  CHECK(decode_bacnet_npdu(from_hex("0100" "30010c" "0c02008d11" "1979" "3e" "7400414243" "4f")).outcome ==
        DecodeOutcome::malformed);
  // Opening tags nested deeper than the limit.
  std::string deep = "0100" "30010c" "0c02008d11" "1979" "3e";
  for (int i = 0; i < 40; ++i) deep += "5e";
  for (int i = 0; i < 40; ++i) deep += "5f";
  deep += "3f";
  r = decode_bacnet_npdu(from_hex(deep));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("nested deeper than 16") != std::string::npos);
  // Reserved APDU type.
  CHECK(decode_bacnet_npdu(from_hex("0100" "f0")).outcome == DecodeOutcome::malformed);
}

TEST_CASE("bacnet later segments give no identity, and a first segment gives what it holds") {
  // Complex-ACK, segmented, more follows, sequence 0, window 4, RP: vendor-name cut in the string.
  const Bytes first = from_hex("0100" "3c0100040c" "0c02008d11" "1979" "3e" "750600414243");  // 6 announced, 4 present
  CHECK(decode_bacnet_npdu(first).outcome == DecodeOutcome::no_identity);
  const Bytes first_whole_value = from_hex("0100" "3c0100040c" "0c02008d11" "1979" "3e" "7400414243");
  const auto r = decode_bacnet_npdu(first_whole_value);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "vendor.name") == "ABC");
  CHECK(decode_bacnet_npdu(from_hex("0100" "3c0101040c" "4142")).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("bacnet sanitizes control characters and format strings, skips unknown character sets") {
  const Bytes name = from_hex("0100" "30010c" "0c02008d11" "194d" "3e" "7508" "00" "25" "73" "1b" "5b" "6d" "07" "41" "3f");
  const auto n = decode_bacnet_npdu(name);
  REQUIRE(n.outcome == DecodeOutcome::identified);
  CHECK(text(n.identities[0], "object.name") == "%s\xEF\xBF\xBD[m\xEF\xBF\xBD" "A");
  // Character set 2 (JIS X 0208) is not converted: no field, so no identity.
  CHECK(decode_bacnet_npdu(from_hex("0100" "30010c" "0c02008d11" "194d" "3e" "7402024142" "3f")).outcome ==
        DecodeOutcome::no_identity);
}
