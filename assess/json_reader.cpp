#include "assess/json_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace herkomst::assess::json {
namespace {

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string type_name(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

void Node::fail(const std::string& message) const { throw Problem{path_, message}; }

void Node::expect_object() const {
  if (!value_->is_object()) fail("must be an object, not " + type_name(*value_));
}

void Node::only_keys(std::initializer_list<std::string_view> keys) const {
  expect_object();
  for (const auto& [key, value] : value_->items()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string known;
    for (auto k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
    fail("unknown field '" + key + "' (known: " + known + ")");
  }
}

bool Node::has(std::string_view key) const { return value_->is_object() && value_->contains(key); }

Node Node::at(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) fail("'" + std::string(key) + "' is required");
  return Node(*it, child(path_, key));
}

std::optional<Node> Node::get(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return Node(*it, child(path_, key));
}

std::vector<std::pair<std::string, Node>> Node::members() const {
  expect_object();
  std::vector<std::pair<std::string, Node>> out;
  for (const auto& [key, value] : value_->items()) out.emplace_back(key, Node(value, child(path_, key)));
  return out;
}

std::vector<Node> Node::items() const {
  if (!value_->is_array()) fail("must be a list, not " + type_name(*value_));
  std::vector<Node> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]");
  return out;
}

std::string Node::text() const {
  if (!value_->is_string()) fail("must be a string, not " + type_name(*value_));
  std::string s = value_->get<std::string>();
  if (s.empty()) fail("must not be empty");
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) fail("must not contain control characters");
  return s;
}

bool Node::boolean() const {
  if (!value_->is_boolean()) fail("must be true or false, not " + type_name(*value_));
  return value_->get<bool>();
}

std::int64_t Node::integer(std::int64_t min, std::int64_t max) const {
  if (!value_->is_number_integer()) fail("must be a whole number, not " + type_name(*value_));
  const auto v = value_->get<std::int64_t>();
  if (v < min || v > max) fail(std::to_string(v) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
  return v;
}

origins::Day Node::day() const {
  const std::string s = value_->is_string() ? value_->get<std::string>() : std::string();
  auto d = origins::parse_day(s);
  if (!d) fail((value_->is_string() ? "'" + s + "'" : type_name(*value_)) + " is not a date (YYYY-MM-DD)");
  return *d;
}

origins::PartialDate Node::partial_date() const {
  const std::string s = value_->is_string() ? value_->get<std::string>() : std::string();
  auto d = origins::PartialDate::parse(s);
  if (!d) fail((value_->is_string() ? "'" + s + "'" : type_name(*value_)) + " is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  return *d;
}

std::string Node::text_or(std::string_view key, std::string fallback) const {
  auto n = get(key);
  return n ? n->text() : std::move(fallback);
}

std::string describe_parse_error(const nlohmann::json::parse_error& e) {
  // nlohmann writes "[json.exception.parse_error.101] parse error at line 3, column 7: ...".
  std::string_view what = e.what();
  const auto end_of_id = what.find("] ");
  if (end_of_id != std::string_view::npos) what.remove_prefix(end_of_id + 2);
  return std::string(what);
}

void expect_format(const Node& doc, std::string_view name) {
  const Node format = doc.at("format");
  if (format.text() != name) format.fail("must be \"" + std::string(name) + "\"");
  const Node format_version = doc.at("format_version");
  if (format_version.integer(1, 1000) != 1) format_version.fail("this herkomst reads format_version 1");
}

std::variant<std::string, LoadError> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadError{path + ": cannot be read"};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return LoadError{path + ": cannot be read"};
  std::string text = std::move(buf).str();
  if (text.empty()) return LoadError{path + ": the file is empty"};
  return text;
}

std::string fnv1a64(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace herkomst::assess::json
