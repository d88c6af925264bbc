// TLS decoder: handshakes built here after RFC 5246/8446 around a self-made test certificate
// (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj
// "/C=DE/O=Siemens AG/CN=plc1.example" -nodes -days 1), then split, cut and lied about.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/tls.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

Buf cat(Buf a, const Buf& b) {
  for (std::uint8_t x : b) a.push_back(x);  // (insert trips GCC 12's -Warray-bounds here)
  return a;
}
void u16(Buf& b, std::size_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void u24(Buf& b, std::size_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 16));
  u16(b, v & 0xFFFF);
}
Buf record(std::uint8_t type, const Buf& payload, std::uint8_t minor = 3) {
  Buf b = {type, 3, minor};
  u16(b, payload.size());
  return cat(b, payload);
}
Buf handshake(std::uint8_t type, const Buf& body) {
  Buf b = {type};
  u24(b, body.size());
  return cat(b, body);
}

const Buf kCert = hex(
    "308201c63082016da003020102021463ae16d5c12644e7e24d222734d46a9d7828d544300a06082a8648ce3d0403023039310b3009060355"
    "04061302444531133011060355040a0c0a5369656d656e732041473115301306035504030c0c706c63312e6578616d706c65301e170d3236"
    "313132383133353031365a170d3236313132393133353031365a3039310b300906035504061302444531133011060355040a0c0a5369656d"
    "656e732041473115301306035504030c0c706c63312e6578616d706c653059301306072a8648ce3d020106082a8648ce3d03010703420004"
    "3b715f8de1fcfa3fde27bf3ded14a8fd39cfa7f3a2c80fd3603089b7ae156f62bf14727bf8dc324ed81e1e295e6fdd2cc7a16fb39ab3373e"
    "8c3acb83e248e043a3533051301d0603551d0e0416041465c17043a8db814809d84c18bbcb48d37a18e9e6301f0603551d23041830168014"
    "65c17043a8db814809d84c18bbcb48d37a18e9e6300f0603551d130101ff040530030101ff300a06082a8648ce3d04030203470030440220"
    "02b58ba6c827b76e2e8ec75c4a8db2ef94ee1a5d0228ee1cd9561aba108c146702207596fd9b506976382c75e421ec311cc552c56864a419"
    "56f5d27f378dfd26781e");

Buf server_hello(std::size_t version_ext = 0) {
  Buf b(34, 0x5a);  // version, random
  b[0] = 3, b[1] = 3;
  b.push_back(0);                // session id
  u16(b, 0xc02f);
  b.push_back(0);
  if (version_ext) {
    Buf ext;
    u16(ext, 43);
    u16(ext, 2);
    u16(ext, version_ext);
    u16(b, ext.size());
    b = cat(b, ext);
  }
  return handshake(2, b);
}
Buf certificate_message(const Buf& der) {
  Buf list;
  u24(list, der.size());
  list = cat(list, der);
  Buf body;
  u24(body, list.size());
  return handshake(11, cat(body, list));
}
Buf client_hello(std::string_view sni) {
  Buf b(34, 0x11);
  b[0] = 3, b[1] = 3;
  b.push_back(0);
  u16(b, 4);
  u16(b, 0x1301);
  u16(b, 0xc02f);
  b.push_back(1);
  b.push_back(0);
  Buf name;
  name.push_back(0);
  u16(name, sni.size());
  name.insert(name.end(), sni.begin(), sni.end());
  Buf list;
  u16(list, name.size());
  list = cat(list, name);
  Buf ext;
  u16(ext, 10);  // supported_groups first
  u16(ext, 4);
  u16(ext, 2);
  u16(ext, 23);
  u16(ext, 0);  // server_name
  u16(ext, list.size());
  ext = cat(ext, list);
  u16(b, ext.size());
  return handshake(1, cat(b, ext));
}

// ServerHello, Certificate, ServerHelloDone in one record, as many servers send them.
Buf server_flight() { return record(22, cat(cat(server_hello(), certificate_message(kCert)), handshake(14, {}))); }

void check_certificate(const Identity& id) {
  CHECK(id.signal == "tls.certificate");
  CHECK(id.about_sender);
  CHECK(text(id, "subject.cn") == "plc1.example");
  CHECK(text(id, "subject.o") == "Siemens AG");
  CHECK(text(id, "subject.c") == "DE");
  CHECK(text(id, "issuer.cn") == "plc1.example");
  CHECK(text(id, "issuer.o") == "Siemens AG");
  CHECK(text(id, "serial") == "63ae16d5c12644e7e24d222734d46a9d7828d544");
  CHECK(text(id, "not.before") == "2026-11-28T13:50:16Z");
  CHECK(text(id, "not.after") == "2026-11-29T13:50:16Z");
  CHECK(field(id, "subject.ou") == nullptr);
  const FieldValue* self = field(id, "self.issued");
  REQUIRE(self);
  CHECK(std::get<bool>(*self));
}

}  // namespace

TEST_CASE("tls: server flight gives ServerHello and the leaf certificate") {
  const Buf flight = server_flight();
  const auto r = decode_tls_stream(flight, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == flight.size());
  REQUIRE(r.identities.size() == 2);
  CHECK(r.identities[0].signal == "tls.server-hello");
  CHECK(text(r.identities[0], "version") == "TLS 1.2");
  CHECK(text(r.identities[0], "cipher.suite") == "0xc02f");
  check_certificate(r.identities[1]);
}

