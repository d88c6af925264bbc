// The site context: loading (every field checked, errors naming file and field), matching an
// asset to a zone by CIDR, VLAN or an override, per-asset overrides, and dated recording.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "assess/site_context.hpp"
#include "assess_test_support.hpp"

using namespace herkomst::assess;
using namespace herkomst::assess::test;
namespace origins = herkomst::origins;

namespace {

AssetIdentity asset(std::vector<std::string> ips, std::vector<int> vlans = {}, std::vector<std::string> macs = {},
                    std::vector<std::string> names = {}) {
  AssetIdentity a;
  a.ref = "asset:test";
  for (const auto& ip : ips) a.ips.push_back(*IpAddress::parse(ip));
  a.vlans = std::move(vlans);
  a.macs = std::move(macs);
  a.names = std::move(names);
  return a;
}

json zone(const std::string& name, json cidrs, json vlans = json::array()) {
  return {{"name", name}, {"cidrs", std::move(cidrs)}, {"vlans", std::move(vlans)}};
}

SiteContext example() {
  auto c = load_site_context(std::string(HERKOMST_SOURCE_DIR) + "/configs/context/example.json");
  if (auto* e = std::get_if<LoadError>(&c)) FAIL(e->message);
  return std::get<SiteContext>(std::move(c));
}

constexpr origins::Day kLater{2030, 1, 1};

}  // namespace

TEST_CASE("the example context loads with who recorded each fact and when") {
  const SiteContext c = example();
  CHECK(c.given());
  CHECK(c.zones.size() == 3);
  CHECK(c.version_line().rfind("Example drinking-water plant (fictitious) 2026-12-01 (", 0) == 0);
  const Zone* pc = c.zone("process-control");
  REQUIRE(pc);
  const auto& remote = pc->facts.access[index(AccessKind::vendor_remote_access)];
  REQUIRE(remote);
  CHECK(remote->value);
  CHECK(remote->recorded_by == "A. de Vries, OT security officer");  // from the top of the file
  CHECK(remote->recorded_at == origins::Day{2026, 12, 1});
  CHECK(remote->where == "zone process-control");
  CHECK(remote->note == "the integrator maintains the PLCs through the remote-access gateway");
  const Zone* building = c.zone("building");
  REQUIRE(building);
  CHECK(building->facts.vital_process->recorded_by == "B. Jansen, facility manager");  // the zone's own
  CHECK(building->facts.vital_process->recorded_at == origins::Day{2026, 11, 15});
  CHECK_FALSE(c.assets.at(1).facts.access[index(AccessKind::physical_access)]);  // not recorded: unknown
  REQUIRE(c.assets.size() == 2);
  CHECK(c.assets[1].label() == "assets[1] (mac 00:11:22:33:44:55)");
}

TEST_CASE("an asset is placed in a zone by CIDR (longest prefix), else by VLAN, else by an override") {
  const SiteContext c = load_context_ok(context_json(
      json::array({zone("wide", {"10.0.0.0/8"}), zone("narrow", {"10.10.0.0/16"}), zone("vlan-zone", json::array(), {30}),
                   zone("v6", {"fd00:10::/64"})}),
      json::array({{{"match", {{"mac", "02:AA:BB:CC:DD:EE"}}}, {"zone", "vlan-zone"}}})));
  struct Row {
    AssetIdentity asset;
    const char* zone;
    const char* why;
  };
  const std::vector<Row> rows{
      {asset({"10.10.1.5"}), "narrow", "10.10.1.5 in 10.10.0.0/16"},
      {asset({"10.99.0.1"}), "wide", "10.99.0.1 in 10.0.0.0/8"},
      {asset({"192.168.1.1"}, {30}), "vlan-zone", "VLAN 30"},
      {asset({"10.10.1.5"}, {30}), "narrow", "10.10.1.5 in 10.10.0.0/16"},
      {asset({"fd00:10::5"}), "v6", "fd00:10::5 in fd00:10::/64"},
      {asset({"10.10.1.5"}, {}, {"02:aa:bb:cc:dd:ee"}), "vlan-zone", "assets[0] (mac 02:aa:bb:cc:dd:ee) names it"},
      {asset({"192.168.1.1"}), "", ""},
      {asset({}), "", ""},
  };
  for (const auto& r : rows) {
    const AssetContext a = resolve_context(c, r.asset, kLater);
    INFO("expected zone " << r.zone);
    CHECK(a.zone == r.zone);
    CHECK(a.zone_match == r.why);
    CHECK(a.covered == (std::string(r.zone) != ""));
    CHECK(a.context_given);
  }
}

