#include "cli/assessment_run.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "assess/assess_inventory.hpp"
#include "assess/explanation.hpp"

namespace herkomst::cli {
namespace {

using nlohmann::ordered_json;

std::string tri(assess::Tri t) { return std::string(assess::to_string(t)); }

ordered_json country_json(const assess::CountryResult& r) {
  ordered_json countries = ordered_json::array();
  for (const auto& c : r.countries)
    countries.push_back({{"country", c.country},
                         {"roles", c.roles},
                         {"value", tri(c.value)},
                         {"listed", c.listed},
                         {"name", c.name},
                         {"law", c.criterion.law},
                         {"note", c.note}});
  return {{"value", tri(r.value)}, {"countries", countries}, {"reason", r.reason}};
}

}  // namespace

std::variant<AssessmentSetup, std::string> load_assessment_setup(const std::filesystem::path& policy,
                                                                 const std::filesystem::path& context) {
  AssessmentSetup setup;
  auto p = policy.empty() ? assess::default_policy() : assess::load_policy(policy.string());
  if (auto* e = std::get_if<assess::LoadError>(&p)) return (policy.empty() ? "built-in policy: " : "") + e->message;
  setup.policy = std::get<assess::Policy>(std::move(p));
  if (!context.empty()) {
    auto c = assess::load_site_context(context.string());
    if (auto* e = std::get_if<assess::LoadError>(&c)) return e->message;
    setup.context = std::get<assess::SiteContext>(std::move(c));
  }
  return setup;
}

void drop_claims_of_rule(Inventory& inventory, std::string_view rule) {
  for (auto& asset : inventory.assets)
    for (auto& component : asset.components)
      std::erase_if(component.claims, [&](const Claim& c) { return c.rule == rule; });
}

std::vector<assess::Assessment> assess_and_claim(const AssessmentSetup& setup, Inventory& inventory,
                                                 const origins::Day& as_of) {
  drop_claims_of_rule(inventory, kRuleAssessment);
  assess::AssessOptions options;
  options.as_of = as_of;
  auto assessments = assess::assess_inventory(setup.policy, setup.context, inventory, options);
  std::unordered_map<std::string_view, const assess::Assessment*> by_ref;
  for (const auto& a : assessments) by_ref.emplace(a.component_ref, &a);
  for (auto& asset : inventory.assets)
    for (auto& component : asset.components) {
      const auto found = by_ref.find(component.ref);
      if (found == by_ref.end()) continue;
      const assess::Assessment* it = found->second;
      auto claim = [&](const char* attribute, std::string value) {
        component.claims.push_back({attribute, std::move(value), 1.0, kRuleAssessment, 0});
      };
      claim("assessment.verdict", std::string(assess::to_string(it->verdict.level)));
      claim("assessment.criterion1", tri(it->c1.value));
      claim("assessment.criterion2", tri(it->c2.value));
      claim("assessment.criterion3a", tri(it->c3a.value));
      claim("assessment.criterion3b", tri(it->c3b.value));
      claim("assessment.explanation", assess::explain(*it));
      std::sort(component.claims.begin(), component.claims.end());
    }
  return assessments;
}

std::string assessment_detail_json(const assess::Assessment& a, const std::string& knowledge_base) {
  ordered_json watch = ordered_json::array();
  for (const auto& w : a.verdict.watch)
    watch.push_back({{"list", w.list}, {"entry", w.entry}, {"level", assess::to_string(w.level)}, {"note", w.note}});
  ordered_json unknown = ordered_json::array();
  for (const auto c : a.verdict.unknown) unknown.push_back(assess::to_string(c));
  ordered_json access = ordered_json::array();
  for (const auto& k : a.c3a.kinds)
    access.push_back({{"kind", assess::to_string(k.kind)}, {"value", tri(k.value)}, {"note", k.note}});
  ordered_json mitigations = ordered_json::array();
  for (const auto& m : a.c3b.mitigations)
    mitigations.push_back({{"mitigation", assess::to_string(m.mitigation)}, {"value", tri(m.value)}, {"note", m.note}});
  const ordered_json j{
      {"component", a.component_ref},
      {"asset", a.asset_ref},
      {"label", a.label},
      {"verdict", assess::to_string(a.verdict.level)},
      {"reason", assess::verdict_reason(a)},
      {"rule", tri(a.verdict.rule)},
      {"known_level", assess::to_string(a.verdict.known_level)},
      {"level_rules", a.verdict.level_rules},
      {"watch", watch},
      {"unknown", unknown},
      {"criterion1", country_json(a.c1)},
      {"criterion2", country_json(a.c2)},
      {"criterion3a", {{"value", tri(a.c3a.value)}, {"kinds", access}, {"reason", a.c3a.reason}}},
      {"criterion3b", {{"value", tri(a.c3b.value)}, {"mitigations", mitigations}, {"reason", a.c3b.reason}}},
      {"policy", a.policy},
      {"policy_statement", a.policy_statement},
      {"context", a.context},
      {"knowledge_base", knowledge_base},
      {"as_of", a.as_of.str()},
      {"explanation", assess::explain(a)}};
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Store::AssessmentRun store_assessment_run(Store& store, std::int64_t scan_id, const AssessmentSetup& setup,
                                          const std::string& knowledge_base, const origins::Day& as_of,
                                          const std::vector<assess::Assessment>& assessments) {
  std::vector<Store::StoredAssessment> rows;
  rows.reserve(assessments.size());
  for (const auto& a : assessments)
    rows.push_back({a.component_ref, a.asset_ref, tri(a.c1.value), tri(a.c2.value), tri(a.c3a.value),
                    tri(a.c3b.value), std::string(assess::to_string(a.verdict.level)), assess::explain(a),
                    assessment_detail_json(a, knowledge_base)});
  Store::AssessmentRun run;
  run.scan_id = scan_id;
  run.as_of = as_of.str();
  run.policy_version = setup.policy.version_line();
  run.context_version = setup.context.version_line();
  run.knowledge_base = knowledge_base;
  return store.add_assessment_run(std::move(run), rows);
}

}  // namespace herkomst::cli
