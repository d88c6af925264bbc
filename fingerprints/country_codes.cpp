#include "fingerprints/country_codes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace herkomst::fingerprints {
namespace embedded {
// Defined in the file the build generates from fingerprints/data/iso3166-1-alpha2.tsv.
std::string_view iso3166_1_alpha2_tsv();
}  // namespace embedded

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit_ascii(char c) { return c >= '0' && c <= '9'; }

struct Table {
  std::vector<Country> countries;  // sorted by code
  std::array<std::int16_t, 26 * 26> index{};  // "AA".."ZZ" -> position in countries + 1, 0 if none
  std::string source;
};

// Parses the embedded tsv once. Lines that are not "XX<TAB>name" are skipped here; the test
// suite checks that the shipped file has none.
Table parse_table() {
  Table table;
  const std::string_view text = embedded::iso3166_1_alpha2_tsv();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      line.remove_prefix(1);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (!table.source.empty()) table.source += '\n';
      table.source.append(line);
      continue;
    }
    const std::size_t tab = line.find('\t');
    if (tab != 2 || !is_upper_ascii(line[0]) || !is_upper_ascii(line[1]) || tab + 1 >= line.size()) continue;
    table.countries.push_back(Country{line.substr(0, 2), line.substr(tab + 1)});
  }
  std::sort(table.countries.begin(), table.countries.end(),
            [](const Country& a, const Country& b) { return a.code < b.code; });
  for (std::size_t i = 0; i < table.countries.size(); ++i) {
    const std::string_view code = table.countries[i].code;
    table.index[static_cast<std::size_t>((code[0] - 'A') * 26 + (code[1] - 'A'))] = static_cast<std::int16_t>(i + 1);
  }
  return table;
}

const Table& table() {
  static const Table instance = parse_table();
  return instance;
}

const Country* find(std::string_view code) {
  if (code.size() != 2 || !is_upper_ascii(code[0]) || !is_upper_ascii(code[1])) return nullptr;
  const Table& t = table();
  const int slot = t.index[static_cast<std::size_t>((code[0] - 'A') * 26 + (code[1] - 'A'))];
  return slot == 0 ? nullptr : &t.countries[static_cast<std::size_t>(slot - 1)];
}

bool has_digit(std::string_view token) { return std::any_of(token.begin(), token.end(), is_digit_ascii); }

}  // namespace

std::span<const Country> iso3166_countries() { return table().countries; }

std::string_view iso3166_source() { return table().source; }

bool is_iso3166_alpha2(std::string_view code) { return find(code) != nullptr; }

std::optional<std::string_view> country_name(std::string_view code) {
  if (const Country* c = find(code)) return c->name;
  return std::nullopt;
}

std::optional<std::string_view> country_from_ieee_address(std::string_view address) {
  // Walks the tokens from the end; only the rightmost candidate and the two tokens before it
  // matter (see the rule in the header).
  std::size_t pos = address.size();
  const auto previous_token = [&]() -> std::string_view {
    while (pos > 0 && is_space(address[pos - 1])) --pos;
    const std::size_t end = pos;
    while (pos > 0 && !is_space(address[pos - 1])) --pos;
    return address.substr(pos, end - pos);
  };
  std::size_t end_of_last = address.size();
  while (end_of_last > 0 && is_space(address[end_of_last - 1])) --end_of_last;
  const bool postcode_empty = address.size() - end_of_last >= 2;

  bool last_token = true;
  for (std::string_view token = previous_token(); !token.empty(); token = previous_token(), last_token = false) {
    const Country* candidate = find(token);
    if (candidate == nullptr) continue;
    if (!last_token || postcode_empty) return candidate->code;
    // The last token may belong to the postcode ("NL 5656 AE") or follow the country ("HK NA").
    const std::string_view before = previous_token();
    if (const Country* c = find(before)) return c->code;
    if (has_digit(before))
      if (const Country* c = find(previous_token())) return c->code;
    return candidate->code;
  }
  return std::nullopt;
}

}  // namespace herkomst::fingerprints
