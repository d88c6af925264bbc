// Reads the knowledge base's tab-separated tables (origins/data/README.md): UTF-8, one header
// line naming the columns exactly, `#` comment lines and empty lines skipped, no quoting.
//
// Errors are values naming the file and line: "organisations/ot-ics.tsv:17: 11 columns, the
// header has 13". Rows keep their line number so later checks can name it too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herkomst::origins {

struct TsvRow {
  std::size_t line = 0;
  std::vector<std::string_view> cells;  // views into the text given to read_tsv
};

struct TsvTable {
  std::string name;  // file name used in errors
  std::vector<TsvRow> rows;
};

struct TsvError {
  std::string message;  // "FILE:LINE: what"
};

// Reads `text` as a table whose header must be exactly `columns`. The rows view into `text`,
// which must outlive the result. Refuses invalid UTF-8, carriage returns inside a line (a CR
// before the LF is accepted and dropped), rows with the wrong number of cells, and a missing
// header.
std::variant<TsvTable, TsvError> read_tsv(std::string name, std::string_view text,
                                          const std::vector<std::string_view>& columns);

bool valid_utf8(std::string_view text);

}  // namespace herkomst::origins
