#include "scanner/fs/walker.hpp"

#include "scanner/fs/archive.hpp"
#include "scanner/fs/gzip_peek.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

namespace herkomst::fs {

namespace {

// One segment ("*" and "?" only, no '/').
bool segment_match(std::string_view glob, std::string_view text) {
  std::size_t g = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == text[t])) {
      ++g;
      ++t;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = t;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool match_from(const std::vector<std::string_view>& glob, std::size_t g, const std::vector<std::string_view>& path,
                std::size_t p) {
  while (g < glob.size()) {
    if (glob[g] == "**") {
      for (std::size_t skip = p; skip <= path.size(); ++skip) {
        if (match_from(glob, g + 1, path, skip)) return true;
      }
      return false;
    }
    if (p >= path.size() || !segment_match(glob[g], path[p])) return false;
    ++g;
    ++p;
  }
  return p == path.size();
}

// The file names any cataloger's globs could take, to turn away the rest of a root filesystem's
// files before their paths are split. Built from each glob's last segment, lower-cased (a
// superset of the case-sensitive matches): literal names, "*.ext" endings, and the few other
// patterns ("libpcap.so*"), which are tried one by one. A glob ending in "/dir/*" is indexed by
// its folder's name; one ending in "*" or "**" otherwise takes any name (the Go binary
// cataloger's, for executables only).
class NameIndex {
 public:
  void add(std::string_view glob, bool executable_only) {
    const std::string lowered = ascii_lower(glob);
    const std::vector<std::string_view> parts = segments(lowered);
    const std::string pattern(parts.back());
    const auto literal = [](std::string_view p) { return p.find_first_of("*?[") == std::string_view::npos; };
    if (pattern == "*" && parts.size() >= 2 && literal(parts[parts.size() - 2])) {
      folders_.insert(std::string(parts[parts.size() - 2]));
    } else if (pattern == "*" || pattern == "**") {
      (executable_only ? any_executable_ : any_) = true;
    } else if (literal(pattern)) {
      names_.insert(pattern);
    } else if (pattern.size() > 2 && pattern.compare(0, 2, "*.") == 0 &&
               pattern.find_first_of("*?[.", 2) == std::string::npos) {
      extensions_.insert(pattern.substr(1));
    } else {
      others_.push_back(pattern);
    }
  }

  // `path`: the file's path, `name` its last segment.
  bool may_match(std::string_view path, std::string_view name, bool executable) const {
    if (any_ || (executable && any_executable_)) return true;
    const std::string lower = ascii_lower(name);
    if (names_.count(lower)) return true;
    const auto dot = lower.rfind('.');
    if (dot != std::string::npos && extensions_.count(std::string_view(lower).substr(dot))) return true;
    if (!folders_.empty() && path.size() > name.size()) {
      std::string_view parent = path.substr(0, path.size() - name.size() - 1);
      parent = parent.substr(parent.rfind('/') == std::string_view::npos ? 0 : parent.rfind('/') + 1);
      if (folders_.count(ascii_lower(parent))) return true;
    }
    return std::any_of(others_.begin(), others_.end(), [&](const std::string& p) { return segment_match(p, lower); });
  }

 private:
  std::set<std::string, std::less<>> names_;
  std::set<std::string, std::less<>> extensions_;  // ".jar"
  std::set<std::string, std::less<>> folders_;     // "status.d", from "**/status.d/*"
  std::vector<std::string> others_;
  bool any_ = false;
  bool any_executable_ = false;
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Reads all of `fd` (at most `length` bytes) from `offset`; errno in `error` on failure.
std::string pread_all(int fd, std::uint64_t offset, std::size_t length, int& error) {
  std::string out(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, out.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

// A plain file read by offset (pread): the descriptor stays the walk's. Given the directory's
// descriptor and the file's name, it can also read a sibling file.
class PreadReader final : public FileReader {
 public:
  PreadReader(int fd, std::uint64_t size, int dir_fd = -1, std::string name = {})
      : fd_(fd), size_(size), dir_fd_(dir_fd), name_(std::move(name)) {}
  std::uint64_t size() const override { return size_; }
  std::optional<std::string> sibling(std::string_view suffix, std::uint64_t max_bytes) const override {
    if (dir_fd_ < 0) return std::nullopt;
    std::string name = name_;
    name += suffix;
    const int raw = ::openat(dir_fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (raw < 0) return std::nullopt;
    Fd fd(raw);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) > max_bytes)
      return std::nullopt;
    int error = 0;
    std::string out = pread_all(fd.get(), 0, static_cast<std::size_t>(st.st_size), error);
    bytes_read_ += out.size();
    if (error != 0) return std::nullopt;
    return out;
  }
  std::string read(std::uint64_t offset, std::size_t length) const override {
    if (offset >= size_) return {};
    length = static_cast<std::size_t>(std::min<std::uint64_t>(length, size_ - offset));
    std::string out = pread_all(fd_, offset, length, error_);
    bytes_read_ += out.size();
    return out;
  }
  bool failed() const override { return error_ != 0; }
  int error() const { return error_; }

 private:
  int fd_;
  std::uint64_t size_;
  int dir_fd_;
  std::string name_;
  mutable int error_ = 0;
};

constexpr std::size_t kMagicBytes = 16;  // enough for every cataloger's magic bytes
// Smaller files are not probed for archive magic bytes: the smallest gzip stream of anything is
// 20 bytes, a zip with one member 100 or so, a tar 1024.
constexpr std::uint64_t kMinArchiveBytes = 20;

std::string joined(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (!out.empty()) out += '/';
  out += name;
  return out;
}

constexpr const char* kCounters[] = {
    "directories",      "files",           "files.name-only", "files.matched",     "files.read",
    "bytes.read",       "packages",        "packages.skipped",  "packages.reconciled", "parse-errors",
    "skipped.symlink",  "skipped.special", "skipped.permission", "skipped.other-filesystem",
    "skipped.loop",     "skipped.too-large", "skipped.depth",   "skipped.error",
    "archives",         "archive.members",   "archives.by-magic", "archives.compressed-stream", "compressed.not-opened", "files.probed"};

// What every directory's visit shares: the catalogers with their globs split once, the options,
// the root, and the directories entered so far (by device and inode, under a lock).
struct Shared {
  Shared(const std::vector<Cataloger>& all, const WalkOptions& walk_options, int fd, dev_t dev)
      : catalogers(all), options(walk_options), root_fd(fd), root_dev(dev) {
    // Case-insensitive catalogers match lower-cased globs against the lower-cased path. The
    // lower-cased globs are all made before any view into them is taken.
    lowered.resize(catalogers.size());
    for (std::size_t i = 0; i < catalogers.size(); ++i) {
      if (!catalogers[i].ignore_case) continue;
      for (const std::string& g : catalogers[i].globs) lowered[i].push_back(ascii_lower(g));
    }
    for (std::size_t i = 0; i < catalogers.size(); ++i) {
      std::vector<std::vector<std::string_view>> globs;
      for (const std::string& g : catalogers[i].ignore_case ? lowered[i] : catalogers[i].globs)
        globs.push_back(segments(g));
      compiled.push_back(std::move(globs));
    }
    for (const Cataloger& c : catalogers)
      for (const std::string& g : c.globs) names.add(g, c.executable_only);
  }
  bool first_visit(dev_t dev, ino_t ino) {
    std::lock_guard lock(visited_mutex);
    return visited.insert({dev, ino}).second;
  }
  const std::vector<Cataloger>& catalogers;
  std::vector<std::vector<std::string>> lowered;  // the globs of case-insensitive catalogers, lower-cased
  std::vector<std::vector<std::vector<std::string_view>>> compiled;  // each cataloger's globs, split into segments
  NameIndex names;  // the file names any of them could take
  const WalkOptions& options;
  int root_fd;
  dev_t root_dev;
  std::mutex visited_mutex;
  std::set<std::pair<dev_t, ino_t>> visited;
};

// One directory's visit: lists it, hands its files to the catalogers, and writes what it found
// into its own partial result (merged in walk order at the end, so threads do not share it).
class Walk {
 public:
  Walk(Shared& shared, WalkResult& result)
      : catalogers_(shared.catalogers), compiled_(shared.compiled), names_(shared.names), options_(shared.options),
        result_(result),
        shared_(shared), root_fd_(shared.root_fd), root_dev_(shared.root_dev) {}

  // Lists one directory, reads the files it holds that a cataloger wants, returns its
  // subdirectories (relative paths, sorted) still to walk.
  std::vector<std::string> visit(const std::string& dir, std::size_t depth) { return visit_directory(dir, depth); }

  // One file as the whole walk (scan --fs FILE: a firmware image, an archive, one binary).
  void visit_one(int dir_fd, const std::string& name, const struct stat& seen) {
    visit_file(dir_fd, name, name, seen, true);
  }

 private:
  void skip(const std::string& path, const char* reason, std::string detail = {}) {
    ++result_.counters[reason];
    if (result_.notes.size() < options_.max_notes) result_.notes.push_back({path, reason, std::move(detail)});
  }

  void skip_errno(const std::string& path, int error) {
    skip(path, error == EACCES || error == EPERM ? "skipped.permission" : "skipped.error", std::strerror(error));
  }

  // Lists one directory, reads the files it holds that a cataloger wants, returns its
  // subdirectories (relative paths, sorted) still to walk.
  std::vector<std::string> visit_directory(const std::string& dir, std::size_t depth) {
    std::vector<std::string> subdirs;
    const int raw = ::openat(root_fd_, dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (raw < 0) {
      skip_errno(dir.empty() ? "." : dir, errno);
      return subdirs;
    }
    Fd fd(raw);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
      skip_errno(dir, errno);
      return subdirs;
    }
    if (!shared_.first_visit(st.st_dev, st.st_ino)) {
      skip(dir, "skipped.loop");
      return subdirs;
    }
    ++result_.counters["directories"];

    DIR* listing = ::fdopendir(fd.get());
    if (!listing) {
      skip_errno(dir, errno);
      return subdirs;
    }
    const int dir_fd = fd.release();  // owned by `listing` now
    std::vector<std::pair<std::string, unsigned char>> names;  // name, d_type
    errno = 0;
    while (const dirent* entry = ::readdir(listing)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name, entry->d_type);
    }
    if (errno != 0) skip_errno(dir, errno);
    std::sort(names.begin(), names.end());

    for (const auto& [name, type] : names) {
      const std::string path = joined(dir, name);
      // A symbolic link is never followed: when the directory entry says so, it is counted
      // without a stat of its own (every other entry needs one: size, mode, device).
      if (type == DT_LNK) {
        ++result_.counters["skipped.symlink"];
        continue;
      }
      // A regular file named as source, text, images or object code (the endings never probed for
      // archive magic, most of a root filesystem's files) that no cataloger takes by name could
      // only interest one that reads executables: it is counted without a stat. An ELF binary so
      // named ("tool.py") is not examined.
      if (type == DT_REG && !probed_for_archive(name) && !names_.may_match(path, name, false)) {
        ++result_.counters["files"];
        ++result_.counters["files.name-only"];
        continue;
      }
      struct stat entry {};
      if (::fstatat(dir_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0) {
        skip_errno(path, errno);
        continue;
      }
      if (S_ISLNK(entry.st_mode)) {
        ++result_.counters["skipped.symlink"];  // common: counted, not noted
      } else if (S_ISDIR(entry.st_mode)) {
        if (entry.st_dev != root_dev_ && !options_.cross_filesystems) {
          skip(path, "skipped.other-filesystem");
        } else if (depth + 1 > options_.max_depth) {
          skip(path, "skipped.depth");
        } else {
          subdirs.push_back(path);
        }
      } else if (S_ISREG(entry.st_mode)) {
        visit_file(dir_fd, name, path, entry);
      } else {
        skip(path, "skipped.special");
      }
    }
    ::closedir(listing);
    return subdirs;
  }

  // The catalogers whose globs (and execute-bit condition) take `path`. Each glob's last segment
  // is tried on the file name first: it rejects almost every file, before the path is split.
  std::vector<const Cataloger*> wanting(const std::string& path, bool executable) const {
    std::vector<const Cataloger*> out;
    const auto slash = path.rfind('/');
    const std::string_view name = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    if (!names_.may_match(path, name, executable)) return out;
    std::string lower_name;  // made when first needed
    std::vector<std::string_view> exact, folded;
    std::string lower;
    for (std::size_t i = 0; i < catalogers_.size(); ++i) {
      const Cataloger& c = catalogers_[i];
      if (c.executable_only && !executable) continue;
      if (c.ignore_case && lower_name.empty()) lower_name = ascii_lower(name);
      const std::string_view file_name = c.ignore_case ? std::string_view(lower_name) : name;
      for (const std::vector<std::string_view>& g : compiled_[i]) {
        if (g.back() != "**" && !segment_match(g.back(), file_name)) continue;
        if (c.ignore_case && folded.empty()) {
          lower = ascii_lower(path);
          folded = segments(lower);
        } else if (!c.ignore_case && exact.empty()) {
          exact = segments(path);
        }
        if (match_from(g, 0, c.ignore_case ? folded : exact, 0)) {
          out.push_back(&c);
          break;
        }
      }
    }
    return out;
  }

  // Of those, the ones that read a file of `size` bytes (a cataloger that reads whole files does
  // not get one larger than its limit).
  std::vector<const Cataloger*> taking(const std::vector<const Cataloger*>& wanting, std::uint64_t size,
                                       const std::string& path) {
    std::vector<const Cataloger*> out;
    for (const Cataloger* c : wanting) {
      if (size <= c->max_bytes || (c->header_only && c->parse)) {
        out.push_back(c);
        continue;
      }
      std::string detail = std::to_string(size);
      detail += " bytes, limit ";
      detail += std::to_string(c->max_bytes);
      skip(path, "skipped.too-large", std::move(detail));
    }
    return out;
  }

  // A file is opened when a cataloger's globs take it, when its name says archive, or, to be
  // recognised as an archive by its magic bytes (a firmware blob "update.bin" that is a tar.gz),
  // when it is large enough to be one: then its first kArchiveProbeBytes are read, and it is an
  // archive when no cataloger took it by those bytes (a jar stays the Java cataloger's).
  // `probe`: the file was named by the operator (scan --fs FILE), probed whatever its size.
  void visit_file(int dir_fd, const std::string& name, const std::string& path, const struct stat& seen,
                  bool probe = false) {
    ++result_.counters["files"];
    const bool executable = (seen.st_mode & 0111) != 0;
    bool archive = options_.archives && archive_by_name(path);
    const auto size = static_cast<std::uint64_t>(seen.st_size);
    std::vector<const Cataloger*> takers = taking(wanting(path, executable), size, path);
    const bool by_magic =
        options_.archives && !archive && (probe || (size >= kMinArchiveBytes && probed_for_archive(path)));
    if (takers.empty() && !archive && !by_magic) return;

    const int raw = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (raw < 0) {
      skip_errno(path, errno);
      return;
    }
    Fd fd(raw);
    struct stat opened {};
    if (::fstat(fd.get(), &opened) != 0 || !S_ISREG(opened.st_mode) || opened.st_dev != seen.st_dev ||
        opened.st_ino != seen.st_ino) {
      skip(path, "skipped.special", "changed while walking");
      return;
    }
    PreadReader reader(fd.get(), static_cast<std::uint64_t>(opened.st_size), dir_fd, name);
    const bool need_head = by_magic || std::any_of(takers.begin(), takers.end(), [](const Cataloger* c) {
                             return !c->magic.empty();
                           });
    const std::string head = need_head ? reader.read(0, by_magic ? kArchiveProbeBytes : kMagicBytes) : std::string();
    if (by_magic && takers.empty()) ++result_.counters["files.probed"];
    if (reader.failed()) {  // the probe or the magic check could not be read
      skip_errno(path, error_of(reader));
      result_.counters["bytes.read"] += reader.bytes_read();
      return;
    }
    takers = by_head(std::move(takers), head);
    if (by_magic && takers.empty() && archive_by_magic(head) && worth_opening(reader, path, head)) {
      archive = true;
      ++result_.counters["archives.by-magic"];
    }
    if (archive) visit_archive(reader, path, 1);
    if (!takers.empty()) hand_over(std::move(takers), reader, path, {});
    result_.counters["bytes.read"] += reader.bytes_read();
  }

  // A gzip stream that is not a tar.gz by name (a man page, a changelog.gz, a firmware blob) is
  // opened only when its first decompressed bytes are an archive's or a cataloger takes its one
  // member ("fw.img.gz!/fw.img") by name and magic: a root filesystem holds tens of thousands of
  // .gz files, and opening each with libarchive made the walk of /usr a third slower. Other compressed
  // streams (xz, bz2, zstd, lz4) are rare and always opened.
  bool worth_opening(const FileReader& reader, const std::string& path, std::string_view head) {
    if (head.substr(0, 2) != "\x1f\x8b") return true;
    const std::optional<std::string> inner = gzip_peek(reader, kArchiveProbeBytes);
    if (!inner) return true;  // libarchive names what is wrong with it
    if (archive_by_magic(*inner)) return true;
    std::string member = path;
    member += "!/";
    member += compressed_member_name(path);
    if (archive_by_name(member) || !by_head(wanting(member, true), *inner).empty()) return true;
    ++result_.counters["compressed.not-opened"];
    return false;
  }

  // Of the catalogers that take a file by name, those whose magic bytes (if they name any) start
  // `head`.
  static std::vector<const Cataloger*> by_head(std::vector<const Cataloger*> takers, std::string_view head) {
    std::erase_if(takers, [&](const Cataloger* c) {
      return !c->magic.empty() &&
             std::none_of(c->magic.begin(), c->magic.end(), [&](const std::string& m) { return head.substr(0, m.size()) == m; });
    });
    return takers;
  }

  // Opens one archive (the outer one at depth 1) and catalogues its members under the virtual
  // path "<archive>!/<member>"; nested archives recurse within the depth limit.
  void visit_archive(const FileReader& reader, const std::string& path, std::size_t depth) {
    const ArchiveLimits& limits = options_.archive_limits;
    if (depth > limits.max_depth) {
      skip(path, "skipped.archive-depth", std::to_string(limits.max_depth) + " levels");
      return;
    }
    ++result_.counters["archives"];
    const auto virtual_path = [&](const std::string& member) {
      std::string out = path;
      out += "!/";
      out += member;
      return out;
    };
    // A member is read when a cataloger takes it by name, mode and magic bytes, or it is an
    // archive by its name or (taken by no cataloger: a jar stays the Java cataloger's) its magic
    // bytes. By name and mode alone, a member may be wanted (its first bytes are then
    // decompressed for a look): most members of a jar (.class files) or a source zip are not,
    // and are skipped unread.
    const auto want = [&](const ArchiveMember& m) {
      return archive_by_name(m.name) || probed_for_archive(m.name) || !wanting(virtual_path(m.name), m.executable).empty();
    };
    const auto want_head = [&](const ArchiveMember& m, std::string_view head) {
      return archive_by_name(m.name) || (probed_for_archive(m.name) && archive_by_magic(head)) ||
             !by_head(wanting(virtual_path(m.name), m.executable), head).empty();
    };
    const auto visit = [&](const ArchiveMember& m, std::string_view content) {
      const std::string inner = virtual_path(m.name);
      MemoryReader memory(content);
      const std::string_view head = content.substr(0, kArchiveProbeBytes);
      std::vector<const Cataloger*> takers = by_head(taking(wanting(inner, m.executable), content.size(), inner), head);
      if (archive_by_name(m.name) || (takers.empty() && probed_for_archive(m.name) && archive_by_magic(head) &&
                                      worth_opening(memory, inner, head)))
        visit_archive(memory, inner, depth + 1);
      if (!takers.empty()) hand_over(std::move(takers), memory, inner, path);
    };
    const ArchiveReadResult read = read_archive(reader, limits, want, visit, compressed_member_name(path), want_head);
    if (read.raw && read.opened) ++result_.counters["archives.compressed-stream"];
    result_.counters["archive.members"] += read.members;
    if (!read.opened && read.notes.empty()) skip(path, "archive.error", "not an archive that can be read");
    for (const ArchiveNote& note : read.notes)
      skip(note.member.empty() ? path : virtual_path(note.member), note.reason.c_str(), note.detail);
  }

  static int error_of(const FileReader& reader) {
    const auto* pread = dynamic_cast<const PreadReader*>(&reader);
    return pread ? pread->error() : EIO;
  }

  // Hands a file (on disk or an archive member) to the catalogers that take it (by name and by
  // magic bytes: by_head was applied); `inside` is the
  // archive it was read from, set on packages whose cataloger left it empty.
  void hand_over(std::vector<const Cataloger*> takers, const FileReader& reader, const std::string& path,
                 const std::string& inside) {
    ++result_.counters["files.matched"];

    std::uint64_t limit = 0;
    for (const Cataloger* c : takers) {
      if (c->parse) limit = std::max(limit, c->max_bytes);
    }
    std::string content;
    bool have_content = false;
    for (const Cataloger* c : takers) {
      ParseResult parsed;
      if (c->parse_file) {
        parsed = c->parse_file(reader, path);
        if (reader.failed()) skip_errno(path, error_of(reader));
      } else {
        if (!have_content) {
          // Read at most limit + 1 bytes: one more than the limit tells a file that grew.
          content = reader.read(0, static_cast<std::size_t>(std::min<std::uint64_t>(reader.size(), limit) + 1));
          have_content = true;
          if (reader.failed()) {
            skip_errno(path, error_of(reader));
            return;
          }
        }
        std::string_view view = content;
        if (view.size() > c->max_bytes) {
          if (!c->header_only) {
            skip(path, "skipped.too-large", "grew while reading");
            continue;
          }
          view = view.substr(0, static_cast<std::size_t>(c->max_bytes));
        }
        parsed = c->parse(view, path);
      }
      result_.counters["packages"] += parsed.packages.size();
      result_.counters["packages.skipped"] += parsed.skipped;
      result_.counters["parse-errors"] += parsed.errors.size() + parsed.errors_dropped;
      for (auto& p : parsed.packages) {
        if (p.location.inside.empty()) p.location.inside = inside;
        result_.packages.push_back(std::move(p));
      }
      for (auto& e : parsed.errors) result_.parse_errors.push_back(std::move(e));
    }
    ++result_.counters["files.read"];
  }

  const std::vector<Cataloger>& catalogers_;
  const std::vector<std::vector<std::vector<std::string_view>>>& compiled_;
  const NameIndex& names_;
  const WalkOptions& options_;
  WalkResult& result_;
  Shared& shared_;
  int root_fd_ = -1;
  dev_t root_dev_ = 0;
};

// Walk order: a directory before its contents, siblings by name; the order of a sequential
// depth-first walk over sorted names. '/' sorts before every other byte so that "a/b" comes
// right after "a" and before "a-b".
bool walk_order(const std::string& a, const std::string& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    if (a[i] == '/') return true;
    if (b[i] == '/') return false;
    return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  }
  return a.size() < b.size();
}

// The directories still to visit, the partial results of those visited, and how far the walk is;
// worked through by `threads` threads (the calling one among them).
class Scheduler {
 public:
  Scheduler(Shared& shared, std::size_t threads) : shared_(shared), threads_(std::max<std::size_t>(1, threads)) {}

  std::vector<std::pair<std::string, WalkResult>> run() {
    pending_.push_back({"", 0, 0});
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < threads_; ++i) workers.emplace_back([this] { work(); });
    work();
    for (std::thread& t : workers) t.join();
    if (shared_.options.progress) {
      progress_.done = progress_.total;
      progress_.current.clear();
      shared_.options.progress(progress_);
    }
    return std::move(done_);
  }

 private:
  struct Pending {
    std::string dir;
    std::size_t depth;
    std::size_t top;  // which of the root's subdirectories it lies in (1-based; 0: the root)
  };

  void work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ready_.wait(lock, [this] { return !pending_.empty() || active_ == 0; });
      if (pending_.empty()) {
        ready_.notify_all();
        return;
      }
      Pending next = std::move(pending_.back());
      pending_.pop_back();
      ++active_;
      if (shared_.options.progress && next.depth > 0) {
        progress_.current = next.dir;
        shared_.options.progress(progress_);
      }
      lock.unlock();

      WalkResult partial;
      std::vector<std::string> subdirs = Walk(shared_, partial).visit(next.dir, next.depth);

      lock.lock();
      --active_;
      progress_.files += partial.counters["files"];
      if (next.depth == 0) {
        progress_.total = subdirs.size();
        outstanding_.assign(subdirs.size() + 1, 0);
      }
      for (std::size_t i = subdirs.size(); i-- > 0;) {
        const std::size_t top = next.depth == 0 ? i + 1 : next.top;
        ++outstanding_[top];
        pending_.push_back({std::move(subdirs[i]), next.depth + 1, top});
      }
      if (next.top > 0 && --outstanding_[next.top] == 0) ++progress_.done;
      done_.emplace_back(std::move(next.dir), std::move(partial));
      ready_.notify_all();
    }
  }

