// The policy loader and the shipped default policy: every field checked, the first problem
// named by file and field, and the default's content (its statement, its citations, no
// country in herkomst's code).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "assess/policy.hpp"
#include "assess_test_support.hpp"

using namespace herkomst::assess;
using namespace herkomst::assess::test;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Policy default_ok() {
  auto p = default_policy();
  if (auto* e = std::get_if<LoadError>(&p)) FAIL(e->message);
  return std::get<Policy>(std::move(p));
}

}  // namespace

TEST_CASE("the default policy loads and says it is a default for the user to review") {
  const Policy p = default_ok();
  CHECK(p.id == "herkomst-default");
  CHECK(p.file == "configs/policy/default.json");
  CHECK(p.statement.find("a default for the user to review") != std::string::npos);
  CHECK(p.effective_date.year >= 2026);
  CHECK_FALSE(p.framework.empty());
  CHECK(p.framework[0].title.find("26643 nr. 1007") != std::string::npos);
  CHECK(p.version_line().rfind("herkomst-default " + p.version + ", effective " + p.effective_date.str() +
                                   " (configs/policy/default.json, fnv1a64 ",
                               0) == 0);
  CHECK(p.unlisted_countries == Tri::no);
  CHECK(p.can_meet(Condition::c1));
  CHECK(p.can_meet(Condition::c2));
}

TEST_CASE("the default policy cites a source for every yes and says why for every unknown") {
  const Policy p = default_ok();
  REQUIRE(p.countries.size() >= 4);
  for (const auto& c : p.countries) {
    INFO(c.country);
    for (const CountryCriterion* k : {&c.criterion1, &c.criterion2}) {
      if (k->value == Tri::yes) CHECK_FALSE(k->citations.empty());
      if (k->value == Tri::unknown) CHECK_FALSE(k->note.empty());
      for (const auto& cit : k->citations) CHECK(cit.url.rfind("http", 0) == 0);
    }
    if (c.criterion1.value == Tri::yes) CHECK_FALSE(c.criterion1.law.empty());
  }
  // The sources the brief names: the intelligence law of 2017 art. 7, 374-FZ, CSBN 2019, DBSA 2, CSBN 2024.
  const std::string text(default_policy_text());
  for (const char* s : {"article 7", "374-FZ", "Cybersecuritybeeld Nederland 2019", "Dreigingsbeeld Statelijke Actoren 2",
                        "Cybersecuritybeeld Nederland 2024", "emerging"})
    CHECK(text.find(s) != std::string::npos);
  // A weaker naming is encoded honestly: an emerging actor is not a "yes".
  for (const auto& c : p.countries)
    if (c.criterion2.naming == Naming::emerging) CHECK(c.criterion2.value != Tri::yes);
  // Watch lists name knowledge-base lists; levels are attention or high-risk.
  CHECK(p.watch_list("fcc-covered"));
  CHECK(p.watch_list("ndaa-889"));
  for (const auto& w : p.watch_lists) CHECK((w.level == Level::attention || w.level == Level::high_risk));
}

TEST_CASE("the built-in default policy is configs/policy/default.json byte for byte") {
  CHECK(read(std::filesystem::path(HERKOMST_SOURCE_DIR) / "configs/policy/default.json") == default_policy_text());
  auto from_file = load_policy(std::string(HERKOMST_SOURCE_DIR) + "/configs/policy/default.json");
  REQUIRE(std::holds_alternative<Policy>(from_file));
  CHECK(std::get<Policy>(from_file).hash == default_ok().hash);
}

TEST_CASE("no country is named in the assessment code") {
  const Policy p = default_ok();
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(HERKOMST_SOURCE_DIR) / "assess")) {
    const std::string code = read(entry.path());
    for (const auto& c : p.countries) {
      INFO(entry.path().filename().string() << ": " << c.country << " " << c.name);
      CHECK(code.find("\"" + c.country + "\"") == std::string::npos);
      CHECK(code.find(c.name) == std::string::npos);
    }
  }
}

