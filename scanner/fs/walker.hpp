// The filesystem walk: visits every regular file under a root directory once, and hands the ones
// a cataloger wants (by glob on the path relative to the root, like Syft's catalogers) to that
// cataloger's parse function.
//
// Safety, for mounted disk images and copied root filesystems of machines not trusted:
//  - symbolic links are never followed (a link inside the tree names its target by the link's
//    path, which may be outside the tree or form a loop); they are counted, not read;
//  - every directory is entered once, by device and inode: a bind mount or a hard-linked
//    directory that loops is counted as "skipped.loop";
//  - the walk stays on the root's filesystem (st_dev) unless WalkOptions::cross_filesystems;
//  - sockets, FIFOs and device nodes are skipped by lstat before anything is opened, and files
//    are opened with O_NOFOLLOW | O_NONBLOCK and checked again with fstat (a FIFO swapped in
//    cannot block the walk);
//  - a permission error (or any other error on one entry) is counted and the walk goes on; only
//    an unusable root is an error;
//  - a file is read only up to its cataloger's limit: larger files are skipped with a count
//    ("skipped.too-large"), or, for a cataloger that needs only the header, read up to the limit;
//  - directories deeper than WalkOptions::max_depth are not entered.
// The order of the walk (and so of the packages) is sorted by name: two walks of the same tree
// give the same result.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

// Matches a '/'-separated relative path against a glob: "*" any characters within one segment,
// "?" one character, "**" as a whole segment any number of segments (also none).
// "**/var/lib/dpkg/status" matches "var/lib/dpkg/status" and "srv/rootfs/var/lib/dpkg/status".
bool glob_match(std::string_view glob, std::string_view path);

// A file a cataloger reads by offset instead of whole: a binary (PE, ELF, a jar) whose few
// interesting bytes are spread over a file that may be hundreds of megabytes. The walk hands a
// plain file as a reader over its descriptor (pread); a member of an archive as a reader over
// the bytes already in memory. Reads past the end return fewer bytes, never an error; a read
// error on the file is reported by failed() after the read (and what was read is kept).
class FileReader {
 public:
  virtual ~FileReader() = default;
  virtual std::uint64_t size() const = 0;
  // Up to `length` bytes from `offset` (fewer at the end of the file, none past it).
  virtual std::string read(std::uint64_t offset, std::size_t length) const = 0;
  virtual bool failed() const { return false; }
  // The file beside this one named as it is plus `suffix` (SQLite's "-wal" beside a database),
  // read whole when it is a regular file (not a link) of at most `max_bytes`; nullopt when there
  // is none, it is larger, or this file has no directory (an archive member, a test's bytes).
  virtual std::optional<std::string> sibling(std::string_view /*suffix*/, std::uint64_t /*max_bytes*/) const {
    return std::nullopt;
  }
  std::uint64_t bytes_read() const { return bytes_read_; }

 protected:
  mutable std::uint64_t bytes_read_ = 0;
};

// A reader over bytes in memory (an archive member, a test's fixture). Does not own them.
class MemoryReader final : public FileReader {
 public:
  explicit MemoryReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::string read(std::uint64_t offset, std::size_t length) const override;

 private:
  std::string_view bytes_;
};

// One cataloger: which files it wants, how much of them it reads, and its pure parse function.
// A cataloger sets exactly one of `parse` (given the file's bytes, up to max_bytes) and
// `parse_file` (given a FileReader over a file of at most max_bytes, reading what it needs).
struct Cataloger {
  using Parse = std::function<ParseResult(std::string_view content, const std::string& path)>;
  using ParseFile = std::function<ParseResult(const FileReader& file, const std::string& path)>;
  std::string name;
  std::vector<std::string> globs;
  std::uint64_t max_bytes = 1ull << 20;
  bool header_only = false;  // read the first max_bytes of larger files instead of skipping them
  Parse parse;
  ParseFile parse_file{};
  // Further conditions on a file the globs match, checked before it is handed over: one of these
  // byte prefixes at offset 0 ("\x7fELF", "MZ"), when any are given; an execute bit, when set.
  std::vector<std::string> magic{};
  bool executable_only = false;
  // Globs match regardless of ASCII case ("**/*.dll" takes "Siemens.Automation.DLL"), for
  // Windows trees, whose names are case-insensitive. The path handed over keeps its case.
  bool ignore_case = false;
  // Optional: called once after the walk with every package found (in walk order), to reconcile
  // this cataloger's packages with another's (go.sum with the go.mod beside it); packages it
  // removes are counted as "packages.reconciled".
  std::function<void(std::vector<Package>&)> finish{};
};

// Bounds on reading one archive (archive.hpp), against zip bombs and deep nesting.
struct ArchiveLimits {
  std::size_t max_depth = 4;                           // archives inside archives, the outer one is 1
  std::uint64_t max_member_bytes = 64ull << 20;        // larger members are skipped, with a note
  std::uint64_t max_total_bytes = 1ull << 30;          // uncompressed bytes per archive
  std::uint64_t max_ratio = 100;                       // uncompressed : archive size ...
  std::uint64_t ratio_grace_bytes = 8ull << 20;        // ... checked once past this many bytes
  std::uint64_t max_members = 100000;
};

// The number of threads a walk uses by default: the processors available, at most 8.
std::size_t default_walk_threads();

// How far a walk is, for a progress bar: the root's subdirectories are the unit of `done` and
// `total` (a walk cannot know the number of files ahead without walking twice).
struct WalkProgress {
  std::uint64_t done = 0;   // top-level subdirectories finished
  std::uint64_t total = 0;  // top-level subdirectories in all (0 until the root is listed)
  std::uint64_t files = 0;  // regular files seen so far
  std::string current;      // the directory being listed
};

struct WalkOptions {
  std::function<void(const WalkProgress&)> progress{};  // called once per directory, one call at a time
  // Threads listing directories and reading files (1: the calling thread only). The result does
  // not depend on it: partial results are merged in walk order.
  std::size_t threads = default_walk_threads();
  bool archives = true;  // open archives (archive.hpp) and catalogue their members
  ArchiveLimits archive_limits{};
  bool cross_filesystems = false;
  std::size_t max_depth = 128;
  std::size_t max_notes = 200;  // notes beyond this are only counted
};

// A skip or an error worth telling the operator about: the relative path and the reason.
struct WalkNote {
  std::string path;
  std::string reason;  // the counter it was counted under, e.g. "skipped.permission"
  std::string detail;  // strerror text or the parse error
};

struct WalkResult {
  bool ok = false;            // false only when the root could not be walked at all
  std::string error;          // why, naming the root
  std::vector<Package> packages;
  std::vector<ParseError> parse_errors;  // bounded per file by ParseResult::kMaxErrors
  std::vector<WalkNote> notes;
  // "directories", "files", "files.matched", "files.read", "files.probed", "bytes.read", "packages",
  // "packages.skipped", "packages.reconciled", "parse-errors", and one "skipped.<reason>" per reason: symlink, special,
  // permission, other-filesystem, loop, too-large, depth, error.
  std::map<std::string, std::uint64_t> counters;
};

// `root` is a directory, or one file (a firmware image, an archive, a binary), which is then all
// that is walked; its members are named "<file name>!/<member>". An archive is recognised by its
// name or, when no cataloger takes the file, by its first 512 bytes (archive.hpp:
// archive_by_magic, probed_for_archive); a single compressed stream is read as one member.
WalkResult walk(const std::string& root, const std::vector<Cataloger>& catalogers, const WalkOptions& options = {});

}  // namespace herkomst::fs