  Shared& shared_;
  std::size_t threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Pending> pending_;  // a stack: depth first, so memory stays proportional to depth
  std::size_t active_ = 0;
  std::vector<std::uint64_t> outstanding_;  // per top-level subdirectory: directories not yet visited
  WalkProgress progress_;
  std::vector<std::pair<std::string, WalkResult>> done_;
};

// The catalogers' finish steps, over the whole result.
void finish(const std::vector<Cataloger>& catalogers, WalkResult& result) {
  for (const Cataloger& c : catalogers) {
    if (!c.finish) continue;
    const std::size_t before = result.packages.size();
    c.finish(result.packages);
    result.counters["packages.reconciled"] += before - std::min(before, result.packages.size());
  }
}

}  // namespace

std::string MemoryReader::read(std::uint64_t offset, std::size_t length) const {
  if (offset >= bytes_.size()) return {};
  std::string out(bytes_.substr(static_cast<std::size_t>(offset), length));
  bytes_read_ += out.size();
  return out;
}

std::size_t default_walk_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min<std::size_t>(n, 8);
}

bool glob_match(std::string_view glob, std::string_view path) {
  return match_from(segments(glob), 0, segments(path), 0);
}

WalkResult walk(const std::string& root, const std::vector<Cataloger>& catalogers, const WalkOptions& options) {
  WalkResult result;
  const auto fail = [&](int error) {
    result.error = root;
    result.error += ": ";
    result.error += std::strerror(error);
    return result;
  };
  for (const char* c : kCounters) result.counters[c] = 0;
  struct stat given {};
  if (::stat(root.c_str(), &given) != 0) return fail(errno);
  if (S_ISREG(given.st_mode)) {  // a single file: its folder is the root, the file all it walks
    const std::filesystem::path file(root);
    const std::string parent = file.has_parent_path() ? file.parent_path().string() : std::string(".");
    const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return fail(errno);
    Fd dir_fd(dir);
    Shared shared(catalogers, options, dir_fd.get(), given.st_dev);
    Walk(shared, result).visit_one(dir_fd.get(), file.filename().string(), given);
    result.notes.resize(std::min(result.notes.size(), options.max_notes));
    finish(catalogers, result);
    result.ok = true;
    return result;
  }
  const int raw = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0) return fail(errno);
  Fd root_fd(raw);
  struct stat st {};
  if (::fstat(root_fd.get(), &st) != 0) return fail(errno);
  Shared shared(catalogers, options, root_fd.get(), st.st_dev);
  std::vector<std::pair<std::string, WalkResult>> parts = Scheduler(shared, options.threads).run();
  // Merged in walk order: the same tree gives the same result whatever the number of threads.
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return walk_order(a.first, b.first); });
  for (auto& [dir, part] : parts) {
    for (const auto& [name, value] : part.counters) result.counters[name] += value;
    for (auto& p : part.packages) result.packages.push_back(std::move(p));
    for (auto& e : part.parse_errors) result.parse_errors.push_back(std::move(e));
    for (auto& n : part.notes)
      if (result.notes.size() < options.max_notes) result.notes.push_back(std::move(n));
  }
  finish(catalogers, result);
  result.ok = true;
  return result;
}

}  // namespace herkomst::fs
