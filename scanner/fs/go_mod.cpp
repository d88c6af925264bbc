#include "scanner/fs/go_mod.hpp"
#include "scanner/fs/text_lines.hpp"

#include <map>
#include <vector>

namespace herkomst::fs {

namespace {

std::string_view trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// The words of one go.mod line, comment removed; "// indirect" noted. Quoted module paths
// ("example.com/a b") are rare and unquoted here.
struct Line {
  std::vector<std::string_view> words;
  bool indirect = false;
};

Line split(std::string_view line) {
  Line out;
  if (const auto comment = line.find("//"); comment != std::string_view::npos) {
    out.indirect = trimmed(line.substr(comment + 2)).rfind("indirect", 0) == 0;
    line = line.substr(0, comment);
  }
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size()) break;
    std::size_t end = i;
    if (line[i] == '"' || line[i] == '`') {
      end = line.find(line[i], i + 1);
      if (end == std::string_view::npos) end = line.size();
      out.words.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    out.words.push_back(line.substr(i, end - i));
    i = end;
  }
  return out;
}

struct Require {
  std::string path;
  std::string version;
  bool indirect = false;
  std::size_t line = 0;
};

struct Replacement {
  std::string path;     // the new module path, or empty for a local directory
  std::string version;  // empty for a local directory
  std::string directory;
};

}  // namespace

void set_go_module(Package& package, std::string_view module_path) {
  const auto slash = module_path.rfind('/');
  if (slash == std::string_view::npos) {
    package.namespace_.clear();
    package.name = module_path;
  } else {
    package.namespace_ = module_path.substr(0, slash);
    package.name = module_path.substr(slash + 1);
  }
}

ParseResult parse_go_mod(std::string_view text, const std::string& file) {
  ParseResult result;
  std::string module;
  std::string go_directive;
  std::size_t module_line = 0;
  std::vector<Require> requires_;
  std::map<std::string, Replacement> replaced;  // "path" or "path@version" -> replacement
  std::string block;  // the directive of the "( ... )" block we are in, or empty
  std::size_t number = 0;
  while (!text.empty()) {
    const std::string_view raw = pop_line(text);
    ++number;
    Line line = split(raw);
    if (line.words.empty()) continue;
    std::vector<std::string_view> args = line.words;
    std::string directive;
    if (!block.empty()) {
      if (args.front() == ")") {
        block.clear();
        continue;
      }
      directive = block;
    } else {
      directive = args.front();
      args.erase(args.begin());
      if (!args.empty() && args.front() == "(") {
        block = directive;
        continue;
      }
    }
    if (directive == "module") {
      if (args.size() != 1) {
        result.error(file, number, "module directive without one path");
        continue;
      }
      module = args[0];
      module_line = number;
    } else if (directive == "require") {
      if (args.size() != 2 || !valid_token(args[0]) || !valid_token(args[1])) {
        result.error(file, number, "require without a module path and version");
        continue;
      }
      requires_.push_back({std::string(args[0]), std::string(args[1]), line.indirect, number});
    } else if (directive == "replace") {
      // old [version] => new [version]
      std::size_t arrow = 0;
      while (arrow < args.size() && args[arrow] != "=>") ++arrow;
      if (arrow == 0 || arrow > 2 || arrow + 1 >= args.size() || args.size() - arrow - 1 > 2) {
        result.error(file, number, "replace without old => new");
        continue;
      }
      std::string key(args[0]);
      if (arrow == 2) {
        key += '@';
        key += args[1];
      }
      Replacement r;
      const std::string_view target = args[arrow + 1];
      if (args.size() - arrow - 1 == 2) {
        r.path = target;
        r.version = args[arrow + 2];
      } else {
        r.directory = target;
      }
      replaced[key] = std::move(r);
    } else if (directive == "go" && args.size() == 1) {
      go_directive = args[0];  // which Go semantics the module list follows (go_sum.hpp)
    }
    // toolchain, exclude, retract, godebug: nothing to inventory.
  }
  if (!block.empty()) result.error(file, number, "unterminated " + block + " block");
  if (module.empty()) {
    if (result.errors.empty()) result.error(file, 0, "no module directive");
    return result;
  }

  Package main;
  main.ecosystem = Ecosystem::golang;
  set_go_module(main, module);
  main.application = true;
  main.properties["go.main-module"] = module;
  if (!go_directive.empty()) main.properties["go.directive"] = go_directive;
  result.add(std::move(main), kGoModCataloger, kGoModConfidence, Location{file, module_line, module, {}});

  for (const Require& r : requires_) {
    Package p;
    p.ecosystem = Ecosystem::golang;
    std::string path = r.path;
    std::string version = r.version;
    auto it = replaced.find(r.path + "@" + r.version);
    if (it == replaced.end()) it = replaced.find(r.path);
    if (it != replaced.end()) {
      if (it->second.directory.empty()) {
        p.properties["go.replaces"] = path + "@" + version;
        path = it->second.path;
        version = it->second.version;
      } else {
        p.properties["go.replaced-by-directory"] = it->second.directory;
      }
    }
    set_go_module(p, path);
    p.version = version;
    if (r.indirect) p.properties["go.indirect"] = "true";
    result.add(std::move(p), kGoModCataloger, kGoModConfidence, Location{file, r.line, path, {}});
  }
  return result;
}

}  // namespace herkomst::fs
