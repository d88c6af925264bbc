// The four criteria and the verdict, table-driven: every combination of criteria 1 and 2
// (yes, no, unknown, from a policy of fictitious countries) with every combination of 3A and
// 3B a site context can give; the fixed rule over all 81 combinations; control through a
// parent abroad, state control, unresolved vendors, an empty country list, dates.
#include <catch2/catch.hpp>

#include <array>

#include "assess/criteria.hpp"
#include "assess_test_support.hpp"

using namespace herkomst::assess;
using namespace herkomst::assess::test;

namespace {

constexpr std::array kTris{Tri::yes, Tri::no, Tri::unknown};

Tri letter(char c) { return c == 'Y' ? Tri::yes : c == 'N' ? Tri::no : Tri::unknown; }
std::string word(char c) { return std::string(to_string(letter(c))); }

// The nine fictitious countries: first letter criterion 1, second criterion 2.
constexpr std::array<const char*, 9> kCountries{"YY", "YN", "YU", "NY", "NN", "NU", "UY", "UN", "UU"};

Policy nine_country_policy() {
  json countries = json::array();
  for (const char* c : kCountries) countries.push_back(country(c, word(c[0]), word(c[1])));
  return load_policy_ok(policy_json(countries));
}

void set_access(AssetContext& c, std::optional<bool> remote) {
  if (remote) c.facts.access[index(AccessKind::vendor_remote_access)] = recorded(*remote);
  for (AccessKind k : {AccessKind::cloud_connectivity, AccessKind::physical_access, AccessKind::sensitive_ict_access})
    c.facts.access[index(k)] = recorded(false);
}

void set_mitigations(AssetContext& c, bool value) {
  for (Mitigation m : kMitigations) c.facts.mitigations[index(m)] = recorded(value);
}

// The site situations, by the (3A, 3B) they give.
struct Situation {
  const char* name;
  Tri c3a, c3b;
  AssetContext context;
};

std::vector<Situation> situations() {
  std::vector<Situation> out;
  AssetContext mitigated = covered_site();
  set_access(mitigated, true);
  set_mitigations(mitigated, true);
  out.push_back({"access, mitigated", Tri::yes, Tri::yes, mitigated});
  AssetContext exposed = covered_site();
  set_access(exposed, true);
  set_mitigations(exposed, false);
  out.push_back({"access, no mitigation", Tri::yes, Tri::no, exposed});
  AssetContext unrecorded = covered_site();
  set_access(unrecorded, true);
  out.push_back({"access, mitigations not recorded", Tri::yes, Tri::unknown, unrecorded});
  AssetContext closed = covered_site();
  set_access(closed, false);
  out.push_back({"no access", Tri::no, Tri::yes, closed});
  AssetContext none;
  none.asset = "asset:mac:02:00:00:00:00:01";
  none.context = "no site context";
  out.push_back({"no site context", Tri::unknown, Tri::unknown, none});
  AssetContext unsure = covered_site();
  set_access(unsure, std::nullopt);
  set_mitigations(unsure, true);
  out.push_back({"access unknown, all mitigations in place", Tri::unknown, Tri::yes, unsure});
  return out;
}


}  // namespace

TEST_CASE("the fixed rule: exclusion needs 1, 2 and 3A, and 3B not, over all 81 combinations") {
  int exclusions = 0;
  for (Tri c1 : kTris)
    for (Tri c2 : kTris)
      for (Tri c3a : kTris)
        for (Tri c3b : kTris) {
          const bool refuted = c1 == Tri::no || c2 == Tri::no || c3a == Tri::no || c3b == Tri::yes;
          const bool holds = c1 == Tri::yes && c2 == Tri::yes && c3a == Tri::yes && c3b == Tri::no;
          const Tri expected = holds ? Tri::yes : refuted ? Tri::no : Tri::unknown;
          INFO("1 " << to_string(c1) << ", 2 " << to_string(c2) << ", 3A " << to_string(c3a) << ", 3B " << to_string(c3b));
          CHECK(exclusion_rule(c1, c2, c3a, c3b) == expected);
          exclusions += exclusion_rule(c1, c2, c3a, c3b) == Tri::yes;
        }
  CHECK(exclusions == 1);
}

