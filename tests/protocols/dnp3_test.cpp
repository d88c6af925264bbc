// DNP3 decoder. Frames are crafted here (the corpus capture dnp3/dnp3_bro.pcap is only read, not
// copied): a link frame whose CRC was computed outside this code base (CRC-16/DNP, whose catalogue
// check value for "123456789" is 0xEA82) pins the CRC; the builder below makes the rest.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/dnp3.hpp"
#include "tests/protocols/protocol_test_support.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

std::uint16_t crc(const Buf& data, std::size_t from, std::size_t n) {
  std::uint16_t c = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    c ^= data[i];
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? static_cast<std::uint16_t>((c >> 1) ^ 0xA6BC) : c >> 1;
  }
  return static_cast<std::uint16_t>(~c);
}
void put_crc(Buf& out, std::size_t from, std::size_t n) {
  const std::uint16_t c = crc(out, from, n);
  out.push_back(static_cast<std::uint8_t>(c & 0xFF));
  out.push_back(static_cast<std::uint8_t>(c >> 8));
}

Buf link_frame(std::uint8_t control, std::uint16_t destination, std::uint16_t source, const Buf& user = {}) {
  Buf out{0x05, 0x64, static_cast<std::uint8_t>(5 + user.size()), control,
          static_cast<std::uint8_t>(destination & 0xFF), static_cast<std::uint8_t>(destination >> 8),
          static_cast<std::uint8_t>(source & 0xFF), static_cast<std::uint8_t>(source >> 8)};
  put_crc(out, 0, 8);
  for (std::size_t i = 0; i < user.size(); i += 16) {
    const std::size_t n = std::min<std::size_t>(16, user.size() - i);
    const std::size_t at = out.size();
    out.insert(out.end(), user.begin() + static_cast<std::ptrdiff_t>(i), user.begin() + static_cast<std::ptrdiff_t>(i + n));
    put_crc(out, at, n);
  }
  return out;
}

// An application fragment cut into transport segments of `chunk` bytes, one link frame each
// (unconfirmed user data, DIR and PRM as given by `control`).
Buf segmented(const Buf& fragment, std::uint8_t control, std::uint16_t destination, std::uint16_t source,
              std::size_t chunk, std::uint8_t first_sequence = 5) {
  Buf out;
  std::uint8_t sequence = first_sequence;
  for (std::size_t i = 0; i < fragment.size(); i += chunk) {
    const std::size_t n = std::min(chunk, fragment.size() - i);
    std::uint8_t transport = sequence & 0x3F;
    if (i == 0) transport |= 0x40;
    if (i + n == fragment.size()) transport |= 0x80;
    Buf user{transport};
    user.insert(user.end(), fragment.begin() + static_cast<std::ptrdiff_t>(i),
                fragment.begin() + static_cast<std::ptrdiff_t>(i + n));
    const Buf frame = link_frame(control, destination, source, user);
    out.insert(out.end(), frame.begin(), frame.end());
    sequence = static_cast<std::uint8_t>((sequence + 1) & 0x3F);
  }
  return out;
}

Buf attribute(std::uint8_t variation, std::string_view text, std::uint8_t type = 1) {
  Buf out{0x00, variation, 0x00, 0x00, 0x00, type, static_cast<std::uint8_t>(text.size())};
  for (char c : text) out.push_back(static_cast<std::uint8_t>(c));
  return out;
}

// A response (function 0x81) with the given objects.
Buf response(std::initializer_list<Buf> objects) {
  Buf out{0xC3, 0x81, 0x00, 0x00};
  for (const auto& o : objects) out.insert(out.end(), o.begin(), o.end());
  return out;
}

constexpr std::uint8_t kFromOutstation = 0x44;  // DIR 0, PRM 1, unconfirmed user data
constexpr std::uint8_t kFromMaster = 0xC4;      // DIR 1, PRM 1, unconfirmed user data

const Buf kAttributes = response({attribute(252, "Example Grid Devices"), attribute(250, "RTU-500 Model 7"),
                                  attribute(242, "4.2.1"), attribute(243, "B"), attribute(248, "SN000123"),
                                  attribute(247, "sub-north-rtu1"), attribute(245, "Substation North"),
                                  attribute(240, std::string_view("\x08\x00", 2), 2)});

const Identity* find_signal(const IdentityResult& r, std::string_view signal) {
  for (const auto& id : r.identities)
    if (id.signal == signal) return &id;
  return nullptr;
}

}  // namespace

TEST_CASE("dnp3: a link frame with a CRC computed elsewhere names the master and its peer", "[dnp3]") {
  // 05 64, LEN 5, CTRL 0xC9 (DIR, PRM, request link status), DEST 4, SRC 3, CRC 0x20B6.
  const Buf frame = hex("056405c904000300b620");
  CHECK(frame == link_frame(0xC9, 4, 3));
  const IdentityResult r = decode_dnp3_stream(frame);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == frame.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "dnp3.link");
  CHECK(id.about_sender);
  CHECK(text(id, "role") == "master");
  CHECK(number(id, "address") == 3);
  CHECK(number(id, "peer.address") == 4);
}

