// Shared by the SBOM readers (cyclonedx_import.cpp, spdx_import.cpp): field access on a parsed
// JSON object that reports a wrong type as an error value naming the file and the JSON pointer
// (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901) of the field. Internal to scanner/fs.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scanner/fs/sbom_import.hpp"

namespace herkomst::fs::sbom_json {

using nlohmann::json;

// RFC 6901 escaping of one reference token ('~' -> "~0", '/' -> "~1").
std::string pointer_token(std::string_view key);

// One JSON object at `pointer` ("/components/12"); each accessor records a type error once per
// field and sets `bad`.
class Fields {
 public:
  Fields(const json& object, std::string pointer, const std::string& file, ParseResult& result)
      : object_(object), pointer_(std::move(pointer)), file_(file), result_(result) {}
  // A string field; absent or null gives "".
  std::string text(std::string_view key);
  // An array or object member (absent or null gives nullptr; another type is an error).
  const json* array(std::string_view key);
  const json* object(std::string_view key);
  std::string at(std::string_view key) const { return pointer_ + "/" + pointer_token(key); }
  void fail(const std::string& where, std::string_view what);
  bool bad = false;
  const std::string& pointer() const { return pointer_; }

 private:
  const json* member(std::string_view key) const;
  const json& object_;
  std::string pointer_;
  const std::string& file_;
  ParseResult& result_;
};

// Adds an imported package: keeps the PURL as the SBOM gives it (built from the parts only when
// the SBOM has none) and sets the ecosystem from its type.
void add_imported(ParseResult& result, Package package, std::string_view cataloger, Location location,
                  const std::string& purl);

}  // namespace herkomst::fs::sbom_json
