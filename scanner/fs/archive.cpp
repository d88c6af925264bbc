#include "scanner/fs/archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

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
// Each within kArchiveProbeBytes; long enough that a text or binary file seldom starts with one by
// chance (gzip with its deflate method byte, bzip2 with its block magic). ISO 9660's "CD001" lies
// at 32769, past the probe: an image is recognised by its name only.
// Formats: https://www.rfc-editor.org/rfc/rfc1952 (gzip), https://tukaani.org/xz/xz-file-format.txt,
// https://github.com/facebook/zstd/blob/dev/doc/zstd_compression_format.md,
// https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md, APPNOTE.TXT 4.3.7 (zip),
// https://www.gnu.org/software/tar/manual/html_node/Standard.html (ustar at 257), cpio(5).
constexpr std::array kArchiveMagic{
    ArchiveMagic{0, "PK\x03\x04"},          ArchiveMagic{0, "\x1f\x8b\x08"},      // zip, gzip (deflate)
    ArchiveMagic{0, "\xfd" "7zXZ\x00"},     ArchiveMagic{4, "1AY&SY"},            // xz, bzip2 ("BZh" checked below)
    ArchiveMagic{0, "\x28\xb5\x2f\xfd"},    ArchiveMagic{0, "7z\xbc\xaf\x27\x1c"},  // zstd, 7z
    ArchiveMagic{0, "\x04\x22\x4d\x18"},    ArchiveMagic{0, "Rar!\x1a\x07"},      // lz4 frame, rar
    ArchiveMagic{0, "070701"},              ArchiveMagic{0, "070707"},            // cpio newc, odc
    ArchiveMagic{0, "070702"},              ArchiveMagic{257, "ustar"},           // cpio crc, tar
    ArchiveMagic{0, "MSCF\0\0\0\0"},        ArchiveMagic{0, "xar!"}};             // cab, xar

// Name endings of files not probed for archive magic bytes: source, text, images, bytecode and
// object code, which make up most of a root filesystem (on Debian 12's /usr, 110,000 of the
// 150,000 files no cataloger takes), and ".sym" for the JDK's lib/ct.sym (a zip of 15,000-20,000
// class signatures, nothing to catalogue, that alone cost a tenth of the walk of /usr). A blob
// disguised under one of these names is missed.
constexpr std::array<std::string_view, 45> kNotProbedSuffixes{
    ".py", ".pyc", ".pyi", ".h", ".hpp", ".hh", ".c", ".cc", ".cpp", ".go", ".rs", ".java", ".class", ".js", ".ts",
    ".pl", ".pm", ".rb", ".lua", ".el", ".elc", ".vim", ".sh", ".inc", ".pas", ".pp", ".ppu", ".cmake", ".txt",
    ".rst", ".md", ".html", ".css", ".json", ".yaml", ".yml", ".xml", ".svg", ".png", ".mo", ".po", ".o", ".bc", ".ko",
    ".sym"};

// The name endings of a single compressed stream (not a tar), dropped to name its one member.
constexpr std::array<std::string_view, 8> kCompressedSuffixes{".gz", ".xz", ".bz2", ".zst", ".lz4", ".lzma", ".z", ".lz"};

// The formats and filters libarchive is asked for: named one by one rather than "_all", which
// would add mtree (a text format: any text file "opens" as one) and filters that run external
// programs (lrzip, lzop, grzip). `raw` comes last, for a single compressed stream.
using SupportFunction = int (*)(archive*);
constexpr std::array<SupportFunction, 11> kFormats{
    archive_read_support_format_tar,  archive_read_support_format_zip,  archive_read_support_format_cpio,
    archive_read_support_format_7zip, archive_read_support_format_iso9660, archive_read_support_format_rar,
    archive_read_support_format_rar5, archive_read_support_format_ar,   archive_read_support_format_cab,
    archive_read_support_format_xar,  archive_read_support_format_lha};
