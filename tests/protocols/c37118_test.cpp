// IEEE C37.118 decoder. Frames crafted from the layout (the corpus capture
// lldp/lldp_hirschmann_mar_c37118.pcap is only read, not copied). A command frame whose CRC was
// computed outside this code base (CRC-16/CCITT-FALSE, catalogue check value 0x29B1) pins the CRC;
// the builder below makes the rest.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/c37118.hpp"
#include "tests/protocols/protocol_test_support.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

void put16(Buf& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
void put32(Buf& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}
void put_text(Buf& b, std::string_view text, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) b.push_back(i < text.size() ? static_cast<std::uint8_t>(text[i]) : ' ');
}

// SYNC (type, version), FRAMESIZE, IDCODE, SOC, FRACSEC, body, CHK.
Buf frame(unsigned type, unsigned idcode, const Buf& body, unsigned version = 1) {
  Buf out{0xAA, static_cast<std::uint8_t>((type << 4) | version)};
  put16(out, static_cast<unsigned>(14 + body.size() + 2));
  put16(out, idcode);
  put32(out, 0x5F5E1000);
  put32(out, 0);
  out.insert(out.end(), body.begin(), body.end());
  std::uint16_t crc = 0xFFFF;
  for (std::uint8_t b : out) {
    crc = static_cast<std::uint16_t>(crc ^ (b << 8));
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021) : static_cast<std::uint16_t>(crc << 1);
  }
  put16(out, crc);
  return out;
}

struct Pmu {
  std::string station;
  unsigned idcode;
  unsigned phasors, analogs, digitals;
};

Buf config12(const std::vector<Pmu>& pmus, unsigned count_on_wire) {
  Buf b;
  put32(b, 1000000);
  put16(b, count_on_wire);
  for (const auto& p : pmus) {
    put_text(b, p.station, 16);
    put16(b, p.idcode);
    put16(b, 0x000F);
    put16(b, p.phasors);
    put16(b, p.analogs);
    put16(b, p.digitals);
    for (unsigned i = 0; i < p.phasors + p.analogs + 16 * p.digitals; ++i) put_text(b, "CH" + std::to_string(i), 16);
    b.insert(b.end(), 4u * (p.phasors + p.analogs + p.digitals), 0);
    put16(b, 0);  // FNOM
    put16(b, 3);  // CFGCNT
  }
  put16(b, 30);  // DATA_RATE
  return b;
}

Buf config3(const std::vector<Pmu>& pmus, unsigned continuation = 0) {
  Buf b;
  put16(b, continuation);
  put32(b, 1000000);
  put16(b, static_cast<unsigned>(pmus.size()));
  for (const auto& p : pmus) {
    b.push_back(static_cast<std::uint8_t>(p.station.size()));
    b.insert(b.end(), p.station.begin(), p.station.end());
    put16(b, p.idcode);
    b.insert(b.end(), 16, 0x11);  // G_PMU_ID
    put16(b, 0x000F);
    put16(b, p.phasors);
    put16(b, p.analogs);
    put16(b, p.digitals);
    for (unsigned i = 0; i < p.phasors + p.analogs + 16 * p.digitals; ++i) {
      const std::string name = "VA" + std::to_string(i);
      b.push_back(static_cast<std::uint8_t>(name.size()));
      b.insert(b.end(), name.begin(), name.end());
    }
    b.insert(b.end(), 12u * p.phasors + 8u * p.analogs + 4u * p.digitals, 0);
    b.insert(b.end(), 4 + 4 + 4 + 1 + 4 + 4 + 2 + 2, 0);
  }
  put16(b, 50);
  return b;
}

const Buf kCommand = frame(4, 7, hex("0002"));
const Buf kData = frame(0, 7, Buf(2 + 8 + 8, 0x01));
const Buf kConfig2 = frame(3, 7, config12({{"SUB-A BUS1", 7, 2, 1, 1}}, 1));
const Buf kPdcConfig = frame(2, 900, config12({{"SUB-A BUS1", 7, 1, 0, 0}, {"SUB-B LINE2", 8, 3, 0, 1}}, 2));

std::vector<const Identity*> with_signal(const IdentityResult& r, std::string_view signal) {
  std::vector<const Identity*> out;
  for (const auto& id : r.identities)
    if (id.signal == signal) out.push_back(&id);
  return out;
}

}  // namespace