TEST_CASE("every combination of criteria 1 and 2 with every site situation gives the expected verdict") {
  // Rows: the countries (criterion 1, criterion 2). Columns: the situations of situations().
  const std::map<std::string, std::array<const char*, 6>> expected{
      {"YY", {"high-risk", "exclusion-candidate", "unknown-data", "attention", "unknown-data", "attention"}},
      {"YN", {"attention", "attention", "attention", "attention", "attention", "attention"}},
      {"YU", {"attention", "unknown-data", "unknown-data", "attention", "unknown-data", "attention"}},
      {"NY", {"attention", "attention", "attention", "attention", "attention", "attention"}},
      {"NN", {"none", "none", "none", "none", "none", "none"}},
      {"NU", {"none", "none", "none", "none", "none", "none"}},
      {"UY", {"attention", "unknown-data", "unknown-data", "attention", "unknown-data", "attention"}},
      {"UN", {"none", "none", "none", "none", "none", "none"}},
      {"UU", {"none", "unknown-data", "unknown-data", "none", "unknown-data", "none"}},
  };
  const Policy policy = nine_country_policy();
  const auto sites = situations();
  for (const char* code : kCountries)
    for (std::size_t s = 0; s < sites.size(); ++s) {
      INFO("country " << code << ", " << sites[s].name);
      const Assessment a = assess_component(policy, made_in(code), sites[s].context, {});
      CHECK(a.c1.value == letter(code[0]));
      CHECK(a.c2.value == letter(code[1]));
      CHECK(a.c3a.value == sites[s].c3a);
      CHECK(a.c3b.value == sites[s].c3b);
      CHECK(to_string(a.verdict.level) == expected.at(code)[s]);
      CHECK(a.verdict.rule == exclusion_rule(a.c1.value, a.c2.value, a.c3a.value, a.c3b.value));
      // Unknown is never shown as no risk: "none" only when a criterion refutes the rule.
      if (a.verdict.level == Level::none) CHECK(a.verdict.rule == Tri::no);
    }
}

TEST_CASE("equipment made in the EU by a company controlled from a criterion-1 and 2 country is caught through control") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  AssetContext site = situations()[1].context;  // access, no mitigation
  const Assessment a = assess_component(policy, made_in("DE", "XX"), site, {});
  CHECK(a.c1.value == Tri::yes);
  CHECK(a.c2.value == Tri::yes);
  CHECK(a.verdict.level == Level::exclusion_candidate);
  REQUIRE(a.c1.countries.size() == 2);
  CHECK(a.c1.countries[0].country == "DE");
  CHECK(a.c1.countries[0].roles == std::vector<std::string>{"origin"});
  CHECK(a.c1.countries[0].value == Tri::no);
  CHECK(a.c1.countries[1].country == "XX");
  CHECK(a.c1.countries[1].roles == std::vector<std::string>{"control"});
  CHECK(a.c1.countries[1].value == Tri::yes);
  // The same equipment with sufficient mitigations is not.
  CHECK(assess_component(policy, made_in("DE", "XX"), situations()[0].context, {}).verdict.level == Level::high_risk);
  // Made and controlled in the EU: nothing.
  CHECK(assess_component(policy, made_in("DE"), site, {}).verdict.level == Level::none);
}

TEST_CASE("state control by a criterion-1 country's state counts for criterion 1") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "no")})));
  ComponentFacts f = made_in("DE");
  f.state_countries = {"XX"};
  const Assessment a = assess_component(policy, f, situations()[1].context, {});
  CHECK(a.c1.value == Tri::yes);
  REQUIRE(a.c1.countries.size() == 2);
  CHECK(a.c1.countries[1].roles == std::vector<std::string>{"state control"});
  CHECK(a.c2.value == Tri::no);
  CHECK(a.verdict.level == Level::attention);
  // A minority stake of that state is noted, not control.
  ComponentFacts stake = made_in("DE");
  stake.state_stakes = {"XX 25 % xx-fund"};
  CHECK(assess_component(policy, stake, situations()[1].context, {}).c1.value == Tri::no);
}

