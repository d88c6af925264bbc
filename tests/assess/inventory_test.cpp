// The assessment of whole inventories: identities and scan evidence from observations, facts
// from stored claims (and from an attribution), nested components, and end to end with a
// crafted knowledge base: control through a parent abroad, mitigations, an empty policy, and
// a change of ownership after the scan.
#include <catch2/catch.hpp>

#include "assess/assess_inventory.hpp"
#include "assess/explanation.hpp"
#include "assess/facts.hpp"
#include "assess/inventory_inputs.hpp"
#include "assess_test_support.hpp"
#include "origins/inventory_attribution.hpp"
#include "tests/origins/kb_test_support.hpp"

using namespace herkomst;
using namespace herkomst::assess;
using namespace herkomst::assess::test;

namespace {

// A small plant: a camera in the building zone that looks up its maker's cloud, a PLC in a
// well-mitigated SCADA zone from the same maker, and a PLC of a European maker.
struct Plant {
  Inventory inventory;

  std::uint64_t observe(std::string signal, std::vector<SubjectKey> subjects, std::vector<Field> fields) {
    Observation o;
    o.id = inventory.observations.size() + 1;
    o.signal = std::move(signal);
    o.subjects = std::move(subjects);
    o.fields = std::move(fields);
    std::sort(o.fields.begin(), o.fields.end());
    inventory.observations.push_back(o);
    return o.id;
  }

  Asset& device(const std::string& mac, const std::string& ip, const std::string& vendor, int vlan) {
    const SubjectKey m{KeyKind::mac, mac}, i{KeyKind::ipv4, ip};
    Asset a;
    a.ref = "asset:mac:" + mac;
    a.keys = {m, i};
    Component c;
    c.ref = "device:mac:" + mac;
    const auto eth = observe("ethernet.source", {m}, {{"vlan", std::int64_t{vlan}}});
    const auto ident = observe("modbus.device-identification", {m, i}, {{"vendor", vendor}});
    c.observation_ids = {eth, ident};
    c.claims.push_back({"manufacturer.name", vendor, 0.9, "test.rule", ident});
    c.claims.push_back({"product.name", "Model " + mac.substr(15), 0.9, "test.rule", ident});
    a.components.push_back(c);
    inventory.assets.push_back(a);
    return inventory.assets.back();
  }

  void add(Asset& a, const std::string& signal, std::vector<Field> fields) {
    a.components.front().observation_ids.push_back(observe(signal, a.keys, std::move(fields)));
  }
};

Plant plant() {
  Plant p;
  Asset& camera = p.device("02:00:00:00:00:01", "10.30.0.5", "CAMCO", 30);
  p.add(camera, "dns.query", {{"name", "cloud.camco.example"}, {"type", "A"}});
  p.add(camera, "dns.query", {{"name", "printer.local"}, {"type", "A"}, {"mdns", true}});
  p.add(camera, "dns.query", {{"name", "nvr.plant.example"}, {"type", "A"}});
  Component firmware;
  firmware.ref = "firmware:mac:02:00:00:00:00:01";
  firmware.type = ComponentType::firmware;
  firmware.claims.push_back({"version", "5.7.3", 0.9, "test.rule", 2});
  camera.components.push_back(firmware);
  p.device("02:00:00:00:00:02", "10.20.0.5", "EuroCam GmbH", 20);
  p.device("02:00:00:00:00:03", "10.20.0.6", "Rhein Steuerungen AG", 20);
  return p;
}

origins::test::Texts camera_world() {
  using namespace origins::test;
  Texts t;
  t.orgs += org("camco", "Camco Digital Technology Co., Ltd.", "listed", "XX", "CAMCO");
  t.orgs += org("eurocam", "EuroCam GmbH", "private", "DE", "EuroCam");
  t.orgs += org("rhein", "Rhein Steuerungen AG", "private", "DE", "Rhein Steuerungen");
  t.orgs += org("xx-group", "Xland Industrial Group", "state-owned-enterprise", "XX");
  t.rels += rel("eurocam", "subsidiary-of", "camco");
  return t;
}

json plant_context() {
  json building = {{"name", "building"},
                   {"cidrs", {"10.30.0.0/16"}},
                   {"access",
                    {{"vendor_remote_access", false},
                     {"cloud_connectivity", false},
                     {"physical_access", false},
                     {"sensitive_ict_access", false}}},
                   {"mitigations",
                    {{"segmentation", true},
                     {"no_internet_route", false},
                     {"monitoring", false},
                     {"contractual_requirements", false},
                     {"replacement_planned", false}}}};
  json scada = {{"name", "scada"},
                {"cidrs", {"10.20.0.0/16"}},
                {"criticality", {{"vital_process", true}, {"purdue_level", 2}}},
                {"access",
                 {{"vendor_remote_access", true},
                  {"cloud_connectivity", false},
                  {"physical_access", false},
                  {"sensitive_ict_access", false}}},
                {"mitigations",
                 {{"segmentation", true},
                  {"no_internet_route", true},
                  {"monitoring", true},
                  {"contractual_requirements", true},
                  {"replacement_planned", false}}}};
  json c = context_json(json::array({building, scada}));
  c["internal_domains"] = {"plant.example"};
  return c;
}

const Assessment& of(const std::vector<Assessment>& all, const std::string& ref) {
  auto it = std::find_if(all.begin(), all.end(), [&](const Assessment& a) { return a.component_ref == ref; });
  REQUIRE(it != all.end());
  return *it;
}

}  // namespace

