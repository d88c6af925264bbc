// The four criteria of the letter of 17 April 2023 and the verdict, for one component: a pure
// function of the policy, the site context of its asset, its facts and the scan evidence.
//
//   1   yes when a country of the component meets criterion 1 in the policy: its origin
//       country, a control country (headquarters of an ultimate parent), or the country of a
//       state that controls it (state ownership or control: "or is the party a state
//       company"). Kleene "or" over those countries; a country the policy does not list counts
//       as the policy's unlisted_countries ("no" by default); a law in force only after the
//       assessment date does not count. No country known (vendor unresolved, no country in the
//       knowledge base): unknown, unless the policy names no country that could meet it: no.
//   2   the same over the same countries, with criterion 2 of the policy.
//   3A  yes when any access kind is yes: as recorded in the context, or, for cloud
//       connectivity, when the scan shows it (evidence overrides a recorded "no"). No when all
//       are recorded "no" and the scan shows nothing; else unknown (no context covers the
//       asset, a kind not recorded).
//   3B  the mitigations suffice: for every access kind that is (or may be) there, some
//       alternative the policy deems sufficient for it has all its mitigations in place.
//       Kleene: and over kinds of (not needed, or covered); covered = or over alternatives of
//       (and over their mitigations). No access at all: yes (nothing to mitigate). "No route to
//       the internet" does not count when the scan saw the asset talk to an outside address.
//
// The verdict. The rule of the letter is fixed here and cannot be changed by a policy:
//   exclusion candidate  exactly when 1, 2 and 3A hold and 3B does not (1 and 2 and 3A and not 3B)
//   unknown-data         when that rule is unknown: nothing refutes it, something is unknown
//   otherwise            the highest level of the policy's level rules that hold and of the
//                        watch lists the component is on (attention, high-risk), else none.
// Unknown is never shown as "no risk": a criterion that is unknown can only give none when
// another criterion refutes the rule, and the explanation then says which is unknown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/facts.hpp"
#include "assess/policy.hpp"
#include "assess/site_context.hpp"
#include "assess/tri.hpp"
#include "origins/partial_date.hpp"

namespace herkomst::assess {

struct AssessOptions {
  origins::Day as_of{9999, 12, 31};  // the assessment date; the CLI passes today (or the scan's day)
};

// One country of the component, tested against criterion 1 or 2.
struct CountryFinding {
  std::string country;
  std::vector<std::string> roles;  // "origin", "control", "state control"
  Tri value = Tri::no;
  bool listed = false;             // the policy lists the country
  std::string name;                // the policy's name for it
  CountryCriterion criterion;      // the policy's entry (when listed)
  std::string note;                // e.g. the law is not yet in force on the date
};

struct CountryResult {
  Tri value = Tri::unknown;
  std::vector<CountryFinding> countries;
  std::string reason;  // why, when no country decides it ("the vendor did not resolve: ...")
};

struct AccessFinding {
  AccessKind kind = AccessKind::vendor_remote_access;
  Tri value = Tri::unknown;
  std::optional<Recorded<bool>> recorded;  // the context's fact
  std::vector<EvidenceItem> evidence;      // the scan's (cloud connectivity)
  std::string note;
};

struct AccessResult {
  Tri value = Tri::unknown;
  std::vector<AccessFinding> kinds;  // in kAccessKinds order
  std::string reason;
};

struct MitigationFinding {
  Mitigation mitigation = Mitigation::segmentation;
  Tri value = Tri::unknown;
  std::optional<Recorded<bool>> recorded;
  std::string note;
};

struct CoverageFinding {
  AccessKind kind = AccessKind::vendor_remote_access;
  Tri needed = Tri::unknown;   // the access (3A's finding for the kind)
  Tri covered = Tri::unknown;  // some sufficient alternative is in place
  Tri ok = Tri::unknown;       // not needed, or covered
  Alternatives alternatives;   // the policy's, for the reader
};

struct MitigationResult {
  Tri value = Tri::unknown;
  std::vector<MitigationFinding> mitigations;  // in kMitigations order
  std::vector<CoverageFinding> coverage;       // in kAccessKinds order
  std::string reason;
};

struct WatchHit {
  std::string list;
  std::string entry;
  Level level = Level::attention;
  std::string note;
};

struct Verdict {
  Level level = Level::unknown_data;
  Tri rule = Tri::unknown;               // 1 and 2 and 3A and not 3B
  Level known_level = Level::none;       // from the policy's level rules and watch lists
  std::vector<std::string> level_rules;  // the rules that held: "levels[0] high-risk (1 yes, 2 yes, 3A yes)"
  std::vector<WatchHit> watch;
  std::vector<Condition> unknown;        // the criteria that are unknown
};

struct Assessment {
  std::string component_ref;
  std::string asset_ref;
  std::string label;
  std::string policy;            // Policy::version_line()
  std::string policy_statement;  // e.g. "a default for the user to review"
  std::string context;           // SiteContext::version_line()
  origins::Day as_of;
  ComponentFacts facts;
  AssetContext site;
  ScanEvidence evidence;
  Tri vital = Tri::unknown;
  CountryResult c1;
  CountryResult c2;
  AccessResult c3a;
  MitigationResult c3b;
  Verdict verdict;
};

// The fixed rule of the letter: an exclusion candidate needs 1, 2 and 3A, and 3B not.
constexpr Tri exclusion_rule(Tri c1, Tri c2, Tri c3a, Tri c3b) { return c1 && c2 && c3a && !c3b; }

// A level that needs someone's attention (anything but none).
constexpr bool flagged(Level l) { return l != Level::none; }

Assessment assess_component(const Policy& policy, const ComponentFacts& facts, const AssetContext& site,
                            const ScanEvidence& evidence = {}, const AssessOptions& options = {});

}  // namespace herkomst::assess
