// rpm's SQLite database of installed packages: var/lib/rpm/rpmdb.sqlite (rpm >= 4.16, Fedora 33+,
// RHEL 9). Table Packages(hnum, blob): each blob is an RPM header in the "header blob" form (no
// lead, no signature): big-endian uint32 index count, uint32 data size, the 16-byte index entries
// {tag, type, offset, count}, then the data store. Tags read: NAME 1000, VERSION 1001, RELEASE
// 1002, EPOCH 1003 (INT32), ARCH 1022, VENDOR 1011, LICENSE 1014, PACKAGER 1015.
//
// The database is opened read-only from the bytes the walk read (sqlite3_deserialize), so the
// parser stays pure; a WAL-mode file is read as a rollback-journal one (pages still in the -wal
// file are not seen). Every offset and count is checked against the data size: a hostile blob is
// an error, never read out of bounds. gpg-pubkey pseudo-packages are counted as skipped.
// PURL pkg:rpm/<vendor namespace or "rpm">/<name>@<version>-<release>?arch=<arch>&epoch=<n>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kRpmSqliteCataloger = "rpm-sqlite";
inline constexpr double kRpmConfidence = 0.95;  // rpm's own record of an installed package
inline constexpr std::uint64_t kRpmSqliteMaxBytes = 512ull << 20;

// One header blob (hnum names it in errors and in Location::entry); a package is added to
// `result` or an error reported.
void parse_rpm_header(std::string_view blob, const std::string& file, std::int64_t hnum, ParseResult& result);

// The PURL namespace for an rpm Vendor: "fedora", "redhat", "centos", "rocky", "almalinux",
// "opensuse", "suse", "amazon", "oracle", "mariner"; "rpm" when not known.
std::string rpm_namespace(std::string_view vendor);

// The whole rpmdb.sqlite file.
ParseResult parse_rpm_sqlite(std::string_view bytes, const std::string& file);

}  // namespace herkomst::fs
