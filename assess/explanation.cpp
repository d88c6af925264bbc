#include "assess/explanation.hpp"

#include <algorithm>

namespace herkomst::assess {
namespace {

constexpr std::size_t kShownEvidence = 5;

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

std::string criterion_names(const std::vector<Condition>& cs) {
  std::vector<std::string> names;
  for (Condition c : cs) names.emplace_back(to_string(c));
  if (names.size() <= 1) return join(names, "");
  std::string last = names.back();
  names.pop_back();
  return join(names, ", ") + " and " + last;
}

std::string citation_text(const Citation& c) {
  std::string out = c.title + " (" + c.date.str() + ")";
  if (!c.url.empty()) out += " " + c.url;
  if (!c.note.empty()) out += ": " + c.note;
  return out;
}

template <typename T>
std::string recorded_text(const Recorded<T>& r) {
  std::string out = "recorded by " + r.recorded_by + " on " + r.recorded_at.str() + " (" + r.where + ")";
  if (!r.note.empty()) out += ": " + r.note;
  return out;
}

std::string evidence_text(const std::vector<EvidenceItem>& items) {
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < items.size() && i < kShownEvidence; ++i) {
    const auto& e = items[i];
    std::vector<std::string> ids;
    for (auto id : e.observations) ids.push_back(std::to_string(id));
    const char* what = e.signal == "dns.query" ? "looked up " : "requested ";
    shown.push_back(what + e.value + " (" + e.signal + ", observation" + (ids.size() > 1 ? "s " : " ") + join(ids, ", ") + ")");
  }
  std::string out = join(shown, "; ");
  if (items.size() > kShownEvidence) out += "; and " + std::to_string(items.size() - kShownEvidence) + " more";
  return out;
}

std::string alternatives_text(const Alternatives& alternatives) {
  if (alternatives.empty()) return "the policy deems no mitigation sufficient for it";
  std::vector<std::string> options;
  for (const auto& alternative : alternatives) {
    std::vector<std::string> names;
    for (Mitigation m : alternative) names.emplace_back(describe(m));
    std::string option(1, '{');
    option += join(names, " + ");
    option += '}';
    options.push_back(std::move(option));
  }
  return "needs " + join(options, " or ");
}

void country_section(std::string& out, const char* title, const CountryResult& r) {
  out += std::string(title) + ": " + std::string(to_string(r.value)) + "\n";
  for (const auto& c : r.countries) {
    out += "  " + c.country + (c.name.empty() ? "" : " (" + c.name + ")") + ", " + join(c.roles, ", ") + ": " +
           std::string(to_string(c.value));
    if (c.criterion.naming) out += ", " + std::string(to_string(*c.criterion.naming));
    if (!c.criterion.law.empty()) out += ". " + c.criterion.law;
    if (!c.note.empty()) out += " (" + c.note + ")";
    if (!c.criterion.note.empty()) out += ". " + c.criterion.note;
    out += "\n";
    for (const auto& cit : c.criterion.citations) out += "    source: " + citation_text(cit) + "\n";
  }
  if (!r.reason.empty()) out += "  " + r.reason + "\n";
}

void access_section(std::string& out, const AccessResult& r) {
  out += "Criterion 3A (the supplier has access): " + std::string(to_string(r.value)) + "\n";
  if (!r.reason.empty()) out += "  " + r.reason + "\n";
  for (const auto& k : r.kinds) {
    out += "  " + std::string(describe(k.kind)) + ": " + std::string(to_string(k.value));
    const bool as_recorded = k.recorded && tri(k.recorded->value) == k.value;
    if (as_recorded) out += ", " + recorded_text(*k.recorded);
    if (!k.recorded && k.evidence.empty()) out += ", not recorded";
    if (!k.evidence.empty()) out += "; the scan shows it: " + evidence_text(k.evidence);
    if (k.recorded && !as_recorded) out += "; " + k.note + " (" + recorded_text(*k.recorded) + ")";
    out += "\n";
  }
}

void mitigation_section(std::string& out, const MitigationResult& r) {
  out += "Criterion 3B (mitigations sufficiently control the risks): " + std::string(to_string(r.value)) + "\n";
  if (!r.reason.empty()) out += "  " + r.reason + "\n";
  for (const auto& c : r.coverage) {
    if (c.needed == Tri::no) continue;
    out += "  ";
    out += describe(c.kind);
    out += c.needed == Tri::unknown ? " (if present): " : ": ";
    out += alternatives_text(c.alternatives);
    out += "; ";
    out += c.covered == Tri::yes ? "in place" : c.covered == Tri::no ? "not in place" : "unknown whether in place";
    out += '\n';
  }
  std::vector<std::string> items;
  for (const auto& m : r.mitigations) {
    std::string item = std::string(describe(m.mitigation)) + " " + std::string(to_string(m.value));
    if (m.recorded) item += " (" + recorded_text(*m.recorded) + ")";
    if (!m.note.empty()) item += " (" + m.note + ")";
    items.push_back(item);
  }
  out += "  mitigations: " + join(items, "; ") + "\n";
}

void origin_section(std::string& out, const Assessment& a) {
  const ComponentFacts& f = a.facts;
  out += "Origin and control\n";
  if (!f.origin_from.empty()) out += "  the component has no vendor of its own: the origin of " + f.origin_from + " is used\n";
  if (f.resolved) {
    out += "  organisation: " + f.organisation_name + " (" + f.organisation + ")" +
           (f.origin_country.empty() ? "" : ", origin country " + f.origin_country) + "\n";
    if (!f.match.empty()) out += "  matched: " + f.match + "\n";
    if (!f.origin_source.empty()) out += "  source: " + f.origin_source + "\n";
  } else {
    out += "  " + (f.match.empty() ? std::string("no vendor name was seen") : "vendor not resolved: " + f.match) + "\n";
  }
  if (!f.control_countries.empty()) out += "  control countries: " + join(f.control_countries, ", ") + "\n";
  if (!f.ultimate_parents.empty()) out += "  ultimate parents: " + join(f.ultimate_parents, ", ") + "\n";
  for (const auto& chain : f.chains) out += "  control chain: " + chain + "\n";
  if (!f.state_countries.empty()) out += "  controlled by the state of: " + join(f.state_countries, ", ") + "\n";
  for (const auto& s : f.state_stakes) out += "  minority stake of a state (noted, not control): " + s + "\n";
  for (const auto& m : f.makers) out += "  made by (OEM/ODM, noted, not control): " + m + "\n";
  for (const auto& l : f.lists) {
    auto hit = std::find_if(a.verdict.watch.begin(), a.verdict.watch.end(), [&](const WatchHit& w) { return w.list == l.list; });
    out += "  on list " + l.list + ": " + l.entry;
    if (hit != a.verdict.watch.end())
      out += " (policy watch list: " + std::string(to_string(hit->level)) + (hit->note.empty() ? "" : ", " + hit->note) + ")";
    out += "\n";
  }
  if (!f.resolved && !f.registrant_country.empty())
    out += "  MAC registrant country: " + f.registrant_country + " (where the MAC prefix was registered: a hint, not used)\n";
}

void site_section(std::string& out, const Assessment& a) {
  const AssetContext& s = a.site;
  out += "Site context: " + a.context + "\n";
  if (!s.zone.empty()) out += "  zone " + s.zone + " (" + s.zone_match + ")\n";
  if (!s.overrides.empty()) out += "  asset entries: " + join(s.overrides, ", ") + "\n";
  if (s.facts.vital_process)
    out += "  vital process: " + std::string(s.facts.vital_process->value ? "yes" : "no") + ", " +
           recorded_text(*s.facts.vital_process) + "\n";
  if (s.facts.purdue_level)
    out += "  Purdue level: " + std::to_string(s.facts.purdue_level->value) + ", " + recorded_text(*s.facts.purdue_level) + "\n";
  for (const auto& n : s.notes) out += "  note: " + n + "\n";
}

}  // namespace