TEST_CASE("an unresolved vendor leaves criteria 1 and 2 unknown and the registrant country is not used") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  const auto sites = situations();
  const Assessment exposed = assess_component(policy, unresolved(), sites[1].context, {});
  CHECK(exposed.c1.value == Tri::unknown);
  CHECK(exposed.c2.value == Tri::unknown);
  CHECK(exposed.c1.reason == "the vendor did not resolve to a known organisation (unresolved: 'Acme Widgets')");
  CHECK(exposed.verdict.level == Level::unknown_data);
  CHECK(exposed.verdict.unknown == std::vector<Condition>{Condition::c1, Condition::c2});
  // Without access there is nothing to decide: the rule is refuted by 3A.
  CHECK(assess_component(policy, unresolved(), sites[3].context, {}).verdict.level == Level::none);
  // No vendor seen at all.
  ComponentFacts bare;
  bare.ref = "device:ipv4:10.0.0.9";
  CHECK(assess_component(policy, bare, sites[1].context, {}).c1.reason == "no vendor name was seen for this component");
  // A resolved organisation without a country.
  CHECK(assess_component(policy, made_in(""), sites[1].context, {}).c1.reason == "the knowledge base gives no country for test-maker");
}

TEST_CASE("a policy with an empty country list flags nothing") {
  const Policy policy = load_policy_ok(policy_json());
  std::vector<ComponentFacts> components{made_in("XX"), made_in("DE", "XX"), unresolved(), made_in("")};
  components[0].state_countries = {"XX"};
  for (const auto& f : components)
    for (const auto& s : situations()) {
      INFO(f.label << " " << f.origin_country << ", " << s.name);
      const Assessment a = assess_component(policy, f, s.context, {});
      CHECK(a.c1.value == Tri::no);
      CHECK(a.c2.value == Tri::no);
      CHECK(a.c1.reason == "the policy names no country that meets criterion 1");
      CHECK(a.verdict.level == Level::none);
      CHECK_FALSE(flagged(a.verdict.level));
    }
}

TEST_CASE("countries the policy does not list count as the policy says") {
  json j = policy_json(json::array({country("XX", "yes", "yes")}));
  const auto site = situations()[1].context;
  CHECK(assess_component(load_policy_ok(j), made_in("DE"), site, {}).c1.value == Tri::no);
  j["unlisted_countries"] = "unknown";
  const Assessment a = assess_component(load_policy_ok(j), made_in("DE"), site, {});
  CHECK(a.c1.value == Tri::unknown);
  CHECK(a.c2.value == Tri::unknown);
  CHECK(a.verdict.level == Level::unknown_data);
  // And with the unlisted countries unknown, an empty list no longer means "no".
  json empty = policy_json();
  empty["unlisted_countries"] = "unknown";
  CHECK(assess_component(load_policy_ok(empty), unresolved(), site, {}).c1.value == Tri::unknown);
}

TEST_CASE("a law in force only after the assessment date does not count") {
  json j = policy_json(json::array({country("XX", "yes", "yes")}));
  j["countries"][0]["criterion1"]["since"] = "2030-01-01";
  const Policy policy = load_policy_ok(j);
  const auto site = situations()[1].context;
  AssessOptions before;
  before.as_of = {2026, 12, 3};
  const Assessment early = assess_component(policy, made_in("XX"), site, {}, before);
  CHECK(early.c1.value == Tri::no);
  CHECK(early.c1.countries[0].note == "in force from 2030-01-01, after the assessment date 2026-12-03");
  AssessOptions after;
  after.as_of = {2030, 1, 1};
  CHECK(assess_component(policy, made_in("XX"), site, {}, after).verdict.level == Level::exclusion_candidate);
}

