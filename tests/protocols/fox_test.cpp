// Niagara Fox identity decoder. The corpus capture misc/niagara_fox_hello.pcap has no licence
// (local only), so its bytes are not copied here: the messages below follow its layout with the
// identity values listed in the corpus MANIFEST (station "Station" 3.5.41.1 on QNX, J9 VM;
// Workbench 3.7.44 client) and neutral host names and addresses (RFC 5737).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/protocols/protocol_test_support.hpp"
#include "scanner/protocols/fox.hpp"

using namespace herkomst;
using namespace herkomst::protocols;
using namespace herkomst::protocols::test;

namespace {

using Buf = std::vector<std::uint8_t>;

Buf bytes(std::string_view s) { return Buf(s.begin(), s.end()); }

const std::string kSysInfo = "<bog version=\"1.0\">\n<p m=\"b=baja\" t=\"b:Facets\" v=\"\"/>\n</bog>\n";
const Buf kStationHello = bytes(
    "fox a 0 -1 fox hello\n{\nfox.version=s:1.0\nid=i:2\nhostName=s:jace-lab\nhostAddress=s:192.0.2.15\n"
    "app.name=s:Station\napp.version=s:3.5.41.1\nvm.name=s:J9\nvm.version=s:2.3\nos.name=s:QNX\nos.version=s:6.3.2\n"
    "station.name=s:Lab_Station\nlang=s:en\ntimeZone=s:Australia/Perth;28800000;0;null;null\n"
    "hostId=s:Qnx-TEST-0000-0000-0000\nvmUuid=s:00000000-0000-0000-0000-000000000000\nbrandId=s:vykon\n"
    "sysInfo=o:bog " + std::to_string(kSysInfo.size()) + "[" + kSysInfo + "]\n};;\n");
const Buf kChallenge = concat({bytes("fox a 1 -1 fox challenge\n{\nmethod=s:digest-md5\nnonce=b:8["),
                               Buf{0x00, 0x0a, '}', ';', ';', 0x0a, 0xff, 0x01},  // binary, with "\n};;\n" inside
                               bytes("]\n};;\n")});
const Buf kWorkbenchHello = bytes(
    "fox a 1 -1 fox hello\n{\nfox.version=s:1.0\nid=i:1\nhostName=s:eng-ws\nhostAddress=s:198.51.100.7\n"
    "app.name=s:Workbench\napp.version=s:3.7.44\nvm.name=s:Java HotSpot(TM) Server VM\nvm.version=s:20.4-b02\n"
    "os.name=s:Windows XP\nos.version=s:5.1\nlang=s:en\nhostId=s:Win-TEST-0000-0000-0000\nbrandId=s:vykon\n};;\n");

}  // namespace

TEST_CASE("fox: station hello, then a challenge with a binary blob", "[fox]") {
  const auto stream = concat({kStationHello, kChallenge});
  const IdentityResult r = decode_fox_stream(stream, true);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  CHECK(r.consumed == stream.size());
  REQUIRE(r.identities.size() == 1);
  const Identity& id = r.identities[0];
  CHECK(id.signal == "fox.hello");
  CHECK(id.about_sender);
  CHECK(text(id, "role") == "server");
  CHECK(text(id, "app.name") == "Station");
  CHECK(text(id, "app.version") == "3.5.41.1");
  CHECK(text(id, "os.name") == "QNX");
  CHECK(text(id, "os.version") == "6.3.2");
  CHECK(text(id, "vm.name") == "J9");
  CHECK(text(id, "vm.version") == "2.3");
  CHECK(text(id, "host.id") == "Qnx-TEST-0000-0000-0000");
  CHECK(text(id, "host.name") == "jace-lab");
  CHECK(text(id, "host.address") == "192.0.2.15");
  CHECK(text(id, "station.name") == "Lab_Station");
  CHECK(text(id, "brand.id") == "vykon");
  CHECK(text(id, "fox.version") == "1.0");
  CHECK(text(id, "lang") == "<missing>");
}

TEST_CASE("fox: the Workbench client's hello", "[fox]") {
  const IdentityResult r = decode_fox_stream(kWorkbenchHello, false);
  REQUIRE(r.outcome == DecodeOutcome::identified);
  REQUIRE(r.identities.size() == 1);
  CHECK(text(r.identities[0], "role") == "client");
  CHECK(text(r.identities[0], "app.name") == "Workbench");
  CHECK(text(r.identities[0], "os.name") == "Windows XP");
  CHECK(decode_fox_stream(kChallenge, true).outcome == DecodeOutcome::no_identity);
}

