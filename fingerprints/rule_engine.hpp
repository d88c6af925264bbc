// Identification rules: observation fields in, claims out.
//
// A rule (fingerprints/rules/*.json, format in docs/fingerprints.md) names the signals it reads
// ("lldp.advertisement", or a glob "snmp.*"), conditions on the observation's fields (ECMAScript
// regex, typed equality, presence), and the claims it makes, whose values are templates over the
// first regex's capture groups, field values and lookup tables:
//
//     "{1}"                                      capture group 1 of the first regex condition
//     "{field:product.name}"                     a field's value as text
//     "{table:odva-vendor:{field:vendor.id}}"    a table lookup on a nested template
//     "{lower:{1}}"                              lower case (for CPE strings)
//
// A claim is made only when every placeholder of its template has a non-empty value (a missing
// field, an unmatched optional group or a table miss drops that claim, not the rule).
//
// Every rule carries examples (observation fields -> the exact claims expected, or "no_match");
// a rule without examples is refused at load time, and check_examples() runs them all, so the
// rule files are their own test suite.
//
// The built-in rules are embedded into the binary at build time (fingerprints/CMakeLists.txt),
// so herkomst works offline from any folder. Users extend or override them with a folder of
// their own *.json files (load_directory): a rule with the id of a loaded rule replaces it, a
// table with the name of a loaded table replaces it.
//
// Loading compiles every regex once; apply() looks rules up by signal (exact signals through a
// hash map, globs by a short scan), so a regex only runs on observations of its signals. A
// RuleSet is immutable during apply() and safe to share between threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fingerprints/vendor_tables.hpp"
#include "inventory/model.hpp"

namespace herkomst::fingerprints {

// A rule file or rule that could not be loaded. Nothing of the batch that failed is kept.
struct RuleError {
  std::string file;     // file name ("siemens.json") or path of a user file
  std::string rule;     // rule id, "" when the problem is not in one rule
  std::string message;  // "regex does not compile: ..." / "no examples" / JSON parse error
  std::string what() const;  // "siemens.json: rule lldp.siemens.simatic: no examples"
};

// An example whose rule did not produce what it expects.
struct ExampleFailure {
  std::string file;
  std::string rule;
  std::size_t example = 0;  // 1-based position in the rule's "examples"
  std::string message;      // what differs: "expected product.model = X, got Y" ...
  std::string what() const;
};

// The claim attributes a rule may make (a rule naming another attribute is refused).
const std::vector<std::string_view>& claim_attributes();
// The values a literal device.type claim may have.
const std::vector<std::string_view>& device_types();

// Built-in lookup tables usable in templates, besides the tables rule files define:
//   odva-vendor      ODVA vendor id (decimal or 0x hex) -> name        (vendor_tables.hpp)
//   bacnet-vendor    ASHRAE BACnet vendor id -> name
//   iana-enterprise  IANA enterprise number -> name (from the EnterpriseNumbers set on the RuleSet)

class RuleSet {
 public:
  RuleSet();  // no rules, no enterprise numbers
  ~RuleSet();
  RuleSet(const RuleSet& other);
  RuleSet(RuleSet&& other) noexcept;
  RuleSet& operator=(const RuleSet& other);
  RuleSet& operator=(RuleSet&& other) noexcept;

  // The rules embedded at build time, with the IANA enterprise numbers of
  // default_enterprises_path() (lookups miss when that file is absent). An error here is a bug
  // in the shipped rules (the test suite loads them).
  static std::variant<RuleSet, RuleError> load_builtin();

  // Adds every *.json file of `directory` (not recursive, in file-name order) on top of the
  // loaded rules. Ids must be unique within the folder; a rule or table with the name of one
  // already loaded replaces it (keeping its place in the rule order). On error nothing of the
  // folder is kept and the error names the file (path) and rule.
  std::optional<RuleError> load_directory(const std::filesystem::path& directory);

  // The same for one file's text; `file` names it in errors and example failures.
  std::optional<RuleError> load_text(std::string_view file, std::string_view json_text);

  // The IANA enterprise numbers used by {table:iana-enterprise:...}.
  void set_enterprise_numbers(EnterpriseNumbers numbers);
  const EnterpriseNumbers& enterprise_numbers() const;

  // The claims every matching rule makes about the observation, in rule order; each carries the
  // rule id and observation.id. Claims whose template had an empty placeholder are dropped.
  std::vector<Claim> apply(const Observation& observation) const;

  // Runs every example of every rule; empty when all pass.
  std::vector<ExampleFailure> check_examples() const;

  std::size_t size() const;           // rules
  std::size_t example_count() const;  // examples over all rules
  std::size_t table_count() const;    // tables defined by rule files
  std::vector<std::string> rule_ids() const;  // in rule order
  // Where each loaded rule came from, one "file: n rules" line per file, in load order.
  std::vector<std::string> sources() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace herkomst::fingerprints