TEST_CASE("tls: a certificate split over several records is reassembled") {
  const Buf msgs = cat(server_hello(), certificate_message(kCert));
  Buf stream;
  for (std::size_t at = 0; at < msgs.size(); at += 100)
    stream = cat(stream, record(22, Buf(msgs.begin() + static_cast<std::ptrdiff_t>(at),
                                        msgs.begin() + static_cast<std::ptrdiff_t>(std::min(at + 100, msgs.size())))));
  const auto r = decode_tls_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 2);
  check_certificate(r.identities[1]);

  // Fed in pieces as a caller does: each prefix either waits or reports, never twice.
  std::size_t certificates = 0;
  Buf buffer;
  for (std::size_t i = 0; i < stream.size(); i += 37) {
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(i),
                  stream.begin() + static_cast<std::ptrdiff_t>(std::min(i + 37, stream.size())));
    const auto part = decode_tls_stream(buffer, true);
    REQUIRE(part.outcome != DecodeOutcome::malformed);
    REQUIRE(part.outcome != DecodeOutcome::not_protocol);
    for (const auto& id : part.identities) certificates += id.signal == "tls.certificate";
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(part.consumed));
  }
  CHECK(certificates == 1);
  CHECK(buffer.empty());
}

TEST_CASE("tls: ClientHello SNI names the server (about the receiver)") {
  const Buf hello = record(22, client_hello("hmi.plant.example"), 1);
  const auto r = decode_tls_stream(hello, false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(r.identities[0].signal == "tls.client-hello");
  CHECK_FALSE(r.identities[0].about_sender);
  CHECK(text(r.identities[0], "sni") == "hmi.plant.example");
  CHECK(r.consumed == hello.size());
}

TEST_CASE("tls: control characters in SNI are sanitized") {
  const auto r = decode_tls_stream(record(22, client_hello(std::string_view("a%n\x07z", 5))), false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "sni") == "a%n\xEF\xBF\xBDz");
}

TEST_CASE("tls: TLS 1.3 ServerHello, then encrypted records: no certificate") {
  Buf stream = record(22, server_hello(0x0304));
  stream = cat(stream, record(20, {1}));
  stream = cat(stream, record(23, Buf(300, 0x9c)));
  stream = cat(stream, record(23, Buf(60, 0x00)));
  const auto r = decode_tls_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(text(r.identities[0], "version") == "TLS 1.3");
  CHECK(r.consumed == stream.size());
}

TEST_CASE("tls: an encrypted Finished seen first is skipped, not misread") {
  Buf fin(40, 0xe3);
  for (std::size_t i = 0; i < 8; ++i) fin[i] = 0;
  const Buf stream = cat(record(22, fin), record(23, Buf(40, 0x41)));
  const auto r = decode_tls_stream(stream, true);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == stream.size());
}

TEST_CASE("tls: truncated at every offset waits, never reports twice or misreads") {
  const Buf flight = server_flight();
  for (std::size_t n = 0; n < flight.size(); ++n) {
    const Buf cut(flight.begin(), flight.begin() + static_cast<std::ptrdiff_t>(n));
    const auto r = decode_tls_stream(cut, true);
    CHECK(r.outcome == DecodeOutcome::need_more);
    CHECK(r.consumed == 0);
  }
}

TEST_CASE("tls: two connections' worth back to back: client hello records") {
  const Buf one = record(22, client_hello("a.example"));
  const Buf two = record(22, client_hello("b.example"));
  const auto r = decode_tls_stream(cat(one, two), false);
  REQUIRE(r.identities.size() == 2);
  CHECK(text(r.identities[1], "sni") == "b.example");
}

TEST_CASE("tls: lying lengths are malformed") {
  // Handshake message length above the reassembly bound.
  Buf big = {11, 0x10, 0x00, 0x00};
  const auto r1 = decode_tls_stream(record(22, big), true);
  CHECK(r1.outcome == DecodeOutcome::malformed);
  CHECK(r1.error.starts_with("tls: handshake message type 11"));
  // Certificate list longer than its message.
  Buf cert = certificate_message(kCert);
  cert[4] = 0x7f;
  const auto r2 = decode_tls_stream(record(22, cert), true);
  CHECK(r2.outcome == DecodeOutcome::malformed);
  // A DER length inside the certificate that lies.
  Buf bad_der = kCert;
  bad_der[5] = 0xff;
  const auto r3 = decode_tls_stream(record(22, certificate_message(bad_der)), true);
  CHECK(r3.outcome == DecodeOutcome::malformed);
  CHECK(r3.error.starts_with("tls: "));
  // Record length above 2^14 + 2048 after a good record.
  Buf bad_record = {22, 3, 3, 0x50, 0x00};
  const auto r4 = decode_tls_stream(cat(server_flight(), bad_record), true);
  CHECK(r4.outcome == DecodeOutcome::malformed);
  CHECK(r4.identities.size() == 2);
  CHECK(r4.consumed == server_flight().size());
  // SNI entry longer than its list.
  Buf hello = client_hello("x.example");
  hello[hello.size() - 10] = 0x40;
  CHECK(decode_tls_stream(record(22, hello), false).outcome == DecodeOutcome::malformed);
}

TEST_CASE("tls: every corrupted byte of the certificate is handled") {
  for (std::size_t i = 0; i < kCert.size(); ++i) {
    Buf der = kCert;
    der[i] ^= 0xff;
    const auto r = decode_tls_stream(record(22, certificate_message(der)), true);
    CHECK((r.outcome == DecodeOutcome::identified || r.outcome == DecodeOutcome::malformed));
  }
}

TEST_CASE("tls: garbage, HTTP and SSLv2 are not TLS") {
  const std::string_view http = "GET / HTTP/1.1\r\n";
  CHECK(decode_tls_stream(Buf(http.begin(), http.end()), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_tls_stream(Buf{0x80, 0x2e, 0x01, 0x00, 0x02}, false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_tls_stream(Buf{22, 2, 0}, false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_tls_stream(Buf{22, 3}, false).outcome == DecodeOutcome::need_more);
}
