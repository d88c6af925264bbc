#include "scanner/fs/archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <memory>

namespace herkomst::fs {

namespace {

// The formats recognised as archives: a name ending, or magic bytes at an offset.
struct ArchiveSuffix {
  std::string_view suffix;
};
constexpr std::array kArchiveSuffixes{
    ArchiveSuffix{".tar"}, ArchiveSuffix{".tar.gz"}, ArchiveSuffix{".tgz"}, ArchiveSuffix{".tar.xz"},
    ArchiveSuffix{".txz"}, ArchiveSuffix{".tar.bz2"}, ArchiveSuffix{".tbz2"}, ArchiveSuffix{".tar.zst"},
    ArchiveSuffix{".zip"}, ArchiveSuffix{".cpio"}, ArchiveSuffix{".7z"}, ArchiveSuffix{".iso"},
    ArchiveSuffix{".rar"}, ArchiveSuffix{".ar"}, ArchiveSuffix{".cab"}, ArchiveSuffix{".xar"},
    ArchiveSuffix{".egg"}};  // a zipped Python install: its EGG-INFO/PKG-INFO is the python cataloger's
struct ArchiveMagic {
  std::size_t offset;
  std::string_view bytes;
};
constexpr std::array kArchiveMagic{
    ArchiveMagic{0, "PK\x03\x04"},          ArchiveMagic{0, "\x1f\x8b"},          // zip, gzip
    ArchiveMagic{0, "\xfd" "7zXZ"},         ArchiveMagic{0, "BZh"},               // xz, bzip2
    ArchiveMagic{0, "\x28\xb5\x2f\xfd"},    ArchiveMagic{0, "7z\xbc\xaf\x27\x1c"},  // zstd, 7z
    ArchiveMagic{0, "070701"},              ArchiveMagic{0, "070707"},            // cpio newc, odc
    ArchiveMagic{257, "ustar"}};                                                  // tar

constexpr std::size_t kBlock = 64 * 1024;

struct Source {
  const FileReader& file;
  std::uint64_t offset = 0;
  std::string buffer;
};

la_ssize_t read_cb(archive*, void* data, const void** out) {
  auto& s = *static_cast<Source*>(data);
  s.buffer = s.file.read(s.offset, kBlock);
  s.offset += s.buffer.size();
  *out = s.buffer.data();
  return static_cast<la_ssize_t>(s.buffer.size());
}

la_int64_t skip_cb(archive*, void* data, la_int64_t request) {
  auto& s = *static_cast<Source*>(data);
  const auto left = s.file.size() > s.offset ? s.file.size() - s.offset : 0;
  const auto step = std::min<std::uint64_t>(left, static_cast<std::uint64_t>(std::max<la_int64_t>(request, 0)));
  s.offset += step;
  return static_cast<la_int64_t>(step);
}

la_int64_t seek_cb(archive*, void* data, la_int64_t offset, int whence) {
  auto& s = *static_cast<Source*>(data);
  const auto size = static_cast<la_int64_t>(s.file.size());
  la_int64_t target = whence == SEEK_SET ? offset : whence == SEEK_CUR ? static_cast<la_int64_t>(s.offset) + offset
                                                                      : size + offset;
  if (target < 0 || target > size) return ARCHIVE_FATAL;
  s.offset = static_cast<std::uint64_t>(target);
  return target;
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

bool ends_with(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  auto tail = text.substr(text.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? a + 32 : a) == b;
  });
}

class Reading {
 public:
  Reading(const FileReader& file, const ArchiveLimits& limits, ArchiveReadResult& result)
      : file_(file), limits_(limits), result_(result) {}

  void note(std::string member, const char* reason, std::string detail = {}) {
    result_.notes.push_back({std::move(member), reason, std::move(detail)});
  }

  // Accounts `n` more uncompressed bytes; false (with a note) when a limit is passed.
  bool account(std::uint64_t n, const std::string& member) {
    result_.bytes += n;
    if (result_.bytes > limits_.max_total_bytes) {
      note(member, "skipped.archive-total", std::to_string(result_.bytes) + " bytes uncompressed");
      return false;
    }
    if (result_.bytes > limits_.ratio_grace_bytes && result_.bytes / std::max<std::uint64_t>(file_.size(), 1) > limits_.max_ratio) {
      note(member, "skipped.archive-ratio", std::to_string(result_.bytes) + " bytes from " + std::to_string(file_.size()));
      return false;
    }
    return true;
  }