TEST_CASE("an invalid policy is refused with the file and the field, and nothing is loaded") {
  const std::vector<Change> changes{
      {"/countries/3/criterion1/since", "\"2017-13-01\"",
       "policy.json: countries[3].criterion1.since: '2017-13-01' is not a date (YYYY-MM-DD)"},
      {"/countries/0/country", "\"China\"",
       "policy.json: countries[0].country: 'China' is not an ISO 3166-1 alpha-2 code (two upper-case letters)"},
      {"/countries/4/country", "\"CN\"", "policy.json: countries[4].country: 'CN' is listed twice"},
      {"/countries/1/criterion2/value", "\"maybe\"",
       "policy.json: countries[1].criterion2.value: must be \"yes\", \"no\" or \"unknown\""},
      {"/countries/1/criterion2/value", "true",
       "policy.json: countries[1].criterion2.value: must be \"yes\", \"no\" or \"unknown\""},
      {"/countries/0/criterion1/citations", nullptr,
       "policy.json: countries[0].criterion1: a \"yes\" needs its sources: \"citations\" must list at least one"},
      {"/countries/0/criterion1/law", nullptr,
       "policy.json: countries[0].criterion1: a \"yes\" for criterion 1 names the law: \"law\" is required"},
      {"/countries/2/criterion1/note", nullptr,
       "policy.json: countries[2].criterion1: an \"unknown\" says why: \"note\" is required"},
      {"/countries/0/criterion2/citations/0/date", "\"June 2019\"",
       "policy.json: countries[0].criterion2.citations[0].date: 'June 2019' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"/countries/0/criterion2/citations/0/title", "\"\"",
       "policy.json: countries[0].criterion2.citations[0].title: must not be empty"},
      {"/countries/0/criterion2/naming", "\"loudly\"",
       "policy.json: countries[0].criterion2.naming: 'loudly' is not one of named, lesser-extent, emerging"},
      {"/countries/0/criterion2/law", "\"a law\"",
       "policy.json: countries[0].criterion2: unknown field 'law' (known: value, naming, citations, note)"},
      {"/countries", "{}", "policy.json: countries: must be a list, not object"},
      {"/effective_date", "\"soon\"", "policy.json: effective_date: 'soon' is not a date (YYYY-MM-DD)"},
      {"/statement", nullptr, "policy.json: 'statement' is required"},
      {"/format", "\"herkomst-context\"", "policy.json: format: must be \"herkomst-policy\""},
      {"/format_version", "2", "policy.json: format_version: this herkomst reads format_version 1"},
      {"/unlisted_countries", "\"yes\"", "policy.json: unlisted_countries: must be \"no\" or \"unknown\""},
      {"/colour", "\"red\"", "policy.json: unknown field 'colour' (known: format, format_version, id, ..."},
      {"/watch_lists/0/list", "\"DoD 1260H\"",
       "policy.json: watch_lists[0].list: 'DoD 1260H' is not a list id (lower-case letters, digits, '-')"},
      {"/watch_lists/1/list", "\"dod-1260h\"", "policy.json: watch_lists[1].list: 'dod-1260h' is listed twice"},
      {"/watch_lists/0/level", "\"none\"",
       "policy.json: watch_lists[0].level: 'none' is not a level a policy sets (attention or high-risk)"},
      {"/levels/0/level", "\"exclusion-candidate\"",
       "policy.json: levels[0].level: 'exclusion-candidate' is fixed by the rule of the test (criteria 1, 2 and 3A hold "
       "and 3B does not) and cannot be set by a policy"},
      {"/levels/0/level", "\"severe\"", "policy.json: levels[0].level: 'severe' is not a level (attention or high-risk)"},
      {"/levels/1/when/4", "true", "policy.json: levels[1].when.4: unknown condition (known: 1, 2, 3A, 3B, vital)"},
      {"/levels/1/when/1", "\"yes\"", "policy.json: levels[1].when.1: must be true or false, not string"},
      {"/levels/1/when", "{}", "policy.json: levels[1].when: a rule needs at least one condition"},
      {"/sufficient_mitigations/cloud_connectivity/1/0", "\"firewall\"",
       "policy.json: sufficient_mitigations.cloud_connectivity[1][0]: 'firewall' is not a mitigation (segmentation, "
       "no_internet_route, monitoring, contractual_requirements, replacement_planned)"},
      {"/sufficient_mitigations/cloud_connectivity/1/1", "\"segmentation\"",
       "policy.json: sufficient_mitigations.cloud_connectivity[1][1]: 'segmentation' is named twice"},
      {"/sufficient_mitigations/cloud_connectivity/0", "[]",
       "policy.json: sufficient_mitigations.cloud_connectivity[0]: an alternative names at least one mitigation"},
      {"/sufficient_mitigations/physical_access", nullptr,
       "policy.json: sufficient_mitigations: 'physical_access' is required (list the mitigations that suffice for it, or "
       "[] when none does)"},
      {"/sufficient_mitigations/teleportation", "[]", "policy.json: sufficient_mitigations.teleportation: unknown access kind ..."},
  };
  check_changes(std::string(default_policy_text()), changes, policy_error);
}

TEST_CASE("a policy file that is not JSON, empty or missing is refused naming the file") {
  CHECK(policy_error("{\"format\": ").rfind("policy.json: not valid JSON: parse error at line 1, column 12", 0) == 0);
  CHECK(policy_error("[1, 2]") == "policy.json: must be an object, not array");
  const auto dir = std::filesystem::temp_directory_path() / "herkomst-assess-policy-test";
  std::filesystem::create_directories(dir);
  const auto empty = dir / "empty.json";
  std::ofstream(empty).close();
  auto e = load_policy(empty.string());
  REQUIRE(std::holds_alternative<LoadError>(e));
  CHECK(std::get<LoadError>(e).message == empty.string() + ": the file is empty");
  auto missing = load_policy((dir / "missing.json").string());
  REQUIRE(std::holds_alternative<LoadError>(missing));
  CHECK(std::get<LoadError>(missing).message == (dir / "missing.json").string() + ": cannot be read");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a minimal policy: no countries, no lists, no levels") {
  json j = policy_json();
  j.erase("levels");
  j.erase("watch_lists");
  const Policy p = load_policy_ok(j);
  CHECK(p.countries.empty());
  CHECK(p.levels.empty());
  CHECK_FALSE(p.can_meet(Condition::c1));
  CHECK_FALSE(p.can_meet(Condition::c2));
  CHECK(p.sufficient_mitigations[index(AccessKind::cloud_connectivity)].size() == 2);
}
