#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/rpm_sqlite.hpp"
#include "scanner/fs/sqlite_wal.hpp"
#include "scanner/fs/walker.hpp"
#include "fs_test_support.hpp"
#include "rpm_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::TempDir;
using namespace herkomst::test::rpm;

namespace {

// Inserts these blobs in one transaction through an open connection.
void insert_blobs(sqlite3* db, const std::vector<std::string>& blobs) {
  REQUIRE(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &stmt, nullptr) == SQLITE_OK);
  for (const std::string& blob : blobs) {
    sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  REQUIRE(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes an rpmdb.sqlite with these blobs, as rpm >= 4.16 lays it out, and returns its bytes.
std::string rpmdb(const TempDir& dir, const std::vector<std::string>& blobs) {
  const std::filesystem::path path = dir.path / "var/lib/rpm/rpmdb.sqlite";
  std::filesystem::create_directories(path.parent_path());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  insert_blobs(db, blobs);
  sqlite3_close(db);
  return file_bytes(path);
}

}  // namespace

TEST_CASE("rpm sqlite: packages from an rpmdb the test builds", "[fs][rpm]") {
  TempDir dir("fs-rpm");
  const std::string bytes =
      rpmdb(dir, {package_blob("openssl", "3.1.1", "4.fc39", "x86_64", "Fedora Project", 1),
                  package_blob("bash", "5.2.26", "1.el9", "x86_64", "Red Hat, Inc."),
                  package_blob("gpg-pubkey", "18b8e74c", "62f2920f", "", ""),
                  package_blob("custom-tool", "1.0", "1", "noarch", "")});
  const auto r = parse_rpm_sqlite(bytes, "var/lib/rpm/rpmdb.sqlite");
  for (const auto& e : r.errors) INFO(e.to_string());
  CHECK(r.errors.empty());
  CHECK(r.skipped == 1);  // gpg-pubkey
  REQUIRE(r.packages.size() == 3);

  const Package& openssl = r.packages[0];
  CHECK(openssl.ecosystem == Ecosystem::rpm);
  CHECK(openssl.name == "openssl");
  CHECK(openssl.version == "3.1.1-4.fc39");
  CHECK(openssl.arch == "x86_64");
  CHECK(openssl.license == "OpenSSL");
  CHECK(openssl.supplier == "Fedora Project");
  CHECK(openssl.supplier_field == "Vendor");
  CHECK(openssl.purl == "pkg:rpm/fedora/openssl@3.1.1-4.fc39?arch=x86_64&epoch=1");
  CHECK(openssl.cataloger == "rpm-sqlite");
  CHECK(openssl.location.path == "var/lib/rpm/rpmdb.sqlite");
  CHECK(openssl.location.entry == "1");
  CHECK(openssl.confidence == Approx(kRpmConfidence));

  CHECK(r.packages[1].purl == "pkg:rpm/redhat/bash@5.2.26-1.el9?arch=x86_64");
  CHECK(r.packages[2].purl == "pkg:rpm/rpm/custom-tool@1.0-1?arch=noarch");
  CHECK(r.packages[2].supplier == "Fedora Project");  // no Vendor: the Packager
  CHECK(r.packages[2].supplier_field == "Packager");
  CHECK(r.packages[2].location.entry == "4");

  // The walk finds it through the default catalogers.
  const WalkResult w = walk(dir.path.string(), default_catalogers());
  REQUIRE(w.ok);
  CHECK(w.parse_errors.empty());
  CHECK(w.packages.size() == 3);
}

TEST_CASE("rpm sqlite: truncated and lying header blobs are errors, never read out of bounds", "[fs][rpm]") {
  const std::string good = package_blob("zlib", "1.2.13", "5.fc39", "x86_64", "Fedora Project");
  std::vector<std::pair<std::string, std::string>> bad;  // blob, expected error ending
  bad.emplace_back("", "header blob shorter than 8 bytes");
  bad.emplace_back(good.substr(0, 7), "header blob shorter than 8 bytes");
  bad.emplace_back(good.substr(0, good.size() - 1), "header index or data store larger than the blob");
  bad.emplace_back(good.substr(0, 40), "header index or data store larger than the blob");
  {
    std::string b = good;  // index count 0xFFFFFFFF
    b.replace(0, 4, be_int(0xFFFFFFFF));
    bad.emplace_back(b, "header index count out of range");
  }
  {
    std::string b = good;  // data size far beyond the blob
    b.replace(4, 4, be_int(0x7FFFFFFF));
    bad.emplace_back(b, "header index or data store larger than the blob");
  }
  {
    std::string b = good;  // NAME's offset past the data store
    b.replace(8 + 8, 4, be_int(0xFFFFFFF0));
    bad.emplace_back(b, "tag 1000 points outside the data store");
  }
  {
    std::string b = good;  // NAME said to be an INT32 array
    b.replace(8 + 4, 4, be_int(4));
    bad.emplace_back(b, "tag 1000 is not a string");
  }
  {
    // The last string of the store without its NUL.
    std::string b = header_blob({{1000, 6, "unterminated"}});
    bad.emplace_back(b, "tag 1000 has no terminating NUL inside the data store");
  }
  bad.emplace_back(header_blob({{1000, 6, str("e")}, {1001, 6, str("1")}, {1003, 4, "\0\0"}}),
                   "tag 1003 points outside the data store");
  bad.emplace_back(header_blob({{1000, 6, str("e")}, {1001, 6, str("1")}, {1003, 6, str("1")}}), "tag 1003 is not INT32");
  bad.emplace_back(header_blob({{1001, 6, str("1")}}), "no NAME tag");
  bad.emplace_back(header_blob({{1000, 6, str("noversion")}}), "no VERSION tag");
  bad.emplace_back(header_blob({{1000, 6, str("bad name")}, {1001, 6, str("1")}}), "not an rpm package name");

  for (std::size_t i = 0; i < bad.size(); ++i) {
    ParseResult r;
    parse_rpm_header(bad[i].first, "rpmdb.sqlite", static_cast<std::int64_t>(i + 1), "rpm-sqlite", r);
    INFO("case " << i);
    CHECK(r.packages.empty());
    REQUIRE(r.errors.size() == 1);
    std::string want = "rpmdb.sqlite: Packages hnum ";
    want += std::to_string(i + 1);
    want += ": ";
    want += bad[i].second;
    CHECK(r.errors[0].to_string() == want);
  }

  // In a database: the good ones are kept next to the bad ones.
  TempDir dir("fs-rpm-bad");
  std::vector<std::string> blobs = {good};
  for (const auto& [blob, _] : bad) blobs.push_back(blob);
  const auto r = parse_rpm_sqlite(rpmdb(dir, blobs), "rpmdb.sqlite");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].purl == "pkg:rpm/fedora/zlib@1.2.13-5.fc39?arch=x86_64");
  CHECK(r.errors.size() == bad.size());
}

