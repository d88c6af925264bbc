#include "scanner/fs/go_sum.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "scanner/fs/go_mod.hpp"
#include "scanner/fs/text_lines.hpp"

namespace herkomst::fs {

namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    if (end > i) out.push_back(line.substr(i, end - i));
    i = end;
  }
  return out;
}

// "h1:" followed by base64: the only hash algorithm the go command writes.
bool hash_field(std::string_view hash) {
  return hash.size() > 3 && hash[0] == 'h' && hash[2] == ':' && hash[1] >= '0' && hash[1] <= '9';
}

// The folder part of a path ("src/gw/go.sum" -> "src/gw/"), archive chains included.
std::string_view folder(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

std::string module_path(const Package& p) {
  if (p.namespace_.empty()) return p.name;
  std::string out = p.namespace_;
  out += '/';
  out += p.name;
  return out;
}

// A go directive from 1.17 on: "1.17", "1.21.3", "2.0".
bool lists_every_module(std::string_view directive) {
  unsigned major = 0, minor = 0;
  std::size_t i = 0;
  while (i < directive.size() && directive[i] >= '0' && directive[i] <= '9' && major < 1000)
    major = major * 10 + static_cast<unsigned>(directive[i++] - '0');
  if (i == 0) return false;
  if (i < directive.size() && directive[i] == '.') {
    ++i;
    while (i < directive.size() && directive[i] >= '0' && directive[i] <= '9' && minor < 1000)
      minor = minor * 10 + static_cast<unsigned>(directive[i++] - '0');
  }
  return major > 1 || (major == 1 && minor >= 17);
}

// What one folder's go.mod says: its go directive (empty when none) and the modules it requires.
struct GoModFacts {
  std::string directive;
  std::set<std::string> required;
};

}  // namespace

ParseResult parse_go_sum(std::string_view text, const std::string& file) {
  ParseResult result;
  struct Entry {
    std::string version;
    std::size_t line = 0;
  };
  std::map<std::string, Entry> last;  // module -> the last full line's version
  std::vector<std::string> order;     // modules in the order first seen
  std::size_t number = 0;
  while (!text.empty()) {
    const std::string_view line = pop_line(text);
    ++number;
    const std::vector<std::string_view> f = fields(line);
    if (f.empty()) continue;
    if (f.size() != 3 || !valid_token(f[0]) || !valid_token(f[1]) || f[1].front() != 'v' || !hash_field(f[2])) {
      result.error(file, number, "not \"<module> <version> h1:<hash>\"");
      continue;
    }
    if (f[1].size() > 7 && f[1].substr(f[1].size() - 7) == "/go.mod") continue;  // the go.mod's hash only
    auto [it, fresh] = last.try_emplace(std::string(f[0]));
    if (fresh) {
      order.push_back(it->first);
    } else {
      ++result.skipped;  // an older version the build graph considered
    }
    it->second = {std::string(f[1]), number};
  }
  for (const std::string& module : order) {
    const Entry& e = last.at(module);
    Package p;
    p.ecosystem = Ecosystem::golang;
    set_go_module(p, module);
    p.version = e.version;
    result.add(std::move(p), kGoSumCataloger, kGoSumAloneConfidence, Location{file, e.line, module, {}});
  }
  return result;
}

void combine_go_sum(std::vector<Package>& packages) {
  std::map<std::string, GoModFacts, std::less<>> mods;  // folder -> its go.mod
  for (const Package& p : packages) {
    if (p.cataloger != kGoModCataloger) continue;
    GoModFacts& facts = mods[std::string(folder(p.location.path))];
    if (p.application) {
      if (const auto it = p.properties.find("go.directive"); it != p.properties.end()) facts.directive = it->second;
    } else {
      facts.required.insert(module_path(p));
      if (const auto it = p.properties.find("go.replaces"); it != p.properties.end())
        facts.required.insert(it->second.substr(0, it->second.find('@')));
    }
  }
  std::erase_if(packages, [&](Package& p) {
    if (p.cataloger != kGoSumCataloger) return false;
    const auto it = mods.find(folder(p.location.path));
    if (it == mods.end()) {
      p.properties["go.sum-only"] = "true";
      return false;
    }
    if (lists_every_module(it->second.directive) || it->second.required.count(module_path(p)) > 0) return true;
    p.properties["go.indirect"] = "true";
    p.confidence = kGoSumConfidence;
    return false;
  });
}

}  // namespace herkomst::fs
