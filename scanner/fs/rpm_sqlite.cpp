#include "scanner/fs/rpm_sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <variant>

#include "scanner/fs/sqlite_wal.hpp"

namespace herkomst::fs {

ParseResult parse_rpm_sqlite(std::string_view bytes, const std::string& file) {
  ParseResult result;
  if (bytes.size() < 100 || std::memcmp(bytes.data(), "SQLite format 3", 16) != 0) {
    result.error(file, 0, "not an SQLite database");
    return result;
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    result.error(file, 0, "cannot open an in-memory SQLite database");
    return result;
  }
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  // A copy SQLite owns; bytes 18 and 19 set to 1 so a WAL-mode file reads as a rollback one.
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (!copy) {
    result.error(file, 0, "out of memory");
    return result;
  }
  std::memcpy(copy, bytes.data(), bytes.size());
  copy[18] = 1;
  copy[19] = 1;
  if (sqlite3_deserialize(raw, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                          static_cast<sqlite3_int64>(bytes.size()),
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
    result.error(file, 0, "cannot read the SQLite database");
    return result;
  }
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(raw, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw_stmt, nullptr) != SQLITE_OK) {
    std::string message = "no readable Packages table: ";
    message += sqlite3_errmsg(raw);
    result.error(file, 0, std::move(message));
    sqlite3_finalize(raw_stmt);
    return result;
  }
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(raw_stmt)) == SQLITE_ROW) {
    const std::int64_t hnum = sqlite3_column_int64(raw_stmt, 0);
    const void* data = sqlite3_column_blob(raw_stmt, 1);
    const int size = sqlite3_column_bytes(raw_stmt, 1);
    parse_rpm_header(std::string_view(static_cast<const char*>(data), data ? static_cast<std::size_t>(size) : 0), file,
                     hnum, kRpmSqliteCataloger, result);
  }
  if (rc != SQLITE_DONE) {
    std::string message = "reading Packages stopped: ";
    message += sqlite3_errmsg(raw);
    result.error(file, 0, std::move(message));
  }
  return result;
}

ParseResult parse_rpm_sqlite_file(const FileReader& file, const std::string& path) {
  const std::string bytes = file.read(0, static_cast<std::size_t>(std::min<std::uint64_t>(file.size(), kRpmSqliteMaxBytes)));
  const std::optional<std::string> wal = file.sibling("-wal", kRpmSqliteMaxBytes);
  if (!wal || wal->empty()) return parse_rpm_sqlite(bytes, path);
  auto applied = apply_sqlite_wal(bytes, *wal);
  if (const auto* error = std::get_if<WalError>(&applied)) {
    // The cause first, then what reading the main file alone gave.
    ParseResult result;
    std::string wal_path = path, message = error->message;
    wal_path += "-wal";
    message += "; the database was read without it";
    result.error(wal_path, 0, std::move(message));
    ParseResult alone = parse_rpm_sqlite(bytes, path);
    result.packages = std::move(alone.packages);
    result.skipped = alone.skipped;
    for (ParseError& e : alone.errors) result.error(e.file, e.line, std::move(e.message));
    return result;
  }
  return parse_rpm_sqlite(std::get<WalApplied>(applied).database, path);
}

}  // namespace herkomst::fs
