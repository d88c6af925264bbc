// The SQLite schema of the herkomst store, as an ordered list of migrations.
//
// A store file carries its schema version in `PRAGMA user_version`: 0 for a new file, N once
// migrations 1..N have run. Store::open applies every migration above the file's version, in
// order, each in its own transaction that also sets user_version, so a file is always at exactly
// one version. A file whose version is above kLatestVersion was written by a newer herkomst and
// is refused rather than guessed at.
//
// Rules for changing the schema (docs/store.md says more):
//   - never edit a migration that has shipped; add a new one at the end with the next version;
//   - a migration is plain SQL that runs inside a transaction (no VACUUM, no PRAGMA that cannot
//     run in a transaction); it may move data, not only create tables;
//   - new tables hang off scans (or off a table that does) with ON DELETE CASCADE, so deleting a
//     scan never leaves orphans.
//
// This header knows nothing about connections; inventory/store.cpp runs the list.
#pragma once

#include <span>
#include <string_view>

namespace herkomst::schema {

struct Migration {
  int version;               // the user_version the file has after this step
  std::string_view summary;  // one line: what this step adds
  std::string_view sql;      // statements, separated by ';'
};

// The schema version this build writes and understands.
inline constexpr int kLatestVersion = 5;

// Every migration, versions 1..kLatestVersion in order.
std::span<const Migration> migrations();

}  // namespace herkomst::schema