TEST_CASE("dnp3: the outstation's reply, repeats given once, broadcast peers left out", "[dnp3]") {
  const Buf stream = concat({link_frame(0x0B, 3, 1024), link_frame(0x0B, 3, 1024), link_frame(kFromOutstation, 0xFFFF, 1024)});
  const IdentityResult r = decode_dnp3_stream(stream);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 2);
  CHECK(text(r.identities[0], "role") == "outstation");
  CHECK(number(r.identities[0], "address") == 1024);
  CHECK(number(r.identities[0], "peer.address") == 3);
  CHECK(text(r.identities[1], "role") == "outstation");
  CHECK(field(r.identities[1], "peer.address") == nullptr);
}

TEST_CASE("dnp3: Group 0 device attributes reassembled from transport segments", "[dnp3]") {
  const Buf stream = concat({link_frame(0xC9, 10, 1), segmented(kAttributes, kFromOutstation, 1, 10, 20)});
  const IdentityResult r = decode_dnp3_stream(stream);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  const Identity* id = find_signal(r, "dnp3.device-attributes");
  REQUIRE(id != nullptr);
  CHECK(text(*id, "vendor") == "Example Grid Devices");
  CHECK(text(*id, "product.name") == "RTU-500 Model 7");
  CHECK(text(*id, "software.version") == "4.2.1");
  CHECK(text(*id, "hardware.version") == "B");
  CHECK(text(*id, "serial") == "SN000123");
  CHECK(text(*id, "device.name") == "sub-north-rtu1");
  CHECK(text(*id, "location") == "Substation North");
  CHECK(text(*id, "role") == "outstation");
  CHECK(number(*id, "address") == 10);
  CHECK(id->fields.size() == 9);  // g0v240 (an integer) is not an identity field
}

TEST_CASE("dnp3: attributes are read only from outstation responses, and reassembly needs every segment", "[dnp3]") {
  SECTION("the same objects written by a master are not about it") {
    Buf write = kAttributes;
    write[1] = 0x02;  // WRITE
    const IdentityResult r = decode_dnp3_stream(segmented(write, kFromMaster, 10, 1, 30));
    CHECK(find_signal(r, "dnp3.device-attributes") == nullptr);
    CHECK(text(r.identities.at(0), "role") == "master");
  }
  SECTION("a lost segment drops the fragment") {
    const Buf all = segmented(kAttributes, kFromOutstation, 1, 10, 20);
    const Buf first = segmented(Buf(kAttributes.begin(), kAttributes.begin() + 20), kFromOutstation, 1, 10, 20);
    REQUIRE(all.size() > 2 * first.size());
    // Frames 1 and 3 of the fragment: frame 2 missing (each frame here is the same size).
    Buf gap(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(first.size()));
    gap.insert(gap.end(), all.begin() + static_cast<std::ptrdiff_t>(2 * first.size()), all.end());
    const IdentityResult r = decode_dnp3_stream(gap);
    CHECK(r.outcome == DecodeOutcome::identified);
    CHECK(find_signal(r, "dnp3.device-attributes") == nullptr);
  }
  SECTION("a fragment that starts before the capture is ignored") {
    const Buf all = segmented(kAttributes, kFromOutstation, 1, 10, 20);
    const Buf first = segmented(Buf(kAttributes.begin(), kAttributes.begin() + 20), kFromOutstation, 1, 10, 20);
    const Buf tail(all.begin() + static_cast<std::ptrdiff_t>(first.size()), all.end());
    CHECK(find_signal(decode_dnp3_stream(tail), "dnp3.device-attributes") == nullptr);
  }
  SECTION("at most kDnp3MaxPending fragments wait") {
    Dnp3Reassembly memory;
    Buf user{0x40 | 5};  // FIR without FIN: the fragment goes on
    user.insert(user.end(), kAttributes.begin(), kAttributes.begin() + 20);
    const std::uint16_t last = 100 + 3 * kDnp3MaxPending - 1;
    for (std::uint16_t source = 100; source <= last; ++source) {
      decode_dnp3_stream(link_frame(kFromOutstation, 1, source, user), memory);
      CHECK(memory.pending.size() <= kDnp3MaxPending);
    }
    REQUIRE(memory.pending.size() == kDnp3MaxPending);
    CHECK(memory.pending.back().source == last);
    CHECK(memory.pending.front().source == last + 1 - kDnp3MaxPending);
  }
}

TEST_CASE("dnp3: truncated at every offset, and split across calls with one memory", "[dnp3]") {
  const Buf stream = concat({link_frame(0xC9, 10, 1), segmented(kAttributes, kFromOutstation, 1, 10, 20)});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    Dnp3Reassembly memory;
    const IdentityResult r = decode_dnp3_stream(std::span(stream).first(n), memory);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    CHECK(find_signal(r, "dnp3.device-attributes") == nullptr);
    Buf rest(stream.begin() + static_cast<std::ptrdiff_t>(r.consumed), stream.end());
    const IdentityResult second = decode_dnp3_stream(rest, memory);
    CHECK(second.consumed == rest.size());
    CHECK(find_signal(second, "dnp3.device-attributes") != nullptr);
  }
}

