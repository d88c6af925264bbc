// Which MACs and IPs are one device: ARP, link-local, single-address hosts, gateways.
#include <catch2/catch.hpp>

#include <algorithm>

#include "inventory/asset_builder.hpp"

using namespace herkomst;

namespace {

SubjectKey mac(const std::string& v) { return {KeyKind::mac, v}; }
SubjectKey ip4(const std::string& v) { return {KeyKind::ipv4, v}; }
SubjectKey ip6(const std::string& v) { return {KeyKind::ipv6, v}; }

struct Builder {
  std::vector<Observation> obs;
  void add(const std::string& signal, std::vector<SubjectKey> subjects) {
    Observation o;
    o.id = obs.size() + 1;
    o.signal = signal;
    o.subjects = std::move(subjects);
    o.evidence.input = "t.pcap";
    o.evidence.add(o.id, 0);
    obs.push_back(std::move(o));
  }
};

const Asset* find(const std::vector<Asset>& assets, const std::string& ref) {
  auto it = std::find_if(assets.begin(), assets.end(), [&](const Asset& a) { return a.ref == ref; });
  return it == assets.end() ? nullptr : &*it;
}

bool has_key(const Asset& a, const SubjectKey& k) { return std::find(a.keys.begin(), a.keys.end(), k) != a.keys.end(); }

}  // namespace

TEST_CASE("a MAC sending from one IPv4 address is that host") {
  Builder b;
  b.add("ethernet.source", {mac("00:1b:1b:00:00:01")});
  b.add("ip.source", {mac("00:1b:1b:00:00:01"), ip4("10.0.0.5")});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 1);
  CHECK(assets[0].ref == "asset:mac:00:1b:1b:00:00:01");
  CHECK(has_key(assets[0], ip4("10.0.0.5")));
  CHECK(assets[0].components[0].ref == "device:mac:00:1b:1b:00:00:01");
  CHECK(assets[0].components[0].observation_ids == std::vector<std::uint64_t>{1, 2});
  CHECK(assets[0].components[0].best("role") == nullptr);
}

TEST_CASE("a router's MAC seen with many IPs is one gateway device and the IPs are reached via it") {
  Builder b;
  b.add("arp.sender", {mac("00:00:0c:00:00:01"), ip4("10.0.0.1")});
  b.add("ip.source", {mac("00:00:0c:00:00:01"), ip4("10.0.0.1")});
  for (int i = 1; i <= 5; ++i) b.add("ip.source", {mac("00:00:0c:00:00:01"), ip4("172.16.0." + std::to_string(i))});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 6);  // the router + 5 remote hosts, not 6 routers
  const Asset* router = find(assets, "asset:mac:00:00:0c:00:00:01");
  REQUIRE(router);
  CHECK(router->keys == std::vector<SubjectKey>{mac("00:00:0c:00:00:01"), ip4("10.0.0.1")});
  REQUIRE(router->components[0].best("role"));
  CHECK(router->components[0].best("role")->value == "gateway");
  const Asset* remote = find(assets, "asset:ipv4:172.16.0.3");
  REQUIRE(remote);
  CHECK(remote->keys == std::vector<SubjectKey>{ip4("172.16.0.3")});
  const Claim* via = remote->components[0].best("network.via");
  REQUIRE(via);
  CHECK(via->value == "mac:00:00:0c:00:00:01");
  CHECK(via->rule == std::string(kRuleVia));
  CHECK(via->observation_id != 0);
}

TEST_CASE("without ARP, a MAC with two IPv4 sources is a gateway for both") {
  Builder b;
  b.add("ip.source", {mac("00:00:0c:00:00:02"), ip4("192.0.2.1")});
  b.add("ip.source", {mac("00:00:0c:00:00:02"), ip4("192.0.2.2")});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 3);
  CHECK(find(assets, "asset:ipv4:192.0.2.1"));
  CHECK(find(assets, "asset:mac:00:00:0c:00:00:02")->components[0].best("role")->value == "gateway");
}

