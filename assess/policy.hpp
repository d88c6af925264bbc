// The policy: which countries meet criteria 1 and 2 and why, which public lists raise
// attention, which levels below "exclusion candidate" the user wants, and which mitigations
// the user deems sufficient for which access. Data, never code: no country is named in
// herkomst's code. The default ships as configs/policy/default.json (embedded in the binary),
// with its citations, and says it is a default for the user to review. Format field by field:
// docs/assessment.md.
//
//   {"format": "herkomst-policy", "format_version": 1, "id": ..., "version": ...,
//    "effective_date": "YYYY-MM-DD", "statement": ..., "framework": [citation...],
//    "unlisted_countries": "no" | "unknown",
//    "countries": [{"country": "XX", "name": ..., "criterion1": {...}, "criterion2": {...}}],
//    "watch_lists": [{"list": "fcc-covered", "level": "attention", "note": ...}],
//    "levels": [{"level": "high-risk", "when": {"1": true, "2": true, "3A": true}}],
//    "sufficient_mitigations": {"vendor_remote_access": [["segmentation", "monitoring"]], ...}}
//
// A criterion of a country: {"value": "yes"|"no"|"unknown", "law": ..., "since": "YYYY-MM-DD",
// "naming": "named"|"lesser-extent"|"emerging", "citations": [...], "note": ...}; "yes" needs
// citations, "unknown" needs a note saying why. A citation: {"title", "url"?, "date", "note"?}.
//
// Loading checks every field; the first problem is the error, naming the file and the field
// ("policy.json: countries[3].criterion1.since: '2017-13-01' is not a date (YYYY-MM-DD)"), and
// no policy is returned.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "assess/load_error.hpp"
#include "assess/terms.hpp"
#include "assess/tri.hpp"
#include "origins/partial_date.hpp"

namespace herkomst::assess {

struct Citation {
  std::string title;  // "Cybersecuritybeeld Nederland 2019 (NCTV)"
  std::string url;    // may be empty for a document reference without a URL
  origins::PartialDate date;
  std::string note;   // what the source says, in brief
};

// How strongly a threat assessment names a country (criterion 2). Information for the reader:
// the criterion's value is what the policy sets.
enum class Naming { named, lesser_extent, emerging };
std::string_view to_string(Naming n);  // "named", "lesser-extent", "emerging"

struct CountryCriterion {
  Tri value = Tri::no;
  std::string law;                    // criterion 1: the law cited
  std::optional<origins::Day> since;  // criterion 1: in force from (before: the country does not meet it)
  std::optional<Naming> naming;       // criterion 2
  std::vector<Citation> citations;
  std::string note;
};

struct CountryPolicy {
  std::string country;  // ISO 3166-1 alpha-2
  std::string name;
  CountryCriterion criterion1;
  CountryCriterion criterion2;
};

struct WatchList {
  std::string list;  // a list id of the knowledge base (lists.tsv): "fcc-covered", "ndaa-889", ...
  Level level = Level::attention;  // attention or high-risk
  std::string note;
};

// A level the policy wants when every condition holds as stated (an unknown never matches).
struct LevelRule {
  Level level = Level::attention;  // attention or high-risk
  std::map<Condition, bool> when;  // at least one condition
  std::string note;
};

// For one access kind: the alternatives that suffice, each a set of mitigations that must all
// be in place. No alternatives: nothing the site can do suffices for that access.
using Alternatives = std::vector<std::vector<Mitigation>>;

struct Policy {
  std::string file;  // as given to the loader, for messages and the version line
  std::string id;
  std::string version;
  origins::Day effective_date;
  std::string statement;
  std::vector<Citation> framework;  // the letter the test comes from
  Tri unlisted_countries = Tri::no;  // criteria 1 and 2 for a country the policy does not list
  std::vector<CountryPolicy> countries;  // sorted by country code
  std::vector<WatchList> watch_lists;    // sorted by list id
  std::vector<LevelRule> levels;         // in file order
  std::array<Alternatives, kAccessKinds.size()> sufficient_mitigations;
  std::string hash;  // FNV-1a 64 of the file's bytes

  const CountryPolicy* country(std::string_view code) const;
  const WatchList* watch_list(std::string_view list) const;
  // Whether some country could meet criterion 1 (or 2): a listed "yes"/"unknown", or
  // unlisted countries counted as unknown. When not, the criterion is "no" whatever the origin.
  bool can_meet(Condition criterion) const;
  // "herkomst-default 2026.1, effective 2026-01-01 (configs/policy/default.json, fnv1a64 …)".
  std::string version_line() const;
};

// Parses a policy file's text; `file` names it in messages.
std::variant<Policy, LoadError> parse_policy(std::string_view text, const std::string& file);
// Reads and parses a policy file.
std::variant<Policy, LoadError> load_policy(const std::string& path);

// The default policy, configs/policy/default.json, as built into herkomst.
inline constexpr const char* kDefaultPolicyFile = "configs/policy/default.json";
std::string_view default_policy_text();
std::variant<Policy, LoadError> default_policy();

}  // namespace herkomst::assess
