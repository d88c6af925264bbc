// Internal to the store (inventory/store.cpp, inventory/knowledge_store.cpp): RAII handles
// over SQLite's C API, and Store's private state. Not for use outside inventory/.
#pragma once

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "inventory/store.hpp"

namespace herkomst {
namespace store_detail {

// What went wrong inside the store, without the file name; the public entry points turn it into
// a StoreError that names the file and the operation (see guarded()).
class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- RAII handles -------------------------------------------------------------------------------

struct ConnectionCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
struct SqliteFree {
  void operator()(char* p) const noexcept { sqlite3_free(p); }
};

class Connection {
 public:
  Connection(std::filesystem::path file, std::unique_ptr<sqlite3, ConnectionCloser> db)
      : file_(std::move(file)), db_(std::move(db)) {}

  sqlite3* get() const { return db_.get(); }
  const std::filesystem::path& file() const { return file_; }

  [[noreturn]] void fail() const { throw Failure(sqlite3_errmsg(db_.get())); }

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql) const {
    const std::string text(sql);
    char* raw = nullptr;
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &raw);
    std::unique_ptr<char, SqliteFree> message(raw);
    if (rc != SQLITE_OK) throw Failure(message ? message.get() : sqlite3_errstr(rc));
  }

  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }
  int changes() const { return sqlite3_changes(db_.get()); }

 private:
  std::filesystem::path file_;
  std::unique_ptr<sqlite3, ConnectionCloser> db_;
};

// A prepared statement; reset and re-bound for every row it writes or query it runs.
class Statement {
 public:
  Statement(const Connection& connection, std::string_view sql) : connection_(&connection) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(connection.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    stmt_.reset(raw);
    if (rc != SQLITE_OK) connection.fail();
  }

  void bind_int64(int index, std::int64_t value) { check(sqlite3_bind_int64(stmt_.get(), index, value)); }
  // Unsigned values are stored as the signed 64-bit integer with the same bits, so every value
  // round-trips; values up to 2^63-1 read the same in SQL.
  void bind_uint64(int index, std::uint64_t value) { bind_int64(index, static_cast<std::int64_t>(value)); }
  // NaN is stored as NULL (SQLite has no NaN).
  void bind_double(int index, double value) {
    check(std::isnan(value) ? sqlite3_bind_null(stmt_.get(), index) : sqlite3_bind_double(stmt_.get(), index, value));
  }
  // Not copied (SQLITE_STATIC): SQLite reads the text when the statement runs, so it must stay
  // alive until execute() or step(). Every caller binds and runs in one go.
  void bind_text(int index, std::string_view value) {
    constexpr sqlite3_destructor_type kStatic = nullptr;  // SQLITE_STATIC, without its C cast
    check(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), kStatic, SQLITE_UTF8));
  }

  // One step: true when a row is available, false when the statement is done.
  bool step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    connection_->fail();
  }
  // Runs a statement that returns no rows, then makes it ready for the next bindings.
  void execute() {
    while (step()) {
    }
    reset();
  }
  void reset() { sqlite3_reset(stmt_.get()); }

  bool is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  std::uint64_t uint64(int column) const { return static_cast<std::uint64_t>(int64(column)); }
  double real(int column) const {
    return is_null(column) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(stmt_.get(), column);
  }
  std::string text(int column) const {
    const unsigned char* data = sqlite3_column_text(stmt_.get(), column);
    if (!data) return {};
    const int size = sqlite3_column_bytes(stmt_.get(), column);
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) connection_->fail();
  }

  const Connection* connection_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
};

// BEGIN IMMEDIATE (takes the write lock now, so a busy store is waited for up front rather than
// failing half-way); rolls back unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(const Connection& connection) : connection_(connection) {
    connection_.exec("BEGIN IMMEDIATE");
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!committed_) sqlite3_exec(connection_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    connection_.exec("COMMIT");
    committed_ = true;
  }

 private:
  const Connection& connection_;
  bool committed_ = false;
};

// A read transaction: every query inside sees the same snapshot of the file, even while another
// process commits a scan.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(const Connection& connection) : connection_(connection) { connection_.exec("BEGIN"); }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() { sqlite3_exec(connection_.get(), "COMMIT", nullptr, nullptr, nullptr); }

 private:
  const Connection& connection_;
};

// Runs f(); a Failure becomes a StoreError "<file>: <what>: <reason>".
template <typename F>
inline decltype(auto) guarded(const Connection& connection, std::string_view what, F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const Failure& e) {
    throw StoreError(connection.file().string() + ": " + std::string(what) + ": " + e.what());
  }
}

// The current UTC time as ISO 8601 with seconds: "2026-12-03T08:00:00Z".
inline std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace store_detail

struct Store::Impl {
  store_detail::Connection connection;
};

}  // namespace herkomst
