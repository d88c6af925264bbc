// Reading archives and firmware containers in memory, never extracting to disk: tar, zip, cpio,
// 7z, ISO 9660, rar, ar, cab, xar, lha, each plain or compressed (gzip, bzip2, xz, lzma, zstd,
// lz4, compress, lzip), and a single compressed stream that is no archive (fw.img.gz) as one
// member, through libarchive (https://github.com/libarchive/libarchive/wiki; the formats are
// named one by one in archive.cpp, not "_all": no mtree, no filters that run other programs).
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
// By the first kArchiveProbeBytes of a file alone (tar's "ustar" lies at 257): zip, gzip, xz,
// bzip2, zstd, lz4, 7z, rar, cpio, tar, cab, xar.
inline constexpr std::size_t kArchiveProbeBytes = 512;
bool archive_by_magic(std::string_view head);
// False for names that say source, text, image or object code (".py", ".h", ".png", ".o", ...):
// the walk does not probe those for magic bytes.
bool probed_for_archive(std::string_view path);

// The name of the one member of a single compressed stream (read through libarchive's "raw"
// format): the file name without its compression ending, "fw.img" for "opt/fw.img.gz"; the file
// name itself when it has none ("update.bin").
std::string compressed_member_name(std::string_view path);

// A member name as catalogued: '/'-separated, no leading '/', no "." or ".." segments.
// `traversal` is set when a ".." segment (or an absolute name) was removed.
std::string sanitise_member_name(std::string_view name, bool& traversal);

struct ArchiveNote {
  std::string member;  // sanitised member name, empty for the archive itself
  std::string reason;  // counter name
  std::string detail;
};

// A regular member as the callbacks see it: its sanitised name, and whether it may be a program
// (an execute bit in its mode, or no mode recorded: a single compressed stream, an archive
// format without Unix modes).
struct ArchiveMember {
  std::string name;
  bool executable = true;
};

// Called for each regular member the `want` predicate accepts (by name and mode; then, when a
// `want_head` predicate is given, by its first kArchiveProbeBytes, fewer for a shorter member),
// with its whole content in memory (at most max_member_bytes).
using MemberWanted = std::function<bool(const ArchiveMember& member)>;
using MemberHeadWanted = std::function<bool(const ArchiveMember& member, std::string_view head)>;
using MemberVisit = std::function<void(const ArchiveMember& member, std::string_view content)>;

struct ArchiveReadResult {
  bool opened = false;  // false: not an archive libarchive reads
  bool raw = false;     // a single compressed stream (gz, xz, bz2, zst, lz4, ...), not an archive
  std::uint64_t members = 0;
  std::uint64_t bytes = 0;  // uncompressed bytes accounted (read, or declared for skipped members)
  std::vector<ArchiveNote> notes;
};

// Reads `archive` member by member within `limits`. A single compressed stream that is not an
// archive is read as one member named `raw_name`, under the same limits (its size is not
// declared: the ratio and total limits stop a bomb as it is decompressed); an uncompressed file
// that is not an archive is not opened.
ArchiveReadResult read_archive(const FileReader& archive, const ArchiveLimits& limits, const MemberWanted& want,
                               const MemberVisit& visit, std::string raw_name = "data",
                               const MemberHeadWanted& want_head = {});

}  // namespace herkomst::fs