constexpr std::array<SupportFunction, 8> kFilters{
    archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
    archive_read_support_filter_lzma, archive_read_support_filter_zstd,  archive_read_support_filter_lz4,
    archive_read_support_filter_compress, archive_read_support_filter_lzip};

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
  Reading(const FileReader& file, const ArchiveLimits& limits, std::string raw_name, ArchiveReadResult& result)
      : file_(file), limits_(limits), raw_name_(std::move(raw_name)), result_(result) {}

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
  // Appends to `content` (which may hold a peek at the start already).
  // The rest of the current member appended to `content` (its first bytes, when peeked), read
  // straight into it: `declared` (the size its header gives, 0 when unknown) is reserved up front.
  bool read_member(archive* a, const std::string& name, std::uint64_t declared, std::string& content, bool& fits) {
    fits = content.size() <= limits_.max_member_bytes;
    if (fits && declared > content.size()) content.reserve(static_cast<std::size_t>(std::min(declared, limits_.max_member_bytes)));
    std::array<char, kBlock> block{};
    while (true) {
      const std::size_t at = content.size();
      if (fits) content.resize(at + kBlock);
      const la_ssize_t n = archive_read_data(a, fits ? content.data() + at : block.data(), kBlock);
      if (fits) content.resize(at + static_cast<std::size_t>(std::max<la_ssize_t>(n, 0)));
      if (n == 0) return true;
      if (n < 0) {
        note(name, "archive.error", archive_error_string(a) ? archive_error_string(a) : "read error");
        return false;
      }
      if (!account(static_cast<std::uint64_t>(n), name)) return false;
      if (fits && content.size() > limits_.max_member_bytes) {
        fits = false;
        content.clear();
        content.shrink_to_fit();
      }
    }
  }

  // The first kArchiveProbeBytes of the current member (fewer when it is shorter); false when
  // the data cannot be read or a limit is passed.
  bool peek(archive* a, const std::string& name, std::string& head) {
    std::array<char, kArchiveProbeBytes> block{};
    while (head.size() < kArchiveProbeBytes) {
      const la_ssize_t n = archive_read_data(a, block.data(), kArchiveProbeBytes - head.size());
      if (n == 0) return true;
      if (n < 0) {
        note(name, "archive.error", archive_error_string(a) ? archive_error_string(a) : "read error");
        return false;
      }
      if (!account(static_cast<std::uint64_t>(n), name)) return false;
      head.append(block.data(), static_cast<std::size_t>(n));
    }
    return true;
  }

  // An archive or compressed stream that cannot be opened: libarchive's reason, noted.
  void note_corrupt(archive* a) {
    if (const char* error = archive_error_string(a)) note({}, "archive.error", error);
  }

  void run(const MemberWanted& want, const MemberHeadWanted& want_head, const MemberVisit& visit) {
    std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
    if (!a) return;
    for (const SupportFunction support : kFilters) support(a.get());
    for (const SupportFunction support : kFormats) support(a.get());
    archive_read_support_format_raw(a.get());
    Source source{file_, 0, {}};
    archive_read_set_callback_data(a.get(), &source);
    archive_read_set_read_callback(a.get(), read_cb);
    archive_read_set_skip_callback(a.get(), skip_cb);
    archive_read_set_seek_callback(a.get(), seek_cb);
    if (archive_read_open1(a.get()) != ARCHIVE_OK) {
      note_corrupt(a.get());
      return;
    }
    archive_entry* entry = nullptr;
    std::string last;
    for (bool first = true;; first = false) {
      const int rc = archive_read_next_header(a.get(), &entry);
      if (first) {
        // `raw` takes any input: it is an archive only when a filter decompressed it.
        result_.raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
        if (result_.raw && archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_NONE) return;
        if (rc < ARCHIVE_WARN && archive_format(a.get()) == 0) {  // no format could read it
          note_corrupt(a.get());
          return;
        }
        result_.opened = true;
      }
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
      const char* raw = result_.raw ? raw_name_.c_str() : archive_entry_pathname(entry);
      bool traversal = false;
      const std::string name = sanitise_member_name(raw ? raw : "", traversal);
      if (result_.raw) archive_entry_set_filetype(entry, AE_IFREG);
      last = name;
      if (traversal) note(name, "archive.path-traversal", raw ? raw : "");
      if (archive_entry_filetype(entry) != AE_IFREG || name.empty()) continue;
      const auto declared = archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
      const auto perm = archive_entry_perm(entry);
      const ArchiveMember member{name, result_.raw || perm == 0 || (perm & 0111) != 0};
      // With `want_head`, the first bytes of a member wanted by name are read (decompressed) for
      // it to look at: most members of a firmware archive are wanted by no cataloger's magic
      // bytes, and the rest of them is then skipped, not read.
      std::string content;
      bool wanted = want(member);
      if (wanted && want_head) {
        if (!peek(a.get(), name, content)) return;
        wanted = want_head(member, content);
      }
      if (!wanted) {
        if (!account(declared > content.size() ? declared - content.size() : 0, name)) return;  // skipping may still decompress it
        continue;
      }
      if (declared > limits_.max_member_bytes) {
        note(name, "skipped.archive-member-size", std::to_string(declared) + " bytes");
        if (!account(declared - content.size(), name)) return;
        continue;
      }
      bool fits = true;
      const bool go_on = read_member(a.get(), name, declared, content, fits);
      if (!fits) {
        note(name, "skipped.archive-member-size", "more than " + std::to_string(limits_.max_member_bytes) + " bytes");
      } else if (go_on) {
        visit(member, content);
      }
      if (!go_on) return;
    }
  }

 private:
  const FileReader& file_;
  const ArchiveLimits& limits_;
  std::string raw_name_;
  ArchiveReadResult& result_;
};

}  // namespace

bool archive_by_name(std::string_view path) {
  return std::any_of(kArchiveSuffixes.begin(), kArchiveSuffixes.end(),
                     [&](const ArchiveSuffix& s) { return ends_with(path, s.suffix); });
}

bool archive_by_magic(std::string_view head) {
  return std::any_of(kArchiveMagic.begin(), kArchiveMagic.end(), [&](const ArchiveMagic& m) {
    if (head.size() < m.offset + m.bytes.size() || head.substr(m.offset, m.bytes.size()) != m.bytes) return false;
    // bzip2: "BZh" and a block size digit before the block magic
    return m.offset != 4 || (head.substr(0, 3) == "BZh" && head[3] >= '1' && head[3] <= '9');
  });
}

bool probed_for_archive(std::string_view path) {
  return std::none_of(kNotProbedSuffixes.begin(), kNotProbedSuffixes.end(),
                      [&](std::string_view suffix) { return ends_with(path, suffix); });
}

bool looks_like_archive(std::string_view path, std::string_view head) {
  return archive_by_name(path) || archive_by_magic(head);
}

std::string compressed_member_name(std::string_view path) {
  const auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const std::string_view suffix : kCompressedSuffixes) {
    if (name.size() > suffix.size() && ends_with(name, suffix)) return std::string(name.substr(0, name.size() - suffix.size()));
  }
  return std::string(name);
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
                               const MemberVisit& visit, std::string raw_name, const MemberHeadWanted& want_head) {
  ArchiveReadResult result;
  Reading(archive, limits, std::move(raw_name), result).run(want, want_head, visit);
  return result;
}

}  // namespace herkomst::fs
