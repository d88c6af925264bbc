// rpm's SQLite database of installed packages: var/lib/rpm/rpmdb.sqlite or
// usr/lib/sysimage/rpm/rpmdb.sqlite (rpm >= 4.16, Fedora 33+, RHEL 9; Fedora 36+ keeps it under
// /usr with /var/lib/rpm a symbolic link, which the walk does not follow). Table
// Packages(hnum, blob): each blob is an RPM header blob (rpm_header.hpp).
//
// The database is opened read-only from the bytes the walk read (sqlite3_deserialize), so the
// parser stays pure and nothing is written beside the file (no -shm, no journal). In WAL mode
// (as rpm keeps it) the committed transactions still in the "-wal" file beside it are laid over
// those bytes first (sqlite_wal.hpp); a -wal file that cannot be read is an error and the main
// file is read alone. Inside an archive the -wal file is not looked for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/rpm_header.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kRpmSqliteCataloger = "rpm-sqlite";
inline constexpr std::uint64_t kRpmSqliteMaxBytes = 512ull << 20;

// The whole rpmdb.sqlite file (with any -wal already applied).
ParseResult parse_rpm_sqlite(std::string_view bytes, const std::string& file);

// The file and the -wal file beside it, when there is one: what the cataloger runs.
ParseResult parse_rpm_sqlite_file(const FileReader& file, const std::string& path);

}  // namespace herkomst::fs