TEST_CASE("ARP binds an address even when another MAC forwarded it") {
  Builder b;
  b.add("arp.sender", {mac("00:1b:1b:00:00:09"), ip4("10.0.0.9")});
  b.add("ip.source", {mac("00:00:0c:00:00:01"), ip4("10.0.0.9")});  // seen through the router too
  b.add("ip.source", {mac("00:00:0c:00:00:01"), ip4("10.0.0.1")});
  auto assets = build_assets(b.obs);
  const Asset* plc = find(assets, "asset:mac:00:1b:1b:00:00:09");
  REQUIRE(plc);
  CHECK(has_key(*plc, ip4("10.0.0.9")));
  CHECK_FALSE(find(assets, "asset:ipv4:10.0.0.9"));
  // The PLC's observations include the one seen through the router (same IP).
  CHECK(plc->components[0].observation_ids == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("IPv6 link-local addresses stay with their MAC next to an IPv4 address") {
  Builder b;
  b.add("ip.source", {mac("00:1b:1b:00:00:01"), ip4("10.0.0.5")});
  b.add("ip.source", {mac("00:1b:1b:00:00:01"), ip6("fe80::21b:1bff:fe00:1")});
  b.add("ip.source", {mac("00:1b:1b:00:00:01"), ip6("2001:db8::5")});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 1);
  CHECK(assets[0].keys.size() == 4);
  CHECK(assets[0].components[0].best("role") == nullptr);
}

TEST_CASE("captures without link layer give IP-only assets") {
  Builder b;
  b.add("ip.source", {ip4("10.1.1.1")});
  b.add("ip.source", {ip4("10.1.1.2")});
  b.add("tcp.service", {ip4("10.1.1.2")});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 2);
  CHECK(assets[0].ref == "asset:ipv4:10.1.1.1");
  CHECK(assets[1].components[0].observation_ids == std::vector<std::uint64_t>{2, 3});
  CHECK(assets[1].components[0].claims.empty());
}

TEST_CASE("the result does not depend on observation order") {
  Builder b;
  b.add("arp.sender", {mac("00:00:0c:00:00:01"), ip4("10.0.0.1")});
  b.add("ip.source", {mac("00:00:0c:00:00:01"), ip4("172.16.0.1")});
  b.add("ip.source", {mac("00:1b:1b:00:00:01"), ip4("10.0.0.5")});
  auto first = build_assets(b.obs);
  std::reverse(b.obs.begin(), b.obs.end());
  auto second = build_assets(b.obs);
  REQUIRE(first.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].ref == second[i].ref);
    CHECK(first[i].keys == second[i].keys);
    CHECK(first[i].components[0].observation_ids == second[i].components[0].observation_ids);
  }
}

TEST_CASE("an address that only arrives with a decremented TTL is behind a router, even alone") {
  Builder b;
  b.add("ip.source", {mac("00:19:07:24:3c:ca"), ip4("10.1.1.164")});
  b.obs.back().fields.push_back({"hops", std::int64_t{12}});
  b.add("ip.source", {mac("3c:a9:f4:21:22:f8"), ip4("10.1.1.167")});
  b.obs.back().fields.push_back({"hops", std::int64_t{0}});
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 3);
  const Asset* router = find(assets, "asset:mac:00:19:07:24:3c:ca");
  REQUIRE(router);
  CHECK(router->keys.size() == 1);
  CHECK(router->components[0].best("role")->value == "gateway");
  const Asset* adapter = find(assets, "asset:ipv4:10.1.1.164");
  REQUIRE(adapter);
  CHECK(adapter->components[0].best("network.via")->value == "mac:00:19:07:24:3c:ca");
  CHECK(has_key(*find(assets, "asset:mac:3c:a9:f4:21:22:f8"), ip4("10.1.1.167")));
}

namespace {

// An ip.source sighting at hops 0 between two times (seconds).
void add_direct(Builder& b, const SubjectKey& m, const SubjectKey& ip, std::int64_t from_s, std::int64_t to_s,
                std::int64_t hops = 0) {
  Observation o;
  o.id = b.obs.size() + 1;
  o.signal = "ip.source";
  o.subjects = {m, ip};
  o.fields = {{"hops", hops}};
  o.evidence.input = "t.pcap";
  o.evidence.add(o.id * 10, from_s * 1000000);
  o.evidence.add(o.id * 10 + 1, to_s * 1000000);
  b.obs.push_back(std::move(o));
}

}  // namespace

