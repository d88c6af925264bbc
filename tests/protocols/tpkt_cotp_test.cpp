// TPKT/COTP framing shared by S7comm and MMS. Packets from s7/s7_szl_IM151-8_plc_status.pcap.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/tpkt_cotp.hpp"

using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {


const auto kCr = hex("0300001611e00000000f00c1020100c2020102c0010a");        // frame 8
const auto kCc = hex("0300001611d0000f000300c0010ac1020100c2020102");        // frame 9
const auto kEmptyDt = hex("0300000702f000");                                  // frame 12: DT, no EOT, 0 bytes
const auto kSzlRequest = hex("0300002102f080320700000300000800080001120411440100ff09000401320004");  // frame 13

}  // namespace

TEST_CASE("tpkt_cotp: connect request and confirm carry the TSAPs") {
  const auto s = cotp::read_stream(kCr);
  REQUIRE(s.status == cotp::StreamStatus::ok);
  REQUIRE(s.units.size() == 1);
  CHECK(s.units[0].type == cotp::kConnectRequest);
  CHECK(s.units[0].calling_tsap == std::vector<std::uint8_t>{0x01, 0x00});
  CHECK(s.units[0].called_tsap == std::vector<std::uint8_t>{0x01, 0x02});
  CHECK(s.consumed == kCr.size());
  const auto c = cotp::read_stream(kCc);
  REQUIRE(c.units.size() == 1);
  CHECK(c.units[0].type == cotp::kConnectConfirm);
  CHECK(c.units[0].called_tsap == std::vector<std::uint8_t>{0x01, 0x02});
}

TEST_CASE("tpkt_cotp: DT segments are put together up to the one with EOT") {
  const auto stream = concat({kCr, kEmptyDt, kSzlRequest});
  const auto s = cotp::read_stream(stream);
  REQUIRE(s.status == cotp::StreamStatus::ok);
  REQUIRE(s.units.size() == 2);
  CHECK(s.units[1].type == cotp::kData);
  CHECK(s.units[1].begin == kCr.size());
  CHECK(s.units[1].end == stream.size());
  CHECK(s.units[1].data.size() == kSzlRequest.size() - 7);
  CHECK(s.units[1].data[0] == 0x32);

  // The S7 PDU split over three DT TPDUs.
  const auto seg1 = hex("0300000b02f000" "32070000");
  const auto seg2 = hex("0300000b02f001" "03000008");
  const auto seg3 = hex("0300001902f082" "00080001120411440100ff09000401320004");
  const auto split = concat({seg1, seg2, seg3});
  const auto t = cotp::read_stream(split);
  REQUIRE(t.units.size() == 1);
  CHECK(t.units[0].data == std::vector<std::uint8_t>(kSzlRequest.begin() + 7, kSzlRequest.end()));
  // Without the last segment nothing is consumed: the caller hands the segments in again.
  const auto part = cotp::read_stream(concat({kCr, seg1, seg2}));
  CHECK(part.status == cotp::StreamStatus::need_more);
  CHECK(part.consumed == kCr.size());
  CHECK(part.units.size() == 1);
}

TEST_CASE("tpkt_cotp: truncated at every offset") {
  const auto stream = concat({kCr, kEmptyDt, kSzlRequest});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const auto s = cotp::read_stream(std::span<const std::uint8_t>(stream.data(), n));
    INFO("offset " << n);
    CHECK((s.status == cotp::StreamStatus::ok) == (s.consumed == n));
    CHECK(s.status != cotp::StreamStatus::malformed);
    CHECK(s.consumed <= n);
    for (const auto& u : s.units) CHECK(u.end <= n);
  }
}

TEST_CASE("tpkt_cotp: lying lengths and garbage") {
  CHECK(cotp::read_stream(hex("0400001611e0")).status == cotp::StreamStatus::not_tpkt);    // version 4
  CHECK(cotp::read_stream(hex("0300000302f0")).status == cotp::StreamStatus::not_tpkt);    // length 3
  CHECK(cotp::read_stream(hex("0300000702a000")).status == cotp::StreamStatus::not_tpkt);  // unknown TPDU
  CHECK(cotp::looks_like_tpkt(hex("03")));
  CHECK(!cotp::looks_like_tpkt(hex("47455420")));
  // COTP length indicator beyond the TPKT packet: malformed, skipped.
  const auto bad_li = hex("0300000809f00080");
  const auto s = cotp::read_stream(concat({bad_li, kCr}));
  CHECK(s.status == cotp::StreamStatus::malformed);
  CHECK(s.consumed == bad_li.size());
  CHECK(s.error.find("length indicator 9") != std::string::npos);
  // Length indicator 0.
  CHECK(cotp::read_stream(hex("0300000700e000")).status == cotp::StreamStatus::malformed);
  // CR parameter longer than the header.
  CHECK(cotp::read_stream(hex("0300000d08e00000000f00c109")).status == cotp::StreamStatus::malformed);
  // TPKT length beyond the input: need more.
  CHECK(cotp::read_stream(hex("0300ffff02f080")).status == cotp::StreamStatus::need_more);
  // Garbage after a good packet.
  const auto g = cotp::read_stream(concat({kCr, hex("474554")}));
  CHECK(g.status == cotp::StreamStatus::malformed);
  CHECK(g.consumed == kCr.size());
  CHECK(g.units.size() == 1);
}

TEST_CASE("tpkt_cotp: reassembly is capped") {
  std::vector<std::uint8_t> stream;
  const std::vector<std::uint8_t> header = {0x03, 0x00, 0xFF, 0xFF, 0x02, 0xF0, 0x00};
  for (int i = 0; i < 3; ++i) {
    stream.insert(stream.end(), header.begin(), header.end());
    stream.resize(stream.size() + 0xFFFF - header.size(), 0x32);
  }
  const auto s = cotp::read_stream(stream, "s7");
  CHECK(s.status == cotp::StreamStatus::malformed);
  CHECK(s.error.find("s7: COTP DT sequence exceeds") == 0);
}
