#include "scanner/fs/npm_lock.hpp"

#include <algorithm>
#include <optional>

#include "scanner/fs/bounded_json.hpp"

namespace herkomst::fs {

namespace {

using nlohmann::json;

std::optional<json> parse_json(std::string_view text, const std::string& file, ParseResult& result) {
  return parse_json_object(text, file, kMaxJsonDepth, result);
}

std::string text_of(const json& object, const char* key) { return json_text(object, key); }

// npm's rules in spirit: at most 214 characters, printable, no white space; "@scope/name" has
// exactly one '/'.
bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 214) return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return false;
  }
  const auto slashes = std::count(name.begin(), name.end(), '/');
  return name.front() == '@' ? slashes == 1 && name.back() != '/' && name[1] != '/' : slashes == 0;
}

bool valid_version(std::string_view version) {
  if (version.empty() || version.size() > 256) return false;
  return std::none_of(version.begin(), version.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; });
}

std::string license_of(const json& object) {
  if (const auto it = object.find("license"); it != object.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) return text_of(*it, "type");
  }
  std::string out;
  if (const auto it = object.find("licenses"); it != object.end() && it->is_array()) {
    for (const auto& l : *it) {
      const std::string type = l.is_string() ? l.get<std::string>() : l.is_object() ? text_of(l, "type") : "";
      if (type.empty()) continue;
      if (!out.empty()) out += " OR ";
      out += type;
    }
  }
  return out;
}

std::string author_of(const json& object) {
  const auto it = object.find("author");
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (!it->is_object()) return {};
  std::string out = text_of(*it, "name");
  if (const std::string email = text_of(*it, "email"); !email.empty()) {
    if (!out.empty()) out += ' ';
    out += '<';
    out += email;
    out += '>';
  }
  return out;
}

// Adds one package, or an error naming the entry when its name or version is unusable.
void add(ParseResult& result, const std::string& file, const std::string& entry, const std::string& full_name,
         const std::string& version, const json& object, std::string_view cataloger, double confidence) {
  std::string where = entry.empty() ? std::string("package") : entry;
  if (!valid_name(full_name)) {
    std::string message = where;
    message += ": not an npm package name";
    result.error(file, 0, std::move(message));
    return;
  }
  if (!valid_version(version)) {
    std::string message = where;
    message += version.empty() ? ": no version" : ": not a version";
    result.error(file, 0, std::move(message));
    return;
  }
  Package p;
  p.ecosystem = Ecosystem::npm;
  if (full_name.front() == '@') {
    const auto slash = full_name.find('/');
    p.namespace_ = full_name.substr(0, slash);
    p.name = full_name.substr(slash + 1);
  } else {
    p.name = full_name;
  }
  p.version = version;
  p.supplier = author_of(object);
  if (!p.supplier.empty()) p.supplier_field = "author";
  p.license = license_of(object);
  result.add(std::move(p), cataloger, confidence, {file, 0, entry, {}});
}

// lockfileVersion 1: "dependencies": {name: {version, dependencies: {...}}}, nested.
void walk_v1(const json& dependencies, const std::string& file, const std::string& prefix, ParseResult& result) {
  if (!dependencies.is_object()) return;
  for (const auto& [name, entry] : dependencies.items()) {
    std::string where = prefix;
    if (!where.empty()) where += " > ";
    where += name;
    if (!entry.is_object()) {
      result.error(file, 0, where + ": not an object");
      continue;
    }
    add(result, file, where, name, text_of(entry, "version"), entry, kNpmLockCataloger, kNpmLockConfidence);
    if (const auto it = entry.find("dependencies"); it != entry.end()) walk_v1(*it, file, where, result);
  }
}

}  // namespace

ParseResult parse_npm_lock(std::string_view text, const std::string& file) {
  ParseResult result;
  const auto lock = parse_json(text, file, result);
  if (!lock) return result;
  const auto packages = lock->find("packages");
  if (packages == lock->end()) {
    const auto dependencies = lock->find("dependencies");
    if (dependencies == lock->end()) {
      if (!lock->contains("lockfileVersion")) result.error(file, 0, "no lockfileVersion, packages or dependencies");
      return result;
    }
    walk_v1(*dependencies, file, "", result);
    return result;
  }
  if (!packages->is_object()) {
    result.error(file, 0, "\"packages\" is not an object");
    return result;
  }
  constexpr std::string_view kModules = "node_modules/";
  for (const auto& [key, entry] : packages->items()) {
    if (!entry.is_object()) {
      result.error(file, 0, key + ": not an object");
      continue;
    }
    if (entry.value("link", false)) {
      ++result.skipped;
      continue;
    }
    std::string name = text_of(entry, "name");
    if (name.empty()) {
      const auto at = key.rfind(kModules);
      if (at != std::string::npos) name = key.substr(at + kModules.size());
    }
    if (key.empty() || (name.empty() && key.find(kModules) == std::string::npos)) {
      // The project itself, or a workspace folder: reported only when it names itself.
      if (name.empty() || !entry.contains("version")) {
        ++result.skipped;
        continue;
      }
    }
    const std::size_t before = result.packages.size();
    add(result, file, key, name, text_of(entry, "version"), entry, kNpmLockCataloger, kNpmLockConfidence);
    if (key.empty() && result.packages.size() > before) result.packages.back().application = true;
  }
  return result;
}

ParseResult parse_npm_package_json(std::string_view text, const std::string& file) {
  ParseResult result;
  const auto manifest = parse_json(text, file, result);
  if (!manifest) return result;
  add(result, file, "", text_of(*manifest, "name"), text_of(*manifest, "version"), *manifest, kNpmPackageCataloger,
      kNpmPackageConfidence);
  return result;
}

}  // namespace herkomst::fs