TEST_CASE("two zones tied for an asset place it in neither, and say so") {
  const SiteContext c =
      load_context_ok(context_json(json::array({zone("left", {"10.1.0.0/16"}, {5}), zone("right", {"10.1.0.0/16"}, {5})})));
  const AssetContext a = resolve_context(c, asset({"10.1.2.3"}), kLater);
  CHECK_FALSE(a.covered);
  CHECK(a.zone.empty());
  REQUIRE(a.notes.size() == 1);
  CHECK(a.notes[0] ==
        "the asset matches several zones equally: left (10.1.2.3 in 10.1.0.0/16), right (10.1.2.3 in 10.1.0.0/16); no zone "
        "is applied (place it with an asset override)");
  const AssetContext by_vlan = resolve_context(c, asset({}, {5}), kLater);
  CHECK_FALSE(by_vlan.covered);
}

TEST_CASE("asset overrides by MAC, IP or name replace the zone's facts field by field") {
  json z = zone("plant", {"10.0.0.0/8"});
  z["access"] = {{"vendor_remote_access", true}, {"cloud_connectivity", false}};
  z["mitigations"] = {{"segmentation", true}};
  json assets = json::array({
      {{"match", {{"ip", "10.0.0.7"}}}, {"access", {{"vendor_remote_access", false}}}, {"recorded_by", "C. Ip"}},
      {{"match", {{"name", "PLC-7.plant.example"}}}, {"mitigations", {{"monitoring", {{"value", true}, {"note", "SOC"}}}}}},
      {{"match", {{"mac", "02-00-00-00-00-07"}}}, {"criticality", {{"vital_process", true}, {"purdue_level", 1}}}},
  });
  const SiteContext c = load_context_ok(context_json(json::array({z}), assets));
  const AssetContext a = resolve_context(c, asset({"10.0.0.7"}, {}, {"02:00:00:00:00:07"}, {"plc-7.plant.example"}), kLater);
  CHECK(a.zone == "plant");
  CHECK(a.overrides == std::vector<std::string>{"assets[0] (ip 10.0.0.7)", "assets[1] (name plc-7.plant.example)",
                                                "assets[2] (mac 02:00:00:00:00:07)"});
  const auto& remote = a.facts.access[index(AccessKind::vendor_remote_access)];
  REQUIRE(remote);
  CHECK_FALSE(remote->value);
  CHECK(remote->recorded_by == "C. Ip");
  CHECK(remote->where == "assets[0] (ip 10.0.0.7)");
  CHECK(a.facts.access[index(AccessKind::cloud_connectivity)]->where == "zone plant");
  CHECK(a.facts.mitigations[index(Mitigation::segmentation)]->value);
  CHECK(a.facts.mitigations[index(Mitigation::monitoring)]->note == "SOC");
  CHECK(a.facts.vital_process->value);
  CHECK(a.facts.purdue_level->value == 1);
  // An override alone covers an asset outside every zone.
  const AssetContext outside = resolve_context(c, asset({"192.168.0.7"}, {}, {"02:00:00:00:00:07"}), kLater);
  CHECK(outside.covered);
  CHECK(outside.zone.empty());
}

TEST_CASE("dated recording: a fact recorded after the assessment date is not used") {
  json z = zone("plant", {"10.0.0.0/8"});
  z["access"] = {{"vendor_remote_access", true}};
  z["mitigations"] = {{"monitoring", {{"value", true}, {"recorded_at", "2026-06-01"}, {"recorded_by", "D. Later"}}}};
  const SiteContext c = load_context_ok(context_json(json::array({z})));
  const AssetContext before = resolve_context(c, asset({"10.0.0.1"}), {2026, 3, 1});
  CHECK(before.facts.access[index(AccessKind::vendor_remote_access)]);  // recorded 2026-02-01
  CHECK_FALSE(before.facts.mitigations[index(Mitigation::monitoring)]);
  REQUIRE(before.notes.size() == 1);
  CHECK(before.notes[0] ==
        "monitoring recorded on 2026-06-01 by D. Later (zone plant) is after the assessment date 2026-03-01: not used");
  const AssetContext on_the_day = resolve_context(c, asset({"10.0.0.1"}), {2026, 6, 1});
  CHECK(on_the_day.facts.mitigations[index(Mitigation::monitoring)]);
  CHECK(on_the_day.notes.empty());
}

TEST_CASE("declared networks and the site's own names") {
  const SiteContext c = example();
  CHECK(c.inside(*IpAddress::parse("10.10.1.5")));
  CHECK(c.inside(*IpAddress::parse("192.168.4.4")));  // a site network without a zone
  CHECK_FALSE(c.inside(*IpAddress::parse("203.0.113.7")));
  CHECK(c.internal_name("historian.plant.example"));
  CHECK(c.internal_name("PLANT.EXAMPLE."));
  CHECK_FALSE(c.internal_name("notplant.example"));
  CHECK_FALSE(c.internal_name("cloud.vendor.example"));
  CHECK(canonical_mac("00-1B-1b-AA-bb-CC") == "00:1b:1b:aa:bb:cc");
  CHECK_FALSE(canonical_mac("00:1b:1b:aa:bb"));
  CHECK_FALSE(canonical_mac("00:1b:1b:aa:bb:cg"));
  CHECK(SiteContext{}.version_line() == "no site context");
}