TEST_CASE("c37118: a command frame with a CRC computed elsewhere names the client", "[c37118]") {
  CHECK(kCommand == hex("aa41001200075f5e10000000000000029622"));
  const IdentityResult r = decode_c37118_stream(kCommand, false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == kCommand.size());
  REQUIRE(r.identities.size() == 1);
  CHECK(r.identities[0].signal == "c37118.command");
  CHECK(text(r.identities[0], "role") == "client");
  CHECK(number(r.identities[0], "target.idcode") == 7);
  CHECK(field(r.identities[0], "idcode") == nullptr);
}

TEST_CASE("c37118: a PMU's CFG-2 and data frames", "[c37118]") {
  const Buf stream = concat({kConfig2, kData, kData});
  const IdentityResult r = decode_c37118_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  const auto config = with_signal(r, "c37118.config");
  REQUIRE(config.size() == 1);
  CHECK(text(*config[0], "role") == "pmu");
  CHECK(number(*config[0], "idcode") == 7);
  CHECK(text(*config[0], "config") == "cfg-2");
  CHECK(number(*config[0], "version") == 1);
  CHECK(number(*config[0], "pmu.count") == 1);
  const auto pmus = with_signal(r, "c37118.pmu");
  REQUIRE(pmus.size() == 1);
  CHECK(text(*pmus[0], "station") == "SUB-A BUS1");  // trailing blanks cut
  CHECK(number(*pmus[0], "pmu.idcode") == 7);
  const auto data = with_signal(r, "c37118.data");
  REQUIRE(data.size() == 1);  // the second data frame repeats the first
  CHECK(number(*data[0], "idcode") == 7);
  CHECK(text(*data[0], "role") == "pmu");
}