TEST_CASE("an asset's identity: MACs, addresses, names and the VLANs it was seen on") {
  Plant p = plant();
  p.inventory.assets[0].keys.push_back({KeyKind::hostname, "Cam-1.Plant.Example"});
  const AssetIdentity id = identity_of(p.inventory, p.inventory.assets[0]);
  CHECK(id.ref == "asset:mac:02:00:00:00:00:01");
  CHECK(id.macs == std::vector<std::string>{"02:00:00:00:00:01"});
  REQUIRE(id.ips.size() == 1);
  CHECK(id.ips[0].str() == "10.30.0.5");
  CHECK(id.names == std::vector<std::string>{"cam-1.plant.example"});
  CHECK(id.vlans == std::vector<int>{30});
}

TEST_CASE("scan evidence: names outside the site's domains and requests to outside addresses") {
  Plant p = plant();
  Asset& camera = p.inventory.assets[0];
  p.add(camera, "http.client", {{"host", "203.0.113.7:8080"}, {"user.agent", "cam"}});
  p.add(camera, "http.client", {{"host", "10.20.0.5"}, {"user.agent", "cam"}});
  p.add(camera, "http.client", {{"host", "[2001:db8::7]:80"}, {"user.agent", "cam"}});
  p.add(camera, "http.client", {{"host", "update.camco.example"}, {"user.agent", "cam"}});
  p.add(camera, "dns.query", {{"name", "7.0.30.10.in-addr.arpa"}, {"type", "PTR"}});
  p.add(camera, "dns.query", {{"name", "CLOUD.camco.example."}, {"type", "AAAA"}});
  p.add(camera, "dns.query", {{"name", "wpad"}, {"type", "A"}});
  const SiteContext context = load_context_ok(plant_context());
  const ScanEvidence e = scan_evidence_of(p.inventory, camera, context);
  REQUIRE(e.external_names.size() == 2);
  CHECK(e.external_names[0].value == "cloud.camco.example");
  CHECK(e.external_names[0].signal == "dns.query");
  CHECK(e.external_names[0].observations.size() == 2);  // asked twice, as A and AAAA
  CHECK(e.external_names[1].value == "update.camco.example");
  CHECK(e.external_names[1].signal == "http.client");
  REQUIRE(e.outside_addresses.size() == 2);
  CHECK(e.outside_addresses[0].value == "203.0.113.7");
  CHECK(e.outside_addresses[1].value == "2001:db8::7");
  // Without a site context nothing is inside or outside.
  CHECK_FALSE(scan_evidence_of(p.inventory, camera, SiteContext{}).any());
}