std::string verdict_reason(const Assessment& a) {
  const Verdict& v = a.verdict;
  if (v.level == Level::exclusion_candidate)
    return "Criteria 1, 2 and 3A hold and 3B does not: every condition of the test for exclusion is met.";
  if (v.rule == Tri::unknown) {
    std::string out = "The test cannot be decided: " + criterion_names(v.unknown) + (v.unknown.size() > 1 ? " are" : " is") +
                      " unknown, and nothing known rules exclusion out.";
    if (v.known_level != Level::none) out += " From what is known: " + std::string(describe(v.known_level)) + ".";
    return out;
  }
  std::vector<std::string> refuted;
  if (a.c1.value == Tri::no) refuted.emplace_back("criterion 1 does not hold");
  if (a.c2.value == Tri::no) refuted.emplace_back("criterion 2 does not hold");
  if (a.c3a.value == Tri::no) refuted.emplace_back("the supplier has no access (3A)");
  if (a.c3b.value == Tri::yes) refuted.emplace_back("the mitigations suffice (3B)");
  std::string out = "Not an exclusion candidate: " + join(refuted, ", ") + ".";
  if (!v.level_rules.empty() || !v.watch.empty()) {
    std::vector<std::string> why = v.level_rules;
    for (const auto& w : v.watch) why.push_back("watch list " + w.list + " " + std::string(to_string(w.level)));
    out += " " + std::string(describe(v.level)) + " by the policy: " + join(why, "; ") + ".";
  } else {
    out += " No level rule or watch list of the policy applies.";
  }
  if (!v.unknown.empty()) out += " Unknown: " + criterion_names(v.unknown) + ".";
  return out;
}

std::string summary(const Assessment& a) {
  return std::string(to_string(a.verdict.level)) + " " + a.component_ref + " " + a.label + ": 1 " +
         std::string(to_string(a.c1.value)) + ", 2 " + std::string(to_string(a.c2.value)) + ", 3A " +
         std::string(to_string(a.c3a.value)) + ", 3B " + std::string(to_string(a.c3b.value));
}

std::string explain(const Assessment& a) {
  std::string out = a.label + " [" + a.component_ref + (a.asset_ref.empty() ? "" : ", " + a.asset_ref) + "]\n";
  out += "Verdict: " + std::string(describe(a.verdict.level)) + "\n";
  out += "  " + verdict_reason(a) + "\n";
  country_section(out, "Criterion 1 (a law obliges cooperation with intelligence or military services)", a.c1);
  country_section(out, "Criterion 2 (an offensive cyber programme against the Netherlands)", a.c2);
  access_section(out, a.c3a);
  mitigation_section(out, a.c3b);
  origin_section(out, a);
  site_section(out, a);
  out += "Policy: " + a.policy + "\n  " + a.policy_statement + "\n";
  if (a.as_of == origins::Day{9999, 12, 31})
    out += "No assessment date was given: every recorded fact is used.\n";
  else
    out += "Assessed as of " + a.as_of.str() + ".\n";
  return out;
}

}  // namespace herkomst::assess
