// S7comm identity decoder. Packets are single TPKT packets taken from the corpus captures
// s7/s7_szl_IM151-8_plc_status.pcap (an IM151-8 PN/DP CPU, SZL 0x001C answered in two S7
// userdata fragments) and s7/s7ident_snap7_server.pcap (the snap7 server).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/s7comm.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

const Identity* find(const IdentityResult& r, std::string_view signal) {
  for (const Identity& id : r.identities)
    if (id.signal == signal) return &id;
  return nullptr;
}

// IM151-8 capture, server direction.
const auto kCc = hex("0300001611d0000f000300c0010ac1020100c2020102");  // frame 9
const auto kSetupAck = hex("0300001b02f080320300000200000800000000f0000001000100f0");  // frame 11
const auto kSzl0011 = hex(  // frame 59: SZL 0x0011 index 0, 4 records
    "0300009902f080320700001100000c007c000112081284010200000000ff09007800110000001c0004000136455337203135"
    "312d38414230312d304142302000c000030001000636455337203135312d38414230312d304142302000c000030001000720"
    "2020202020202020202020202020202020202000c0560302060081426f6f74204c6f61646572202020202020202020000041"
    "200909");
const auto kSzl0F1C = hex(  // frame 65: SZL 0x0F1C (header only: count, no records)
    "0300002902f080320700001300000c000c000112081284010200000000ff0900080f1c00000022000a");
const auto kSzl001CFirst = hex(  // frame 69: SZL 0x001C, first fragment (last data unit: no)
    "030000f702f080320700001400000c00da000112081284010206010000ff0900d6001c00000022000a0001494d3135312d38"
    "2d4350550000000000000000000000000000000000000000000002494d3135312d3820504e2f445020435055000000000000"
    "0000000000000000000003000000000000000000000000000000000000000000000000000000000000000000044f72696769"
    "6e616c205369656d656e732045717569706d656e7400000000000000055320432d4336545737343838323031320000000000"
    "00000000000000000000000007494d3135312d3820504e2f4450204350550000000000000000000000000000000008");
const auto kSzl001CLast = hex(  // frame 72: the continuation (last data unit: yes)
    "030000a702f080320700001500000c008a000112081284010206000000ff0900864d4d432032393030464331410000000000"
    "0000000000000000000000000000000009002af6000001000000000000000000000000000000000000000000000000000000"
    "0a0000000000000000000000000000000000000000000000000000000000000000000b000000000000000000000000000000"
    "0000000000000000000000000000000000");
// snap7 server, frames 11 and 13.
const auto kSnap0011 = hex(
    
    "0300009902f080320700000100000c007c000112081284010000000000ff09007800110000001c0004000136455337203331"
    "352d32454831342d304142302000c000040001000636455337203331352d32454831342d304142302000c000040001000720"
    "2020202020202020202020202020202020202000c0560302060081426f6f74204c6f61646572202020202020202020000041"
    "200909");
const auto kSnap001C = hex(
    
    "0300017d02f080320700000200000c0160000112081284010000000000ff09015c001c00000022000a0001534e4150372d53"
    "455256455200000000000000000000000000000000000000000002435055203331352d3220504e2f44500000000000000000"
    "0000000000000000000003000000000000000000000000000000000000000000000000000000000000000000044f72696769"
    "6e616c205369656d656e732045717569706d656e7400000000000000055320432d4332555232383932323031320000000000"
    "00000000000000000000000007435055203331352d3220504e2f4450000000000000000000000000000000000000084d4d43"
    "20323637464631314600000000000000000000000000000000000000000009002af600000100000000000000000000000000"
    "00000000000000000000000000000a0000000000000000000000000000000000000000000000000000000000000000000b00"
    "00000000000000000000000000000000000000000000000000000000000000");
// Client direction: CR (frame 8), setup job (frame 10), empty DT + SZL request (frames 12, 13).
const auto kCr = hex("0300001611e00000000f00c1020100c2020102c0010a");
const auto kSetupJob = hex("0300001902f08032010000020000080000f0000001000101e0");
const auto kEmptyDt = hex("0300000702f000");
const auto kSzlRequest = hex("0300002102f080320700000300000800080001120411440100ff09000401320004");

void check_im151_module(const Identity& id) {
  CHECK(text(id, "order.number") == "6ES7 151-8AB01-0AB0");
  CHECK(text(id, "hardware.order.number") == "6ES7 151-8AB01-0AB0");
  CHECK(text(id, "hardware.version") == "3");
  CHECK(text(id, "firmware.version") == "V3.2.6");
  CHECK(text(id, "bootloader.version") == "A32.9.9");
  CHECK(id.fields.size() == 5);
}

}  // namespace

