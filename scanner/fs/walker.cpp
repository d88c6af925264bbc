#include "scanner/fs/walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
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

std::string joined(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (!out.empty()) out += '/';
  out += name;
  return out;
}

class Walk {
 public:
  Walk(const std::vector<Cataloger>& catalogers, const WalkOptions& options, WalkResult& result)
      : catalogers_(catalogers), options_(options), result_(result) {
    for (const char* c : {"directories", "files", "files.matched", "files.read", "bytes.read", "packages",
                          "packages.skipped", "parse-errors", "skipped.symlink", "skipped.special",
                          "skipped.permission", "skipped.other-filesystem", "skipped.loop", "skipped.too-large",
                          "skipped.depth", "skipped.error"})
      result_.counters[c] = 0;
  }

  void run(int root_fd, dev_t root_dev) {
    root_fd_ = root_fd;
    root_dev_ = root_dev;
    std::vector<std::pair<std::string, std::size_t>> stack{{"", 0}};
    while (!stack.empty()) {
      auto [dir, depth] = std::move(stack.back());
      stack.pop_back();
      std::vector<std::string> subdirs = visit_directory(dir, depth);
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.emplace_back(std::move(*it), depth + 1);
    }
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
    if (!visited_.insert({st.st_dev, st.st_ino}).second) {
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
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(listing)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    if (errno != 0) skip_errno(dir, errno);
    std::sort(names.begin(), names.end());

    for (const std::string& name : names) {
      const std::string path = joined(dir, name);
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

  void visit_file(int dir_fd, const std::string& name, const std::string& path, const struct stat& seen) {
    ++result_.counters["files"];
    std::vector<const Cataloger*> wanting;
    for (const Cataloger& c : catalogers_) {
      if (std::any_of(c.globs.begin(), c.globs.end(), [&](const std::string& g) { return glob_match(g, path); }))
        wanting.push_back(&c);
    }
    if (wanting.empty()) return;
    ++result_.counters["files.matched"];

    // A cataloger that reads whole files does not get one larger than its limit.
    const auto size = static_cast<std::uint64_t>(seen.st_size);
    std::vector<const Cataloger*> taking;
    for (const Cataloger* c : wanting) {
      if (size <= c->max_bytes || c->header_only) {
        taking.push_back(c);
        continue;
      }
      std::string detail = std::to_string(size);
      detail += " bytes, limit ";
      detail += std::to_string(c->max_bytes);
      skip(path, "skipped.too-large", std::move(detail));
    }
    if (taking.empty()) return;
    std::uint64_t limit = 0;
    for (const Cataloger* c : taking) limit = std::max(limit, c->max_bytes);

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
    // Read at most limit + 1 bytes: one more than the limit tells a file that grew.
    std::string content;
    content.resize(static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(opened.st_size), limit) + 1));
    std::size_t got = 0;
    while (got < content.size()) {
      const ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        skip_errno(path, errno);
        return;
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    content.resize(got);
    ++result_.counters["files.read"];
    result_.counters["bytes.read"] += got;

    for (const Cataloger* c : taking) {
      std::string_view view = content;
      if (view.size() > c->max_bytes) {
        if (!c->header_only) {
          skip(path, "skipped.too-large", "grew while reading");
          continue;
        }
        view = view.substr(0, static_cast<std::size_t>(c->max_bytes));
      }
      ParseResult parsed = c->parse(view, path);
      result_.counters["packages"] += parsed.packages.size();
      result_.counters["packages.skipped"] += parsed.skipped;
      result_.counters["parse-errors"] += parsed.errors.size() + parsed.errors_dropped;
      for (auto& p : parsed.packages) result_.packages.push_back(std::move(p));
      for (auto& e : parsed.errors) result_.parse_errors.push_back(std::move(e));
    }
  }

  const std::vector<Cataloger>& catalogers_;
  const WalkOptions& options_;
  WalkResult& result_;
  int root_fd_ = -1;
  dev_t root_dev_ = 0;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

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
  const int raw = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0) return fail(errno);
  Fd root_fd(raw);
  struct stat st {};
  if (::fstat(root_fd.get(), &st) != 0) return fail(errno);
  Walk(catalogers, options, result).run(root_fd.get(), st.st_dev);
  result.ok = true;
  return result;
}

}  // namespace herkomst::fs
