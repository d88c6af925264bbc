#include "fingerprints/rule_engine.hpp"
#include "fingerprints/vendor_tables.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace herkomst;
using namespace herkomst::fingerprints;

namespace {

Observation observation(std::string signal, std::vector<Field> fields, std::uint64_t id = 7) {
  Observation o;
  o.id = id;
  o.signal = std::move(signal);
  o.fields = std::move(fields);
  std::sort(o.fields.begin(), o.fields.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
  return o;
}

// One rule file with one rule: the pieces that differ between tests.
std::string rule_file(const std::string& id, const std::string& signal, const std::string& match,
                      const std::string& claims, const std::string& examples, const std::string& tables = "") {
  std::string text = "{";
  if (!tables.empty()) text.append("\"tables\": ").append(tables).append(",");
  text.append("\"rules\": [{\"id\": \"").append(id).append("\", \"description\": \"test rule\", \"signal\": ");
  text.append(signal).append(", \"match\": ").append(match).append(", \"claims\": ").append(claims);
  text.append(", \"examples\": ").append(examples).append("}]}");
  return text;
}

RuleSet load(const std::string& text, const std::string& name = "test.json") {
  RuleSet rules;
  const auto error = rules.load_text(name, text);
  if (error) FAIL("load failed: " << error->what());
  return rules;
}

RuleError load_error(const std::string& text, const std::string& name = "test.json") {
  RuleSet rules;
  const auto error = rules.load_text(name, text);
  if (!error) FAIL("load succeeded but should not");
  CHECK(rules.size() == 0);
  return *error;
}

std::string claim(const std::vector<Claim>& claims, std::string_view attribute) {
  for (const auto& c : claims)
    if (c.attribute == attribute) return c.value;
  return "<none>";
}

constexpr const char* kAnyExample = R"J([{"fields": {"x": "y"}, "no_match": true}, {"fields": {"x": "y"}, "claims": {"serial": "y"}}])J";

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
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name, std::ios::binary) << text; }
};

}  // namespace

TEST_CASE("templates: capture groups, fields, tables, lower case, literal braces", "[rule-engine]") {
  const RuleSet rules = load(rule_file(
      "t1", R"J("snmp.response")J", R"J([{"field": "system.description", "regex": "^Acme (\\w+) v(\\d+)(?: (\\w+))?"}])J",
      R"J([{"attribute": "product.model", "value": "{1}-{2}", "confidence": 0.8},
          {"attribute": "product.name", "value": "{field:system.name} ({1})", "confidence": 0.7},
          {"attribute": "product.family", "value": "{table:acme-family:{1}}", "confidence": 0.6},
          {"attribute": "cpe", "value": "cpe:2.3:h:acme:{lower:{1}}:-:*:*:*:*:*:*:*", "confidence": 0.5},
          {"attribute": "serial", "value": "{3}", "confidence": 0.9},
          {"attribute": "location", "value": "{{{field:location}}}", "confidence": 0.4}])J",
      R"J([{"fields": {"system.description": "Acme X200 v3 S123", "system.name": "sw1", "location": "hall"},
           "claims": {"product.model": "X200-3", "product.name": "sw1 (X200)", "product.family": "X series",
                      "cpe": "cpe:2.3:h:acme:x200:-:*:*:*:*:*:*:*", "serial": "S123", "location": "{hall}"}}])J",
      R"J({"acme-family": {"match": "prefix", "entries": {"X": "X series", "X2": "X2 series?", "Y": "Y series"}}})J"));
  // Longest prefix wins: "X2" is longer than "X"... so the example above must say so.
  auto failures = rules.check_examples();
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].message.find("expected product.family = \"X series\", got \"X2 series?\"") != std::string::npos);

  const auto claims = rules.apply(observation("snmp.response", {{"system.description", std::string("Acme Y9 v1")}}));
  // No system.name: product.name dropped; no group 3: serial dropped; no location: dropped.
  REQUIRE(claims.size() == 3);
  CHECK(claim(claims, "product.model") == "Y9-1");
  CHECK(claim(claims, "product.family") == "Y series");
  CHECK(claim(claims, "cpe") == "cpe:2.3:h:acme:y9:-:*:*:*:*:*:*:*");
  for (const auto& c : claims) {
    CHECK(c.rule == "t1");
    CHECK(c.observation_id == 7);
  }
  // A table miss drops the claim, not the rule.
  const auto miss = rules.apply(observation("snmp.response", {{"system.description", std::string("Acme Z1 v1")}}));
  CHECK(claim(miss, "product.family") == "<none>");
  CHECK(claim(miss, "product.model") == "Z1-1");
}

