// OPC UA Binary identity decoder. Messages are taken from the corpus captures
// opcua/opcua_open62541_read.pcap and opcua/opcua_python_minimal.pcap (cisagov/icsnpp-opcua-binary,
// BSD-3-Clause) and the generated opcua/opcua_node-opcua_buildinfo_lab.pcapng; larger messages
// (the lab's 10 KB GetEndpointsResponse, BuildInfo ExtensionObjects, chunked messages) are built
// here with the same encoding and the lab's values.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/opcua.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;


// Encoder for building messages.
struct Enc {
  Buf b;
  Enc& u8(std::uint8_t v) { b.push_back(v); return *this; }
  Enc& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  Enc& i64(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    u32(static_cast<std::uint32_t>(u)).u32(static_cast<std::uint32_t>(u >> 32));
    return *this;
  }
  Enc& str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Enc& null_str() { return u32(0xFFFFFFFFu); }
  Enc& type_id(std::uint16_t id) { return u8(1).u8(0).u8(static_cast<std::uint8_t>(id)).u8(static_cast<std::uint8_t>(id >> 8)); }
  Enc& response_header(std::uint32_t handle) {
    i64(0).u32(handle).u32(0).u8(0).u32(0);  // timestamp, handle, Good, no diagnostics, no strings
    return u8(0).u8(0).u8(0);                // additional header: null ExtensionObject
  }
  Enc& bytes(const Buf& x) { b.insert(b.end(), x.begin(), x.end()); return *this; }
};

// A MSG chunk around a service body: secure channel 1, token 1, sequence number, request id.
Buf msg(const Buf& body, char chunk = 'F', std::uint32_t request_id = 7) {
  Enc e;
  e.u8('M').u8('S').u8('G').u8(static_cast<std::uint8_t>(chunk)).u32(static_cast<std::uint32_t>(24 + body.size()));
  e.u32(1).u32(1).u32(request_id).u32(request_id).bytes(body);
  return e.b;
}
Enc& endpoint(Enc& e, std::string_view name, std::string_view app_uri, std::string_view product_uri) {
  e.str("opc.tcp://plc1:4840").str(app_uri).str(product_uri).u8(2).str(name).u32(0).null_str().null_str();
  e.u32(1).str("opc.tcp://plc1:4840");
  e.null_str().u32(1).str("http://opcfoundation.org/UA/SecurityPolicy#None");
  e.u32(1).str("anonymous").u32(0).null_str().null_str().null_str();
  return e.str("http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary").u8(0);
}
// GetEndpointsResponse with the lab server's values, two endpoints of the same application.
Buf lab_get_endpoints() {
  Enc e;
  e.type_id(431).response_header(3).u32(2);
  endpoint(e, "PLC_1 (lab)", "urn:lab:siemens:s7-1500:plc1", "urn:lab:siemens:s7-1500");
  endpoint(e, "PLC_1 (lab)", "urn:lab:siemens:s7-1500:plc1", "urn:lab:siemens:s7-1500");
  return e.b;
}
// ReadResponse with one DataValue holding a BuildInfo ExtensionObject (encoding i=340).
Buf build_info_response(std::uint16_t encoding = 340) {
  Enc info;
  if (encoding == 864) info.i64(1).i64(2).u32(0);  // ServerStatusDataType: start, current, state
  // 2024-05-01T12:00:00Z = (1714564800 + 11644473600) * 10^7 ticks since 1601.
  info.str("urn:lab:siemens:s7-1500").str("Siemens AG").str("SIMATIC S7-1500 OPC UA (lab)").str("V2.9.4")
      .str("2.9.4.1234").i64((1714564800LL + 11644473600LL) * 10000000LL);
  Enc e;
  e.type_id(634).response_header(9).u32(1).u8(0x01).u8(22).type_id(encoding).u8(1);
  e.u32(static_cast<std::uint32_t>(info.b.size())).bytes(info.b);
  return e.u32(0xFFFFFFFFu).b;  // no diagnostic infos
}

const auto kO6Ack = hex(
    "41434b461c0000000000000000000200000002000000004000800000");