TEST_CASE("dnp3: lying lengths, bad CRCs and oversized counts", "[dnp3]") {
  const Buf good = link_frame(0xC9, 10, 1);
  SECTION("a bad header CRC first is not DNP3, later it is malformed") {
    Buf bad = good;
    bad[8] ^= 0x01;
    CHECK(decode_dnp3_stream(bad).outcome == DecodeOutcome::not_protocol);
    const IdentityResult r = decode_dnp3_stream(concat({good, bad}));
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "dnp3: link header CRC mismatch at offset 10");
    CHECK(r.consumed == good.size());
    CHECK(r.identities.size() == 1);
  }
  SECTION("a bad data block CRC") {
    Buf bad = link_frame(kFromOutstation, 1, 10, Buf(20, 0xC0));
    bad[12] ^= 0xFF;
    const IdentityResult r = decode_dnp3_stream(bad);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "dnp3: data block 1 CRC mismatch (frame at offset 0)");
    CHECK(r.consumed == bad.size());
  }
  SECTION("a link length below 5") {
    CHECK(decode_dnp3_stream(hex("056404c9")).outcome == DecodeOutcome::not_protocol);
    const IdentityResult r = decode_dnp3_stream(concat({good, hex("056404c9")}));
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "dnp3: link length 4 below 5 at offset 10");
  }
  SECTION("an attribute longer than the fragment") {
    Buf lie = response({attribute(252, "Vendor")});
    lie[10] = 200;  // the length octet of the attribute
    const IdentityResult r = decode_dnp3_stream(segmented(lie, kFromOutstation, 1, 10, 200));
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("dnp3: device attribute g0v252 of 200 bytes exceeds the fragment"));
    CHECK(r.identities.size() == 1);  // the link identity of the frame is kept
  }
  SECTION("an object count far beyond the fragment") {
    Buf lie{0xC3, 0x81, 0x00, 0x00, 0x00, 0xFC, 0x08, 0xFF, 0xFF};  // g0v252, 16-bit count 65535
    const IdentityResult r = decode_dnp3_stream(segmented(lie, kFromOutstation, 1, 10, 200));
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("dnp3: 65535 device attributes g0v252 exceed the fragment"));
  }
  SECTION("a range that runs backwards") {
    Buf lie{0xC3, 0x81, 0x00, 0x00, 0x00, 0xFC, 0x00, 0x05, 0x01};
    const IdentityResult r = decode_dnp3_stream(segmented(lie, kFromOutstation, 1, 10, 200));
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("dnp3: device attribute g0v252 range 5..1 runs backwards"));
  }
  SECTION("objects of other groups end the attribute scan quietly") {
    const Buf mixed = response({Buf{0x3C, 0x02, 0x06}, attribute(252, "Vendor")});
    const IdentityResult r = decode_dnp3_stream(segmented(mixed, kFromOutstation, 1, 10, 200));
    CHECK(r.outcome == DecodeOutcome::identified);
    CHECK(find_signal(r, "dnp3.device-attributes") == nullptr);
  }
}

TEST_CASE("dnp3: datagrams", "[dnp3]") {
  const Buf frames = concat({link_frame(0xC9, 10, 1), segmented(kAttributes, kFromOutstation, 1, 10, 40)});
  const IdentityResult r = decode_dnp3_datagram(frames);
  CHECK(r.outcome == DecodeOutcome::identified);
  CHECK(find_signal(r, "dnp3.device-attributes") != nullptr);
  for (std::size_t n = 1; n < frames.size(); ++n) {
    const IdentityResult cut = decode_dnp3_datagram(std::span(frames).first(n));
    CHECK(cut.outcome != DecodeOutcome::need_more);
    CHECK(cut.consumed <= n);
  }
  const IdentityResult cut = decode_dnp3_datagram(std::span(frames).first(frames.size() - 1));
  CHECK(cut.outcome == DecodeOutcome::malformed);
  CHECK(cut.error.starts_with("dnp3: datagram ends inside a frame"));
  CHECK(decode_dnp3_datagram(Buf{}).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("dnp3: other protocols are not DNP3", "[dnp3]") {
  CHECK(decode_dnp3_stream(hex("000100000006011100000001")).outcome == DecodeOutcome::not_protocol);  // Modbus
  CHECK(decode_dnp3_stream(hex("474554202f20")).outcome == DecodeOutcome::not_protocol);              // "GET / "
  CHECK(decode_dnp3_stream(hex("0505")).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_dnp3_datagram(hex("680407000000")).outcome == DecodeOutcome::not_protocol);  // IEC 104
  const IdentityResult start = decode_dnp3_stream(hex("0564"));
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
}