TEST_CASE("built-in tables in templates: ODVA, BACnet, IANA enterprise", "[rule-engine]") {
  RuleSet rules = load(rule_file("t", R"J("x.*")J", R"J([{"field": "id", "exists": true}])J",
                                 R"J([{"attribute": "manufacturer.name", "value": "{table:odva-vendor:{field:id}}", "confidence": 0.5},
                                     {"attribute": "product.name", "value": "{table:bacnet-vendor:{field:id}}", "confidence": 0.5},
                                     {"attribute": "os.name", "value": "{table:iana-enterprise:{field:id}}", "confidence": 0.5}])J",
                                 R"J([{"signal": "x.y", "fields": {"id": 1}, "claims": {"manufacturer.name": "Rockwell Automation/Allen-Bradley", "product.name": "NIST"}}])J"));
  CHECK(rules.check_examples().empty());  // no enterprise numbers set: os.name dropped
  rules.set_enterprise_numbers(EnterpriseNumbers::load(std::string(default_enterprises_path())));
  const auto claims = rules.apply(observation("x.y", {{"id", std::int64_t{9}}}));
  CHECK(claim(claims, "os.name") == "ciscoSystems");
  CHECK(claim(claims, "product.name") == "Siemens Schweiz AG");
  // Hex text keys work too (0x135 = 309).
  const auto hex = rules.apply(observation("x.y", {{"id", std::string("0x0135")}}));
  CHECK(claim(hex, "manufacturer.name") == "Prosoft Technology");
}

TEST_CASE("typed equality, lists, negation, presence and field alternatives", "[rule-engine]") {
  const RuleSet rules = load(rule_file(
      "t", R"J("pn-dcp.identify")J",
      R"J([{"field": "vendor.id", "equals": [42, 176]}, {"field": "role", "equals": "device"},
          {"field": "blocked", "exists": false}, {"field": ["alias", "station.name"], "regex": "^(\\S+)$"},
          {"field": "station.name", "regex": "^test", "negate": true}])J",
      R"J([{"attribute": "hostname", "value": "{1}", "confidence": 0.5}])J",
      R"J([{"fields": {"vendor.id": 42, "role": "device", "station.name": "plc1"}, "claims": {"hostname": "plc1"}},
          {"fields": {"vendor.id": 176, "role": "device", "station.name": "plc1", "alias": "a1"}, "claims": {"hostname": "a1"}},
          {"fields": {"vendor.id": "42", "role": "device", "station.name": "plc1"}, "no_match": true},
          {"fields": {"vendor.id": 43, "role": "device", "station.name": "plc1"}, "no_match": true},
          {"fields": {"vendor.id": 42, "role": "device", "station.name": "plc1", "blocked": true}, "no_match": true},
          {"fields": {"vendor.id": 42, "role": "device", "station.name": "test1"}, "no_match": true},
          {"fields": {"vendor.id": 42.0, "role": "device", "station.name": "plc1"}, "claims": {"hostname": "plc1"}}])J"));
  const auto failures = rules.check_examples();
  std::string report;
  for (const auto& f : failures) report += f.what() + "\n";
  INFO(report);
  CHECK(failures.empty());
}

TEST_CASE("signals: exact, globs and lists, and other signals never reach the regex", "[rule-engine]") {
  RuleSet rules = load(R"J({"rules": [
    {"id": "a", "description": "d", "signal": "lldp.*", "match": [{"field": "d", "regex": "(.+)"}],
     "claims": [{"attribute": "product.name", "value": "A {1}", "confidence": 0.5}],
     "examples": [{"signal": "lldp.advertisement", "fields": {"d": "x"}, "claims": {"product.name": "A x"}}]},
    {"id": "b", "description": "d", "signal": ["snmp.response", "cdp.advertisement"], "match": [{"field": "d", "regex": "(.+)"}],
     "claims": [{"attribute": "product.name", "value": "B {1}", "confidence": 0.5}],
     "examples": [{"signal": "cdp.advertisement", "fields": {"d": "x"}, "claims": {"product.name": "B x"}},
                  {"signal": "snmp.trap", "fields": {"d": "x"}, "no_match": true}]},
    {"id": "c", "description": "d", "signal": "s?mp.*", "match": [{"field": "d", "regex": "(.+)"}],
     "claims": [{"attribute": "product.name", "value": "C {1}", "confidence": 0.5}],
     "examples": [{"signal": "snmp.trap", "fields": {"d": "x"}, "claims": {"product.name": "C x"}}]}
  ]})J");
  CHECK(rules.size() == 3);
  CHECK(rules.check_examples().empty());
  CHECK(rules.apply(observation("lldp.advertisement", {{"d", std::string("1")}})).size() == 1);
  const auto snmp = rules.apply(observation("snmp.response", {{"d", std::string("1")}}));
  REQUIRE(snmp.size() == 2);  // b and c, in rule order
  CHECK(snmp[0].rule == "b");
  CHECK(snmp[1].rule == "c");
  CHECK(rules.apply(observation("lldpx", {{"d", std::string("1")}})).empty());
  CHECK(rules.apply(observation("modbus.device-identification", {{"d", std::string("1")}})).empty());
}

