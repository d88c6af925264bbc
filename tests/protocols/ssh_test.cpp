// SSH identification line decoder (RFC 4253 section 4.2).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/ssh.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;
Buf bytes(std::string_view s) { return Buf(s.begin(), s.end()); }

}  // namespace

TEST_CASE("ssh: OpenSSH server banner, binary packet after it not consumed") {
  const std::string line = "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n";
  const auto r = decode_ssh_stream(bytes(line + std::string("\x00\x00\x05\xdc\x0a\x14", 6)), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == line.size());
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "ssh.banner");
  CHECK(id.about_sender);
  CHECK(text(id, "banner") == "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1");
  CHECK(text(id, "protocol") == "2.0");
  CHECK(text(id, "software") == "OpenSSH");
  CHECK(text(id, "version") == "8.4p1");
  CHECK(text(id, "comments") == "Debian-5+deb11u1");
  CHECK(text(id, "role") == "server");
}

TEST_CASE("ssh: client and vendor variants") {
  auto r = decode_ssh_stream(bytes("SSH-2.0-dropbear_2020.81\n"), false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "software") == "dropbear");
  CHECK(text(r.identities[0], "version") == "2020.81");
  CHECK(text(r.identities[0], "role") == "client");
  r = decode_ssh_stream(bytes("SSH-1.99-Cisco-1.25\r\n"), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "protocol") == "1.99");
  CHECK(text(r.identities[0], "software") == "Cisco");
  CHECK(text(r.identities[0], "version") == "1.25");
  r = decode_ssh_stream(bytes("SSH-2.0-ROSSSH\r\n"), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "software") == "ROSSSH");
  CHECK(text(r.identities[0], "version") == "<missing>");
}

TEST_CASE("ssh: truncated at every offset waits") {
  const std::string line = "SSH-2.0-OpenSSH_9.2p1\r\n";
  for (std::size_t n = 0; n + 1 < line.size(); ++n) {
    const auto r = decode_ssh_stream(bytes(line.substr(0, n)), true);
    CHECK(r.outcome == DecodeOutcome::need_more);
    CHECK(r.consumed == 0);
  }
}

TEST_CASE("ssh: overlong line, bad protocol version and control bytes are malformed") {
  auto r = decode_ssh_stream(bytes("SSH-2.0-" + std::string(300, 'A')), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("ssh: identification line has no LF"));
  r = decode_ssh_stream(bytes("SSH-x.y-foo\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  r = decode_ssh_stream(bytes("SSH-2.0-foo\x1b[2J%n\r\n"), true);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.consumed == 19);
}

TEST_CASE("ssh: other protocols are not SSH") {
  CHECK(decode_ssh_stream(bytes("220 ProFTPD Server\r\n"), true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_ssh_stream(bytes("HTTP/1.1 200 OK\r\n"), true).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_ssh_stream(Buf{0x16, 0x03, 0x01}, false).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("ssh: non-ASCII software text is sanitized") {
  const auto r = decode_ssh_stream(bytes("SSH-2.0-Srv_1.0 caf\xc3\xa9 \xff\r\n"), true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "comments") == "caf\xc3\xa9 \xEF\xBF\xBD");
}
