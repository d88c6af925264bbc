// Field access with error values for the SBOM readers: see sbom_json.hpp.
#include "scanner/fs/sbom_json.hpp"

namespace herkomst::fs::sbom_json {

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

const json* Fields::member(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void Fields::fail(const std::string& where, std::string_view what) {
  bad = true;
  std::string message = where;
  message += ": ";
  message += what;
  result_.error(file_, 0, std::move(message));
}

std::string Fields::text(std::string_view key) {
  const json* v = member(key);
  if (v == nullptr) return {};
  if (!v->is_string()) {
    fail(at(key), "not a string");
    return {};
  }
  return v->get<std::string>();
}

const json* Fields::array(std::string_view key) {
  const json* v = member(key);
  if (v != nullptr && !v->is_array()) {
    fail(at(key), "not an array");
    return nullptr;
  }
  return v;
}

const json* Fields::object(std::string_view key) {
  const json* v = member(key);
  if (v != nullptr && !v->is_object()) {
    fail(at(key), "not an object");
    return nullptr;
  }
  return v;
}

void add_imported(ParseResult& result, Package package, std::string_view cataloger, Location location,
                  const std::string& purl) {
  if (!purl.empty()) package.ecosystem = ecosystem_of_purl(purl);
  result.add(std::move(package), cataloger, 0.9, std::move(location));
  if (!purl.empty()) result.packages.back().purl = purl;
}

}  // namespace herkomst::fs::sbom_json
