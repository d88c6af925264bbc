// An analyst's own knowledge-base rows, as `herkomst vendors import FILE` reads them
// (docs/origins.md): one table per file, in the columns of origins/data/README.md, either
//
//   FILE.tsv  tab-separated exactly like origins/data (read_tsv: `#` comment lines, no quoting);
//   FILE.csv  comma-separated values (RFC 4180: quoted fields, "" for a quote, CR LF or LF, a
//             UTF-8 byte order mark allowed); a record whose first field starts with `#` is a
//             comment. Values must be valid UTF-8 without tabs or line breaks (the same values
//             the TSV tables can hold).
//
// The header line names the table: the columns of organisations, relations, lists or
// list-entries, exactly and in order. Errors name the file and line:
//   "my-owners.csv:7: record has 9 fields, header has 10".
// Reading checks the shape only; load_knowledge_base() checks the values.
#pragma once

#include <filesystem>
#include <string>
#include <variant>

#include "origins/knowledge_base.hpp"

namespace herkomst::origins {

std::variant<TableRows, LoadError> read_analyst_file(const std::filesystem::path& file);

}  // namespace herkomst::origins
