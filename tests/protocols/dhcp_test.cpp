// DHCPv4 decoder: messages built here after RFC 2131/2132 (a udhcpc DISCOVER as a Teltonika
// router sends it, a server OFFER), then cut, lied about and filled with control characters.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/dhcp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;


Buf header(std::uint8_t op) {
  Buf b(236, 0);
  b[0] = op;
  b[1] = 1;  // Ethernet
  b[2] = 6;
  b[4] = 0x12, b[5] = 0x34, b[6] = 0x56, b[7] = 0x78;  // xid
  const std::uint8_t mac[6] = {0x00, 0x1e, 0x42, 0x2a, 0x0b, 0x11};
  for (int i = 0; i < 6; ++i) b[28 + static_cast<std::size_t>(i)] = mac[i];
  for (int c : {99, 130, 83, 99}) b.push_back(static_cast<std::uint8_t>(c));
  return b;
}
void option(Buf& b, std::uint8_t code, std::string_view value) {
  b.push_back(code);
  b.push_back(static_cast<std::uint8_t>(value.size()));
  b.insert(b.end(), value.begin(), value.end());
}
void option(Buf& b, std::uint8_t code, std::initializer_list<std::uint8_t> value) {
  b.push_back(code);
  b.push_back(static_cast<std::uint8_t>(value.size()));
  for (std::uint8_t c : value) b.push_back(c);
}

Buf discover() {
  Buf b = header(1);
  option(b, 53, {1});
  option(b, 61, {1, 0x00, 0x1e, 0x42, 0x2a, 0x0b, 0x11});
  option(b, 50, {192, 168, 1, 50});
  option(b, 12, "Teltonika-RUTX11.com");
  option(b, 60, "udhcp 1.35.0");
  option(b, 55, {1, 3, 6, 12, 15, 28, 42});
  b.push_back(255);
  b.insert(b.end(), 20, 0);  // padding after End
  return b;
}

}  // namespace

TEST_CASE("dhcp: DISCOVER carries the client's hostname, vendor class and fingerprint") {
  const auto r = decode_dhcp(discover());
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "dhcp.request");
  CHECK(id.about_sender);
  CHECK(text(id, "client.mac") == "00:1e:42:2a:0b:11");
  CHECK(text(id, "hostname") == "Teltonika-RUTX11.com");
  CHECK(text(id, "vendor.class") == "udhcp 1.35.0");
  CHECK(text(id, "parameter.list") == "1,3,6,12,15,28,42");
  CHECK(text(id, "client.id") == "01001e422a0b11");
  CHECK(text(id, "requested.ip") == "192.168.1.50");
  CHECK(text(id, "message.type") == "discover");
  CHECK(field(id, "client.ip") == nullptr);
}

TEST_CASE("dhcp: OFFER is about the client it names, with the server id") {
  Buf b = header(2);
  b[16] = 192, b[17] = 168, b[18] = 1, b[19] = 50;  // yiaddr
  option(b, 53, {2});
  option(b, 54, {192, 168, 1, 1});
  option(b, 51, {0, 0, 0x0e, 0x10});
  b.push_back(255);
  const auto r = decode_dhcp(b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "dhcp.offer");
  CHECK_FALSE(id.about_sender);
  CHECK(text(id, "your.ip") == "192.168.1.50");
  CHECK(text(id, "server.id") == "192.168.1.1");
  CHECK(text(id, "client.mac") == "00:1e:42:2a:0b:11");
  CHECK(text(id, "message.type") == "offer");
}

TEST_CASE("dhcp: NAK and replies without an address carry no identity") {
  Buf b = header(2);
  option(b, 53, {6});
  b.push_back(255);
  CHECK(decode_dhcp(b).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("dhcp: plain BOOTP request, missing End, and overload ignored") {
  Buf b = header(1);
  option(b, 52, {3});  // options continued in sname/file: not read
  option(b, 12, "bootp-host");
  const auto r = decode_dhcp(b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "message.type") == "bootp");
  CHECK(text(r.identities[0], "hostname") == "bootp-host");
}

TEST_CASE("dhcp: split options are concatenated (RFC 3396)") {
  Buf b = header(1);
  option(b, 53, {3});
  option(b, 12, "plc-");
  option(b, 12, "line7");
  b.push_back(255);
  const auto r = decode_dhcp(b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "hostname") == "plc-line7");
  CHECK(text(r.identities[0], "message.type") == "request");
}

TEST_CASE("dhcp: control characters and format strings are sanitized") {
  Buf b = header(1);
  option(b, 53, {1});
  option(b, 12, std::string_view("%s%n\x1b[31mX\n", 11));
  b.push_back(255);
  const auto r = decode_dhcp(b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "hostname") == "%s%n\xEF\xBF\xBD[31mX\xEF\xBF\xBD");
}

TEST_CASE("dhcp: lying option lengths are malformed") {
  Buf b = header(1);
  option(b, 53, {1});
  b.push_back(12);
  b.push_back(200);  // 200 bytes announced, 3 present
  b.insert(b.end(), {'a', 'b', 'c'});
  const auto r = decode_dhcp(b);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("dhcp: option 12"));
  Buf wrong_type = header(1);
  option(wrong_type, 53, {1, 2});
  CHECK(decode_dhcp(wrong_type).outcome == DecodeOutcome::malformed);
}

TEST_CASE("dhcp: truncated at every offset never reads past the data") {
  const Buf full = discover();
  for (std::size_t n = 0; n < full.size(); ++n) {
    const Buf cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    const auto r = decode_dhcp(cut);
    if (n < 240) CHECK(r.outcome == DecodeOutcome::not_protocol);
    else CHECK((r.outcome == DecodeOutcome::identified || r.outcome == DecodeOutcome::malformed));
    CHECK(r.consumed == 0);
  }
}

TEST_CASE("dhcp: garbage, wrong op, wrong cookie are not DHCP") {
  Buf garbage(300, 0xAB);
  CHECK(decode_dhcp(garbage).outcome == DecodeOutcome::not_protocol);
  Buf b = discover();
  b[0] = 3;
  CHECK(decode_dhcp(b).outcome == DecodeOutcome::not_protocol);
  b = discover();
  b[239] = 98;
  CHECK(decode_dhcp(b).outcome == DecodeOutcome::not_protocol);
  b = discover();
  b[2] = 17;
  CHECK(decode_dhcp(b).outcome == DecodeOutcome::not_protocol);
}

TEST_CASE("dhcp: a parameter list concatenated from many options stays bounded") {
  Buf b = header(1);
  for (int i = 0; i < 5; ++i) {
    b.push_back(55);
    b.push_back(255);
    for (int k = 0; k < 255; ++k) b.push_back(200);
  }
  b.push_back(255);
  const auto r = decode_dhcp(b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "parameter.list").size() <= 1024);
}