TEST_CASE("rpm sqlite: files that are not an rpmdb", "[fs][rpm]") {
  CHECK(parse_rpm_sqlite("", "rpmdb.sqlite").errors.size() == 1);
  CHECK(parse_rpm_sqlite(std::string(4096, 'x'), "rpmdb.sqlite").errors.size() == 1);
  TempDir dir("fs-rpm-other");
  const std::string bytes = rpmdb(dir, {package_blob("a", "1", "1", "x86_64", "")});
  // Truncated database file: an error, not a crash.
  const auto cut = parse_rpm_sqlite(bytes.substr(0, bytes.size() / 2), "rpmdb.sqlite");
  CHECK(cut.packages.size() <= 1);
  // A database without a Packages table.
  sqlite3* db = nullptr;
  const std::string other = (dir.path / "other.sqlite").string();
  REQUIRE(sqlite3_open(other.c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const std::string other_bytes = file_bytes(other);
  const auto r = parse_rpm_sqlite(other_bytes, "rpmdb.sqlite");
  CHECK(r.packages.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.rfind("no readable Packages table", 0) == 0);
}

TEST_CASE("rpm sqlite: a WAL-mode rpmdb as rpm writes it", "[fs][rpm]") {
  TempDir dir("fs-rpm-wal");
  const std::filesystem::path path = dir.path / "rpmdb.sqlite";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  const std::string blob = package_blob("glibc", "2.38", "16.fc39", "x86_64", "Fedora Project", 0);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &stmt, nullptr) == SQLITE_OK);
  sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);  // checkpoints the -wal file into the database
  const std::string bytes = file_bytes(path);
  REQUIRE(bytes.size() > 20);
  CHECK(bytes[18] == 2);  // the file says WAL
  const auto r = parse_rpm_sqlite(bytes, "rpmdb.sqlite");
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].purl == "pkg:rpm/fedora/glibc@2.38-16.fc39?arch=x86_64&epoch=0");
}

