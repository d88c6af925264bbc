// rpm's "ndb" database of installed packages: var/lib/rpm/Packages.db or
// usr/lib/sysimage/rpm/Packages.db, rpm's own format (rpm 4.15+, the default on openSUSE and
// SUSE Linux Enterprise 15 SP3 and later). Debian 12's librpm is built without it, so herkomst
// reads it itself, read-only.
//
// Layout (all integers little-endian; rpm's lib/backend/ndb/rpmpkg.c,
// https://github.com/rpm-software-management/rpm/blob/master/lib/backend/ndb/rpmpkg.c):
//  - a 32-byte header: "RpmP", version 0, generation, the number of 4096-byte slot pages, the
//    next package number;
//  - the slot pages: 16-byte slots {"Slot", package number, block offset, block count} from
//    offset 32 on; block offset 0 is a free slot; blocks are 16 bytes;
//  - at each used slot's block offset, a blob: {"BlbS", package number, generation, length},
//    the header blob (rpm_header.hpp), zero padding to the block count, and a 12-byte tail
//    {Adler-32 of everything before the tail, length, "BlbE"}.
// Every slot and blob is checked as rpm checks it (magic, package number, block count, bounds,
// checksum); a bad one is an error for that package and the others are kept. Packages come out
// in package-number order. At most kRpmNdbMaxHeaderBytes per header blob.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/rpm_header.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kRpmNdbCataloger = "rpm-ndb";
inline constexpr std::uint64_t kRpmNdbMaxBytes = 4ull << 30;
inline constexpr std::uint64_t kRpmNdbMaxHeaderBytes = 64ull << 20;

// Adler-32 (RFC 1950, section 8.2) of `bytes`, continuing from `adler` (1 to start).
std::uint32_t adler32(std::string_view bytes, std::uint32_t adler = 1);

ParseResult parse_rpm_ndb(const FileReader& file, const std::string& path);

}  // namespace herkomst::fs
