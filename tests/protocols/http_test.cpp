// HTTP/1.x decoder: requests and responses written here as embedded web servers answer
// (a Hikvision-style 401 with Digest realm, a Moxa-style page with a title, chunked bodies).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/http.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

Buf bytes(std::string_view s) { return Buf(s.begin(), s.end()); }

const std::string kBody = "<html><head>\r\n<TITLE>  NPort 5110\r\n Web Console </TITLE></head><body>x</body></html>";
const std::string kPage = "HTTP/1.1 200 OK\r\nServer: MoxaHttp/1.0\r\nContent-Type: text/html\r\nContent-Length: " +
                          std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
const std::string kUnauthorized =
    "HTTP/1.1 401 Unauthorized\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nServer: App-webs/\r\n"
    "WWW-Authenticate: Digest qop=\"auth\", realm=\"IP Camera(C1234)\", nonce=\"4e4459\"\r\n"
    "Content-Length: 0\r\n\r\n";

}  // namespace

TEST_CASE("http: response with Server and title, framed by Content-Length") {
  const auto r = decode_http_stream(bytes(kPage), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == kPage.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "http.server");
  CHECK(id.about_sender);
  CHECK(text(id, "server") == "MoxaHttp/1.0");
  CHECK(text(id, "title") == "NPort 5110 Web Console");
  CHECK(std::get<std::int64_t>(*field(id, "status")) == 200);
}

TEST_CASE("http: 401 gives realm and scheme, and two responses back to back") {
  const std::string both = kUnauthorized + kPage;
  const auto r = decode_http_stream(bytes(both), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == both.size());
  REQUIRE(r.identities.size() == 2);
  CHECK(text(r.identities[0], "server") == "App-webs/");
  CHECK(text(r.identities[0], "realm") == "IP Camera(C1234)");
  CHECK(text(r.identities[0], "auth.scheme") == "Digest");
  CHECK(field(r.identities[0], "title") == nullptr);
  CHECK(text(r.identities[1], "server") == "MoxaHttp/1.0");
}

TEST_CASE("http: Basic realm without quotes") {
  const auto r = decode_http_stream(
      bytes("HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=GoAhead\r\nContent-Length: 0\r\n\r\n"), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "realm") == "GoAhead");
  CHECK(text(r.identities[0], "auth.scheme") == "Basic");
}

TEST_CASE("http: chunked body is de-chunked for the title") {
  const std::string msg =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "7\r\n<title>\r\n"
      "a;ext=1\r\nSIMATIC S7\r\n"
      "8\r\n</title>\r\n"
      "0\r\n\r\n";
  const auto r = decode_http_stream(bytes(msg + kUnauthorized), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 2);
  CHECK(text(r.identities[0], "title") == "SIMATIC S7");
  CHECK(r.consumed == msg.size() + kUnauthorized.size());
}

TEST_CASE("http: split at every offset: waits, then reports each message once") {
  const std::string both = kUnauthorized + kPage;
  for (std::size_t cut = 0; cut <= both.size(); ++cut) {
    Buf buffer = bytes(std::string_view(both).substr(0, cut));
    std::size_t found = 0;
    auto r = decode_http_stream(buffer, true);
    REQUIRE(r.outcome != DecodeOutcome::malformed);
    REQUIRE(r.outcome != DecodeOutcome::not_protocol);
    found += r.identities.size();
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.consumed));
    const std::string tail = both.substr(cut);
    buffer.insert(buffer.end(), tail.begin(), tail.end());
    r = decode_http_stream(buffer, true);
    found += r.identities.size();
    CHECK(found == 2);
    CHECK(r.consumed == buffer.size());
  }
}

TEST_CASE("http: request gives the client's User-Agent and Host") {
  const std::string req =
      "GET /index.html HTTP/1.1\r\nHost: 10.0.0.5\r\nUser-Agent: Mozilla/5.0 (X11; Linux) SCADA-Client/2.1\r\n\r\n"
      "POST /api HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd";
  const auto r = decode_http_stream(bytes(req), false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == req.size());
  REQUIRE(r.identities.size() == 1);
  CHECK(r.identities[0].signal == "http.client");
  CHECK(text(r.identities[0], "user.agent") == "Mozilla/5.0 (X11; Linux) SCADA-Client/2.1");
  CHECK(text(r.identities[0], "host") == "10.0.0.5");
  CHECK(text(r.identities[0], "method") == "GET");
}

TEST_CASE("http: request without User-Agent and 304 carry no identity") {
  CHECK(decode_http_stream(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), false).outcome == DecodeOutcome::no_identity);
  const auto r = decode_http_stream(bytes("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::no_identity);
  CHECK(r.consumed == 49);
}

TEST_CASE("http: a response delimited by close is reported and consumes everything") {
  const std::string msg = "HTTP/1.0 200 OK\r\nServer: Boa/0.94.14rc21\r\n\r\n<html><title>PLC</title>";
  const auto r = decode_http_stream(bytes(msg), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == msg.size());
  CHECK(text(r.identities[0], "title") == "PLC");
}

TEST_CASE("http: a long body is awaited up to 64 KiB, then reported") {
  std::string msg = "HTTP/1.1 200 OK\r\nServer: lighttpd\r\nContent-Length: 1000000\r\n\r\n<title>Big</title>";
  CHECK(decode_http_stream(bytes(msg), true).outcome == DecodeOutcome::need_more);
  msg += std::string(kHttpMaxBodyWait, 'x');
  const auto r = decode_http_stream(bytes(msg), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "title") == "Big");
  CHECK(r.consumed == msg.size());
}

TEST_CASE("http: oversized header blocks and lying lengths are malformed") {
  std::string huge = "HTTP/1.1 200 OK\r\nX-Filler: " + std::string(kHttpMaxHeaderBlock, 'a');
  auto r = decode_http_stream(bytes(huge), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("http: header block"));
  r = decode_http_stream(bytes("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  r = decode_http_stream(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  r = decode_http_stream(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  r = decode_http_stream(bytes("HTTP/1.1 2x0 OK\r\n\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  r = decode_http_stream(bytes(kUnauthorized + "garbage after\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.identities.size() == 1);
  CHECK(r.consumed == kUnauthorized.size());
}

TEST_CASE("http: control characters and format strings are sanitized") {
  const auto r = decode_http_stream(bytes("HTTP/1.1 200 OK\r\nServer: %s%n\x1b[0m\x7f\r\nContent-Length: 0\r\n\r\n"), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "server") == "%s%n\xEF\xBF\xBD[0m\xEF\xBF\xBD");
}

TEST_CASE("http: garbage, TLS and wrong direction are not HTTP") {
  CHECK(decode_http_stream(Buf{22, 3, 1, 0, 5}, true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_http_stream(bytes("SSH-2.0-x\r\n"), true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_http_stream(bytes("GET / HTTP/1.1\r\n\r\n"), true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_http_stream(bytes("HTTP/1.1 200 OK\r\n\r\n"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_http_stream(bytes("HTT"), true).outcome == DecodeOutcome::need_more);
  CHECK(decode_http_stream(bytes("GE"), false).outcome == DecodeOutcome::need_more);
}