TEST_CASE("a user folder overrides rules and tables by name and adds new ones", "[rule-engine]") {
  auto loaded = RuleSet::load_builtin();
  REQUIRE(std::holds_alternative<RuleSet>(loaded));
  RuleSet rules = std::get<RuleSet>(std::move(loaded));
  const std::size_t builtin_count = rules.size();
  const auto obs = observation("modbus.report-server-id", {{"server.id", std::string("Wingpath Limited")}});
  CHECK(claim(rules.apply(obs), "manufacturer.name") == "Wingpath Limited");

  TempDir dir;
  dir.write("10-override.json", R"J({"rules": [{
    "id": "modbus.fc17.wingpath", "description": "site override", "signal": "modbus.report-server-id",
    "match": [{"field": "server.id", "regex": "^Wingpath"}],
    "claims": [{"attribute": "manufacturer.name", "value": "Wingpath Ltd (site name)", "confidence": 0.9}],
    "examples": [{"fields": {"server.id": "Wingpath Limited"}, "claims": {"manufacturer.name": "Wingpath Ltd (site name)"}}]}]})J");
  dir.write("20-new.json", R"J({
    "tables": {"siemens-mlfb-family": {"match": "regex", "entries": [["^6ES7", "SIMATIC (site)"]]}},
    "rules": [{
    "id": "site.acme", "description": "a site's own device", "signal": "snmp.response",
    "match": [{"field": "system.description", "regex": "^ACME-(\\d+)"}],
    "claims": [{"attribute": "product.model", "value": "{1}", "confidence": 0.9},
               {"attribute": "product.family", "value": "{table:siemens-mlfb-family:6ES7 315}", "confidence": 0.1}],
    "examples": [{"fields": {"system.description": "ACME-42"}, "claims": {"product.model": "42", "product.family": "SIMATIC (site)"}}]}]})J");
  dir.write("notes.txt", "not a rule file");
  REQUIRE_FALSE(rules.load_directory(dir.path).has_value());
  CHECK(rules.size() == builtin_count + 1);
  const auto claims = rules.apply(obs);
  REQUIRE(claims.size() >= 1);
  CHECK(claim(claims, "manufacturer.name") == "Wingpath Ltd (site name)");
  for (const auto& c : claims) CHECK(c.rule == "modbus.fc17.wingpath");
  CHECK(claim(rules.apply(observation("snmp.response", {{"system.description", std::string("ACME-42")}})), "product.model") == "42");
  // The overriding table now serves the built-in rules too: their examples report it.
  const auto failures = rules.check_examples();
  CHECK_FALSE(failures.empty());
  for (const auto& f : failures) {
    INFO(f.what());
    CHECK(f.message.find("product.family") != std::string::npos);  // only the table's users differ
  }
  CHECK(std::any_of(failures.begin(), failures.end(),
                    [](const ExampleFailure& f) { return f.message.find("got \"SIMATIC (site)\"") != std::string::npos; }));
}