TEST_CASE("rpm sqlite: mutated header blobs never crash", "[fs][rpm]") {
  const std::string good = package_blob("openssl", "3.1.1", "4.fc39", "x86_64", "Fedora Project", 1);
  std::uint32_t state = 12345;  // a fixed linear congruential sequence: the same cases every run
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  std::size_t kept = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string blob = good;
    const int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f) blob[next() % blob.size()] = static_cast<char>(next() >> 24);
    if (next() % 8 == 0) blob.resize(next() % blob.size());
    ParseResult r;
    parse_rpm_header(blob, "rpmdb.sqlite", i, "rpm-sqlite", r);
    CHECK(r.packages.size() + r.errors.size() + r.skipped == 1);
    kept += r.packages.size();
  }
  CHECK(kept > 0);
}

namespace {

// The number of Packages rows SQLite itself sees in a copy of the database and its -wal file.
int sqlite_row_count(const TempDir& dir, const std::string& main, const std::string& wal) {
  const std::filesystem::path copy = dir.path / "sqlite-check/rpmdb.sqlite";
  std::filesystem::remove_all(copy.parent_path());
  herkomst::test::put(dir, "sqlite-check/rpmdb.sqlite", main);
  herkomst::test::put(dir, "sqlite-check/rpmdb.sqlite-wal", wal);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(copy.string().c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  int rows = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM Packages", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    rows = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

}  // namespace

TEST_CASE("rpm sqlite: transactions still in the -wal file are read as SQLite reads them", "[fs][rpm][rpm-wal]") {
  TempDir live("fs-rpm-wal-live");
  const std::filesystem::path path = live.path / "rpmdb.sqlite";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0", nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  insert_blobs(db, {package_blob("glibc", "2.38", "16.fc39", "x86_64", "Fedora Project"),
                    package_blob("openssl", "3.1.1", "4.fc39", "x86_64", "Fedora Project", 1)});
  insert_blobs(db, {package_blob("scada-historian", "7.1", "2", "x86_64", "")});
  // A copy of the machine's disk while rpm still has the database open: nothing checkpointed.
  const std::string main = file_bytes(path), wal = file_bytes(live.path / "rpmdb.sqlite-wal");
  sqlite3_close(db);
  REQUIRE(wal.size() > 32);
  REQUIRE(sqlite_row_count(live, main, wal) == 3);  // what SQLite itself sees in the copy

