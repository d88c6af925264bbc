// The shape both software rule files share ({"rules": [ ... ]}, fingerprints/software/*.json):
// each rule loaded by the file's own `load_rule`, ids unique. Included only by the two .cpp files
// that load such a file (it needs nlohmann/json).
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herkomst::fs {

// `LoadRule`: (const nlohmann::json&) -> std::variant<Rule, std::string>; Rule has `id`.
// Errors: the first rule's error, a duplicate id, or the JSON error prefixed by `file`.
template <class Rule, class LoadRule>
std::variant<std::vector<Rule>, std::string> load_rule_list(std::string_view text, std::string_view file,
                                                            LoadRule load_rule) {
  try {
    const nlohmann::json doc = nlohmann::json::parse(text);
    std::vector<Rule> rules;
    std::set<std::string> ids;
    for (const nlohmann::json& r : doc.at("rules")) {
      auto rule = load_rule(r);
      if (auto* error = std::get_if<std::string>(&rule)) return *error;
      auto& loaded = std::get<Rule>(rule);
      if (!ids.insert(loaded.id).second) return "rule " + loaded.id + ": duplicate id";
      rules.push_back(std::move(loaded));
    }
    return rules;
  } catch (const std::exception& e) {
    std::string error(file);
    error += " rules: ";
    error += e.what();
    return error;
  }
}

}  // namespace herkomst::fs