TEST_CASE("load errors name the file and the rule", "[rule-engine]") {
  SECTION("bad regex") {
    const auto e = load_error(rule_file("bad.regex", R"J("x")J", R"J([{"field": "a", "regex": "([a-z"}])J",
                                        R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J", kAnyExample));
    CHECK(e.file == "test.json");
    CHECK(e.rule == "bad.regex");
    CHECK(e.message.find("regex does not compile") != std::string::npos);
    CHECK(e.what().rfind("test.json: rule bad.regex: ", 0) == 0);
  }
  SECTION("bad JSON") {
    const auto e = load_error(R"J({"rules": [ {"id": "x", )J", "broken.json");
    CHECK(e.file == "broken.json");
    CHECK(e.rule.empty());
    CHECK(e.message.find("not valid JSON") != std::string::npos);
  }
  SECTION("unknown template placeholder") {
    const auto e = load_error(rule_file("bad.template", R"J("x")J", R"J([{"field": "a", "regex": "(.)"}])J",
                                        R"J([{"attribute": "serial", "value": "{upper:{1}}", "confidence": 0.5}])J", kAnyExample));
    CHECK(e.rule == "bad.template");
    CHECK(e.message.find("unknown template placeholder '{upper'") != std::string::npos);
  }
  SECTION("unterminated placeholder") {
    const auto e = load_error(rule_file("bad.template2", R"J("x")J", R"J([{"field": "a", "regex": "(.)"}])J",
                                        R"J([{"attribute": "serial", "value": "{field:a", "confidence": 0.5}])J", kAnyExample));
    CHECK(e.rule == "bad.template2");
    CHECK(e.message.find("expected '}'") != std::string::npos);
  }
  SECTION("unknown table") {
    const auto e = load_error(rule_file("bad.table", R"J("x")J", R"J([{"field": "a", "regex": "(.)"}])J",
                                        R"J([{"attribute": "serial", "value": "{table:nope:{1}}", "confidence": 0.5}])J", kAnyExample));
    CHECK(e.rule == "bad.table");
    CHECK(e.message.find("unknown table \"nope\"") != std::string::npos);
  }
  SECTION("capture group beyond the regex") {
    const auto e = load_error(rule_file("bad.group", R"J("x")J", R"J([{"field": "a", "regex": "(.)"}])J",
                                        R"J([{"attribute": "serial", "value": "{2}", "confidence": 0.5}])J", kAnyExample));
    CHECK(e.message.find("uses {2} but the first regex has 1 groups") != std::string::npos);
  }
  SECTION("unknown attribute, device type, key; bad confidence") {
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "colour", "value": "x", "confidence": 0.5}])J", kAnyExample))
              .message.find("unknown attribute \"colour\"") != std::string::npos);
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "device.type", "value": "toaster", "confidence": 0.5}])J", kAnyExample))
              .message.find("unknown device.type") != std::string::npos);
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true, "regx": "."}])J",
                               R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J", kAnyExample))
              .message.find("unknown key \"regx\"") != std::string::npos);
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "serial", "value": "x", "confidence": 1.5}])J", kAnyExample))
              .message.find("confidence must be in (0, 1]") != std::string::npos);
  }
  SECTION("examples: glob signal needs an example signal; positive example needs claims") {
    CHECK(load_error(rule_file("a", R"J("x.*")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J", R"J([{"fields": {"a": 1}, "claims": {"serial": "x"}}])J"))
              .message.find("\"signal\" is required") != std::string::npos);
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J", R"J([{"fields": {"a": 1}}])J"))
              .message.find("\"claims\" (the claims expected) is required") != std::string::npos);
    CHECK(load_error(rule_file("a", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                               R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J", R"J([{"fields": {"a": 1}, "no_match": true}])J"))
              .message.find("no positive example") != std::string::npos);
  }
  SECTION("duplicate ids in one folder") {
    TempDir dir;
    const std::string rule = rule_file("same.id", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                                       R"J([{"attribute": "serial", "value": "x", "confidence": 0.5}])J",
                                       R"J([{"fields": {"a": 1}, "claims": {"serial": "x"}}])J");
    dir.write("a.json", rule);
    dir.write("b.json", rule);
    RuleSet rules;
    const auto e = rules.load_directory(dir.path);
    REQUIRE(e.has_value());
    CHECK(e->rule == "same.id");
    CHECK(e->message.find("duplicate rule id") != std::string::npos);
    CHECK(rules.size() == 0);
  }
  SECTION("missing folder") {
    RuleSet rules;
    const auto e = rules.load_directory("/nonexistent/herkomst-rules");
    REQUIRE(e.has_value());
    CHECK(e->file == "/nonexistent/herkomst-rules");
    CHECK(e->message == "not a directory");
  }
}

