#include "scanner/fs/os_release.hpp"
#include "scanner/fs/text_lines.hpp"

#include <algorithm>
#include <cctype>

namespace herkomst::fs {

namespace {

// The tails of the files apply_distro() knows, relative to their system root.
constexpr std::string_view kSystemFiles[] = {
    "etc/os-release",          "usr/lib/os-release",       "var/lib/dpkg/status",
    "lib/apk/db/installed",    "var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite",
};

bool is_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 ||
           c == '_';
  });
}

}  // namespace

std::map<std::string, std::string> parse_os_release_fields(std::string_view text, const std::string& file,
                                                           ParseResult& result) {
  std::map<std::string, std::string> fields;
  std::size_t number = 0;
  while (!text.empty()) {
    std::string_view line = pop_line(text);
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || !is_key(line.substr(0, eq))) {
      result.error(file, number, "not a KEY=value line");
      continue;
    }
    std::string_view raw = line.substr(eq + 1);
    std::string value;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      const char quote = raw.front();
      std::size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        if (raw[i] == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && raw[i] == '\\' && i + 1 < raw.size()) ++i;
        value += raw[i];
      }
      if (!closed || i + 1 != raw.size()) {
        result.error(file, number, "unbalanced quotes");
        continue;
      }
    } else {
      value = raw;
    }
    fields[std::string(line.substr(0, eq))] = std::move(value);
  }
  return fields;
}

ParseResult parse_os_release(std::string_view text, const std::string& file) {
  ParseResult result;
  auto fields = parse_os_release_fields(text, file, result);
  const std::string id = fields.count("ID") ? ascii_lower(fields["ID"]) : std::string();
  if (!valid_token(id)) {
    result.error(file, 0, "no ID");
    return result;
  }
  Package os;
  os.ecosystem = Ecosystem::generic;
  os.operating_system = true;
  os.name = id;
  os.version = fields.count("VERSION_ID") ? fields["VERSION_ID"] : fields["BUILD_ID"];
  for (const char* key : {"ID", "ID_LIKE", "VERSION_ID", "VERSION_CODENAME", "PRETTY_NAME", "BUILD_ID"}) {
    if (auto it = fields.find(key); it != fields.end() && !it->second.empty()) {
      std::string name = "os.";
      name += key;
      os.properties[name] = it->second;
    }
  }
  result.add(std::move(os), kOsReleaseCataloger, kOsReleaseConfidence, Location{file, 0, {}, {}});
  return result;
}

bool system_root_of(std::string_view path, std::string& root) {
  for (std::string_view tail : kSystemFiles) {
    if (path == tail) {
      root.clear();
      return true;
    }
    if (path.size() > tail.size() && path.substr(path.size() - tail.size()) == tail &&
        path[path.size() - tail.size() - 1] == '/') {
      root = path.substr(0, path.size() - tail.size());
      return true;
    }
  }
  return false;
}

void apply_distro(std::vector<Package>& packages) {
  std::map<std::string, const Package*> systems;  // root -> its os-release package
  for (const Package& p : packages) {
    std::string root;
    if (p.operating_system && system_root_of(p.location.path, root)) systems.emplace(root, &p);
  }
  if (systems.empty()) return;
  std::map<std::string, std::pair<std::string, std::string>> distro;  // root -> (id, id-version)
  for (const auto& [root, os] : systems) {
    std::string qualifier = os->name;
    if (!os->version.empty()) {
      qualifier += '-';
      qualifier += os->version;
    }
    distro[root] = {os->name, qualifier};
  }
  for (Package& p : packages) {
    if (p.ecosystem != Ecosystem::deb && p.ecosystem != Ecosystem::rpm && p.ecosystem != Ecosystem::apk) continue;
    std::string root;
    if (!system_root_of(p.location.path, root)) continue;
    const auto it = distro.find(root);
    if (it == distro.end()) continue;
    if (p.ecosystem != Ecosystem::rpm || p.namespace_.empty()) p.namespace_ = it->second.first;  // rpm: Vendor first
    p.distro = it->second.second;
    p.purl = package_url(p);
  }
}

}  // namespace herkomst::fs
