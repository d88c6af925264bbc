// PROFINET DCP tests: Identify responses from the corpus (Siemens X208, GE VersaMax), requests
// and Set traffic (no identity), and hostile input. Payloads start at the frame id (after the
// Ethernet header and ethertype 0x8892), as tshark -x shows them.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/profinet_dcp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {




// profinet/pndcp_siemens_x208_changeip.pcap frames 2 (Identify response), 1 (Identify request),
// 3 (Set request IP), 4 (Set response).
const std::string kX208 =
    "feff0501010000010000005e0205001c00000101010202010202020302040205033d0501050205030504ffff020100050000"
    "494e43000202000b0000583230382d424f524400020300060000002a0a0102040004000001000102000e0001c0a80006ffff"
    "ff00c0a80001";
const std::string kIdentifyRequest =
    "fefe05000100000100010004ffff00000000000000000000000000000000000000000000000000000000";
const std::string kSetRequest =
    "fefd040001000001000000120102000e0001c0a8000affffff00c0a80001000000000000000000000000";
const std::string kSetResponse =
    "fefd0401010000010000000805040003010200000000000000000000000000000000000000000000000000000000";
// profinet/pnio_cm_mixed_ge_versamax_turck_siemens.pcap frame 466 (Identify response).
const std::string kVersaMax =
    "feff0501000000010000006402020010000076657273616d61782d706e7331310205000e0000010202010202020302040601"
    "0201000d00004943323030504e5330303100020300060000015a000302040004000001000102000e0001c0a80102ffffff00"
    "c0a801020601000400000001";
// mixed/mb2_modbus_s7_enip_lldp_pndcp.pcap frame 2141: Identify request filtered by name.
const std::string kIdentifyByName =
    "fefe0500030086d20001000c02020007737769746368310060b9c3d687fe789e03a1acdbe5bf00000000";

// An Identify response with the given blocks (option, suboption, value after BlockInfo).
Bytes identify_response(const std::vector<std::pair<std::pair<int, int>, Bytes>>& blocks) {
  Bytes data;
  for (const auto& [os, value] : blocks) {
    const std::size_t len = value.size() + 2;
    for (const int b : {os.first, os.second, static_cast<int>(len >> 8), static_cast<int>(len & 0xFF), 0, 0})
      data.push_back(static_cast<std::uint8_t>(b));
    for (const std::uint8_t b : value) data.push_back(b);
    if (len % 2) data.push_back(0);
  }
  Bytes out = from_hex("feff050100000001" "0000");
  out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
  for (const std::uint8_t b : data) out.push_back(b);
  return out;
}

}  // namespace

TEST_CASE("pn-dcp decodes the Siemens X208 Identify response from the corpus") {
  const auto r = decode_profinet_dcp(from_hex(kX208));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "pn-dcp.identify");
  CHECK(number(id, "vendor.id") == 0x002a);
  CHECK(number(id, "device.id") == 0x0a01);
  CHECK(text(id, "station.name") == "X208-BORD");
  CHECK(text(id, "vendor.value") == "INC");
  CHECK(text(id, "role") == "io-device");
  CHECK(text(id, "ip.address") == "192.168.0.6");
  CHECK(text(id, "ip.netmask") == "255.255.255.0");
  CHECK(text(id, "ip.gateway") == "192.168.0.1");
  CHECK(number(id, "xid") == 0x01000001);
  CHECK(id.fields.size() == 9);
}

TEST_CASE("pn-dcp decodes the GE VersaMax Identify response (padding, DeviceInitiative)") {
  const auto r = decode_profinet_dcp(from_hex(kVersaMax));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(number(id, "vendor.id") == 0x015a);
  CHECK(number(id, "device.id") == 0x0003);
  CHECK(text(id, "station.name") == "versamax-pns11");
  CHECK(text(id, "vendor.value") == "IC200PNS001");
  CHECK(text(id, "role") == "io-device");
  CHECK(text(id, "ip.address") == "192.168.1.2");
}

