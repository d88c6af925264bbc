// DNS and mDNS decoder: queries and a DNS-SD announcement built here after RFC 1035 / 6762 /
// 6763 (an IPP printer announcing itself, compressed as responders do), compression-pointer
// loops, overlong names, truncation at every offset.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/dns.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;


struct Msg {
  Buf b;
  void u16(std::size_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
  }
  void header(std::size_t flags, std::size_t qd, std::size_t an, std::size_t ns = 0, std::size_t ar = 0) {
    u16(0x1234);
    u16(flags);
    u16(qd);
    u16(an);
    u16(ns);
    u16(ar);
  }
  // Labels, then either a pointer to `ptr` or the root label. Returns the name's offset.
  std::size_t name(std::initializer_list<std::string_view> labels, int ptr = -1) {
    const std::size_t at = b.size();
    for (std::string_view l : labels) {
      b.push_back(static_cast<std::uint8_t>(l.size()));
      b.insert(b.end(), l.begin(), l.end());
    }
    if (ptr >= 0) u16(0xC000 | static_cast<std::size_t>(ptr));
    else b.push_back(0);
    return at;
  }
  // Record head (type, class, ttl); returns where rdlength goes.
  std::size_t rr(std::size_t type, std::size_t cls = 0x8001) {
    u16(type);
    u16(cls);
    u16(0);
    u16(120);
    const std::size_t at = b.size();
    u16(0);
    return at;
  }
  void end_rr(std::size_t at) {
    const std::size_t len = b.size() - at - 2;
    b[at] = static_cast<std::uint8_t>(len >> 8);
    b[at + 1] = static_cast<std::uint8_t>(len);
  }
  void txt(std::string_view s) {
    b.push_back(static_cast<std::uint8_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
  }
};

Buf query() {
  Msg m;
  m.header(0x0100, 2, 0);
  m.name({"plc1", "example", "com"});
  m.u16(1);
  m.u16(1);
  m.name({"_opcua-tcp", "_tcp"}, 17);  // pointer to "example.com"
  m.u16(12);
  m.u16(1);
  return m.b;
}

Buf announcement() {
  Msg m;
  m.header(0x8400, 0, 4);
  const std::size_t service = m.name({"_ipp", "_tcp", "local"});
  const std::size_t local = service + 10;
  std::size_t at = m.rr(12, 1);
  const std::size_t instance = m.name({"Office Printer"}, static_cast<int>(service));
  m.end_rr(at);
  m.name({}, static_cast<int>(instance));
  at = m.rr(33);
  m.u16(0);
  m.u16(0);
  m.u16(631);
  const std::size_t host = m.name({"printer"}, static_cast<int>(local));
  m.end_rr(at);
  m.name({}, static_cast<int>(instance));
  at = m.rr(16);
  m.txt("txtvers=1");
  m.txt("ty=HP LaserJet M404");
  m.txt("usb_MDL=LaserJet M404");
  m.txt("noequal");
  m.txt("=novalue");
  m.txt(std::string_view("note=%s%n\x1b\x07", 11));
  m.end_rr(at);
  m.name({}, static_cast<int>(host));
  at = m.rr(1);
  m.b.insert(m.b.end(), {192, 168, 1, 9});
  m.end_rr(at);
  return m.b;
}

}  // namespace

TEST_CASE("dns: one dns.query per question, compressed names followed") {
  const auto r = decode_dns(query());
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 2);
  CHECK(r.identities[0].signal == "dns.query");
  CHECK(r.identities[0].about_sender);
  CHECK(text(r.identities[0], "name") == "plc1.example.com");
  CHECK(text(r.identities[0], "type") == "A");
  CHECK(field(r.identities[0], "mdns") == nullptr);
  CHECK(text(r.identities[1], "name") == "_opcua-tcp._tcp.example.com");
  CHECK(text(r.identities[1], "type") == "PTR");
}

