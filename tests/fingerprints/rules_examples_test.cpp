// The built-in rule files are their own test suite: every rule carries examples (fields -> the
// exact claims expected, or no_match), and this test runs them all.
#include "fingerprints/rule_engine.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using namespace herkomst::fingerprints;

namespace {

RuleSet builtin() {
  auto loaded = RuleSet::load_builtin();
  if (const auto* error = std::get_if<RuleError>(&loaded)) FAIL("built-in rules refused: " << error->what());
  return std::get<RuleSet>(std::move(loaded));
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "herkomst-rules-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

}  // namespace

TEST_CASE("every example of every built-in rule passes", "[rules]") {
  const RuleSet rules = builtin();
  INFO("rules: " << rules.size() << ", examples: " << rules.example_count());
  REQUIRE(rules.size() >= 40);
  REQUIRE(rules.example_count() >= 2 * rules.size());
  REQUIRE(rules.enterprise_numbers().available());  // the SNMP examples need enterprises.tsv

  const auto failures = rules.check_examples();
  std::string report;
  for (const auto& f : failures) report += f.what() + "\n";
  INFO(report);
  CHECK(failures.empty());
}

TEST_CASE("built-in rule ids are unique and every file loads", "[rules]") {
  const RuleSet rules = builtin();
  const auto ids = rules.rule_ids();
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  const auto sources = rules.sources();
  REQUIRE(!sources.empty());
  for (const auto& s : sources) {
    INFO(s);
    CHECK(s.find(".json: ") != std::string::npos);
  }
}

TEST_CASE("a rule without examples is refused", "[rules]") {
  TempDir dir;
  dir.write("mine.json", R"J({"rules": [{
    "id": "my.rule", "description": "no examples", "signal": "snmp.response",
    "match": [{"field": "system.description", "regex": "^X"}],
    "claims": [{"attribute": "manufacturer.name", "value": "X", "confidence": 0.5}]
  }]})J");
  RuleSet rules = builtin();
  const std::size_t before = rules.size();
  const auto error = rules.load_directory(dir.path);
  REQUIRE(error.has_value());
  CHECK(error->file == (dir.path / "mine.json").string());
  CHECK(error->rule == "my.rule");
  CHECK(error->message.find("no examples") != std::string::npos);
  CHECK(rules.size() == before);  // nothing of the folder is kept

  dir.write("mine.json", R"J({"rules": [{
    "id": "my.rule", "description": "empty examples", "signal": "snmp.response",
    "match": [{"field": "system.description", "regex": "^X"}],
    "claims": [{"attribute": "manufacturer.name", "value": "X", "confidence": 0.5}],
    "examples": []
  }]})J");
  const auto again = rules.load_directory(dir.path);
  REQUIRE(again.has_value());
  CHECK(again->message.find("no examples") != std::string::npos);
}

TEST_CASE("a failing example is reported with file, rule and example number", "[rules]") {
  RuleSet rules;
  REQUIRE_FALSE(rules.load_text("bad.json", R"J({"rules": [{
    "id": "r1", "description": "d", "signal": "snmp.response",
    "match": [{"field": "system.description", "regex": "^Acme (\\S+)"}],
    "claims": [{"attribute": "product.model", "value": "{1}", "confidence": 0.5}],
    "examples": [
      {"fields": {"system.description": "Acme X1"}, "claims": {"product.model": "X2"}},
      {"fields": {"system.description": "Acme X1"}, "no_match": true},
      {"fields": {"system.description": "Other"}, "claims": {"product.model": "X1"}},
      {"fields": {"system.description": "Acme X1"}, "claims": {"product.model": "X1"}}
    ]}]})J"));
  const auto failures = rules.check_examples();
  REQUIRE(failures.size() == 3);
  CHECK(failures[0].file == "bad.json");
  CHECK(failures[0].rule == "r1");
  CHECK(failures[0].example == 1);
  CHECK(failures[0].message.find("expected product.model = \"X2\", got \"X1\"") != std::string::npos);
  CHECK(failures[1].example == 2);
  CHECK(failures[1].message.find("expected no match") != std::string::npos);
  CHECK(failures[2].example == 3);
  CHECK(failures[2].message.find("did not match") != std::string::npos);
  CHECK(failures[0].what().rfind("bad.json: rule r1: example #1: ", 0) == 0);
}