TEST_CASE("pn-dcp requests and Set traffic carry no identity") {
  CHECK(decode_profinet_dcp(from_hex(kIdentifyRequest)).outcome == DecodeOutcome::no_identity);
  CHECK(decode_profinet_dcp(from_hex(kIdentifyByName)).outcome == DecodeOutcome::no_identity);
  CHECK(decode_profinet_dcp(from_hex(kSetRequest)).outcome == DecodeOutcome::no_identity);
  CHECK(decode_profinet_dcp(from_hex(kSetResponse)).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("pn-dcp decodes device instance, OEM id, roles and the MAC block") {
  const auto r = decode_profinet_dcp(identify_response({
      {{2, 2}, {'p', 'l', 'c', '-', '1'}},
      {{2, 4}, {0x0A, 0x00}},
      {{2, 7}, {0x01, 0x02}},
      {{2, 8}, {0x00, 0x2a, 0x01, 0x0e}},
      {{1, 1}, {0x00, 0x1b, 0x1b, 0xaa, 0xbb, 0xcc}},
  }));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(text(id, "station.name") == "plc-1");
  CHECK(text(id, "role") == "io-controller,pn-supervisor");
  CHECK(number(id, "device.instance") == 0x0102);
  CHECK(number(id, "oem.vendor.id") == 42);
  CHECK(number(id, "oem.device.id") == 0x010e);
  CHECK(text(id, "mac.address") == "00:1b:1b:aa:bb:cc");
}

TEST_CASE("pn-dcp truncated at every offset is never identified") {
  for (const std::string* hex : {&kX208, &kVersaMax, &kIdentifyRequest, &kSetResponse}) {
    const Bytes full = from_hex(*hex);
    for (std::size_t n = 0; n < full.size(); ++n) {
      const auto r = decode_profinet_dcp(cut(full, n));
      // The X208 response is padded to 60 bytes (no padding bytes there): cut inside the DCP
      // data it is malformed; cut in the Ethernet padding of a request it still decodes.
      if (r.outcome == DecodeOutcome::identified) {
        CHECK(n >= 12 + 94);
      }
    }
  }
  const Bytes x208 = from_hex(kX208);
  for (std::size_t n = 4; n < x208.size(); ++n) CHECK(decode_profinet_dcp(cut(x208, n)).outcome == DecodeOutcome::malformed);
}

TEST_CASE("pn-dcp other frame ids and services are not_protocol") {
  CHECK(decode_profinet_dcp({}).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_profinet_dcp(from_hex("8000" "0102030405060708")).outcome == DecodeOutcome::not_protocol);  // RT data
  CHECK(decode_profinet_dcp(from_hex("fc01" "0000")).outcome == DecodeOutcome::not_protocol);               // alarm
  CHECK(decode_profinet_dcp(from_hex("feff" "0301")).outcome == DecodeOutcome::not_protocol);  // Get on identify id
  CHECK(decode_profinet_dcp(from_hex("fefe" "0501")).outcome == DecodeOutcome::not_protocol);  // response on request id
  CHECK(decode_profinet_dcp(from_hex("feff" "0509")).outcome == DecodeOutcome::not_protocol);  // service type 9
}

TEST_CASE("pn-dcp reports lying lengths and too many blocks as malformed") {
  Bytes lying = from_hex(kX208);
  lying[11] = 0xFF;  // DCP data length 0x00ff > 94 available
  auto r = decode_profinet_dcp(lying);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("DCP data length 255 exceeds data") != std::string::npos);

  Bytes block = identify_response({{{2, 2}, {'a', 'b'}}});
  block[15] = 0x40;  // block length 64 inside 6 bytes of data
  r = decode_profinet_dcp(block);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("block at offset 0") != std::string::npos);

  std::vector<std::pair<std::pair<int, int>, Bytes>> many(kPnDcpMaxBlocks + 1, {{2, 5}, {}});
  r = decode_profinet_dcp(identify_response(many));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("more than 64 blocks") != std::string::npos);
}

TEST_CASE("pn-dcp sanitizes names with control characters and format strings") {
  const auto r = decode_profinet_dcp(identify_response({{{2, 2}, {'%', 's', 0x1b, '[', 'm', 0x00}},
                                                        {{2, 1}, {'%', 'n', 0xC3, 0x28}}}));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "station.name") == "%s\xEF\xBF\xBD[m");
  CHECK(text(r.identities[0], "vendor.value") == "%n\xEF\xBF\xBD(");
}