TEST_CASE("dns: responses carry no identity on port 53") {
  Msg m;
  m.header(0x8180, 1, 1);
  m.name({"a", "example"});
  m.u16(1);
  m.u16(1);
  m.name({}, 12);
  const std::size_t at = m.rr(1, 1);
  m.b.insert(m.b.end(), {10, 0, 0, 1});
  m.end_rr(at);
  CHECK(decode_dns(m.b).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("mdns: DNS-SD announcement gives the service instance") {
  const auto r = decode_mdns(announcement());
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "mdns.service");
  CHECK(id.about_sender);
  CHECK(text(id, "instance") == "Office Printer");
  CHECK(text(id, "service") == "_ipp._tcp");
  CHECK(text(id, "domain") == "local");
  CHECK(text(id, "host") == "printer.local");
  CHECK(std::get<std::int64_t>(*field(id, "port")) == 631);
  CHECK(text(id, "txt.txtvers") == "1");
  CHECK(text(id, "txt.ty") == "HP LaserJet M404");
  CHECK(text(id, "txt.usb_mdl") == "LaserJet M404");
  CHECK(text(id, "txt.note") == "%s%n\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(field(id, "txt.noequal") == nullptr);
}

TEST_CASE("mdns: queries are dns.query with mdns=true, and address-only answers are mdns.host") {
  Msg q;
  q.header(0, 1, 0);
  q.name({"_googlecast", "_tcp", "local"});
  q.u16(12);
  q.u16(0x8001);  // QU bit
  const auto r = decode_mdns(q.b);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "name") == "_googlecast._tcp.local");
  CHECK(std::get<bool>(*field(r.identities[0], "mdns")));

  Msg a;
  a.header(0x8400, 0, 1);
  a.name({"hmi-7", "local"});
  const std::size_t at = a.rr(1);
  a.b.insert(a.b.end(), {10, 1, 1, 7});
  a.end_rr(at);
  const auto h = decode_mdns(a.b);
  REQUIRE(h.outcome == DecodeOutcome::identified);
  CHECK(h.identities[0].signal == "mdns.host");
  CHECK(text(h.identities[0], "host") == "hmi-7.local");
}

TEST_CASE("dns: compression pointer loops and forward pointers are malformed") {
  Msg self;
  self.header(0x0100, 1, 0);
  self.u16(0xC00C);  // points at itself
  self.u16(1);
  self.u16(1);
  auto r = decode_dns(self.b);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("dns: compression pointer"));

  Msg loop;  // label then pointer back to the label: grows until the name bound stops it
  loop.header(0x0100, 1, 0);
  loop.name({"ab"}, 12);
  loop.u16(1);
  loop.u16(1);
  r = decode_dns(loop.b);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("dns: "));

  Msg forward;
  forward.header(0x0100, 1, 0);
  forward.u16(0xC020);
  forward.u16(1);
  forward.u16(1);
  forward.b.resize(40, 0);
  CHECK(decode_dns(forward.b).outcome == DecodeOutcome::malformed);
}

TEST_CASE("dns: names over 255 bytes are malformed") {
  Msg m;
  m.header(0x0100, 1, 0);
  const std::string l(63, 'a');
  m.name({l, l, l, l, l});
  m.u16(1);
  m.u16(1);
  const auto r = decode_dns(m.b);
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.find("exceeds 255 bytes") != std::string::npos);
}

TEST_CASE("dns: truncated at every offset never reads past the data") {
  for (const Buf& full : {query(), announcement()}) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Buf cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      const auto a = decode_mdns(cut);
      const auto b = decode_dns(cut);
      CHECK((a.outcome == DecodeOutcome::malformed || a.outcome == DecodeOutcome::not_protocol));
      CHECK(b.outcome != DecodeOutcome::identified);
      CHECK(a.consumed == 0);
    }
  }
}

TEST_CASE("dns: lying rdata lengths and garbage") {
  Buf b = announcement();
  b[b.size() - 6] = 0x01;  // A record rdlength 0x0104
  CHECK(decode_mdns(b).outcome == DecodeOutcome::malformed);
  CHECK(decode_dns(Buf(11, 0)).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_dns(Buf(64, 0xff)).outcome == DecodeOutcome::not_protocol);
  Buf empty(12, 0);
  CHECK(decode_dns(empty).outcome == DecodeOutcome::not_protocol);
  Buf counts(20, 0);
  counts[5] = 50;  // 50 questions in 8 bytes
  CHECK(decode_dns(counts).outcome == DecodeOutcome::not_protocol);
}
