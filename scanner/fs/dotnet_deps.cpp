// .NET *.deps.json cataloger (see dotnet_deps.hpp for the format and the fields read).
#include "scanner/fs/dotnet_deps.hpp"

#include <algorithm>
#include <optional>

#include "scanner/fs/bounded_json.hpp"

namespace herkomst::fs {

namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) { return json_text(object, key); }

// The runtime target's name and its object of "Name/Version" entries (null when absent).
std::pair<std::string, const json*> runtime_target(const json& root) {
  std::string name;
  if (const auto rt = root.find("runtimeTarget"); rt != root.end() && rt->is_object()) name = text_of(*rt, "name");
  const auto targets = root.find("targets");
  if (name.empty() || targets == root.end() || !targets->is_object()) return {name, nullptr};
  const auto target = targets->find(name);
  return {name, target != targets->end() && target->is_object() ? &*target : nullptr};
}

void add_library(const std::string& key, const json& library, const std::string& target_name, const json* target,
                 const std::string& file, ParseResult& result) {
  const auto slash = key.find('/');
  const std::string name = key.substr(0, slash);
  const std::string version = slash == std::string::npos ? std::string() : key.substr(slash + 1);
  if (!valid_token(name) || !valid_token(version) || name.size() > 512 || version.size() > 256) {
    std::string message = "library key is not Name/Version: ";
    message += key.substr(0, 80);
    result.error(file, 0, std::move(message));
    return;
  }
  const std::string type = text_of(library, "type");
  Package package;
  package.ecosystem = Ecosystem::nuget;
  package.name = name;
  package.version = version;
  package.application = type == "project";
  package.properties["dotnet.type"] = type;
  if (const std::string sha = text_of(library, "sha512"); !sha.empty()) package.properties["dotnet.sha512"] = sha;
  if (const std::string path = text_of(library, "path"); !path.empty()) package.properties["dotnet.path"] = path;
  if (const auto s = library.find("serviceable"); s != library.end() && s->is_boolean()) {
    package.properties["dotnet.serviceable"] = s->get<bool>() ? "true" : "false";
  }
  if (!target_name.empty()) package.properties["dotnet.runtime-target"] = target_name;
  if (target != nullptr && target->contains(key)) package.properties["dotnet.target"] = target_name;
  result.add(std::move(package), kDotnetDepsCataloger, kDotnetDepsConfidence, Location{file, 0, key, ""});
}

}  // namespace

ParseResult parse_dotnet_deps(std::string_view text, const std::string& file) {
  ParseResult result;
  const auto root = parse_json_object(text, file, kMaxDotnetJsonDepth, result);
  if (!root) return result;
  const auto libraries = root->find("libraries");
  if (libraries == root->end() || !libraries->is_object()) {
    result.error(file, 0, "no \"libraries\" object");
    return result;
  }
  const auto [target_name, target] = runtime_target(*root);
  for (const auto& [key, library] : libraries->items()) {
    if (!library.is_object()) {
      std::string message = "library ";
      message += key.substr(0, 80);
      message += " is not an object";
      result.error(file, 0, std::move(message));
      continue;
    }
    const std::string type = text_of(library, "type");
    if (type != "package" && type != "project") {
      ++result.skipped;
      continue;
    }
    add_library(key, library, target_name, target, file, result);
  }
  return result;
}

}  // namespace herkomst::fs