TEST_CASE("s7comm: IM151-8 server stream (connect confirm, setup, SZL 0x0011, fragmented 0x001C)") {
  const auto stream = concat({kCc, kSetupAck, kSzl0011, kSzl0F1C, kSzl001CFirst, kSzl001CLast});
  const auto r = decode_s7_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 3);

  const Identity* connect = find(r, "cotp.connect");
  REQUIRE(connect);
  CHECK(connect->about_sender);
  CHECK(text(*connect, "tsap.src") == "0100");
  CHECK(text(*connect, "tsap.dst") == "0102");
  CHECK(number(*connect, "rack") == 0);
  CHECK(number(*connect, "slot") == 2);

  const Identity* module = find(r, "s7.module-identification");
  REQUIRE(module);
  check_im151_module(*module);

  const Identity* component = find(r, "s7.component-identification");
  REQUIRE(component);
  CHECK(text(*component, "system.name") == "IM151-8-CPU");
  CHECK(text(*component, "module.name") == "IM151-8 PN/DP CPU");
  CHECK(text(*component, "copyright") == "Original Siemens Equipment");
  CHECK(text(*component, "serial") == "S C-C6TW74882012");
  CHECK(text(*component, "module.type") == "IM151-8 PN/DP CPU");
  CHECK(text(*component, "memory.card.serial") == "MMC 2900FC1A");  // in the second fragment
  CHECK(number(*component, "vendor.id") == 42);
  CHECK(number(*component, "profile.id") == 0xf600);
  CHECK(field(*component, "plant.id") == nullptr);  // blank
  CHECK(field(*component, "location") == nullptr);
  CHECK(component->fields.size() == 8);
}

TEST_CASE("s7comm: snap7 server identity") {
  const auto r = decode_s7_stream(concat({kSnap0011, kSnap001C}), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 2);
  CHECK(text(r.identities[0], "order.number") == "6ES7 315-2EH14-0AB0");
  CHECK(text(r.identities[0], "firmware.version") == "V3.2.6");
  CHECK(text(r.identities[1], "system.name") == "SNAP7-SERVER");
  CHECK(text(r.identities[1], "module.type") == "CPU 315-2 PN/DP");
  CHECK(text(r.identities[1], "serial") == "S C-C2UR28922012");
  CHECK(text(r.identities[1], "memory.card.serial") == "MMC 267FF11F");
}