const auto kO6Opn = hex(
    "4f504e4687000000010000002f000000687474703a2f2f6f7063666f756e646174696f6e2e6f72672f55412f536563757269"
    "7479506f6c696379234e6f6e65ffffffffffffffff01000000010000000100c101ee88004ba2d9d801000000000000000000"
    "ffffffff000000000000000100000001000000ee88004ba2d9d801c0270900ffffffff");
const auto kO6GetEndpoints = hex(
    "4d534746f8010000010000000100000002000000020000000100af01c494004ba2d9d801010000000000000000ffffffff00"
    "000001000000180000006f70632e7463703a2f2f6c6f63616c686f73743a343834302000000075726e3a6f70656e36323534"
    "312e7365727665722e6170706c69636174696f6e14000000687474703a2f2f6f70656e36323534312e6f7267030200000065"
    "6e220000006f70656e36323534312d6261736564204f5043205541204170706c69636174696f6e00000000ffffffffffffff"
    "ff01000000180000006f70632e7463703a2f2f6c6f63616c686f73743a34383430ffffffff010000002f000000687474703a"
    "2f2f6f7063666f756e646174696f6e2e6f72672f55412f5365637572697479506f6c696379234e6f6e65020000001a000000"
    "6f70656e36323534312d616e6f6e796d6f75732d706f6c69637900000000ffffffffffffffffffffffff190000006f70656e"
    "36323534312d757365726e616d652d706f6c69637901000000ffffffffffffffff2f000000687474703a2f2f6f7063666f75"
    "6e646174696f6e2e6f72672f55412f5365637572697479506f6c696379234e6f6e6541000000687474703a2f2f6f7063666f"
    "756e646174696f6e2e6f72672f55412d50726f66696c652f5472616e73706f72742f75617463702d756173632d756162696e"
    "61727901");
const auto kPyCreateSession = hex(
    "4d5347466a020000090000000e00000002000000020000000100d00172d2f1a8e973d5010200000000000000000000000000"
    "00000200000e000000020000ec0300000000000040774b4120000000664e801ed546fa9aca0d082d04bda28cf690b22cead9"
    "a8a4b22bac523b91cfbfffffffff010000002a0000006f70632e7463703a2f2f3132372e302e302e313a343834302f667265"
    "656f706375612f7365727665722f1b00000075726e3a667265656f706375613a707974686f6e3a7365727665722500000075"
    "726e3a667265656f706375612e6769746875622e696f3a707974686f6e3a7365727665720217000000467265654f70635561"
    "20507974686f6e2053657276657202000000ffffffffffffffff01000000280000006f70632e7463703a2f2f302e302e302e"
    "303a343834302f667265656f706375612f7365727665722fffffffff010000002f000000687474703a2f2f6f7063666f756e"
    "646174696f6e2e6f72672f55412f5365637572697479506f6c696379234e6f6e650300000009000000616e6f6e796d6f7573"
    "00000000ffffffffffffffffffffffff1a00000063657274696669636174655f626173696332353673686132353602000000"
    "ffffffffffffffffffffffff08000000757365726e616d6501000000ffffffffffffffffffffffff41000000687474703a2f"
    "2f6f7063666f756e646174696f6e2e6f72672f55412d50726f66696c652f5472616e73706f72742f75617463702d75617363"
    "2d756162696e61727900000000002a000000687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c647369"
    "67237273612d736861310000000000000100");
const auto kLabHello = hex(
    "48454c46450000000000000000000a0000000a000000000000000000250000006f70632e7463703a2f2f3132372e302e302e"
    "313a343834302f55412f4c6162446576696365");
const auto kLabOpnRequest = hex(
    "4f504e4684000000000000002f000000687474703a2f2f6f7063666f756e646174696f6e2e6f72672f55412f536563757269"
    "7479506f6c696379234e6f6e65ffffffffffffffff01000000010000000100be01000020f527d0257fdd0101000000000000"
    "00ffffffff983a0000000000000000000000000001000000ffffffffc0270900");
