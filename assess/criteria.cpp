#include "assess/criteria.hpp"

#include <algorithm>

namespace herkomst::assess {
namespace {

// The component's countries with the roles they play, origin first, then sorted.
std::vector<CountryFinding> countries_of(const ComponentFacts& f) {
  std::vector<CountryFinding> out;
  auto add = [&](const std::string& country, const char* role) {
    if (country.empty()) return;
    auto it = std::find_if(out.begin(), out.end(), [&](const CountryFinding& c) { return c.country == country; });
    if (it == out.end()) {
      out.push_back({});
      it = out.end() - 1;
      it->country = country;
    }
    if (std::find(it->roles.begin(), it->roles.end(), role) == it->roles.end()) it->roles.push_back(role);
  };
  add(f.origin_country, "origin");
  for (const auto& c : f.control_countries) add(c, "control");
  for (const auto& c : f.state_countries) add(c, "state control");
  const auto rest = out.begin() + (f.origin_country.empty() || out.empty() ? 0 : 1);
  std::sort(rest, out.end(), [](const auto& a, const auto& b) { return a.country < b.country; });
  return out;
}

std::string no_country_reason(const ComponentFacts& f) {
  if (f.resolved) return "the knowledge base gives no country for " + f.organisation;
  if (!f.match.empty()) return "the vendor did not resolve to a known organisation (" + f.match + ")";
  return "no vendor name was seen for this component";
}

CountryResult country_criterion(const Policy& policy, const ComponentFacts& f, Condition which, const origins::Day& as_of) {
  CountryResult r;
  r.countries = countries_of(f);
  const bool first = which == Condition::c1;
  for (auto& c : r.countries) {
    const CountryPolicy* entry = policy.country(c.country);
    if (!entry) {
      c.value = policy.unlisted_countries;
      c.note = "not listed in the policy";
      continue;
    }
    c.listed = true;
    c.name = entry->name;
    c.criterion = first ? entry->criterion1 : entry->criterion2;
    c.value = c.criterion.value;
    if (c.criterion.since && as_of < *c.criterion.since && c.value != Tri::no) {
      c.note = "in force from " + c.criterion.since->str() + ", after the assessment date " + as_of.str();
      c.value = Tri::no;
    }
  }
  if (!policy.can_meet(which)) {
    r.value = Tri::no;
    r.reason = "the policy names no country that meets " + std::string(describe(which));
    return r;
  }
  if (r.countries.empty()) {
    r.value = Tri::unknown;
    r.reason = no_country_reason(f);
    return r;
  }
  r.value = Tri::no;
  for (const auto& c : r.countries) r.value = r.value || c.value;
  return r;
}

AccessResult access_criterion(const AssetContext& site, const ScanEvidence& evidence) {
  AccessResult r;
  r.value = Tri::no;
  for (AccessKind k : kAccessKinds) {
    AccessFinding a;
    a.kind = k;
    a.recorded = site.facts.access[index(k)];
    a.value = a.recorded ? tri(a.recorded->value) : Tri::unknown;
    if (k == AccessKind::cloud_connectivity && evidence.any()) {
      a.evidence = evidence.outside_addresses;
      a.evidence.insert(a.evidence.end(), evidence.external_names.begin(), evidence.external_names.end());
      if (a.value == Tri::no) a.note = "the context records none, but the scan shows connections beyond the site";
      a.value = Tri::yes;
    }
    r.value = r.value || a.value;
    r.kinds.push_back(std::move(a));
  }
  if (!site.covered)
    r.reason = !site.context_given ? "no site context was given" : "no zone or asset entry of the site context covers this asset";
  return r;
}

MitigationResult mitigation_criterion(const Policy& policy, const AccessResult& access, const AssetContext& site,
                                      const ScanEvidence& evidence) {
  MitigationResult r;
  for (Mitigation m : kMitigations) {
    MitigationFinding f;
    f.mitigation = m;
    f.recorded = site.facts.mitigations[index(m)];
    f.value = f.recorded ? tri(f.recorded->value) : Tri::unknown;
    if (m == Mitigation::no_internet_route && f.value == Tri::yes && !evidence.outside_addresses.empty()) {
      f.value = Tri::no;
      f.note = "the scan saw the asset talk to " + evidence.outside_addresses.front().value +
               ", outside the site's declared networks: not counted";
    }
    r.mitigations.push_back(std::move(f));
  }
  r.value = Tri::yes;
  bool any_access = false;
  for (const auto& a : access.kinds) {
    CoverageFinding c;
    c.kind = a.kind;
    c.needed = a.value;
    c.alternatives = policy.sufficient_mitigations[index(a.kind)];
    c.covered = Tri::no;
    for (const auto& alternative : c.alternatives) {
      Tri all = Tri::yes;
      for (Mitigation m : alternative) all = all && r.mitigations[index(m)].value;
      c.covered = c.covered || all;
    }
    c.ok = !c.needed || c.covered;
    any_access = any_access || c.needed != Tri::no;
    r.value = r.value && c.ok;
    r.coverage.push_back(std::move(c));
  }
  if (!any_access) r.reason = "no access to mitigate";
  return r;
}

Tri condition_value(Condition c, const Assessment& a) {
  switch (c) {
    case Condition::c1:
      return a.c1.value;
    case Condition::c2:
      return a.c2.value;
    case Condition::c3a:
      return a.c3a.value;
    case Condition::c3b:
      return a.c3b.value;
    case Condition::vital:
      return a.vital;
  }
  return Tri::unknown;
}

Verdict verdict_of(const Policy& policy, const Assessment& a) {
  Verdict v;
  v.rule = exclusion_rule(a.c1.value, a.c2.value, a.c3a.value, a.c3b.value);
  for (std::size_t i = 0; i < policy.levels.size(); ++i) {
    const LevelRule& rule = policy.levels[i];
    bool holds = true;
    std::string conditions;
    for (const auto& [condition, wanted] : rule.when) {
      holds = holds && condition_value(condition, a) == tri(wanted);
      conditions += (conditions.empty() ? "" : ", ") + std::string(to_string(condition)) + (wanted ? " yes" : " no");
    }
    if (!holds) continue;
    v.known_level = std::max(v.known_level, rule.level);
    v.level_rules.push_back("levels[" + std::to_string(i) + "] " + std::string(to_string(rule.level)) + " (" +
                            conditions + ")" + (rule.note.empty() ? "" : ": " + rule.note));
  }
  for (const auto& hit : a.facts.lists)
    if (const WatchList* w = policy.watch_list(hit.list)) {
      v.watch.push_back({hit.list, hit.entry, w->level, w->note});
      v.known_level = std::max(v.known_level, w->level);
    }
  for (Condition c : {Condition::c1, Condition::c2, Condition::c3a, Condition::c3b})
    if (condition_value(c, a) == Tri::unknown) v.unknown.push_back(c);
  v.level = v.rule == Tri::yes ? Level::exclusion_candidate : v.rule == Tri::unknown ? Level::unknown_data : v.known_level;
  return v;
}

}  // namespace

Assessment assess_component(const Policy& policy, const ComponentFacts& facts, const AssetContext& site,
                              const ScanEvidence& evidence, const AssessOptions& options) {
  Assessment a;
  a.component_ref = facts.ref;
  a.asset_ref = site.asset;
  a.label = facts.label;
  a.policy = policy.version_line();
  a.policy_statement = policy.statement;
  a.context = site.context;
  a.as_of = options.as_of;
  a.facts = facts;
  a.site = site;
  a.evidence = evidence;
  a.vital = site.facts.vital_process ? tri(site.facts.vital_process->value) : Tri::unknown;
  a.c1 = country_criterion(policy, facts, Condition::c1, options.as_of);
  a.c2 = country_criterion(policy, facts, Condition::c2, options.as_of);
  a.c3a = access_criterion(site, evidence);
  a.c3b = mitigation_criterion(policy, a.c3a, site, evidence);
  a.verdict = verdict_of(policy, a);
  return a;
}

}  // namespace herkomst::assess
