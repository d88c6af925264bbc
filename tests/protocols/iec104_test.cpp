// IEC 60870-5-104 decoder. APDUs crafted from the layout (the corpus capture
// iec104/iec104_testdissect.pcap is only read, not copied); common address 0x1234 = 4660.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "scanner/protocols/iec104.hpp"
#include "tests/protocols/protocol_test_support.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

const Buf kStartdtAct = hex("680407000000");
const Buf kStartdtCon = hex("68040b000000");
const Buf kTestfrAct = hex("680443000000");
const Buf kSFrame = hex("680401000600");
// I frame: C_IC_NA_1 (100) interrogation, activation (6), originator 0, CA 0x1234, IOA 0, QOI 20.
const Buf kInterrogation = hex("680e0000000064010600341200000014");
// I frame: M_ME_NC_1 (13) short float, spontaneous (3), CA 0x1234, IOA 0x000102, value, QDS.
const Buf kMeasurement = hex("681202000200" "0d01030034120201000000803f00");
// I frame with the broadcast common address 0xFFFF.
const Buf kBroadcast = hex("680e02000000" "640106000000ffff00000014");

}  // namespace

TEST_CASE("iec104: the controlling station's STARTDT act and interrogation", "[iec104]") {
  const Buf stream = concat({kStartdtAct, kInterrogation, kSFrame});
  const IdentityResult r = decode_iec104_stream(stream, false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 3);
  CHECK(r.identities[0].signal == "iec104.link");
  CHECK(text(r.identities[0], "role") == "master");
  CHECK(r.identities[0].about_sender);
  CHECK(r.identities[1].signal == "iec104.asdu");
  CHECK(text(r.identities[1], "role") == "master");
  CHECK(r.identities[1].about_sender);
  CHECK(field(r.identities[1], "common.address") == nullptr);
  CHECK(r.identities[2].signal == "iec104.asdu");
  CHECK(!r.identities[2].about_sender);  // the station it addresses
  CHECK(text(r.identities[2], "role") == "outstation");
  CHECK(number(r.identities[2], "common.address") == 4660);
}

TEST_CASE("iec104: the controlled station's STARTDT con and measurements", "[iec104]") {
  const Buf stream = concat({kStartdtCon, kMeasurement, kMeasurement, kTestfrAct});
  const IdentityResult r = decode_iec104_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 2);  // the second measurement and TESTFR repeat what is known
  CHECK(r.identities[0].signal == "iec104.link");
  CHECK(text(r.identities[0], "role") == "outstation");
  CHECK(r.identities[1].signal == "iec104.asdu");
  CHECK(r.identities[1].about_sender);
  CHECK(text(r.identities[1], "role") == "outstation");
  CHECK(number(r.identities[1], "common.address") == 4660);
}

TEST_CASE("iec104: STARTDT names its sender's role whichever TCP side it comes from", "[iec104]") {
  // A capture that starts mid-connection may get the sides wrong; STARTDT act/con cannot.
  CHECK(text(decode_iec104_stream(kStartdtAct, true).identities.at(0), "role") == "master");
  CHECK(text(decode_iec104_stream(kStartdtCon, false).identities.at(0), "role") == "outstation");
  CHECK(text(decode_iec104_stream(kTestfrAct, true).identities.at(0), "role") == "outstation");
  CHECK(text(decode_iec104_stream(kTestfrAct, false).identities.at(0), "role") == "master");
}

TEST_CASE("iec104: the broadcast common address names no station", "[iec104]") {
  const IdentityResult r = decode_iec104_stream(kBroadcast, false);
  REQUIRE(r.identities.size() == 1);
  CHECK(text(r.identities[0], "role") == "master");
  const IdentityResult from_station = decode_iec104_stream(kBroadcast, true);
  REQUIRE(from_station.identities.size() == 1);
  CHECK(field(from_station.identities[0], "common.address") == nullptr);
}

TEST_CASE("iec104: truncated at every offset, and split across calls", "[iec104]") {
  const Buf stream = concat({kStartdtCon, kMeasurement, kTestfrAct});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_iec104_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    if (n < kStartdtCon.size() + kMeasurement.size())
      for (const auto& id : r.identities) CHECK(field(id, "common.address") == nullptr);
    const Buf rest(stream.begin() + static_cast<std::ptrdiff_t>(r.consumed), stream.end());
    const IdentityResult second = decode_iec104_stream(rest, true);
    CHECK(second.consumed == rest.size());
    CHECK(r.identities.size() + second.identities.size() >= 2);
  }
}

TEST_CASE("iec104: lying lengths and invalid control fields", "[iec104]") {
  SECTION("at the start: not this protocol") {
    CHECK(decode_iec104_stream(hex("690407000000"), false).outcome == DecodeOutcome::not_protocol);
    CHECK(decode_iec104_stream(hex("680307000000"), false).outcome == DecodeOutcome::not_protocol);  // length 3
    CHECK(decode_iec104_stream(hex("68fe"), false).outcome == DecodeOutcome::not_protocol);          // length 254
    CHECK(decode_iec104_stream(hex("680417000000"), false).outcome == DecodeOutcome::not_protocol);  // two U functions
    CHECK(decode_iec104_stream(hex("680407000100"), false).outcome == DecodeOutcome::not_protocol);  // U with data
    CHECK(decode_iec104_stream(hex("680501000000"), false).outcome == DecodeOutcome::not_protocol);  // S, length 5
    CHECK(decode_iec104_stream(hex("680505000000"), false).outcome == DecodeOutcome::not_protocol);  // S with bits
    CHECK(decode_iec104_stream(hex("680800000000"), false).outcome == DecodeOutcome::not_protocol);  // I, no ASDU room
    CHECK(decode_iec104_stream(hex("680e00000100"), false).outcome == DecodeOutcome::not_protocol);  // I, N(R) bit 0
  }
  SECTION("later: malformed, what came before kept") {
    const IdentityResult r = decode_iec104_stream(concat({kStartdtAct, hex("680417000000")}), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "iec104: U format control field 0x17000000 at offset 6");
    CHECK(r.consumed == kStartdtAct.size());
    CHECK(r.identities.size() == 1);
  }
  SECTION("an ASDU with type id 0 or cause 0 is skipped as malformed") {
    Buf type0 = kInterrogation;
    type0[6] = 0;
    const IdentityResult r = decode_iec104_stream(concat({kStartdtAct, type0, kSFrame}), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "iec104: ASDU type id 0 at offset 6");
    CHECK(r.consumed == kStartdtAct.size() + type0.size());
    Buf cause0 = kInterrogation;
    cause0[8] = 0x40;  // P/N set, cause 0
    CHECK(decode_iec104_stream(cause0, false).error == "iec104: ASDU cause of transmission 0 at offset 0");
  }
}

TEST_CASE("iec104: other protocols are not IEC 104", "[iec104]") {
  CHECK(decode_iec104_stream(hex("056405c904000300b620"), false).outcome == DecodeOutcome::not_protocol);  // DNP3
  CHECK(decode_iec104_stream(hex("0300001611e0"), false).outcome == DecodeOutcome::not_protocol);          // TPKT
  CHECK(decode_iec104_stream(hex("474554"), false).outcome == DecodeOutcome::not_protocol);
  const IdentityResult start = decode_iec104_stream(hex("6804"), false);
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
}
