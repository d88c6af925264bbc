#include "scanner/fs/ot_software.hpp"
#include "scanner/fs/rule_list.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace herkomst::embedded {
std::string_view ot_software_json();
}

namespace herkomst::fs {

namespace {

using nlohmann::json;

std::optional<std::regex> regex_field(const json& object, const char* key, const std::string& id, std::string& error) {
  if (!object.contains(key)) return std::nullopt;
  try {
    return std::regex(object.at(key).get<std::string>(), std::regex::ECMAScript | std::regex::icase);
  } catch (const std::exception& e) {
    error = "rule " + id;
    error += ": ";
    error += key;
    error += ": ";
    error += e.what();
    return std::nullopt;
  }
}

bool search(const std::optional<std::regex>& re, std::string_view text) {
  return !re || std::regex_search(text.begin(), text.end(), *re);
}

std::variant<OtRule, std::string> load_rule(const json& r) {
  static const std::set<std::string> kKeys = {"id", "vendor", "product", "confidence", "description",
                                              "registry", "paths", "path_version", "examples"};
  OtRule rule;
  rule.id = r.value("id", "");
  if (rule.id.empty()) return std::string("a rule without an id");
  std::string prefix = "rule ";
  prefix += rule.id;
  for (const auto& [key, value] : r.items()) {
    if (!kKeys.count(key)) return prefix + ": unknown key " + key;
  }
  rule.vendor = r.value("vendor", "");
  rule.product = r.value("product", "");
  rule.description = r.value("description", "");
  rule.confidence = r.value("confidence", 0.0);
  if (rule.vendor.empty() || rule.product.empty()) return prefix + ": vendor and product are required";
  if (!r.contains("examples") || !r.at("examples").is_array() || r.at("examples").empty()) {
    return prefix + ": no examples (every rule must have examples)";
  }
  rule.examples_json = r.at("examples").dump();
  std::string error;
  if (r.contains("registry")) {
    rule.display_name = regex_field(r.at("registry"), "display_name", rule.id, error);
    rule.publisher = regex_field(r.at("registry"), "publisher", rule.id, error);
    if (!rule.display_name && error.empty()) return prefix + ": registry without display_name";
  }
  rule.path_version = regex_field(r, "path_version", rule.id, error);
  if (!error.empty()) return error;
  if (r.contains("paths")) rule.paths = r.at("paths").get<std::vector<std::string>>();
  if (!rule.display_name && rule.paths.empty()) return prefix + ": neither registry nor paths";
  return rule;
}

std::string example_failure(const OtRule& rule, std::size_t n, const std::string& what) {
  std::string out = rule.id;
  out += " example ";
  out += std::to_string(n);
  out += ": ";
  out += what;
  return out;
}

}  // namespace

std::variant<std::vector<OtRule>, std::string> load_ot_rules(std::string_view text) {
  return load_rule_list<OtRule>(text, "ot-software", load_rule);
}

const std::vector<OtRule>& builtin_ot_rules() {
  static const std::vector<OtRule> rules = [] {
    auto loaded = load_ot_rules(embedded::ot_software_json());
    if (auto* ok = std::get_if<std::vector<OtRule>>(&loaded)) return std::move(*ok);
    return std::vector<OtRule>{};
  }();
  return rules;
}

std::optional<OtMatch> match_ot_registry(const std::vector<OtRule>& rules, std::string_view display_name,
                                         std::string_view publisher, std::string_view display_version) {
  for (const OtRule& rule : rules) {
    if (rule.display_name && search(rule.display_name, display_name) && search(rule.publisher, publisher)) {
      return OtMatch{&rule, std::string(display_version)};
    }
  }
  return std::nullopt;
}

std::optional<OtMatch> match_ot_path(const std::vector<OtRule>& rules, std::string_view path) {
  // Windows paths are case-insensitive: "program files (x86)/siemens/..." is the same install.
  const std::string folded = ascii_lower(path);
  for (const OtRule& rule : rules) {
    for (const std::string& glob : rule.paths) {
      if (!glob_match(ascii_lower(glob), folded)) continue;
      OtMatch match{&rule, ""};
      std::match_results<std::string_view::const_iterator> m;
      if (rule.path_version && std::regex_search(path.begin(), path.end(), m, *rule.path_version) && m.size() > 1) {
        match.version = m[1].str();
      }
      return match;
    }
  }
  return std::nullopt;
}

std::vector<std::string> check_ot_examples(const std::vector<OtRule>& rules) {
  std::vector<std::string> failures;
  for (const OtRule& rule : rules) {
    const json examples = json::parse(rule.examples_json);
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const json& ex = examples[i];
      const bool no_match = ex.value("no_match", false);
      std::optional<OtMatch> match;
      if (ex.contains("path")) {
        match = match_ot_path(rules, ex.at("path").get<std::string>());
      } else {
        match = match_ot_registry(rules, ex.value("display_name", ""), ex.value("publisher", ""),
                                  ex.value("display_version", ""));
      }
      const bool ours = match && match->rule == &rule;
      if (no_match && ours) failures.push_back(example_failure(rule, i + 1, "matched but should not"));
      if (!no_match && !ours) failures.push_back(example_failure(rule, i + 1, match ? "matched " + match->rule->id : "no match"));
      if (!no_match && ours && match->version != ex.value("version", "")) {
        failures.push_back(example_failure(rule, i + 1, "version " + match->version));
      }
    }
  }
  return failures;
}

void annotate_ot_registry(const std::vector<OtRule>& rules, ParseResult& result) {
  for (Package& p : result.packages) {
    const auto publisher = p.supplier_field == "Publisher" ? std::string_view(p.supplier) : std::string_view{};
    const std::optional<OtMatch> match = match_ot_registry(rules, p.name, publisher, p.version);
    if (!match) continue;
    p.properties["ot.rule"] = match->rule->id;
    p.properties["ot.vendor"] = match->rule->vendor;
    p.properties["ot.product"] = match->rule->product;
    std::string field = "ot-software rule ";
    field += match->rule->id;
    p.more_suppliers.push_back({match->rule->vendor, field, match->rule->confidence});
  }
}

Cataloger ot_software_cataloger(const std::vector<OtRule>& rules) {
  std::vector<std::string> globs;
  for (const OtRule& rule : rules) globs.insert(globs.end(), rule.paths.begin(), rule.paths.end());
  Cataloger c{std::string(kOtSoftwareCataloger), globs, ~0ull, true, {},
              [rules](const FileReader&, const std::string& path) {
                ParseResult result;
                const std::optional<OtMatch> match = match_ot_path(rules, path);
                if (!match) return result;
                Package p;
                p.ecosystem = Ecosystem::generic;
                p.namespace_ = match->rule->vendor;
                p.name = match->rule->product;
                p.version = match->version;
                p.supplier = match->rule->vendor;
                p.supplier_field = "ot-software rule";
                p.properties["ot.rule"] = match->rule->id;
                p.properties["ot.anchor"] = path;
                p.method = std::string(kFilenameAnalysis);
                result.add(std::move(p), kOtSoftwareCataloger, match->rule->confidence, Location{path, 0, "", ""});
                return result;
              }};
  c.ignore_case = true;
  return c;
}

}  // namespace herkomst::fs
