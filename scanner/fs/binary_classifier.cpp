#include "scanner/fs/binary_classifier.hpp"
#include "scanner/fs/rule_list.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace herkomst::embedded {
std::string_view binary_classifiers_json();
}

namespace herkomst::fs {

namespace {

using nlohmann::json;

std::string replace_version(std::string_view templ, std::string_view version) {
  std::string out;
  const auto at = templ.find("{version}");
  out += templ.substr(0, at);
  if (at != std::string_view::npos) {
    out += version;
    out += templ.substr(at + 9);
  }
  return out;
}

// The matched text as evidence: printable ASCII only, others as '.'.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '.';
  return out;
}

std::variant<BinaryRule, std::string> load_rule(const json& r) {
  static const std::set<std::string> kKeys = {"id",     "product",   "vendor", "files", "anchor", "pattern", "window",
                                              "max_bytes", "purl", "cpe",    "source", "examples"};
  BinaryRule rule;
  rule.id = r.value("id", "");
  if (rule.id.empty()) return std::string("a rule without an id");
  std::string prefix = "rule ";
  prefix += rule.id;
  prefix += ": ";
  for (const auto& [key, value] : r.items())
    if (!kKeys.count(key)) return prefix + "unknown key " + key;
  rule.product = r.value("product", "");
  rule.vendor = r.value("vendor", "");
  rule.source = r.value("source", "");
  rule.anchor = r.value("anchor", "");
  rule.purl = r.value("purl", "");
  rule.cpe = r.value("cpe", "");
  if (rule.product.empty() || rule.vendor.empty() || rule.source.empty() || rule.anchor.empty())
    return prefix + "product, vendor, source and anchor are required";
  if (rule.purl.rfind("pkg:", 0) != 0 || rule.purl.find("{version}") == std::string::npos)
    return prefix + "purl must be a pkg: template with {version}";
  if (!rule.cpe.empty() && (rule.cpe.rfind("cpe:2.3:", 0) != 0 || rule.cpe.find("{version}") == std::string::npos))
    return prefix + "cpe must be a cpe:2.3: template with {version}";
  rule.files = r.value("files", std::vector<std::string>{});
  if (rule.files.empty()) return prefix + "no files globs";
  rule.window = r.value("window", rule.window);
  rule.max_bytes = r.value("max_bytes", rule.max_bytes);
  if (rule.window < rule.anchor.size() || rule.window > kBinaryClassifierMaxWindow)
    return prefix + "window must hold the anchor and be at most " + std::to_string(kBinaryClassifierMaxWindow);
  if (rule.max_bytes == 0 || rule.max_bytes > kBinaryClassifierMaxRead)
    return prefix + "max_bytes must be 1.." + std::to_string(kBinaryClassifierMaxRead);
  try {
    rule.pattern = std::regex(r.value("pattern", ""), std::regex::ECMAScript);
  } catch (const std::exception& e) {
    return prefix + "pattern: " + e.what();
  }
  if (rule.pattern.mark_count() < 1) return prefix + "pattern without a version group";
  if (!r.contains("examples") || !r.at("examples").is_array() || r.at("examples").empty())
    return prefix + "no examples (every rule must have examples)";
  rule.examples_json = r.at("examples").dump();
  return rule;
}

}  // namespace

std::variant<std::vector<BinaryRule>, std::string> load_binary_rules(std::string_view text) {
  return load_rule_list<BinaryRule>(text, "binary-classifier", load_rule);
}

const std::vector<BinaryRule>& builtin_binary_rules() {
  static const std::vector<BinaryRule> rules = [] {
    auto loaded = load_binary_rules(embedded::binary_classifiers_json());
    if (auto* ok = std::get_if<std::vector<BinaryRule>>(&loaded)) return std::move(*ok);
    return std::vector<BinaryRule>{};
  }();
  return rules;
}

std::optional<BinaryMatch> match_binary_rule(const BinaryRule& rule, std::string_view content) {
  std::size_t tries = 0;
  for (std::size_t at = content.find(rule.anchor); at != std::string_view::npos && tries++ < kBinaryClassifierMaxTries;
       at = content.find(rule.anchor, at + 1)) {
    const std::string_view window = content.substr(at, rule.window);
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_search(window.begin(), window.end(), m, rule.pattern, std::regex_constants::match_continuous) &&
        m[1].matched && m[1].length() > 0) {
      return BinaryMatch{m[1].str(), at, printable(m[0].str())};
    }
  }
  return std::nullopt;
}

std::vector<std::string> check_binary_examples(const std::vector<BinaryRule>& rules) {
  std::vector<std::string> failures;
  for (const BinaryRule& rule : rules) {
    const json examples = json::parse(rule.examples_json);
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const std::string text = examples[i].value("text", "");
      const std::optional<BinaryMatch> m = match_binary_rule(rule, text);
      std::string failure;
      if (examples[i].value("no_match", false)) {
        if (m) failure = "matched, version " + m->version;
      } else if (!m) {
        failure = "no match";
      } else if (m->version != examples[i].value("version", "")) {
        failure = "version " + m->version;
      }
      if (!failure.empty()) failures.push_back(rule.id + " example " + std::to_string(i) + ": " + failure);
    }
  }
  return failures;
}

ParseResult classify_binary(const std::vector<BinaryRule>& rules, const FileReader& file, const std::string& path) {
  ParseResult result;
  std::vector<const BinaryRule*> taking;
  std::uint64_t limit = 0;
  for (const BinaryRule& rule : rules) {
    if (std::none_of(rule.files.begin(), rule.files.end(), [&](const std::string& g) { return glob_match(g, path); }))
      continue;
    taking.push_back(&rule);
    limit = std::max(limit, rule.max_bytes);
  }
  if (taking.empty()) return result;
  const std::string content = file.read(0, static_cast<std::size_t>(std::min(limit, file.size())));
  if (file.failed()) {
    result.error(path, 0, "read error");
    return result;
  }
  for (const BinaryRule* rule : taking) {
    const std::string_view head = std::string_view(content).substr(0, static_cast<std::size_t>(rule->max_bytes));
    const std::optional<BinaryMatch> m = match_binary_rule(*rule, head);
    if (!m) continue;
    Package p;
    p.ecosystem = Ecosystem::generic;
    p.name = rule->product;
    p.version = m->version;
    p.supplier = rule->vendor;
    p.supplier_field = "binary-classifier rule";
    p.method = kBinaryAnalysis;
    p.properties["binary.rule"] = rule->id;
    p.properties["binary.match"] = m->text;
    p.properties["binary.offset"] = std::to_string(m->offset);
    p.cpe = rule->cpe.empty() ? std::string() : replace_version(rule->cpe, m->version);
    result.add(std::move(p), kBinaryClassifierCataloger, kBinaryClassifierConfidence, Location{path, 0, rule->id, {}});
    result.packages.back().purl = replace_version(rule->purl, m->version);
  }
  return result;
}

Cataloger binary_classifier_cataloger() {
  Cataloger c{std::string(kBinaryClassifierCataloger), {}, 4ull << 30, false, nullptr,
              [](const FileReader& file, const std::string& path) { return classify_binary(builtin_binary_rules(), file, path); }};
  for (const BinaryRule& rule : builtin_binary_rules())
    for (const std::string& glob : rule.files)
      if (std::find(c.globs.begin(), c.globs.end(), glob) == c.globs.end()) c.globs.push_back(glob);
  return c;
}

}  // namespace herkomst::fs
