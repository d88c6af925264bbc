// The explanation a procurement officer reads: the verdict and why, each criterion with its
// facts and sources, unknowns said as unknown.
#include <catch2/catch.hpp>

#include "assess/explanation.hpp"
#include "assess_test_support.hpp"

using namespace herkomst::assess;
using namespace herkomst::assess::test;

namespace {

AssetContext exposed_site() {
  AssetContext c = covered_site("building");
  c.zone_match = "10.30.0.5 in 10.30.0.0/16";
  c.context = "Test site 1 (context.json, fnv1a64 0000000000000000)";
  c.facts.access[index(AccessKind::vendor_remote_access)] = recorded(true, "zone building");
  c.facts.access[index(AccessKind::vendor_remote_access)]->note = "maintained by the vendor over a VPN";
  c.facts.access[index(AccessKind::cloud_connectivity)] = recorded(false, "zone building");
  c.facts.mitigations[index(Mitigation::segmentation)] = recorded(true, "zone building");
  c.facts.mitigations[index(Mitigation::monitoring)] = recorded(false, "zone building");
  c.facts.vital_process = recorded(true, "zone building");
  return c;
}

}  // namespace

TEST_CASE("the explanation names every criterion with its facts and sources") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  ComponentFacts f = made_in("DE", "XX");
  f.chains = {"test-maker subsidiary-of xx-parent [https://example.org/rel, 2024, high]"};
  f.ultimate_parents = {"xx-parent"};
  f.origin_source = "https://example.org/test-maker (2024)";
  f.lists = {{"xx-list", "2024-01-01 Xland list through xx-parent"}};
  ScanEvidence evidence;
  evidence.external_names.push_back({"cloud.xx-parent.example", "dns.query", {3, 9}});
  AssessOptions options;
  options.as_of = {2026, 12, 3};
  const Assessment a = assess_component(policy, f, exposed_site(), evidence, options);
  REQUIRE(a.verdict.level == Level::exclusion_candidate);
  const std::string text = explain(a);
  INFO(text);
  const std::string expected =
      "Test device (Test Maker) [device:mac:02:00:00:00:00:01, asset:mac:02:00:00:00:00:01]\n"
      "Verdict: exclusion candidate\n"
      "  Criteria 1, 2 and 3A hold and 3B does not: every condition of the test for exclusion is met.\n"
      "Criterion 1 (a law obliges cooperation with intelligence or military services): yes\n"
      "  DE, origin: no (not listed in the policy)\n"
      "  XX (Land XX), control: yes. Intelligence Act of Xland, art. 7\n"
      "    source: The Xland Intelligence Act (2020-01-02) https://example.org/26\n"
      "Criterion 2 (an offensive cyber programme against the Netherlands): yes\n"
      "  DE, origin: no (not listed in the policy)\n"
      "  XX (Land XX), control: yes\n"
      "    source: Threat assessment (2020-01-02) https://example.org/17\n"
      "Criterion 3A (the supplier has access): yes\n"
      "  vendor remote access or maintenance: yes, recorded by T. Tester on 2026-02-01 (zone building): maintained by the "
      "vendor over a VPN\n"
      "  cloud connectivity (connections to services outside the site): yes; the scan shows it: looked up "
      "cloud.xx-parent.example (dns.query, observations 3, 9); the context records none, but the scan shows connections "
      "beyond the site (recorded by T. Tester on 2026-02-01 (zone building))\n"
      "  physical access to sensitive locations: unknown, not recorded\n"
      "  access to sensitive ICT systems: unknown, not recorded\n"
      "Criterion 3B (mitigations sufficiently control the risks): no\n"
      "  vendor remote access or maintenance: needs {network segmentation + monitoring + contractual security requirements}; "
      "not in place\n"
      "  cloud connectivity (connections to services outside the site): needs {no route to the internet} or {network "
      "segmentation + monitoring + contractual security requirements}; unknown whether in place\n"
      "  physical access to sensitive locations (if present): needs {monitoring + contractual security requirements}; not "
      "in place\n"
      "  access to sensitive ICT systems (if present): needs {network segmentation + monitoring}; not in place\n"
      "  mitigations: network segmentation yes (recorded by T. Tester on 2026-02-01 (zone building)); no route to the "
      "internet unknown; monitoring no (recorded by T. Tester on 2026-02-01 (zone building)); contractual security "
      "requirements unknown; replacement planned unknown\n"
      "Origin and control\n"
      "  organisation: Test Maker (test-maker), origin country DE\n"
      "  matched: exact name 'Test Maker' (Test Maker)\n"
      "  source: https://example.org/test-maker (2024)\n"
      "  control countries: XX\n"
      "  ultimate parents: xx-parent\n"
      "  control chain: test-maker subsidiary-of xx-parent [https://example.org/rel, 2024, high]\n"
      "  on list xx-list: 2024-01-01 Xland list through xx-parent\n"
      "Site context: Test site 1 (context.json, fnv1a64 0000000000000000)\n"
      "  zone building (10.30.0.5 in 10.30.0.0/16)\n"
      "  vital process: yes, recorded by T. Tester on 2026-02-01 (zone building)\n"
      "Policy: test-policy 1, effective 2026-01-01 (policy.json, fnv1a64 " +
      policy.hash +
      ")\n"
      "  A test policy.\n"
      "Assessed as of 2026-12-03.\n";
  CHECK(text == expected);
  CHECK(summary(a) == "exclusion-candidate device:mac:02:00:00:00:00:01 Test device (Test Maker): 1 yes, 2 yes, 3A yes, 3B no");
  CHECK(explain(a) == text);  // deterministic
}

