// rpm's Berkeley DB database of installed packages: var/lib/rpm/Packages, as rpm before 4.16
// keeps it (RHEL and CentOS 7 and 8, Amazon Linux 2, Oracle Linux 7 and 8, older Fedora and SUSE).
// It is a Berkeley DB hash database whose keys are the package numbers (4 bytes, in the writing
// host's byte order; key 0 is rpm's own counter) and whose values are header blobs
// (rpm_header.hpp), almost always on chains of overflow pages.
//
// herkomst reads the file itself, read-only, from the bytes: librpm and libdb would need a
// database environment and write lock or region files next to the database (__db.001,
// .dbenv.lock), and a scanned tree is never written to. Like rpm's own read-only backend
// (bdb_ro), it goes through the pages in file order and takes every key/data pair of every hash
// page, without the hash function.
//
// On-disk format (Berkeley DB 4.x and 5.x, hash access method; both byte orders):
//  - page 0, the hash meta page: magic 0x061561 at 12 (its byte order is the file's), version at
//    16, page size at 20 (512..65536), encryption algorithm at 24 (must be 0), page type 8 at 25,
//    meta flags at 26 (bit 0: page checksums), last page number at 32;
//  - every page: a 26-byte header (page number at 8, next page at 16, entry count at 20, "high
//    free offset" at 22, type at 25), then 6 more bytes on checksummed files;
//  - hash pages (type 13, or 2 "unsorted" before BDB 4.6): after the header, `entries` 2-byte
//    offsets of the items, keys and data alternating; item i ends where item i-1 starts (item 0
//    at the page end); an item is type 1 (key/data: the bytes follow) or type 3 (off-page: 3
//    unused bytes, the first overflow page number, the total length);
//  - overflow pages (type 7): the data after the header, "high free offset" bytes of it, chained
//    by the next page number.
// Specs: Berkeley DB's dbinc/db_page.h and dbinc/hash.h (Oracle, BSD-style licence; the layout
// is also described at https://github.com/snyk/rpm-parser/blob/main/lib/berkeleydb/README.md and
// in rpm's lib/backend/bdb_ro.c, https://github.com/rpm-software-management/rpm).
//
// Bounds: at most kRpmBdbMaxBytes of file, kRpmBdbMaxHeaderBytes per header blob; an overflow
// chain that loops, leaves the file or ends early is an error for that package, the others are
// kept. Encrypted databases are an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/rpm_header.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kRpmBdbCataloger = "rpm-bdb";
inline constexpr std::uint64_t kRpmBdbMaxBytes = 4ull << 30;
inline constexpr std::uint64_t kRpmBdbMaxHeaderBytes = 64ull << 20;

ParseResult parse_rpm_bdb(const FileReader& file, const std::string& path);

}  // namespace herkomst::fs