TEST_CASE("s7comm: client stream: connect request names the PLC, requests carry no identity") {
  const auto r = decode_s7_stream(concat({kCr, kSetupJob, kEmptyDt, kSzlRequest}), false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(r.identities[0].signal == "cotp.connect");
  CHECK_FALSE(r.identities[0].about_sender);
  const auto jobs = decode_s7_stream(concat({kSetupJob, kEmptyDt, kSzlRequest}), false);
  CHECK(jobs.outcome == DecodeOutcome::no_identity);
  CHECK(decode_s7_stream(kSetupAck, true).outcome == DecodeOutcome::no_identity);
  // S7comm-plus (protocol id 0x72) is recognised, without identity.
  const auto plus = hex("0300001b02f080" "72010008" "31000004ca0000000100000120360000");
  CHECK(decode_s7_stream(plus, true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("s7comm: userdata fragments wait for the last one, across calls") {
  const auto first = decode_s7_stream(kSzl001CFirst, true);
  CHECK(first.outcome == DecodeOutcome::need_more);
  CHECK(first.consumed == 0);
  CHECK(first.identities.empty());
  // Earlier complete answers are reported, the unfinished one is handed back.
  const auto mixed = decode_s7_stream(concat({kSzl0011, kSzl001CFirst}), true);
  CHECK(mixed.outcome == DecodeOutcome::identified);
  CHECK(mixed.identities.size() == 1);
  CHECK(mixed.consumed == kSzl0011.size());
  // The caller adds the next bytes.
  const auto both = decode_s7_stream(concat({kSzl001CFirst, kSzl001CLast}), true);
  REQUIRE(both.outcome == DecodeOutcome::identified);
  CHECK(text(both.identities[0], "memory.card.serial") == "MMC 2900FC1A");
  // A first fragment abandoned (another answer follows): the records it holds are kept.
  const auto abandoned = decode_s7_stream(concat({kSzl001CFirst, kSzl0011}), true);
  REQUIRE(abandoned.outcome == DecodeOutcome::identified);
  REQUIRE(abandoned.identities.size() == 2);
  CHECK(text(abandoned.identities[0], "serial") == "S C-C6TW74882012");
  CHECK(field(abandoned.identities[0], "memory.card.serial") == nullptr);
}

TEST_CASE("s7comm: a PDU split over COTP DT segments") {
  // Frame 59's S7 PDU in two DT TPDUs: 100 bytes without EOT, the rest with EOT.
  const std::vector<std::uint8_t> pdu(kSzl0011.begin() + 7, kSzl0011.end());
  std::vector<std::uint8_t> seg1 = {0x03, 0x00, 0x00, 107, 0x02, 0xF0, 0x00};
  seg1.insert(seg1.end(), pdu.begin(), pdu.begin() + 100);
  std::vector<std::uint8_t> seg2 = {0x03, 0x00, 0x00, static_cast<std::uint8_t>(7 + pdu.size() - 100), 0x02, 0xF0, 0x80};
  seg2.insert(seg2.end(), pdu.begin() + 100, pdu.end());
  CHECK(decode_s7_stream(seg1, true).outcome == DecodeOutcome::need_more);
  const auto r = decode_s7_stream(concat({seg1, seg2}), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  check_im151_module(r.identities[0]);
}

TEST_CASE("s7comm: truncated at every offset never crashes or invents identities") {
  const auto stream = concat({kCc, kSetupAck, kSzl0011, kSzl001CFirst, kSzl001CLast, kSnap001C});
  const auto full = decode_s7_stream(stream, true);
  REQUIRE(full.identities.size() == 4);
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const auto r = decode_s7_stream(std::span<const std::uint8_t>(stream.data(), n), true);
    INFO("offset " << n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    CHECK(r.consumed <= n);
    // Every identity reported equals one from the whole stream.
    for (const Identity& id : r.identities) {
      bool known = false;
      for (const Identity& f : full.identities) known = known || (f.signal == id.signal && f.fields == id.fields);
      CHECK(known);
    }
    // Single packets truncated.
    const auto one = decode_s7_stream(std::span<const std::uint8_t>(kSnap001C.data(), std::min(n, kSnap001C.size() - 1)), true);
    CHECK(one.outcome == DecodeOutcome::need_more);
    CHECK(one.identities.empty());
  }
}

TEST_CASE("s7comm: lying lengths and counts") {
  SECTION("SZL count 0xFFFF") {
    auto bad = kSnap0011;
    bad[7 + 10 + 12 + 4 + 6] = 0xFF;  // TPKT+COTP, S7 header, parameters, data header, SZL id/index/size
    bad[7 + 10 + 12 + 4 + 7] = 0xFF;
    const auto r = decode_s7_stream(concat({bad, kSnap001C}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("s7: SZL 0x0011 list count 65535") == 0);
    CHECK(r.consumed == bad.size());  // the next answer can be read by the caller
    CHECK(decode_s7_stream(std::span<const std::uint8_t>(concat({bad, kSnap001C})).subspan(r.consumed), true).outcome ==
          DecodeOutcome::identified);
  }
  SECTION("S7 data length beyond the PDU") {
    auto bad = kSnap0011;
    bad[7 + 8] = 0x7F;  // data length 0x7f7c
    const auto r = decode_s7_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("s7: parameter length 12 + data length") == 0);
  }
  SECTION("SZL data length beyond the data") {
    auto bad = kSnap0011;
    bad[7 + 10 + 12 + 2] = 0x09;  // 0x0978
    CHECK(decode_s7_stream(bad, true).outcome == DecodeOutcome::malformed);
  }
  SECTION("SZL record length below the record layout") {
    auto bad = kSnap0011;
    bad[7 + 10 + 12 + 4 + 5] = 0x04;
    CHECK(decode_s7_stream(bad, true).outcome == DecodeOutcome::malformed);
  }
  SECTION("COTP length indicator beyond the packet") {
    const auto r = decode_s7_stream(concat({kSnap0011, hex("03000008ff f08032")}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.identities.size() == 1);
  }
  SECTION("S7 header shorter than 10 bytes") {
    CHECK(decode_s7_stream(hex("0300000902f0803207"), true).outcome == DecodeOutcome::malformed);
  }
}

TEST_CASE("s7comm: garbage and other protocols on COTP are not S7") {
  const std::string_view http = "GET / HTTP/1.1\r\n\r\n";
  CHECK(decode_s7_stream(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(http.data()), http.size()),
                         true)
            .outcome == DecodeOutcome::not_protocol);
  CHECK(decode_s7_stream(hex("000100000005012b0e0100"), true).outcome == DecodeOutcome::not_protocol);  // Modbus
  // MMS/ISO session on COTP (session CONNECT SPDU 0x0d).
  CHECK(decode_s7_stream(hex("0300000b02f0800d0000ff"), true).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("s7comm: two answers back to back, and an answer split across two calls") {
  const auto stream = concat({kSnap0011, kSnap001C});
  const auto r = decode_s7_stream(stream, true);
  CHECK(r.identities.size() == 2);
  CHECK(r.consumed == stream.size());
  const std::size_t cut = kSnap0011.size() + 50;
  const auto first = decode_s7_stream(std::span<const std::uint8_t>(stream.data(), cut), true);
  CHECK(first.outcome == DecodeOutcome::identified);
  CHECK(first.consumed == kSnap0011.size());
  const auto part = decode_s7_stream(std::span<const std::uint8_t>(stream).subspan(first.consumed, 50), true);
  CHECK(part.outcome == DecodeOutcome::need_more);
  const auto rest = decode_s7_stream(std::span<const std::uint8_t>(stream).subspan(first.consumed), true);
  CHECK(rest.outcome == DecodeOutcome::identified);
  CHECK(text(rest.identities[0], "system.name") == "SNAP7-SERVER");
}
