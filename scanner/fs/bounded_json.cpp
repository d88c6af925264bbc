// JSON parsing with a nesting bound for the JSON catalogers (see bounded_json.hpp).
#include "scanner/fs/bounded_json.hpp"

#include <algorithm>

namespace herkomst::fs {

namespace {
struct TooDeep {};
}  // namespace

std::optional<nlohmann::json> parse_json_object(std::string_view text, const std::string& file, int max_depth,
                                                ParseResult& result) {
  using nlohmann::json;
  try {
    json::parser_callback_t bound = [max_depth](int depth, json::parse_event_t, json&) {
      if (depth > max_depth) throw TooDeep{};
      return true;
    };
    json value = json::parse(text.begin(), text.end(), bound);
    if (!value.is_object()) {
      result.error(file, 1, "not a JSON object");
      return std::nullopt;
    }
    return value;
  } catch (const TooDeep&) {
    std::string message = "JSON nested deeper than ";
    message += std::to_string(max_depth);
    result.error(file, 0, std::move(message));
  } catch (const json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte, text.size());
    const auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
    result.error(file, line, "not valid JSON");
  }
  return std::nullopt;
}

std::string json_text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace herkomst::fs
