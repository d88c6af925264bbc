// OT engineering and SCADA software (Siemens TIA Portal, STEP 7, WinCC; Rockwell RSLinx, Studio
// 5000, FactoryTalk View; Schneider EcoStruxure Control Expert / Unity Pro; CODESYS; AVEVA /
// Wonderware InTouch; Inductive Automation Ignition) recognised by rules kept as data:
// fingerprints/software/ot-software.json, embedded at build time (fingerprints/data/embed_text.cmake).
//
// A rule names the maker (its canonical name in origins/data/organisations/ot-ics.tsv), the
// product, a confidence, and how it is recognised:
//  - "registry": regexes (ECMAScript, case-insensitive, searched) over an Uninstall entry's
//    DisplayName and Publisher; the version is the entry's DisplayVersion. A matching entry of the
//    registry-hive cataloger is annotated (properties ot.rule, ot.vendor, ot.product and vendor
//    evidence), not duplicated;
//  - "paths": globs of an install's anchor file (its main executable or configuration), matched
//    on the path only (the file is never read), so one install gives one package; "path_version"
//    a regex whose first group is the version found in the path.
// Every rule carries examples, run by check_ot_examples() (and the test suite); a rule without
// examples, or with an unknown key or a regex that does not compile, is refused at load.
// Evidence technique for path rules: CycloneDX 1.6 evidence.identity[].methods[].technique
// "filename" (https://cyclonedx.org/docs/1.6/json/#components_items_evidence_identity_items_methods_items_technique).
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kOtSoftwareCataloger = "ot-software";
inline constexpr std::string_view kFilenameAnalysis = "filename";  // CycloneDX identity technique

struct OtRule {
  std::string id, vendor, product, description;
  double confidence = 0;
  std::optional<std::regex> display_name, publisher;  // registry rule when display_name is set
  std::vector<std::string> paths;
  std::optional<std::regex> path_version;
  std::string examples_json;  // the rule's examples, as JSON text
};

struct OtMatch {
  const OtRule* rule = nullptr;
  std::string version;
};

// Parses a rules file; the error names the rule and what is wrong.
std::variant<std::vector<OtRule>, std::string> load_ot_rules(std::string_view json);

// The embedded fingerprints/software/ot-software.json (loaded once; an invalid file is a build
// defect caught by the tests, and gives no rules here).
const std::vector<OtRule>& builtin_ot_rules();

std::optional<OtMatch> match_ot_registry(const std::vector<OtRule>& rules, std::string_view display_name,
                                         std::string_view publisher, std::string_view display_version);
std::optional<OtMatch> match_ot_path(const std::vector<OtRule>& rules, std::string_view path);

// Runs every rule's examples; one message per failing example ("ot.x example 2: ...").
std::vector<std::string> check_ot_examples(const std::vector<OtRule>& rules);

// Annotates registry-hive packages that a registry rule recognises.
void annotate_ot_registry(const std::vector<OtRule>& rules, ParseResult& result);

// The path-rule cataloger: globs of every rule's anchor files; reads nothing.
Cataloger ot_software_cataloger(const std::vector<OtRule>& rules = builtin_ot_rules());

}  // namespace herkomst::fs
