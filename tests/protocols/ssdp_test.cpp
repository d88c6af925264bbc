// SSDP decoder: NOTIFY, search response and M-SEARCH as UPnP devices and control points send
// them (UPnP Device Architecture 2.0 section 1).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/ssdp.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;
Buf bytes(std::string_view s) { return Buf(s.begin(), s.end()); }

const std::string kNotify =
    "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
    "LOCATION: http://192.168.1.20:49152/rootDesc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
    "SERVER: Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.19\r\n"
    "USN: uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice\r\n\r\n";

}  // namespace

TEST_CASE("ssdp: NOTIFY advertises the sender") {
  const auto r = decode_ssdp(bytes(kNotify));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  const Identity& id = r.identities.at(0);
  CHECK(id.signal == "ssdp.advertisement");
  CHECK(id.about_sender);
  CHECK(text(id, "server") == "Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.19");
  CHECK(text(id, "location") == "http://192.168.1.20:49152/rootDesc.xml");
  CHECK(text(id, "usn") == "uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice");
  CHECK(text(id, "nt") == "upnp:rootdevice");
  CHECK(text(id, "nts") == "ssdp:alive");
  CHECK(text(id, "cache.control") == "max-age=1800");
}

TEST_CASE("ssdp: search response, lower-case headers, LF only") {
  const auto r = decode_ssdp(bytes("HTTP/1.1 200 OK\nst: urn:schemas-upnp-org:device:InternetGatewayDevice:1\n"
                                   "server: WAGO/1.0 UPnP/1.1\nlocation: http://10.0.0.2/desc.xml\n\n"));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "st") == "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
  CHECK(text(r.identities[0], "server") == "WAGO/1.0 UPnP/1.1");
}

TEST_CASE("ssdp: M-SEARCH with and without USER-AGENT") {
  const std::string search = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n";
  CHECK(decode_ssdp(bytes(search + "\r\n")).outcome == DecodeOutcome::no_identity);
  const auto r = decode_ssdp(bytes(search + "USER-AGENT: Windows/10.0 UPnP/2.0 Chrome/120\r\n\r\n"));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.identities[0].signal == "ssdp.search");
  CHECK(text(r.identities[0], "user.agent") == "Windows/10.0 UPnP/2.0 Chrome/120");
}

TEST_CASE("ssdp: truncated at every offset, sanitized values") {
  for (std::size_t n = 0; n <= kNotify.size(); ++n) {
    const auto r = decode_ssdp(bytes(kNotify.substr(0, n)));
    CHECK(r.outcome != DecodeOutcome::need_more);
    CHECK(r.consumed == 0);
  }
  const auto r = decode_ssdp(bytes("NOTIFY * HTTP/1.1\r\nSERVER: %s%s%n\x01\x02\r\n\r\n"));
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(text(r.identities[0], "server") == "%s%s%n\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("ssdp: garbage and other HTTP are not SSDP, and oversized header block is malformed") {
  CHECK(decode_ssdp(bytes("GET / HTTP/1.1\r\n\r\n")).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_ssdp(bytes("HTTP/1.1 404 Not Found\r\n\r\n")).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_ssdp(Buf(40, 0xee)).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_ssdp(bytes("NOTIFY * HTTP/1.1")).outcome == DecodeOutcome::malformed);
  std::string big = "NOTIFY * HTTP/1.1\r\n";
  for (int i = 0; i < 400; ++i) big += "X-PAD: aaaaaaaaaaaaaaaaaaaa\r\n";
  const auto r = decode_ssdp(bytes(big));
  CHECK(r.outcome == DecodeOutcome::malformed);
  CHECK(r.error.starts_with("ssdp: header block"));
}
