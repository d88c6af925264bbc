#include "origins/analyst_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "origins/csv_reader.hpp"
#include "origins/tsv_table.hpp"

namespace herkomst::origins {
namespace {

constexpr const char* kTables[] = {"organisations", "relations", "lists", "list-entries"};

std::string header_hint(const std::string& name) {
  return name + ": the first line must name the columns of a table (docs/origins.md): organisations, relations, "
                "lists or list-entries";
}

template <typename Header>
std::string table_of_header(const Header& header) {
  for (const char* table : kTables) {
    const auto& columns = columns_of(table);
    if (columns.size() == header.size() && std::equal(columns.begin(), columns.end(), header.begin())) return table;
  }
  return {};
}

// The first line that is neither empty nor a comment, split at tabs.
std::vector<std::string_view> tsv_header(std::string_view text) {
  std::vector<std::string_view> header;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    for (std::size_t start = 0;;) {
      const auto tab = line.find('\t', start);
      header.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    break;
  }
  return header;
}

std::variant<TableRows, LoadError> read_tsv_file(const std::string& name, const std::string& text) {
  const std::string table = table_of_header(tsv_header(text));
  if (table.empty()) return LoadError{header_hint(name)};
  auto read = read_tsv(name, text, columns_of(table));
  if (auto* e = std::get_if<TsvError>(&read)) return LoadError{e->message};
  TableRows rows{table, name, {}};
  for (const auto& r : std::get<TsvTable>(read).rows)
    rows.rows.emplace_back(r.line, std::vector<std::string>(r.cells.begin(), r.cells.end()));
  return rows;
}

std::variant<TableRows, LoadError> read_csv_file(const std::string& name, std::istream& in) {
  CsvOptions options;
  options.limits.max_fields = 64;
  CsvReader reader(in, name, options);
  if (reader.failed()) return LoadError{reader.error().message};
  const std::string table = table_of_header(reader.header());
  if (table.empty()) return LoadError{header_hint(name)};
  TableRows rows{table, name, {}};
  const auto& columns = columns_of(table);
  while (reader.next() == CsvNext::record) {
    const CsvRecord& r = reader.record();
    if (r.size() > 0 && !r[0].empty() && r[0].front() == '#') continue;
    std::vector<std::string> cells;
    cells.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string_view cell = r[i];
      const std::string where = name + ":" + std::to_string(r.line()) + ": column " + std::string(columns[i]) + ": ";
      if (!valid_utf8(cell)) return LoadError{where + "not valid UTF-8"};
      if (cell.find_first_of("\t\r\n") != std::string_view::npos)
        return LoadError{where + "a tab or line break inside a value"};
      cells.emplace_back(cell);
    }
    rows.rows.emplace_back(static_cast<std::size_t>(r.line()), std::move(cells));
  }
  if (reader.failed()) return LoadError{reader.error().message};
  return rows;
}

}  // namespace

std::variant<TableRows, LoadError> read_analyst_file(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  const std::string extension = file.extension().string();
  if (extension != ".tsv" && extension != ".csv")
    return LoadError{name + ": give a .tsv or .csv file (docs/origins.md)"};
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return LoadError{file.string() + ": is a folder, not a file"};
  std::ifstream in(file, std::ios::binary);
  if (!in) return LoadError{file.string() + ": cannot open"};
  if (extension == ".csv") return read_csv_file(name, in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return read_tsv_file(name, buffer.str());
}

}  // namespace herkomst::origins
