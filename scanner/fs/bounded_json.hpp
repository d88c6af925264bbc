// JSON manifests parsed with a nesting bound (npm package-lock.json, .NET deps.json): errors as
// values naming the file and line, never an exception out of a cataloger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

// The top-level JSON object of `text`, or nullopt with an error in `result` (not JSON, not an
// object, nested deeper than max_depth).
std::optional<nlohmann::json> parse_json_object(std::string_view text, const std::string& file, int max_depth,
                                                ParseResult& result);

// object[key] when it is a string, else "".
std::string json_text(const nlohmann::json& object, const char* key);

}  // namespace herkomst::fs