TEST_CASE("watch lists raise the level, but never to exclusion") {
  const Policy policy = load_policy_ok(policy_json(
      json::array(), json::array({{{"list", "xx-list"}, {"level", "high-risk"}, {"note", "named by Xland's regulator"}}})));
  ComponentFacts f = made_in("DE");
  f.lists = {{"xx-list", "2024-01-01 Xland list through parent"}, {"other-list", "2020 something"}};
  const Assessment a = assess_component(policy, f, situations()[1].context, {});
  CHECK(a.verdict.level == Level::high_risk);
  REQUIRE(a.verdict.watch.size() == 1);
  CHECK(a.verdict.watch[0].list == "xx-list");
  CHECK(a.verdict.watch[0].note == "named by Xland's regulator");
}

TEST_CASE("level rules may test the vital process, and only known values match") {
  json j = policy_json(json::array({country("XX", "yes", "no")}));
  j["levels"] = json::array({{{"level", "high-risk"}, {"when", {{"1", true}, {"vital", true}}}}});
  const Policy policy = load_policy_ok(j);
  AssetContext site = situations()[3].context;  // no access
  CHECK(assess_component(policy, made_in("XX"), site, {}).verdict.level == Level::none);  // vital unknown
  site.facts.vital_process = recorded(true);
  const Assessment a = assess_component(policy, made_in("XX"), site, {});
  CHECK(a.verdict.level == Level::high_risk);
  CHECK(a.verdict.level_rules == std::vector<std::string>{"levels[0] high-risk (1 yes, vital yes)"});
  site.facts.vital_process = recorded(false);
  CHECK(assess_component(policy, made_in("XX"), site, {}).verdict.level == Level::none);
}

TEST_CASE("scan evidence shows cloud connectivity even where the context records none") {
  const Policy policy = load_policy_ok(policy_json(json::array({country("XX", "yes", "yes")})));
  AssetContext site = situations()[3].context;  // all access recorded "no"
  set_mitigations(site, false);
  site.facts.mitigations[index(Mitigation::no_internet_route)] = recorded(true);
  ScanEvidence names;
  names.external_names.push_back({"cloud.xx-vendor.example", "dns.query", {12}});
  const Assessment a = assess_component(policy, made_in("XX"), site, names);
  CHECK(a.c3a.value == Tri::yes);
  const AccessFinding& cloud = a.c3a.kinds[index(AccessKind::cloud_connectivity)];
  CHECK(cloud.value == Tri::yes);
  CHECK(cloud.note == "the context records none, but the scan shows connections beyond the site");
  // A DNS lookup does not contradict "no route to the internet" (a site resolver may answer it) ...
  CHECK(a.c3b.value == Tri::yes);
  CHECK(a.verdict.level == Level::high_risk);
  // ... a request to an outside address does.
  ScanEvidence talks = names;
  talks.outside_addresses.push_back({"203.0.113.7", "http.client", {14}});
  const Assessment b = assess_component(policy, made_in("XX"), site, talks);
  CHECK(b.c3b.mitigations[index(Mitigation::no_internet_route)].value == Tri::no);
  CHECK(b.c3b.value == Tri::no);
  CHECK(b.verdict.level == Level::exclusion_candidate);
}

TEST_CASE("mitigations suffice only as the policy says for the access found") {
  json j = policy_json(json::array({country("XX", "yes", "yes")}));
  AssetContext site = covered_site();
  set_access(site, true);  // vendor remote access only
  set_mitigations(site, false);
  site.facts.mitigations[index(Mitigation::replacement_planned)] = recorded(true);
  CHECK(assess_component(load_policy_ok(j), made_in("XX"), site, {}).c3b.value == Tri::no);
  // A policy that deems a planned replacement sufficient for remote access.
  j["sufficient_mitigations"]["vendor_remote_access"].push_back(json::array({"replacement_planned"}));
  const Assessment a = assess_component(load_policy_ok(j), made_in("XX"), site, {});
  CHECK(a.c3b.value == Tri::yes);
  CHECK(a.verdict.level == Level::high_risk);
  // A policy that deems nothing sufficient for remote access.
  j["sufficient_mitigations"]["vendor_remote_access"] = json::array();
  set_mitigations(site, true);
  CHECK(assess_component(load_policy_ok(j), made_in("XX"), site, {}).c3b.value == Tri::no);
}