const auto kLabReadManufacturer = hex(
    "4d53474670000000010000000100000006000000060000000100770205000010000000130515fcdf0c75f7711f43400709cf"
    "6110212fd0257fdd01060000000000000000000000983a0000000000000000000000000002000000010000000100d7080d00"
    "0000ffffffff0000ffffffff");
const auto kLabReadProductName = hex(
    "4d53474670000000010000000100000007000000070000000100770205000010000000130515fcdf0c75f7711f43400709cf"
    "6160e42fd0257fdd01070000000000000000000000983a0000000000000000000000000002000000010000000100d5080d00"
    "0000ffffffff0000ffffffff");
const auto kLabReadSoftwareVersion = hex(
    "4d53474670000000010000000100000009000000090000000100770205000010000000130515fcdf0c75f7711f43400709cf"
    "61a08030d0257fdd01090000000000000000000000983a0000000000000000000000000002000000010000000100d8080d00"
    "0000ffffffff0000ffffffff");
const auto kLabManufacturer = hex(
    "4d534746600000000100000001000000060000000600000001007a02306f2fd0257fdd010600000000000000000000000000"
    "0000010000003d0c0a0000005369656d656e73204147360375cf257fdd01cc1089642fd0257fdd01082000000000");
const auto kLabProductName = hex(
    "4d534746720000000100000001000000070000000700000001007a02803230d0257fdd010700000000000000000000000000"
    "0000010000003d0c1c00000053494d415449432053372d31353030204f504320554120286c616229360375cf257fdd01cc10"
    "e33b30d0257fdd01241300000000");
const auto kLabSoftwareVersion = hex(
    "4d5347465c0000000100000001000000090000000900000001007a02b0a730d0257fdd010900000000000000000000000000"
    "0000010000003d0c0600000056322e392e34360375cf257fdd01cc107da530d0257fdd01e40c00000000");

}  // namespace

TEST_CASE("opcua: GetEndpointsResponse of open62541", "[opcua]") {
  const auto stream = concat({kO6Ack, kO6Opn, kO6GetEndpoints});
  const IdentityResult r = decode_opcua_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 1);  // two endpoints of one application
  const Identity& id = r.identities[0];
  CHECK(id.signal == "opcua.endpoint");
  CHECK(id.about_sender);
  CHECK(text(id, "product.uri") == "http://open62541.org");
  CHECK(text(id, "application.uri") == "urn:open62541.server.application");
  CHECK(text(id, "application.name") == "open62541-based OPC UA Application");
  CHECK(text(id, "application.type") == "server");
}