TEST_CASE("an invalid site context is refused with the file and the field") {
  const std::vector<Change> changes{
      {"/zones/0/cidrs/0", "\"10.10.0.1/16\"",
       "context.json: zones[0].cidrs[0]: '10.10.0.1/16' has host bits set (the network is 10.10.0.0/16)"},
      {"/zones/0/cidrs/0", "\"10.10.0.0/33\"", "context.json: zones[0].cidrs[0]: '10.10.0.0/33': prefix length above 32"},
      {"/zones/0/cidrs/0", "\"ten\"", "context.json: zones[0].cidrs[0]: 'ten' is not an IP network (a.b.c.d/n or IPv6/n)"},
      {"/zones/0/cidrs/0", "\"10.0.0.0/x\"", "context.json: zones[0].cidrs[0]: '10.0.0.0/x' has no valid prefix length"},
      {"/zones/0/vlans/0", "5000", "context.json: zones[0].vlans[0]: 5000 is out of range 1..4094"},
      {"/zones/0/access/vendor_remote_access/value", "\"yes\"",
       "context.json: zones[0].access.vendor_remote_access.value: must be true or false, not string"},
      {"/zones/0/access/teleport", "true", "context.json: zones[0].access.teleport: unknown access kind ..."},
      {"/zones/0/mitigations/firewall", "true", "context.json: zones[0].mitigations.firewall: unknown mitigation ..."},
      {"/zones/0/criticality/purdue_level", "7", "context.json: zones[0].criticality.purdue_level: 7 is out of range 0..5"},
      {"/zones/0/criticality/safety", "true", "context.json: zones[0].criticality: unknown field 'safety' (known: vital_process, purdue_level)"},
      {"/zones/1/access/vendor_remote_access", "{\"value\": true, \"recorded_at\": \"yesterday\"}",
       "context.json: zones[1].access.vendor_remote_access.recorded_at: 'yesterday' is not a date (YYYY-MM-DD)"},
      {"/zones/1/name", "\"process-control\"", "context.json: zones[1].name: zone 'process-control' is defined twice"},
      {"/zones/2/name", nullptr, "context.json: zones[2]: 'name' is required"},
      {"/assets/0/match", "{}", "context.json: assets[0].match: names exactly one of mac, ip, name"},
      {"/assets/0/match", "{\"mac\": \"00:11:22:33:44:55\", \"ip\": \"10.0.0.1\"}",
       "context.json: assets[0].match: names exactly one of mac, ip, name"},
      {"/assets/1/match/mac", "\"00:11\"",
       "context.json: assets[1].match.mac: '00:11' is not a MAC address (six hex pairs separated by ':' or '-')"},
      {"/assets/1/match", "{\"ip\": \"10.0.0.300\"}", "context.json: assets[1].match.ip: '10.0.0.300' is not an IP address"},
      {"/assets/0/zone", "\"nowhere\"", "context.json: assets[0].zone: 'nowhere' is not a zone of this file"},
      {"/internal_domains/0", "\"plant example\"", "context.json: internal_domains[0]: 'plant example' is not a DNS domain"},
      {"/site_networks/0", "\"10.0.0.0/6\"", "context.json: site_networks[0]: '10.0.0.0/6' has host bits set (the network is 8.0.0.0/6)"},
      {"/format", "\"herkomst-policy\"", "context.json: format: must be \"herkomst-context\""},
      {"/zones", nullptr, "context.json: 'zones' is required"},
      {"/recorded_at", "\"2026-02-30\"", "context.json: recorded_at: '2026-02-30' is not a date (YYYY-MM-DD)"},
  };
  const std::string example_text = [] {
    auto c = load_site_context(std::string(HERKOMST_SOURCE_DIR) + "/configs/context/example.json");
    REQUIRE(std::holds_alternative<SiteContext>(c));
    std::ifstream in(std::string(HERKOMST_SOURCE_DIR) + "/configs/context/example.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  check_changes(example_text, changes, context_error);
}

TEST_CASE("a fact without who recorded it or when is refused, naming where it could be given") {
  json z = zone("plant", {"10.0.0.0/8"});
  z["access"] = {{"vendor_remote_access", true}};
  json j = context_json(json::array({z}));
  j.erase("recorded_by");
  CHECK(context_error(j.dump()) ==
        "context.json: zones[0].access.vendor_remote_access: who recorded it is missing: 'recorded_by' (give it here, on "
        "zones[0] or at the top of the file)");
  j["recorded_by"] = "T. Tester";
  j.erase("recorded_at");
  CHECK(context_error(j.dump()) ==
        "context.json: zones[0].access.vendor_remote_access: when it was recorded is missing: 'recorded_at' (give it here, "
        "on zones[0] or at the top of the file)");
  j["zones"][0]["recorded_at"] = "2026-01-05";
  const SiteContext c = load_context_ok(j);
  CHECK(c.zones[0].facts.access[0]->recorded_at == origins::Day{2026, 1, 5});
}
