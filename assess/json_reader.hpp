// Reading a configuration file's JSON with the path of every value, so that a problem names
// the file and the field: "context.json: zones[2].cidrs[0]: '10.0.0.1/8' has host bits set".
// Internal to assess/: the loaders (policy.cpp, site_context.cpp) walk the document through
// Node and turn the first Problem thrown into a LoadError at their boundary.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "assess/load_error.hpp"
#include "origins/partial_date.hpp"

namespace herkomst::assess::json {

// Thrown while walking; `where` is the field path ("" for the document itself).
struct Problem {
  std::string where;
  std::string message;
};

class Node {
 public:
  Node(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const nlohmann::json& raw() const { return *value_; }
  [[noreturn]] void fail(const std::string& message) const;

  // Objects. only_keys() refuses any other member (a misspelt field is an error, not ignored).
  void expect_object() const;
  void only_keys(std::initializer_list<std::string_view> keys) const;
  bool has(std::string_view key) const;
  Node at(std::string_view key) const;  // a required member
  std::optional<Node> get(std::string_view key) const;
  std::vector<std::pair<std::string, Node>> members() const;  // in the file's key order (sorted)

  // Arrays.
  std::vector<Node> items() const;

  // Scalars. text() is a non-empty string without control characters.
  std::string text() const;
  bool boolean() const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  origins::Day day() const;                  // "YYYY-MM-DD"
  origins::PartialDate partial_date() const;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD"

  // Optional members, read with the same checks.
  std::string text_or(std::string_view key, std::string fallback) const;

 private:
  const nlohmann::json* value_;
  std::string path_;
};

// "parse error at line 3, column 7: syntax error while parsing ..." from nlohmann's message.
std::string describe_parse_error(const nlohmann::json::parse_error& e);

// Parses text as JSON and hands the document to `read`; a syntax error, or the first Problem
// `read` throws, becomes a LoadError "<file>: <where>: <message>".
template <typename T, typename Read>
std::variant<T, LoadError> load(std::string_view text, const std::string& file, Read read) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return LoadError{file + ": not valid JSON: " + describe_parse_error(e)};
  }
  try {
    return read(Node(doc, ""));
  } catch (const Problem& p) {
    return LoadError{file + ": " + (p.where.empty() ? "" : p.where + ": ") + p.message};
  } catch (const nlohmann::json::exception& e) {  // a type check a reader missed
    return LoadError{file + ": " + e.what()};
  }
}

// The bytes of a file, or a LoadError naming it.
std::variant<std::string, LoadError> read_file(const std::string& path);

// Reads the file at `path` and parses it with parse(text, path).
template <typename T, typename Parse>
std::variant<T, LoadError> load_file(const std::string& path, Parse parse) {
  auto text = read_file(path);
  if (auto* e = std::get_if<LoadError>(&text)) return *e;
  return parse(std::get<std::string>(text), path);
}

// The header every herkomst configuration file starts with: "format": name, "format_version": 1.
void expect_format(const Node& doc, std::string_view name);

// FNV-1a 64 of text as 16 lower-case hex digits: the version hash of a loaded file.
std::string fnv1a64(std::string_view text);

}  // namespace herkomst::assess::json