TEST_CASE("opcua: CreateSessionResponse of FreeOpcUa python", "[opcua]") {
  const IdentityResult r = decode_opcua_stream(kPyCreateSession, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(text(r.identities[0], "product.uri") == "urn:freeopcua.github.io:python:server");
  CHECK(text(r.identities[0], "application.name") == "FreeOpcUa Python Server");
  CHECK(text(r.identities[0], "application.type") == "client-and-server");
}

TEST_CASE("opcua: the lab server's GetEndpointsResponse", "[opcua]") {
  const auto m = msg(lab_get_endpoints());
  const IdentityResult r = decode_opcua_stream(m, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(text(r.identities[0], "application.name") == "PLC_1 (lab)");
  CHECK(text(r.identities[0], "product.uri") == "urn:lab:siemens:s7-1500");
  CHECK(text(r.identities[0], "application.uri") == "urn:lab:siemens:s7-1500:plc1");
}

TEST_CASE("opcua: BuildInfo children read one by one need the requests", "[opcua]") {
  OpcuaRequestMemory memory;
  const auto requests = concat({kLabHello, kLabOpnRequest, kLabReadManufacturer, kLabReadProductName,
                                kLabReadSoftwareVersion});
  const IdentityResult asked = decode_opcua_stream(requests, false, memory);
  CHECK(asked.outcome == DecodeOutcome::no_identity);
  CHECK(asked.consumed == requests.size());
  CHECK(memory.reads.size() == 3);

  const IdentityResult first = decode_opcua_stream(kLabManufacturer, true, memory);
  REQUIRE(first.outcome == DecodeOutcome::identified);
  REQUIRE(first.identities.size() == 1);
  CHECK(first.identities[0].signal == "opcua.build-info");
  CHECK(text(first.identities[0], "manufacturer") == "Siemens AG");

  const auto rest = concat({kLabProductName, kLabSoftwareVersion});
  const IdentityResult more = decode_opcua_stream(rest, true, memory);
  REQUIRE(more.identities.size() == 2);
  const Identity& last = more.identities[1];  // everything seen on the connection so far
  CHECK(text(last, "manufacturer") == "Siemens AG");
  CHECK(text(last, "product.name") == "SIMATIC S7-1500 OPC UA (lab)");
  CHECK(text(last, "software.version") == "V2.9.4");
  CHECK(memory.reads.empty());

  // Without the requests the values cannot be named.
  CHECK(decode_opcua_stream(kLabManufacturer, true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("opcua: BuildInfo and ServerStatus ExtensionObjects", "[opcua]") {
  for (std::uint16_t encoding : {std::uint16_t{340}, std::uint16_t{864}}) {
    const IdentityResult r = decode_opcua_stream(msg(build_info_response(encoding)), true);
    REQUIRE(r.outcome == DecodeOutcome::identified);
    REQUIRE(r.identities.size() == 1);
    const Identity& id = r.identities[0];
    CHECK(id.signal == "opcua.build-info");
    CHECK(text(id, "manufacturer") == "Siemens AG");
    CHECK(text(id, "product.name") == "SIMATIC S7-1500 OPC UA (lab)");
    CHECK(text(id, "product.uri") == "urn:lab:siemens:s7-1500");
    CHECK(text(id, "software.version") == "V2.9.4");
    CHECK(text(id, "build.number") == "2.9.4.1234");
    CHECK(text(id, "build.date") == "2024-05-01T12:00:00Z");
  }
}

TEST_CASE("opcua: a secured channel gives no identity", "[opcua]") {
  Enc opn;
  opn.u8('O').u8('P').u8('N').u8('F').u32(0).u32(1).str("http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256");
  opn.null_str().null_str().u32(1).u32(1);
  const std::uint32_t size = static_cast<std::uint32_t>(opn.b.size());
  for (int i = 0; i < 4; ++i) opn.b[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(size >> (8 * i));
  const auto stream = concat({opn.b, kO6GetEndpoints});
  const IdentityResult r = decode_opcua_stream(stream, true);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == stream.size());
  OpcuaRequestMemory memory;
  decode_opcua_stream(opn.b, false, memory);
  CHECK(memory.secured);
  CHECK(decode_opcua_stream(kO6GetEndpoints, true, memory).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("opcua: truncated at every offset", "[opcua]") {
  const auto stream = concat({kO6Ack, kO6Opn, kO6GetEndpoints});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_opcua_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    CHECK(r.identities.empty());
  }
}

TEST_CASE("opcua: back to back, and split across calls", "[opcua]") {
  const auto stream = concat({kO6GetEndpoints, kPyCreateSession});
  const IdentityResult both = decode_opcua_stream(stream, true);
  CHECK(both.identities.size() == 2);
  CHECK(both.consumed == stream.size());
  for (std::size_t cut = 1; cut < stream.size(); cut += 7) {
    Buf buffer(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(cut));
    const IdentityResult first = decode_opcua_stream(buffer, true);
    REQUIRE(first.consumed <= cut);
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(first.consumed));
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(cut), stream.end());
    const IdentityResult second = decode_opcua_stream(buffer, true);
    CHECK(first.identities.size() + second.identities.size() == 2);
    CHECK(second.consumed == buffer.size());
  }
}

TEST_CASE("opcua: multi-chunk messages", "[opcua]") {
  const Buf body = lab_get_endpoints();
  const Buf part1(body.begin(), body.begin() + 100), part2(body.begin() + 100, body.end());
  const auto chunked = concat({msg(part1, 'C'), msg(part2, 'F')});
  const IdentityResult r = decode_opcua_stream(chunked, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "application.name") == "PLC_1 (lab)");
  CHECK(r.consumed == chunked.size());

  // The first chunk alone: not consumed, the caller hands it in again.
  const auto first_only = concat({kO6Ack, msg(part1, 'C')});
  const IdentityResult waiting = decode_opcua_stream(first_only, true);
  CHECK(waiting.outcome == DecodeOutcome::no_identity);
  CHECK(waiting.consumed == kO6Ack.size());

  // Aborted: nothing.
  const auto aborted = concat({msg(part1, 'C'), msg({}, 'A')});
  const IdentityResult a = decode_opcua_stream(aborted, true);
  CHECK(a.outcome == DecodeOutcome::no_identity);
  CHECK(a.consumed == aborted.size());
}

TEST_CASE("opcua: lying sizes, lengths and counts are malformed", "[opcua]") {
  SECTION("message size below its headers") {
    auto bad = kO6GetEndpoints;
    bad[4] = 20; bad[5] = 0; bad[6] = 0; bad[7] = 0;
    const IdentityResult r = decode_opcua_stream(concat({kO6Ack, bad}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "opcua: MSG message size 20 below 24 at offset 28");
    CHECK(r.consumed == kO6Ack.size());
  }
  SECTION("message size beyond the bound") {
    auto bad = kO6GetEndpoints;
    bad[6] = 0x20;
    const IdentityResult r = decode_opcua_stream(bad, true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("opcua: MSG message size"));
  }
  SECTION("string length beyond the message") {
    Enc e;
    e.type_id(431).response_header(1).u32(1).u32(5000).u32(0).u32(0);
    const IdentityResult r = decode_opcua_stream(concat({msg(e.b), kO6GetEndpoints}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("opcua: GetEndpointsResponse: EndpointDescription endpointUrl length 5000 exceeds"));
    CHECK(r.consumed == e.b.size() + 24);
    CHECK(r.identities.empty());
  }
  SECTION("endpoint count beyond the message") {
    Enc e;
    e.type_id(431).response_header(1).u32(0x7FFFFFFF);
    const IdentityResult r = decode_opcua_stream(concat({kO6GetEndpoints, msg(e.b)}), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("opcua: GetEndpointsResponse: EndpointDescription array count 2147483647 exceeds"));
    CHECK(r.identities.size() == 1);  // the one before is kept
  }
  SECTION("ExtensionObject body length beyond the message") {
    Enc e;
    e.type_id(634).response_header(1).u32(1).u8(1).u8(22).type_id(340).u8(1).u32(999);
    const IdentityResult r = decode_opcua_stream(msg(e.b), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("opcua: ReadResponse: ReadResponse results length 999"));
  }
  SECTION("BuildInfo shorter than its fields") {
    Enc e;
    e.type_id(634).response_header(1).u32(1).u8(1).u8(22).type_id(340).u8(1).u32(8).str("abcd");
    const IdentityResult r = decode_opcua_stream(msg(e.b), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("opcua: ReadResponse: BuildInfo manufacturerName needs 4 bytes"));
  }
  SECTION("deeply nested Variants") {
    Enc e;
    e.type_id(634).response_header(1).u32(1).u8(1);
    for (int i = 0; i < 40; ++i) e.u8(24);
    e.u8(0);
    const IdentityResult r = decode_opcua_stream(msg(e.b), true);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.find("nested deeper than") != std::string::npos);
  }
}

TEST_CASE("opcua: other protocols are not OPC UA", "[opcua]") {
  CHECK(decode_opcua_stream(hex("474554202f20485454502f312e310d0a"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_opcua_stream(hex("0300001611e00000000100c0010ac1020100c2020102"), false).outcome ==
        DecodeOutcome::not_protocol);
  CHECK(decode_opcua_stream(hex("4d534758"), false).outcome == DecodeOutcome::not_protocol);  // "MSGX"
  CHECK(decode_opcua_stream(hex("48454c43"), false).outcome == DecodeOutcome::not_protocol);  // HEL chunk 'C'
  const IdentityResult start = decode_opcua_stream(hex("4d53"), false);  // "MS": could be MSG
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
  const IdentityResult after = decode_opcua_stream(concat({kO6Ack, hex("474554202f20485454502f31")}), true);
  CHECK(after.outcome == DecodeOutcome::malformed);
  CHECK(after.consumed == kO6Ack.size());
}