TEST_CASE("scan evidence: IP sent to a public address outside the declared networks") {
  Plant p = plant();
  Asset& camera = p.inventory.assets[0];
  p.add(camera, "ip.peer", {{"peer", "8.8.8.8"}});
  p.add(camera, "ip.peer", {{"peer", "2a00:1450::1"}});
  p.add(camera, "ip.peer", {{"peer", "not an address"}});
  const SiteContext context = load_context_ok(plant_context());
  const ScanEvidence e = scan_evidence_of(p.inventory, camera, context);
  REQUIRE(e.outside_addresses.size() == 2);
  CHECK(e.outside_addresses[0].value == "8.8.8.8");
  CHECK(e.outside_addresses[0].signal == "ip.peer");
  CHECK(e.outside_addresses[1].value == "2a00:1450::1");
}

TEST_CASE("facts from stored claims and from an attribution agree") {
  Plant p = plant();
  const auto kb = origins::test::load_ok(camera_world());
  origins::attribute_inventory(kb, p.inventory, {});
  const ComponentFacts stored = facts_from_claims(p.inventory.assets[1].components[0]);
  CHECK(stored.resolved);
  CHECK(stored.organisation == "eurocam");
  CHECK(stored.origin_country == "DE");
  CHECK(stored.control_countries == std::vector<std::string>{"XX"});
  CHECK(stored.ultimate_parents == std::vector<std::string>{"camco"});
  REQUIRE(stored.chains.size() == 1);
  CHECK(stored.chains[0].find("eurocam subsidiary-of camco [https://example.org/rel, 2024, high]") != std::string::npos);
  CHECK(stored.label == "Model 02 (EuroCam GmbH)");
  const ComponentFacts walked =
      facts_from_attribution(origins::attribute(kb, *kb.find("eurocam")), stored.ref, stored.label);
  CHECK(walked.origin_country == stored.origin_country);
  CHECK(walked.control_countries == stored.control_countries);
  CHECK(walked.ultimate_parents == stored.ultimate_parents);
  CHECK(walked.chains == stored.chains);
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  AssetContext none;
  CHECK(assess_component(policy, stored, none).c1.value == assess_component(policy, walked, none).c1.value);
}

TEST_CASE("end to end: exclusion through control, mitigated high risk, nested firmware, European maker") {
  Plant p = plant();
  origins::attribute_inventory(origins::test::load_ok(camera_world()), p.inventory, {});
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  const SiteContext context = load_context_ok(plant_context());
  const auto all = assess_inventory(policy, context, p.inventory, {});
  REQUIRE(all.size() == 4);
  // The camera: made by camco (XX); the context records no cloud connectivity but the scan
  // shows it looking up its maker's cloud; nothing sufficient mitigates it.
  const Assessment& camera = of(all, "device:mac:02:00:00:00:00:01");
  CHECK(camera.asset_ref == "asset:mac:02:00:00:00:00:01");
  CHECK(camera.site.zone == "building");
  CHECK(camera.evidence.external_names.size() == 1);  // nvr.plant.example and printer.local are the site's
  CHECK(camera.c3a.value == Tri::yes);
  CHECK(camera.c3b.value == Tri::no);
  CHECK(camera.verdict.level == Level::exclusion_candidate);
  // Its firmware takes the device's origin.
  const Assessment& firmware = of(all, "firmware:mac:02:00:00:00:00:01");
  CHECK(firmware.facts.origin_from == "device:mac:02:00:00:00:00:01");
  CHECK(firmware.verdict.level == Level::exclusion_candidate);
  // Made in the EU by a subsidiary of camco, in a zone whose mitigations suffice: high risk.
  const Assessment& eurocam = of(all, "device:mac:02:00:00:00:00:02");
  CHECK(eurocam.c1.value == Tri::yes);
  CHECK(eurocam.c1.countries[1].roles == std::vector<std::string>{"control"});
  CHECK(eurocam.c3b.value == Tri::yes);
  CHECK(eurocam.vital == Tri::yes);
  CHECK(eurocam.verdict.level == Level::high_risk);
  // A European maker: nothing.
  CHECK(of(all, "device:mac:02:00:00:00:00:03").verdict.level == Level::none);
  // The same inventory under a policy with an empty country list: nothing is flagged.
  for (const auto& a : assess_inventory(load_policy_ok(policy_json()), context, p.inventory, {}))
    CHECK(a.verdict.level == Level::none);
}