TEST_CASE("a MAC that moved from one address to another is one device with both") {
  // The OpenICS ControlLogix: its Ethernet module used .125, rebooted, and took .120.
  Builder b;
  const auto m = mac("00:00:bc:3e:eb:e4");
  add_direct(b, m, ip4("192.168.10.125"), 0, 100);
  b.add("arp.sender", {m, ip4("192.168.10.120")});
  add_direct(b, m, ip4("192.168.10.120"), 193, 270);
  auto assets = build_assets(b.obs);
  REQUIRE(assets.size() == 1);
  CHECK(assets[0].keys == std::vector<SubjectKey>{m, ip4("192.168.10.120"), ip4("192.168.10.125")});
  CHECK(assets[0].components[0].best("role") == nullptr);
}

TEST_CASE("addresses used at the same time, or reached over a hop, still make a gateway") {
  SECTION("overlapping spans") {
    Builder b;
    const auto m = mac("00:00:0c:00:00:01");
    add_direct(b, m, ip4("10.0.0.7"), 0, 100);
    add_direct(b, m, ip4("10.0.0.8"), 50, 150);
    auto assets = build_assets(b.obs);
    REQUIRE(assets.size() == 3);
    const Asset* router = find(assets, "asset:mac:00:00:0c:00:00:01");
    REQUIRE(router);
    REQUIRE(router->components[0].best("role"));
    CHECK(router->components[0].best("role")->value == "gateway");
  }
  SECTION("one address after another, but the later one routed") {
    Builder b;
    const auto m = mac("00:00:0c:00:00:01");
    add_direct(b, m, ip4("10.0.0.7"), 0, 100);
    add_direct(b, m, ip4("172.16.0.9"), 200, 300, 2);
    auto assets = build_assets(b.obs);
    const Asset* remote = find(assets, "asset:ipv4:172.16.0.9");
    REQUIRE(remote);
    REQUIRE(remote->components[0].best("network.via"));
  }
}

TEST_CASE("a DHCP ACK binds the granted address to the client MAC") {
  Builder b;
  const auto client = mac("00:1e:42:2a:0b:11");
  const auto router = mac("00:00:0c:00:00:01");
  // The client's own traffic is seen only through the router (as after a relay): without the
  // grant, .50 would be an address the router forwarded.
  add_direct(b, router, ip4("192.168.1.50"), 0, 10);
  add_direct(b, router, ip4("192.168.1.1"), 0, 10);
  Observation ack;
  ack.id = b.obs.size() + 1;
  ack.signal = "dhcp.offer";
  ack.subjects = {client};
  ack.fields = {{"client.mac", std::string("00:1e:42:2a:0b:11")},
                {"message.type", std::string("ack")},
                {"your.ip", std::string("192.168.1.50")}};
  ack.evidence.add(99, 5000000);
  b.obs.push_back(ack);
  Observation offer = ack;  // an offer alone grants nothing
  offer.id = ack.id + 1;
  offer.fields = {{"client.mac", std::string("00:1e:42:2a:0b:12")},
                  {"message.type", std::string("offer")},
                  {"your.ip", std::string("192.168.1.51")}};
  offer.subjects = {mac("00:1e:42:2a:0b:12")};
  b.obs.push_back(offer);

  auto assets = build_assets(b.obs);
  const Asset* c = find(assets, "asset:mac:00:1e:42:2a:0b:11");
  REQUIRE(c);
  CHECK(has_key(*c, ip4("192.168.1.50")));
  CHECK(find(assets, "asset:ipv4:192.168.1.50") == nullptr);
  const Asset* other = find(assets, "asset:mac:00:1e:42:2a:0b:12");
  REQUIRE(other);
  CHECK_FALSE(has_key(*other, ip4("192.168.1.51")));
}
