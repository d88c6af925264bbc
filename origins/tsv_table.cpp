#include "origins/tsv_table.hpp"

#include <cstdint>

namespace herkomst::origins {
namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

std::string join(const std::vector<std::string_view>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ' ';
    out.append(c);
  }
  return out;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // the sequence runs past the end
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

std::variant<TsvTable, TsvError> read_tsv(std::string name, std::string_view text,
                                          const std::vector<std::string_view>& columns) {
  TsvTable table;
  table.name = name;
  if (!valid_utf8(text)) return TsvError{name + ": not valid UTF-8"};
  bool header = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (line.find('\r') != std::string_view::npos) return TsvError{where + "carriage return inside the line"};
    if (line.empty() || line.front() == '#') continue;
    auto cells = split_tabs(line);
    if (!header) {
      if (cells != columns) return TsvError{where + "the header must be the columns: " + join(columns)};
      header = true;
      continue;
    }
    if (cells.size() != columns.size())
      return TsvError{where + std::to_string(cells.size()) + " columns, the header has " +
                      std::to_string(columns.size())};
    table.rows.push_back({line_no, std::move(cells)});
  }
  if (!header) return TsvError{name + ": no header line (expected: " + join(columns) + ")"};
  return table;
}

}  // namespace herkomst::origins
