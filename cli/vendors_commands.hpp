// `herkomst vendors ...`: the origin and control knowledge base on the command line.
//
//   vendors resolve STRING       which organisation a vendor string names, and why
//   vendors explain ORG          the organisation, its control chain(s) with sources and dates,
//                                state control, list memberships, as of a date
//   vendors list [--country CC]  organisations, filtered by origin or control country / sector
//   vendors import FILE          an analyst's own rows (CSV or TSV, docs/origins.md), validated
//                                against everything already known, stored atomically
//   vendors import-gleif ...     GLEIF golden-copy files into the store (docs/gleif.md)
// Exit codes as the other commands (commands.hpp); `resolve` exits 1 when the string does not
// resolve (unresolved or ambiguous), so scripts can tell.
#pragma once

#include <filesystem>
#include <string>

#include "cli/commands.hpp"

namespace herkomst::cli {

inline constexpr int kExitNotResolved = 1;

int vendors_resolve_command(const GlobalOptions& global, const std::string& text);

struct ExplainOptions {
  std::string org;
  std::string as_of;          // YYYY-MM-DD; empty: today
  double threshold = 50.0;    // control threshold in percent
};
int vendors_explain_command(const GlobalOptions& global, const ExplainOptions& options);

struct ListOptions {
  std::string country;  // origin or control country; empty: all
  std::string sector;
};
int vendors_list_command(const GlobalOptions& global, const ListOptions& options);

int vendors_import_command(const GlobalOptions& global, const std::filesystem::path& file);

struct GleifImportOptions {
  std::filesystem::path level1;
  std::filesystem::path relationships;
  std::filesystem::path exceptions;
};
int vendors_import_gleif_command(const GlobalOptions& global, const GleifImportOptions& options);

}  // namespace herkomst::cli