TEST_CASE("re-assessment after the knowledge base learns of an acquisition by a state group") {
  using namespace origins::test;
  Texts later = camera_world();
  later.rels += rel("rhein", "acquired-by", "xx-group", "", "2026-06-01");
  const auto kb = load_ok(later);
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  const SiteContext context = load_context_ok(plant_context());
  auto verdict_as_of = [&](origins::Day day) {
    Plant p = plant();
    origins::ControlOptions options;
    options.as_of = day;
    origins::attribute_inventory(kb, p.inventory, options);
    return of(assess_inventory(policy, context, p.inventory, {}), "device:mac:02:00:00:00:00:03");
  };
  const Assessment before = verdict_as_of({2026, 5, 1});
  CHECK(before.c1.value == Tri::no);
  CHECK(before.verdict.level == Level::none);
  const Assessment after = verdict_as_of({2026, 7, 1});
  CHECK(after.facts.state_countries == std::vector<std::string>{"XX"});
  CHECK(after.c1.value == Tri::yes);
  CHECK(after.verdict.level == Level::high_risk);  // the SCADA zone's mitigations suffice
  CHECK(flagged(after.verdict.level));
}

TEST_CASE("with the shipped policy, example context and knowledge base: control through a takeover, by date") {
  auto kb = origins::builtin_knowledge_base();
  REQUIRE(std::holds_alternative<origins::KnowledgeBase>(kb));
  auto policy = default_policy();
  REQUIRE(std::holds_alternative<Policy>(policy));
  auto context = load_site_context(std::string(HERKOMST_SOURCE_DIR) + "/configs/context/example.json");
  REQUIRE(std::holds_alternative<SiteContext>(context));
  auto assess_as_of = [&](origins::Day day) {
    Plant p;
    p.device("02:00:00:00:00:0a", "10.10.0.10", "KUKA Roboter GmbH", 10);           // process-control
    p.device("02:00:00:00:00:0b", "10.30.0.11", "Hangzhou Hikvision Digital Technology Co.,Ltd.", 30);  // building
    origins::ControlOptions options;
    options.as_of = day;
    origins::attribute_inventory(std::get<origins::KnowledgeBase>(kb), p.inventory, options);
    AssessOptions at;
    at.as_of = day;
    return assess_inventory(std::get<Policy>(policy), std::get<SiteContext>(context), p.inventory, at);
  };
  // Before Midea's takeover of KUKA (and before the examples were recorded): made and
  // controlled in Germany, not a candidate.
  const auto before = assess_as_of({2016, 6, 1});
  const Assessment& kuka_then = of(before, "device:mac:02:00:00:00:00:0a");
  CHECK(kuka_then.facts.control_countries == std::vector<std::string>{"DE"});
  CHECK(kuka_then.verdict.level == Level::none);
  // Today: controlled from a criterion-1 and 2 country, with vendor remote access and no
  // monitoring in the process-control zone.
  const auto now = assess_as_of({2026, 12, 3});
  const Assessment& kuka = of(now, "device:mac:02:00:00:00:00:0a");
  CHECK(kuka.facts.origin_country == "DE");
  CHECK(kuka.c1.value == Tri::yes);
  CHECK(kuka.c2.value == Tri::yes);
  CHECK(kuka.c3a.value == Tri::yes);
  CHECK(kuka.c3b.value == Tri::no);
  CHECK(kuka.verdict.level == Level::exclusion_candidate);
  // A camera using its vendor's cloud from the building zone.
  const Assessment& camera = of(now, "device:mac:02:00:00:00:00:0b");
  CHECK(camera.site.zone == "building");
  CHECK(camera.verdict.level == Level::exclusion_candidate);
  CHECK(explain(camera).find("National Intelligence Law") != std::string::npos);
}