TEST_CASE("fox: truncated at every offset, and split across calls", "[fox]") {
  const auto stream = concat({kStationHello, kChallenge});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const IdentityResult r = decode_fox_stream(std::span(stream).first(n), true);
    CHECK(r.consumed <= n);
    CHECK(r.outcome != DecodeOutcome::malformed);
    CHECK(r.outcome != DecodeOutcome::not_protocol);
    if (n < kStationHello.size()) CHECK(r.identities.empty());
    Buf buffer(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(n));
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.consumed));
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(n), stream.end());
    const IdentityResult second = decode_fox_stream(buffer, true);
    CHECK(r.identities.size() + second.identities.size() == 1);
    CHECK(second.consumed == buffer.size());
  }
}

TEST_CASE("fox: back to back", "[fox]") {
  const auto stream = concat({kWorkbenchHello, kWorkbenchHello});
  const IdentityResult r = decode_fox_stream(stream, false);
  CHECK(r.identities.size() == 2);
  CHECK(r.consumed == stream.size());
}

TEST_CASE("fox: broken framing and lying lengths are malformed", "[fox]") {
  SECTION("blob length shorter than the blob") {
    const auto bad = bytes("fox a 1 -1 fox challenge\n{\nnonce=b:2[abcd]\n};;\n");
    const IdentityResult r = decode_fox_stream(concat({kWorkbenchHello, bad}), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("fox: blob \"nonce\" of 2 bytes not followed by \"]\""));
    CHECK(r.consumed == kWorkbenchHello.size());
    CHECK(r.identities.size() == 1);  // the hello before it is kept
  }
  SECTION("blob length beyond the message bound") {
    const auto bad = bytes("fox a 1 -1 fox challenge\n{\nnonce=b:9999999[abcd]\n};;\n");
    const IdentityResult r = decode_fox_stream(bad, false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("fox: blob length 9999999 exceeds"));
  }
  SECTION("no opening brace") {
    const IdentityResult r = decode_fox_stream(bytes("fox a 1 -1 fox hello\napp.name=s:x\n};;\n"), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error == "fox: header not followed by \"{\" at offset 0");
  }
  SECTION("a line without key") {
    const IdentityResult r = decode_fox_stream(bytes("fox a 1 -1 fox hello\n{\ngarbage\n};;\n"), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
  }
  SECTION("an endless line") {
    const auto bad = concat({bytes("fox a 1 -1 fox hello\n{\napp.name=s:"), Buf(kFoxMaxLineSize + 10, 'x')});
    const IdentityResult r = decode_fox_stream(bad, false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("fox: line longer than"));
  }
  SECTION("a message beyond the bound") {
    Buf bad = bytes("fox a 1 -1 fox hello\n{\n");
    while (bad.size() <= kFoxMaxMessageSize + 10) {
      const auto line = bytes("k=s:vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n");
      bad.insert(bad.end(), line.begin(), line.end());
    }
    const IdentityResult r = decode_fox_stream(bad, false);
    CHECK(r.outcome == DecodeOutcome::malformed);
    CHECK(r.error.starts_with("fox: message longer than"));
  }
  SECTION("nested blocks are read, too deep is malformed") {
    const IdentityResult ok =
        decode_fox_stream(bytes("fox a 1 -1 fox hello\n{\nx={\ny=s:1\n}\napp.name=s:Station\n};;\n"), true);
    REQUIRE(ok.outcome == DecodeOutcome::identified);
    CHECK(text(ok.identities[0], "app.name") == "Station");
    std::string deep = "fox a 1 -1 fox hello\n{\n";
    for (int i = 0; i < 20; ++i) deep += "x={\n";
    const IdentityResult r = decode_fox_stream(bytes(deep), false);
    CHECK(r.outcome == DecodeOutcome::malformed);
  }
}

TEST_CASE("fox: other protocols are not Fox", "[fox]") {
  CHECK(decode_fox_stream(bytes("GET / HTTP/1.1\r\n"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_fox_stream(bytes("foxy"), false).outcome == DecodeOutcome::not_protocol);
  CHECK(decode_fox_stream(Buf{0x03, 0x00, 0x00, 0x16}, false).outcome == DecodeOutcome::not_protocol);
  const IdentityResult start = decode_fox_stream(bytes("fo"), false);
  CHECK(start.outcome == DecodeOutcome::need_more);
  CHECK(start.consumed == 0);
}