  // Reads the current member's data; false stops the archive.
  bool read_member(archive* a, const std::string& name, std::string& content, bool& fits) {
    fits = true;
    std::array<char, kBlock> block{};
    while (true) {
      const la_ssize_t n = archive_read_data(a, block.data(), block.size());
      if (n == 0) return true;
      if (n < 0) {
        note(name, "archive.error", archive_error_string(a) ? archive_error_string(a) : "read error");
        return false;
      }
      if (!account(static_cast<std::uint64_t>(n), name)) return false;
      if (content.size() + static_cast<std::size_t>(n) > limits_.max_member_bytes) {
        fits = false;
        content.clear();
        content.shrink_to_fit();
      }
      if (fits) content.append(block.data(), static_cast<std::size_t>(n));
    }
  }

  void run(const MemberWanted& want, const MemberVisit& visit) {
    std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
    if (!a) return;
    archive_read_support_filter_all(a.get());
    archive_read_support_format_all(a.get());
    Source source{file_, 0, {}};
    archive_read_set_callback_data(a.get(), &source);
    archive_read_set_read_callback(a.get(), read_cb);
    archive_read_set_skip_callback(a.get(), skip_cb);
    archive_read_set_seek_callback(a.get(), seek_cb);
    if (archive_read_open1(a.get()) != ARCHIVE_OK) return;
    result_.opened = true;
    archive_entry* entry = nullptr;
    std::string last;
    while (true) {
      const int rc = archive_read_next_header(a.get(), &entry);
      if (rc == ARCHIVE_EOF) return;
      if (rc < ARCHIVE_WARN) {
        std::string detail = "after member '" + last + "': ";
        detail += archive_error_string(a.get()) ? archive_error_string(a.get()) : "bad header";
        note(last, "archive.error", std::move(detail));
        return;
      }
      if (++result_.members > limits_.max_members) {
        note({}, "skipped.archive-members", std::to_string(limits_.max_members) + " members read");
        return;
      }
      const char* raw = archive_entry_pathname(entry);
      bool traversal = false;
      const std::string name = sanitise_member_name(raw ? raw : "", traversal);
      last = name;
      if (traversal) note(name, "archive.path-traversal", raw ? raw : "");
      if (archive_entry_filetype(entry) != AE_IFREG || name.empty()) continue;
      const auto declared = archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
      if (!want(name)) {
        if (!account(declared, name)) return;  // skipping may still decompress it
        continue;
      }
      if (declared > limits_.max_member_bytes) {
        note(name, "skipped.archive-member-size", std::to_string(declared) + " bytes");
        if (!account(declared, name)) return;
        continue;
      }
      std::string content;
      bool fits = true;
      const bool go_on = read_member(a.get(), name, content, fits);
      if (!fits) {
        note(name, "skipped.archive-member-size", "more than " + std::to_string(limits_.max_member_bytes) + " bytes");
      } else if (go_on) {
        visit(name, content);
      }
      if (!go_on) return;
    }
  }

 private:
  const FileReader& file_;
  const ArchiveLimits& limits_;
  ArchiveReadResult& result_;
};

}  // namespace

bool archive_by_name(std::string_view path) {
  return std::any_of(kArchiveSuffixes.begin(), kArchiveSuffixes.end(),
                     [&](const ArchiveSuffix& s) { return ends_with(path, s.suffix); });
}

bool looks_like_archive(std::string_view path, std::string_view head) {
  if (archive_by_name(path)) return true;
  return std::any_of(kArchiveMagic.begin(), kArchiveMagic.end(), [&](const ArchiveMagic& m) {
    return head.size() >= m.offset + m.bytes.size() && head.substr(m.offset, m.bytes.size()) == m.bytes;
  });
}

std::string sanitise_member_name(std::string_view name, bool& traversal) {
  traversal = !name.empty() && name.front() == '/';
  std::vector<std::string_view> kept;
  while (!name.empty()) {
    const auto slash = name.find('/');
    const std::string_view segment = name.substr(0, slash);
    name.remove_prefix(slash == std::string_view::npos ? name.size() : slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      traversal = true;
      continue;
    }
    kept.push_back(segment);
  }
  std::string out;
  for (const auto segment : kept) {
    if (!out.empty()) out += '/';
    out += segment;
  }
  return out;
}

ArchiveReadResult read_archive(const FileReader& archive, const ArchiveLimits& limits, const MemberWanted& want,
                               const MemberVisit& visit) {
  ArchiveReadResult result;
  Reading(archive, limits, result).run(want, visit);
  return result;
}

}  // namespace herkomst::fs