  TempDir image("fs-rpm-wal-image");
  herkomst::test::put(image, "usr/lib/sysimage/rpm/rpmdb.sqlite", main);
  herkomst::test::put(image, "usr/lib/sysimage/rpm/rpmdb.sqlite-wal", wal);
  const WalkResult w = walk(image.path.string(), default_catalogers());
  REQUIRE(w.ok);
  for (const auto& e : w.parse_errors) INFO(e.to_string());
  CHECK(w.parse_errors.empty());
  REQUIRE(w.packages.size() == 3);
  CHECK(w.packages[0].purl == "pkg:rpm/fedora/glibc@2.38-16.fc39?arch=x86_64");
  CHECK(w.packages[2].name == "scada-historian");
  CHECK(w.packages[2].location.path == "usr/lib/sysimage/rpm/rpmdb.sqlite");
  // The scanned tree is not written to: no -shm file, no journal.
  CHECK(!std::filesystem::exists(image.path / "usr/lib/sysimage/rpm/rpmdb.sqlite-shm"));

  // The main file alone has no Packages table yet: the table itself is still in the log.
  CHECK(parse_rpm_sqlite(main, "rpmdb.sqlite").packages.empty());

  // The last transaction cut short (its commit frame incomplete): only the first is applied.
  const std::string cut = wal.substr(0, wal.size() - 1);
  REQUIRE(sqlite_row_count(live, main, cut) == 2);
  const auto applied = apply_sqlite_wal(main, cut);
  REQUIRE(std::holds_alternative<WalApplied>(applied));
  CHECK(std::get<WalApplied>(applied).frames_left > 0);
  CHECK(parse_rpm_sqlite(std::get<WalApplied>(applied).database, "rpmdb.sqlite").packages.size() == 2);

  // A flipped byte in the last frame breaks the checksum chain there: the same.
  std::string flipped = wal;
  flipped[flipped.size() - 10] = static_cast<char>(flipped[flipped.size() - 10] ^ 0x40);
  REQUIRE(sqlite_row_count(live, main, flipped) == 2);
  CHECK(parse_rpm_sqlite(std::get<WalApplied>(apply_sqlite_wal(main, flipped)).database, "rpmdb.sqlite").packages.size() == 2);

  // A -wal file that is not one: an error naming it, and the main file read alone.
  std::string bad = wal;
  bad[26] = static_cast<char>(bad[26] ^ 0x01);  // the header checksum
  herkomst::test::put(image, "usr/lib/sysimage/rpm/rpmdb.sqlite-wal", bad);
  const WalkResult b = walk(image.path.string(), default_catalogers());
  REQUIRE(b.parse_errors.size() >= 1);
  CHECK(b.parse_errors[0].to_string() ==
        "usr/lib/sysimage/rpm/rpmdb.sqlite-wal: -wal header checksum does not match; the database was read without it");
  CHECK(b.packages.empty());
}

TEST_CASE("rpm sqlite: hostile -wal files never crash or allocate without bound", "[fs][rpm][rpm-wal]") {
  CHECK(std::get<WalError>(apply_sqlite_wal("", "")).message == "-wal file shorter than its 32-byte header");
  CHECK(std::get<WalError>(apply_sqlite_wal("", std::string(32, 'x'))).message == "-wal file has no WAL magic number");
  TempDir live("fs-rpm-wal-hostile");
  const std::filesystem::path path = live.path / "rpmdb.sqlite";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0", nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  insert_blobs(db, {package_blob("a", "1", "1", "x86_64", "")});
  const std::string main = file_bytes(path), wal = file_bytes(live.path / "rpmdb.sqlite-wal");
  sqlite3_close(db);
  std::uint32_t state = 99;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  for (int i = 0; i < 3000; ++i) {
    std::string w = wal;
    const int flips = 1 + static_cast<int>(next() % 3);
    for (int f = 0; f < flips; ++f) w[next() % w.size()] = static_cast<char>(next() >> 24);
    if (next() % 4 == 0) w.resize(next() % w.size());
    const auto applied = apply_sqlite_wal(main, w);
    if (const auto* ok = std::get_if<WalApplied>(&applied)) {
      CHECK(ok->database.size() <= main.size() + w.size());
      CHECK(parse_rpm_sqlite(ok->database, "rpmdb.sqlite").packages.size() <= 1);
    }
  }
}