TEST_CASE("an undecided test says what is unknown and what is known, never no risk") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  AssetContext none;
  none.asset = "asset:mac:02:00:00:00:00:01";
  none.context = "no site context";
  const Assessment a = assess_component(policy, made_in("XX"), none, {});
  CHECK(a.verdict.level == Level::unknown_data);
  CHECK(verdict_reason(a) ==
        "The test cannot be decided: 3A and 3B are unknown, and nothing known rules exclusion out. From what is known: "
        "attention.");
  const std::string text = explain(a);
  CHECK(text.find("Verdict: unknown: data missing to decide\n") != std::string::npos);
  CHECK(text.find("Criterion 3A (the supplier has access): unknown\n  no site context was given\n") != std::string::npos);
  CHECK(text.find("No assessment date was given: every recorded fact is used.\n") != std::string::npos);

  const Assessment u = assess_component(policy, unresolved(), none, {});
  const std::string utext = explain(u);
  CHECK(verdict_reason(u) == "The test cannot be decided: 1, 2, 3A and 3B are unknown, and nothing known rules exclusion out.");
  CHECK(utext.find("  the vendor did not resolve to a known organisation (unresolved: 'Acme Widgets')\n") != std::string::npos);
  CHECK(utext.find("  vendor not resolved: unresolved: 'Acme Widgets'\n") != std::string::npos);
  CHECK(utext.find("  MAC registrant country: XX (where the MAC prefix was registered: a hint, not used)\n") !=
        std::string::npos);
}

TEST_CASE("a component that is not a candidate says which criterion rules it out and what the policy's levels add") {
  const Policy policy = load_policy_ok(policy_json(
      json::array({country("XX", "yes", "no")}), json::array({{{"list", "xx-list"}, {"level", "attention"}}})));
  ComponentFacts f = made_in("XX");
  f.lists = {{"xx-list", "2024 Xland list"}};
  AssetContext site = exposed_site();
  const Assessment a = assess_component(policy, f, site, {});
  CHECK(a.verdict.level == Level::attention);
  CHECK(verdict_reason(a) ==
        "Not an exclusion candidate: criterion 2 does not hold. attention by the policy: levels[1] attention (1 yes); "
        "watch list xx-list attention.");
  CHECK(explain(a).find("  on list xx-list: 2024 Xland list (policy watch list: attention)\n") != std::string::npos);
  // Nothing applies, but 3A and 3B stay unknown and are said to be.
  const Policy quiet = load_policy_ok(policy_json(json::array({country("XX", "no", "no")})));
  AssetContext none;
  const Assessment q = assess_component(quiet, made_in("XX"), none, {});
  CHECK(q.verdict.level == Level::none);
  CHECK(verdict_reason(q) ==
        "Not an exclusion candidate: criterion 1 does not hold, criterion 2 does not hold. No level rule or watch list of "
        "the policy applies. Unknown: 3A and 3B.");
}