TEST_CASE("a rule set is a value: copies are independent", "[rule-engine]") {
  RuleSet a = load(rule_file("one", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                             R"J([{"attribute": "serial", "value": "1", "confidence": 0.5}])J", R"J([{"fields": {"a": 1}, "claims": {"serial": "1"}}])J"));
  RuleSet b = a;
  REQUIRE_FALSE(b.load_text("two.json", rule_file("two", R"J("x")J", R"J([{"field": "a", "exists": true}])J",
                                                  R"J([{"attribute": "hostname", "value": "2", "confidence": 0.5}])J",
                                                  R"J([{"fields": {"a": 1}, "claims": {"hostname": "2"}}])J")));
  CHECK(a.size() == 1);
  CHECK(b.size() == 2);
  CHECK(a.apply(observation("x", {{"a", std::int64_t{1}}})).size() == 1);
  CHECK(b.apply(observation("x", {{"a", std::int64_t{1}}})).size() == 2);
}

TEST_CASE("ODVA and BACnet vendor tables", "[vendor-tables]") {
  CHECK(odva_vendor(1) == std::optional<std::string_view>("Rockwell Automation/Allen-Bradley"));
  CHECK(odva_vendor(309) == std::optional<std::string_view>("Prosoft Technology"));
  CHECK(odva_vendor(283) == std::optional<std::string_view>("Hilscher GmbH"));
  CHECK(odva_vendor(562) == std::optional<std::string_view>("Phoenix Contact"));
  CHECK(odva_vendor(108) == std::optional<std::string_view>("Beckhoff Automation GmbH"));
  CHECK_FALSE(odva_vendor(0).has_value());
  CHECK_FALSE(odva_vendor(65535).has_value());
  CHECK_FALSE(odva_vendor(-1).has_value());
  CHECK(odva_vendors_version().rows >= 100);
  CHECK(odva_vendors_version().source.rfind("https://www.odva.org/", 0) == 0);
  CHECK(odva_vendors_version().date == "2026-11-28");

  CHECK(bacnet_vendor(0) == std::optional<std::string_view>("ASHRAE"));
  CHECK(bacnet_vendor(5) == std::optional<std::string_view>("Johnson Controls, Inc."));
  CHECK(bacnet_vendor(8) == std::optional<std::string_view>("Delta Controls"));
  CHECK(bacnet_vendor(15) == std::optional<std::string_view>("Cornell University"));
  CHECK(bacnet_vendor(18) == std::optional<std::string_view>("Alerton / Honeywell"));
  CHECK(bacnet_vendor(24) == std::optional<std::string_view>("Automated Logic Corporation"));
  CHECK(bacnet_vendor(260) == std::optional<std::string_view>("BACnet Stack at SourceForge"));
  CHECK_FALSE(bacnet_vendor(99999).has_value());
  CHECK(bacnet_vendors_version().source == "https://bacnet.org/assigned-vendor-ids/");
  CHECK(bacnet_vendors_version().summary().find("bacnet-vendors.tsv: ") == 0);
}

TEST_CASE("IANA enterprise numbers from Debian's enterprises.tsv", "[vendor-tables]") {
  const auto numbers = EnterpriseNumbers::load(std::string(default_enterprises_path()));
  INFO(numbers.version().summary());
  REQUIRE(numbers.available());
  CHECK(numbers.lookup(4329) == std::optional<std::string_view>("Siemens AG"));
  CHECK(numbers.lookup(9) == std::optional<std::string_view>("ciscoSystems"));
  CHECK_FALSE(numbers.lookup(-5).has_value());
  CHECK(numbers.size() > 50000);
  CHECK(numbers.version().source.find("https://www.iana.org/assignments/enterprise-numbers") == 0);
  CHECK(numbers.version().date.size() == 10);
}

TEST_CASE("enterprise numbers: a missing or odd file gives an empty table that says why", "[vendor-tables]") {
  const auto missing = EnterpriseNumbers::load("/nonexistent/enterprises.tsv");
  CHECK_FALSE(missing.available());
  CHECK(missing.size() == 0);
  CHECK_FALSE(missing.lookup(9).has_value());
  CHECK(missing.version().summary() == "/nonexistent/enterprises.tsv: unavailable (No such file or directory)");

  TempDir dir;
  dir.write("e.tsv", "# comment\n# (last updated 2024-01-02)\n9\tciscoSystems\n  4329   Siemens AG  \nbad line\n12345\n");
  const auto small = EnterpriseNumbers::load(dir.path / "e.tsv");
  CHECK(small.size() == 2);
  CHECK(small.lookup(4329) == std::optional<std::string_view>("Siemens AG"));
  CHECK(small.version().date == "2024-01-02");

  const auto empty = EnterpriseNumbers{};
  CHECK_FALSE(empty.available());
  CHECK_FALSE(empty.lookup(9).has_value());
}
