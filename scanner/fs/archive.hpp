// Reading archives and firmware containers in memory, never extracting to disk: tar (plain, gz,
// xz, bz2, zstd), zip, cpio, 7z, ISO 9660 and whatever else libarchive's
// archive_read_support_format_all / filter_all read (https://github.com/libarchive/libarchive/wiki).
// Members are read through a FileReader (read callbacks over FileReader::read), their names
// normalised (no leading '/', no "." segments; a ".." segment is noted "archive.path-traversal" and
// dropped, so "../../etc/passwd" is catalogued as "etc/passwd", never written anywhere).
// Limits (ArchiveLimits) bound memory and time against bombs; each stop is a note whose reason is
// the counter it is counted under: "skipped.archive-member-size", "skipped.archive-total",
// "skipped.archive-ratio", "skipped.archive-members", "skipped.archive-depth", "archive.error".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

// Which files are archives, by name ending and by magic bytes at an offset: data in archive.cpp.
// `generic` formats are descended into by the walker; Java archives (jar, war, ...) are the Java
// cataloger's and are not.
bool looks_like_archive(std::string_view path, std::string_view head);
bool archive_by_name(std::string_view path);

// A member name as catalogued: '/'-separated, no leading '/', no "." or ".." segments.
// `traversal` is set when a ".." segment (or an absolute name) was removed.
std::string sanitise_member_name(std::string_view name, bool& traversal);

struct ArchiveNote {
  std::string member;  // sanitised member name, empty for the archive itself
  std::string reason;  // counter name
  std::string detail;
};

// Called for each regular member the `want` predicate accepts (by sanitised name and declared
// size), with its whole content in memory (at most max_member_bytes).
using MemberWanted = std::function<bool(const std::string& name)>;
using MemberVisit = std::function<void(const std::string& name, std::string_view content)>;

struct ArchiveReadResult {
  bool opened = false;  // false: not an archive libarchive reads
  std::uint64_t members = 0;
  std::uint64_t bytes = 0;  // uncompressed bytes accounted (read, or declared for skipped members)
  std::vector<ArchiveNote> notes;
};

// Reads `archive` member by member within `limits`.
ArchiveReadResult read_archive(const FileReader& archive, const ArchiveLimits& limits, const MemberWanted& want,
                               const MemberVisit& visit);

}  // namespace herkomst::fs
