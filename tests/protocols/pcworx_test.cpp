// PC WORX decoder, on crafted bytes only (no capture of a real controller was available). The
// reply puts the example values of the nmap pcworx-info documentation ("ILC 330 ETH", model
// 2737193, firmware 3.95T of "Mar  2 2012" "09:39:02") at the published offsets; everything
// else in it is filler.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#include "scanner/protocols/pcworx.hpp"
#include "tests/protocols/protocol_test_support.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

void put_at(Buf& b, std::size_t at, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) b[at + i] = static_cast<std::uint8_t>(text[i]);
}

// A reply: 0x81, type, 2-octet total length, sequence, filler (0x00), strings at their offsets.
Buf info_reply(std::size_t size = 200, bool with_model = true) {
  Buf b(size, 0x00);
  b[0] = 0x81;
  b[1] = 0x06;
  b[2] = static_cast<std::uint8_t>(size >> 8);
  b[3] = static_cast<std::uint8_t>(size & 0xFF);
  b[5] = 0x02;
  for (std::size_t i = 6; i < 30; ++i) b[i] = static_cast<std::uint8_t>(i);  // binary header octets
  put_at(b, 30, "ILC 330 ETH");
  put_at(b, 66, "3.95T");
  put_at(b, 79, "Mar  2 2012");
  put_at(b, 91, "09:39:02");
  if (with_model && size > 160) put_at(b, 152, "2737193");
  return b;
}

// Requests as the public descriptions give them (connect with "IBETH01N0_M", info request).
const Buf kConnect = concat({hex("0101001a005e000000000003000c"), Buf{'I', 'B', 'E', 'T', 'H', '0', '1', 'N', '0', '_', 'M', 0}});
const Buf kInfoRequest = hex("0106000e0061000000000042" "0400");

}  // namespace

TEST_CASE("pcworx: the info reply names PLC type, model and firmware", "[pcworx]") {
  const Buf reply = info_reply();
  const IdentityResult r = decode_pcworx_stream(reply, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == reply.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "pcworx.info");
  CHECK(id.about_sender);
  CHECK(text(id, "plc.type") == "ILC 330 ETH");
  CHECK(text(id, "firmware.version") == "3.95T");
  CHECK(text(id, "firmware.date") == "Mar  2 2012");
  CHECK(text(id, "firmware.time") == "09:39:02");
  CHECK(text(id, "model.number") == "2737193");
  CHECK(id.fields.size() == 5);
}

TEST_CASE("pcworx: requests and other replies carry no identity", "[pcworx]") {
  const Buf requests = concat({kConnect, kInfoRequest});
  const IdentityResult r = decode_pcworx_stream(requests, false);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == requests.size());
  Buf connect_reply(26, 0x00);  // a connect reply: no text at offset 30
  connect_reply[0] = 0x81;
  connect_reply[1] = 0x01;
  connect_reply[3] = 26;
  connect_reply[17] = 0x42;  // the session id
  const IdentityResult c = decode_pcworx_stream(connect_reply, true);
  CHECK(c.outcome == DecodeOutcome::no_identity);
  CHECK(c.consumed == connect_reply.size());
  // An info-sized reply whose PLC type is binary is not an info reply.
  Buf binary = info_reply();
  binary[31] = 0x07;
  CHECK(decode_pcworx_stream(binary, true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("pcworx: a reply too short for the model number, and one with an implausible length", "[pcworx]") {
  const IdentityResult short_reply = decode_pcworx_stream(info_reply(120), true);
  REQUIRE(short_reply.identities.size() == 1);
  CHECK(field(short_reply.identities[0], "model.number") == nullptr);
  CHECK(text(short_reply.identities[0], "firmware.time") == "09:39:02");
  Buf odd = info_reply();
  odd[2] = 0xFF;  // length 0xffc8: not a length this decoder believes; the whole input is the reply
  const IdentityResult r = decode_pcworx_stream(odd, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == odd.size());
  CHECK(text(r.identities[0], "plc.type") == "ILC 330 ETH");
}

TEST_CASE("pcworx: truncated at every offset, and split across calls", "[pcworx]") {
  Buf connect_reply(26, 0x00);
  connect_reply[0] = 0x81;
  connect_reply[3] = 26;
  const Buf stream = concat({connect_reply, info_reply()});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_pcworx_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    CHECK(r.identities.empty());
    const Buf rest(stream.begin() + static_cast<std::ptrdiff_t>(r.consumed), stream.end());
    const IdentityResult second = decode_pcworx_stream(rest, true);
    CHECK(second.consumed == rest.size());
    CHECK(second.identities.size() == 1);
  }
}

TEST_CASE("pcworx: lying lengths and other protocols", "[pcworx]") {
  CHECK(decode_pcworx_stream(hex("01060002"), false).outcome == DecodeOutcome::not_protocol);  // length 2
  CHECK(decode_pcworx_stream(hex("01061001"), false).outcome == DecodeOutcome::not_protocol);  // length 4097
  const IdentityResult r = decode_pcworx_stream(concat({kInfoRequest, hex("01060002")}), false);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error == "pcworx: request length 2 outside 4..4096 at offset 14");
  CHECK(r.consumed == kInfoRequest.size());
  const IdentityResult lead = decode_pcworx_stream(concat({info_reply(), hex("0106000e")}), true);
  CHECK(lead.outcome == DecodeOutcome::malformed);
  CHECK(lead.error == "pcworx: message starts with 0x01, not 0x81 at offset 200");
  CHECK(lead.identities.size() == 1);
  CHECK(decode_pcworx_stream(kInfoRequest, true).outcome == DecodeOutcome::not_protocol);  // a request as a reply
  CHECK(decode_pcworx_stream(hex("474554"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_pcworx_stream(hex("0300001611e0"), true).outcome == DecodeOutcome::not_protocol);
  const IdentityResult start = decode_pcworx_stream(hex("8106"), true);
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
}
