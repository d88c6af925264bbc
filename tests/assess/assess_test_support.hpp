// Test helpers: policies and contexts written as JSON in the test, and component facts and
// asset contexts built directly. Countries are fictitious ("XX", "YY") except in tests of the
// shipped default policy.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "assess/criteria.hpp"
#include "assess/policy.hpp"
#include "assess/site_context.hpp"

namespace herkomst::assess::test {

using nlohmann::json;

inline json citation(const std::string& title = "A public source") {
  return {{"title", title}, {"url", "https://example.org/" + std::to_string(title.size())}, {"date", "2020-01-02"}};
}

// A country entry with criterion values "yes"/"no"/"unknown" (citations and notes as needed).
inline json country(const std::string& code, const std::string& c1, const std::string& c2) {
  auto criterion = [](const std::string& value, bool first) {
    json c = {{"value", value}};
    if (value == "yes") c["citations"] = json::array({citation(first ? "The Xland Intelligence Act" : "Threat assessment")});
    if (value == "yes" && first) c["law"] = "Intelligence Act of " + std::string("Xland, art. 7");
    if (value == "unknown") c["note"] = "not checked";
    return c;
  };
  return {{"country", code}, {"name", "Land " + code}, {"criterion1", criterion(c1, true)}, {"criterion2", criterion(c2, false)}};
}

// A policy with the default's levels and sufficient mitigations and the given countries.
inline json policy_json(json countries = json::array(), json watch_lists = json::array()) {
  return {
      {"format", "herkomst-policy"},
      {"format_version", 1},
      {"id", "test-policy"},
      {"version", "1"},
      {"effective_date", "2026-01-01"},
      {"statement", "A test policy."},
      {"countries", std::move(countries)},
      {"watch_lists", std::move(watch_lists)},
      {"levels", json::array({
                     {{"level", "high-risk"}, {"when", {{"1", true}, {"2", true}, {"3A", true}}}},
                     {{"level", "attention"}, {"when", {{"1", true}}}},
                     {{"level", "attention"}, {"when", {{"2", true}}}},
                 })},
      {"sufficient_mitigations",
       {{"vendor_remote_access", json::array({json::array({"segmentation", "monitoring", "contractual_requirements"})})},
        {"cloud_connectivity",
         json::array({json::array({"no_internet_route"}), json::array({"segmentation", "monitoring", "contractual_requirements"})})},
        {"physical_access", json::array({json::array({"monitoring", "contractual_requirements"})})},
        {"sensitive_ict_access", json::array({json::array({"segmentation", "monitoring"})})}}},
  };
}

inline Policy load_policy_ok(const json& j) {
  auto p = parse_policy(j.dump(2), "policy.json");
  if (auto* e = std::get_if<LoadError>(&p)) FAIL(e->message);
  return std::get<Policy>(std::move(p));
}

inline std::string policy_error(const std::string& text) {
  auto p = parse_policy(text, "policy.json");
  if (auto* e = std::get_if<LoadError>(&p)) return e->message;
  return "(loaded)";
}

inline json context_json(json zones = json::array(), json assets = json::array()) {
  return {{"format", "herkomst-context"}, {"format_version", 1}, {"site", "Test site"}, {"version", "1"},
          {"recorded_by", "T. Tester"},    {"recorded_at", "2026-02-01"}, {"zones", std::move(zones)},
          {"assets", std::move(assets)}};
}

inline SiteContext load_context_ok(const json& j) {
  auto c = parse_site_context(j.dump(2), "context.json");
  if (auto* e = std::get_if<LoadError>(&c)) FAIL(e->message);
  return std::get<SiteContext>(std::move(c));
}

inline std::string context_error(const std::string& text) {
  auto c = parse_site_context(text, "context.json");
  if (auto* e = std::get_if<LoadError>(&c)) return e->message;
  return "(loaded)";
}

// One edit of a valid file and the error the loader must give for it.
struct Change {
  const char* pointer;  // JSON pointer into the file
  const char* value;    // JSON text to put there; nullptr: remove the member
  const char* error;    // the whole message, or its start when it ends in "..."
};

// Applies each change to `text` on its own and checks the error `error_of(changed text)` gives.
template <typename ErrorOf>
void check_changes(const std::string& text, const std::vector<Change>& changes, ErrorOf error_of) {
  for (const auto& change : changes) {
    json j = json::parse(text);
    const json::json_pointer pointer(change.pointer);
    if (change.value)
      j[pointer] = json::parse(change.value);
    else
      j[pointer.parent_pointer()].erase(pointer.back());
    const std::string error = error_of(j.dump(2));
    INFO(change.pointer);
    const std::string expected = change.error;
    if (expected.size() > 3 && expected.compare(expected.size() - 3, 3, "...") == 0)
      CHECK(error.rfind(expected.substr(0, expected.size() - 3), 0) == 0);
    else
      CHECK(error == expected);
  }
}

inline Recorded<bool> recorded(bool value, const std::string& where = "zone test") {
  return {value, "T. Tester", {2026, 2, 1}, "", where};
}

// A component whose vendor resolved to an organisation of `origin`, controlled from `control`.
inline ComponentFacts made_in(const std::string& origin, const std::string& control = "") {
  ComponentFacts f;
  f.ref = "device:mac:02:00:00:00:00:01";
  f.label = "Test device (Test Maker)";
  f.resolved = true;
  f.organisation = "test-maker";
  f.organisation_name = "Test Maker";
  f.origin_country = origin;
  f.match = "exact name 'Test Maker' (Test Maker)";
  f.control_countries = {control.empty() ? origin : control};
  return f;
}

// A site context that covers the asset, with no facts recorded yet.
inline AssetContext covered_site(const std::string& zone = "test") {
  AssetContext c;
  c.asset = "asset:mac:02:00:00:00:00:01";
  c.context_given = true;
  c.covered = true;
  c.zone = zone;
  c.context = "Test site 1";
  return c;
}

inline ComponentFacts unresolved() {
  ComponentFacts f;
  f.ref = "device:mac:02:00:00:00:00:02";
  f.label = "device 02:00:00:00:00:02";
  f.match = "unresolved: 'Acme Widgets'";
  f.registrant_country = "XX";
  return f;
}

}  // namespace herkomst::assess::test
