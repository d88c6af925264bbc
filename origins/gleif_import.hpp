// Imports GLEIF golden-copy files (docs/gleif.md) into the store: the Level 1 file (required)
// and, optionally, the Level 2 relationship and reporting-exception files, streamed row by row
// (a few GB, millions of rows: memory stays that of one record) into one transaction that
// replaces every GLEIF row the store held. The first bad row ends the import with an error
// naming its file and line, and the store keeps what it had before (nothing half-imported).
//
// The data version stored (meta 'gleif_version') names the files and their row counts:
//   "GLEIF golden copy: 20261201-0000-gleif-goldencopy-lei2-golden-copy.csv (2712345 entities),
//    ...-rr-golden-copy.csv (612345 relationships), ...-repex-golden-copy.csv (4012345 exceptions)"
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "inventory/store.hpp"

namespace herkomst::origins {

struct GleifFiles {
  std::filesystem::path level1;         // LEI-CDF golden copy, required
  std::filesystem::path relationships;  // RR-CDF golden copy, optional (empty path: none)
  std::filesystem::path exceptions;     // reporting exceptions golden copy, optional
};

struct GleifImportSummary {
  std::string version;
  std::uint64_t entities = 0;
  std::uint64_t relationships = 0;
  std::uint64_t relationships_skipped = 0;  // rows whose node is not an LEI
  std::uint64_t exceptions = 0;
};

// Called every 100,000 rows and at the end of each file: the file and the rows read so far.
using GleifProgress = std::function<void(const std::filesystem::path& file, std::uint64_t rows)>;

// Errors are values (a StoreError from the database is turned into one too).
std::variant<GleifImportSummary, std::string> import_gleif(Store& store, const GleifFiles& files,
                                                           const GleifProgress& progress = {});

}  // namespace herkomst::origins