TEST_CASE("c37118: a PDC's CFG-1 lists the PMUs it forwards", "[c37118]") {
  const IdentityResult r = decode_c37118_stream(kPdcConfig, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const auto pmus = with_signal(r, "c37118.pmu");
  REQUIRE(pmus.size() == 2);
  CHECK(text(*pmus[0], "station") == "SUB-A BUS1");
  CHECK(text(*pmus[1], "station") == "SUB-B LINE2");
  CHECK(number(*pmus[1], "pmu.idcode") == 8);
  CHECK(number(*pmus[1], "idcode") == 900);
  CHECK(text(*with_signal(r, "c37118.config").at(0), "config") == "cfg-1");
}

TEST_CASE("c37118: CFG-3 (2011) with names of their own length, and a header frame", "[c37118]") {
  const Buf cfg3 = frame(5, 11, config3({{"Station with a long name", 11, 2, 1, 1}}), 2);
  const std::string text_body = "PMU at substation A\r\nfirmware notes";
  const Buf header = frame(1, 11, Buf(text_body.begin(), text_body.end()), 2);
  const IdentityResult r = decode_c37118_stream(concat({cfg3, header}), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const auto pmus = with_signal(r, "c37118.pmu");
  REQUIRE(pmus.size() == 1);
  CHECK(text(*pmus[0], "station") == "Station with a long name");
  CHECK(text(*with_signal(r, "c37118.config").at(0), "config") == "cfg-3");
  CHECK(number(*with_signal(r, "c37118.config").at(0), "version") == 2);
  CHECK(text(*with_signal(r, "c37118.header").at(0), "header.text") == "PMU at substation A  firmware notes");
  SECTION("the first part of a continued CFG-3 gives the PMUs it holds") {
    Buf body = config3({{"First", 21, 1, 0, 0}, {"Second", 22, 1, 0, 0}}, 1);
    body.resize(body.size() - 60);  // the second PMU goes on in the next frame
    const IdentityResult part = decode_c37118_stream(frame(5, 20, body, 2), true);
    CHECK(part.outcome == DecodeOutcome::identified);
    REQUIRE(with_signal(part, "c37118.pmu").size() == 2);  // the second PMU's name and IDCODE came first
    const IdentityResult later = decode_c37118_stream(frame(5, 20, config3({{"Third", 23, 1, 0, 0}}, 2), 2), true);
    CHECK(later.outcome == DecodeOutcome::identified);  // a later part: the stream is known, its PMUs are not read
    CHECK(with_signal(later, "c37118.pmu").empty());
    CHECK(with_signal(later, "c37118.config").size() == 1);
  }
}

TEST_CASE("c37118: truncated at every offset, and split across calls", "[c37118]") {
  const Buf stream = concat({kConfig2, kData});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_c37118_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    if (n < kConfig2.size()) CHECK(r.identities.empty());
    const Buf rest(stream.begin() + static_cast<std::ptrdiff_t>(r.consumed), stream.end());
    const IdentityResult second = decode_c37118_stream(rest, true);
    CHECK(second.consumed == rest.size());
    CHECK(with_signal(r, "c37118.data").size() + with_signal(second, "c37118.data").size() == 1);
  }
}

TEST_CASE("c37118: lying sizes and counts, bad CRCs", "[c37118]") {
  SECTION("a bad CRC first is not C37.118, later it is malformed") {
    Buf bad = kData;
    bad.back() ^= 0x01;
    CHECK(decode_c37118_stream(bad, true).outcome == DecodeOutcome::not_protocol);
    const IdentityResult r = decode_c37118_stream(concat({kData, bad}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "c37118: frame CRC mismatch at offset " + std::to_string(kData.size()));
    CHECK(r.consumed == kData.size());
    CHECK(r.identities.size() == 1);
  }
  SECTION("frame size below the minimum, reserved type, unknown version") {
    CHECK(decode_c37118_stream(hex("aa01000f"), true).outcome == DecodeOutcome::not_protocol);
    CHECK(decode_c37118_stream(hex("aa610020"), true).outcome == DecodeOutcome::not_protocol);
    CHECK(decode_c37118_stream(hex("aa050020"), true).outcome == DecodeOutcome::not_protocol);
    CHECK(decode_c37118_stream(hex("aa810020"), true).outcome == DecodeOutcome::not_protocol);
  }
  SECTION("NUM_PMU beyond the frame") {
    const IdentityResult r = decode_c37118_stream(frame(3, 7, config12({{"A", 7, 1, 0, 0}}, 500)), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("c37118: 500 PMU blocks exceed the frame"));
  }
  SECTION("channel counts beyond the frame") {
    Buf body = config12({{"A", 7, 1, 0, 0}}, 1);
    body[6 + 16 + 4] = 0x7F;  // PHNMR high octet: 32513 phasors
    const IdentityResult r = decode_c37118_stream(frame(3, 7, body), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("c37118: PMU block 1: 32513 phasors"));
    CHECK(r.consumed == frame(3, 7, body).size());
  }
  SECTION("bytes left over after the PMU blocks") {
    Buf body = config12({{"A", 7, 1, 0, 0}}, 1);
    body.push_back(0);
    const IdentityResult r = decode_c37118_stream(frame(3, 7, body), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("c37118: configuration frame has 3 bytes after its PMU blocks"));
  }
  SECTION("a CFG-3 name longer than the frame") {
    Buf body = config3({{"Name", 11, 1, 0, 0}});
    body[8] = 250;  // STN length
    const IdentityResult r = decode_c37118_stream(frame(5, 11, body, 2), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("c37118: CFG-3 PMU block 1 of 1 exceeds the frame"));
  }
}

TEST_CASE("c37118: datagrams", "[c37118]") {
  CHECK(decode_c37118_datagram(kData).outcome == DecodeOutcome::identified);
  for (std::size_t n = 0; n < kData.size(); ++n)
    CHECK(decode_c37118_datagram(std::span(kData).first(n)).outcome == DecodeOutcome::not_protocol);
  const Buf two = concat({kData, kCommand});
  const IdentityResult cut = decode_c37118_datagram(std::span(two).first(two.size() - 1));
  CHECK(cut.outcome == DecodeOutcome::malformed);
  CHECK(cut.error.starts_with("c37118: datagram ends inside a frame"));
}

TEST_CASE("c37118: other protocols are not C37.118", "[c37118]") {
  CHECK(decode_c37118_stream(hex("680407000000"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_c37118_stream(hex("056405c904000300b620"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_c37118_datagram(hex("474554202f20")).outcome == DecodeOutcome::not_protocol);
  const IdentityResult start = decode_c37118_stream(hex("aa31040a"), true);
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
}
