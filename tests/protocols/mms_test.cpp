// IEC 61850 MMS identity decoder. TPKT packets are taken from the corpus capture
// iec61850/mms_identify_areva.pcap (the server direction, port 102 -> 1089).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/mms.hpp"
#include "scanner/protocols/s7comm.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {


const auto kCc = hex("0300000e09d0b001180200c0010a");
const auto kAccept = hex(  // session ACCEPT, presentation CPA, ACSE AARE, MMS initiate-Response
    "0300009e02f0800e95050613010016010214020002c187318184a003800101a27d80020780830400000002a512300780010081"
    "025101300780010081025101615d305b020101a056615480020780a107060528ca220101a203020100a305a103020100a404"
    "06022902a503020102be2e282c020103a027a92580027d00810114820114830104a416800101810305fb00820c036e1d0000"
    "00000064000198");
const auto kIdentifyRequest = hex("0300001c02f08001000100610f300d020103a008a0060202114f8200");
const auto kGetNameList = hex(
    "0300006f02f0800100010061623060020103a05ba05902021150a453a151a04f3022a020a11e1a084b49524b4c414e441a12"
    "42696c61746572616c5f5461626c655f49443011a00f800d54415345325f56657273696f6e3016a0148012537570706f7274"
    "65645f4665617475726573");
const auto kIdentifyResponse = hex(
    "0300004602f0800100010061393037020103a032a130020101a22b801541524556412054264420436f72706f726174696f6e"
    "810b652d7465727261636f6d6d8205322e332e31");

void check_areva(const Identity& id) {
  CHECK(id.signal == "mms.identify");
  CHECK(id.about_sender);
  CHECK(text(id, "vendor") == "AREVA T&D Corporation");
  CHECK(text(id, "model") == "e-terracomm");
  CHECK(text(id, "revision") == "2.3.1");
}

}  // namespace

TEST_CASE("mms: Identify response in the AREVA server stream", "[mms]") {
  const auto stream = concat({kCc, kAccept, kIdentifyRequest, kGetNameList, kIdentifyResponse});
  const IdentityResult r = decode_mms_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 1);
  check_areva(r.identities[0]);
}

TEST_CASE("mms: association and requests give no identity", "[mms]") {
  for (const auto& packet : {kCc, kAccept, kIdentifyRequest, kGetNameList}) {
    const IdentityResult r = decode_mms_stream(packet, true);
    CHECK(r.outcome == DecodeOutcome::no_identity);
    CHECK(r.consumed == packet.size());
  }
}

TEST_CASE("mms: two responses back to back, and a stream split across calls", "[mms]") {
  const auto two = concat({kIdentifyResponse, kIdentifyResponse});
  const IdentityResult both = decode_mms_stream(two, false);
  REQUIRE(both.outcome == DecodeOutcome::identified);
  CHECK(both.identities.size() == 2);
  CHECK(both.consumed == two.size());

  const auto stream = concat({kIdentifyRequest, kIdentifyResponse});
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    std::vector<std::uint8_t> buffer(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(cut));
    const IdentityResult first = decode_mms_stream(buffer, true);
    REQUIRE(first.outcome != DecodeOutcome::malformed);
    REQUIRE(first.outcome != DecodeOutcome::not_protocol);
    REQUIRE(first.consumed <= cut);
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(first.consumed));
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(cut), stream.end());
    const IdentityResult second = decode_mms_stream(buffer, true);
    const std::size_t found = first.identities.size() + second.identities.size();
    CHECK(found == 1);
    CHECK(second.consumed == buffer.size());
  }
}

TEST_CASE("mms: truncated at every offset", "[mms]") {
  const auto stream = concat({kCc, kAccept, kIdentifyResponse});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_mms_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.identities.empty());
  }
}

TEST_CASE("mms: lying lengths are malformed", "[mms]") {
  SECTION("vendorName longer than the identify response") {
    auto bad = kIdentifyResponse;
    REQUIRE(bad[27] == 0x80);
    bad[28] = 0x7F;
    const IdentityResult r = decode_mms_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("mms: identify response: length 127 exceeds data"));
    CHECK(r.consumed == bad.size());
  }
  SECTION("session DATA TRANSFER length beyond the TSDU") {
    auto bad = kIdentifyResponse;
    REQUIRE(bad[9] == 0x01);
    bad[10] = 0xF0;
    const IdentityResult r = decode_mms_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("mms: session DATA TRANSFER length exceeds data"));
  }
  SECTION("presentation length beyond the TSDU") {
    auto bad = kIdentifyResponse;
    REQUIRE(bad[11] == 0x61);
    bad[12] = 0x84;  // four length bytes follow: 0x30373702 is far beyond the data
    const IdentityResult r = decode_mms_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("mms: presentation PPDU: length"));
  }
  SECTION("indefinite BER length is refused") {
    auto bad = kIdentifyResponse;
    bad[12] = 0x80;
    const IdentityResult r = decode_mms_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("indefinite length") != std::string::npos);
  }
  SECTION("identities before the bad packet are kept") {
    auto bad = kIdentifyResponse;
    bad[28] = 0x7F;
    const auto stream = concat({kIdentifyResponse, bad, kIdentifyResponse});
    const IdentityResult r = decode_mms_stream(stream, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.identities.size() == 1);
    CHECK(r.consumed == 2 * kIdentifyResponse.size());
    CHECK(r.error.ends_with("at offset 70"));
  }
}

TEST_CASE("mms: S7comm, S7comm-plus and garbage are not MMS (and MMS is not S7)", "[mms]") {
  const auto s7_setup = hex("0300001902f08032010000000000080000f0000001000101e0");
  const auto s7_plus = hex("0300001b02f080720100100000000000000000000000000000000000");
  CHECK(decode_mms_stream(s7_setup, false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_mms_stream(concat({kCc, s7_setup}), true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_mms_stream(s7_plus, false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_mms_stream(hex("474554202f20485454502f312e310d0a"), false).outcome == DecodeOutcome::not_protocol);
  const IdentityResult after = decode_mms_stream(concat({kIdentifyResponse, s7_setup}), true);
  CHECK(after.outcome == DecodeOutcome::malformed);
  CHECK(after.identities.size() == 1);
  CHECK(decode_s7_stream(kIdentifyResponse, true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_s7_stream(concat({kCc, kAccept}), true).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("mms: empty identify response fields give no identity", "[mms]") {
  // confirmed-ResponsePDU invokeID 1, identify {} (no strings).
  const auto empty = hex("0300001b02f0800100010061" "0e300c020103a007a105020101a200");
  const IdentityResult r = decode_mms_stream(empty, true);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == empty.size());
}
