#include "scanner/fs/rpm_bdb.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace herkomst::fs {

namespace {

constexpr std::uint32_t kHashMagic = 0x061561;
constexpr unsigned char kPageHashUnsorted = 2, kPageOverflow = 7, kPageHashMeta = 8, kPageHash = 13;
constexpr unsigned char kItemKeyData = 1, kItemOffPage = 3;
constexpr std::size_t kPageHeaderBytes = 26, kChecksumBytes = 6, kMetaBytes = 512;
constexpr std::size_t kOffPageBytes = 12;  // type, 3 unused, first page, total length

// The open database: its byte order, page size and the pages the file holds.
class BdbFile {
 public:
  BdbFile(const FileReader& file, bool big_endian, std::uint32_t page_size, std::uint64_t pages, std::size_t overhead)
      : file_(file), big_endian_(big_endian), page_size_(page_size), pages_(pages), overhead_(overhead) {}

  std::uint32_t u32(std::string_view b, std::size_t at) const {
    const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
    return big_endian_ ? (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3]
                       : (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
  }
  std::uint16_t u16(std::string_view b, std::size_t at) const {
    const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
    return static_cast<std::uint16_t>(big_endian_ ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0]);
  }
  std::string page(std::uint64_t pgno, std::size_t length) const {
    return file_.read(pgno * page_size_, length);
  }
  std::uint32_t page_size() const { return page_size_; }
  std::uint64_t pages() const { return pages_; }
  std::size_t overhead() const { return overhead_; }

 private:
  const FileReader& file_;
  bool big_endian_;
  std::uint32_t page_size_;
  std::uint64_t pages_;
  std::size_t overhead_;
};

std::string at_page(std::uint64_t pgno, std::string_view what) {
  std::string message = "page ";
  message += std::to_string(pgno);
  message += ": ";
  message += what;
  return message;
}

// The value of an off-page item: `length` bytes on the chain of overflow pages from `first`.
std::optional<std::string> read_overflow(const BdbFile& db, std::uint32_t first, std::uint32_t length,
                                         std::string& error) {
  if (length > kRpmBdbMaxHeaderBytes) {
    error = "header blob larger than the limit";
    return std::nullopt;
  }
  const std::size_t room = db.page_size() - db.overhead();
  const std::uint64_t max_pages = length / room + 2;  // a longer chain loops
  std::string value;
  value.reserve(length);
  std::uint64_t pgno = first, previous = 0, visited = 0;
  while (value.size() < length) {
    if (pgno == 0 || pgno >= db.pages()) {
      error = at_page(pgno, "overflow chain leaves the file before the header blob ends");
      return std::nullopt;
    }
    if (++visited > max_pages) {
      error = at_page(pgno, "overflow chain loops");
      return std::nullopt;
    }
    const std::string page = db.page(pgno, db.page_size());
    if (page.size() < db.page_size() || static_cast<unsigned char>(page[25]) != kPageOverflow) {
      error = at_page(pgno, "not an overflow page");
      return std::nullopt;
    }
    // Berkeley DB links overflow pages both ways: a page that does not name the one before it as
    // its previous page is not where this chain goes (a loop, or a page reused since).
    if (db.u32(page, 12) != previous) {
      error = at_page(pgno, "overflow chain loops or is broken (its previous-page link differs)");
      return std::nullopt;
    }
    const std::size_t used = db.u16(page, 22);
    if (used > room) {
      error = at_page(pgno, "overflow page says it holds more than a page");
      return std::nullopt;
    }
    value.append(page, db.overhead(), std::min<std::size_t>(used, length - value.size()));
    if (used == 0) {
      error = at_page(pgno, "empty overflow page");
      return std::nullopt;
    }
    previous = pgno;
    pgno = db.u32(page, 16);
  }
  return value;
}

// The key/data pairs of one hash page, each header blob parsed at once into `packages` under its
// package number (the blob itself is not kept: a database may hold hundreds of megabytes).
void read_hash_page(const BdbFile& db, std::uint64_t pgno, const std::string& path,
                    std::map<std::uint32_t, ParseResult>& packages, ParseResult& result) {
  const std::string page = db.page(pgno, db.page_size());
  if (page.size() < db.page_size()) return result.error(path, 0, at_page(pgno, "truncated"));
  const std::size_t entries = db.u16(page, 20);
  const std::size_t index_end = db.overhead() + 2 * entries;
  if (entries % 2 != 0 || index_end > page.size())
    return result.error(path, 0, at_page(pgno, "entry count is not a set of key/data pairs on the page"));
  // Item i spans [offset(i), end(i)): end(0) is the page end, end(i) = offset(i-1).
  const auto item = [&](std::size_t i) -> std::optional<std::string_view> {
    const std::size_t begin = db.u16(page, db.overhead() + 2 * i);
    const std::size_t end = i == 0 ? page.size() : db.u16(page, db.overhead() + 2 * (i - 1));
    if (begin < index_end || end > page.size() || begin >= end) return std::nullopt;
    return std::string_view(page).substr(begin, end - begin);
  };
  for (std::size_t i = 0; i < entries; i += 2) {
    const auto key = item(i), data = item(i + 1);
    if (!key || !data) {
      result.error(path, 0, at_page(pgno, "item offsets overlap or leave the page"));
      continue;
    }
    if (static_cast<unsigned char>((*key)[0]) != kItemKeyData || key->size() != 5) {
      result.error(path, 0, at_page(pgno, "a key that is not a 4-byte package number"));
      continue;
    }
    const std::uint32_t hnum = db.u32(*key, 1);
    if (hnum == 0) continue;  // rpm's record of the next package number, not a package
    std::string blob, error;
    const auto type = static_cast<unsigned char>((*data)[0]);
    if (type == kItemKeyData) {
      blob = std::string(data->substr(1));
    } else if (type == kItemOffPage && data->size() >= kOffPageBytes) {
      auto value = read_overflow(db, db.u32(*data, 4), db.u32(*data, 8), error);
      if (!value) {
        std::string message = "Packages hnum ";
        message += std::to_string(hnum);
        message += ": ";
        message += error;
        result.error(path, 0, std::move(message));
        continue;
      }
      blob = std::move(*value);
    } else {
      result.error(path, 0, at_page(pgno, "a data item that is neither inline nor off-page"));
      continue;
    }
    const auto [it, added] = packages.try_emplace(hnum);
    if (!added) {
      std::string message = "package number ";
      message += std::to_string(hnum);
      message += " appears twice; the first is kept";
      result.error(path, 0, at_page(pgno, message));
      continue;
    }
    parse_rpm_header(blob, path, hnum, kRpmBdbCataloger, it->second);
  }
}

}  // namespace

ParseResult parse_rpm_bdb(const FileReader& file, const std::string& path) {
  ParseResult result;
  const std::string meta = file.read(0, kMetaBytes);
  if (meta.size() < kMetaBytes) {
    result.error(path, 0, "shorter than a Berkeley DB meta page");
    return result;
  }
  std::optional<bool> big_endian;
  for (const bool be : {false, true}) {
    if (BdbFile(file, be, 0, 0, 0).u32(meta, 12) == kHashMagic) big_endian = be;
  }
  if (!big_endian) {
    result.error(path, 0, "not a Berkeley DB hash database (magic at offset 12)");
    return result;
  }
  const BdbFile probe(file, *big_endian, 0, 0, 0);
  const std::uint32_t page_size = probe.u32(meta, 20);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    result.error(path, 0, "page size is not a power of two from 512 to 65536");
    return result;
  }
  if (meta[24] != 0) {
    result.error(path, 0, "encrypted Berkeley DB database: not read");
    return result;
  }
  if (static_cast<unsigned char>(meta[25]) != kPageHashMeta) {
    result.error(path, 0, "page 0 is not a hash meta page");
    return result;
  }
  const std::size_t overhead = kPageHeaderBytes + ((meta[26] & 0x01) ? kChecksumBytes : 0);
  const std::uint64_t last = probe.u32(meta, 32);
  const std::uint64_t in_file = file.size() / page_size;
  if (last + 1 > in_file) result.error(path, 0, at_page(last, "the meta page names pages past the end of the file"));
  const BdbFile db(file, *big_endian, page_size, std::min(last + 1, in_file), overhead);

  std::map<std::uint32_t, ParseResult> packages;  // by package number, the order rpm lists them in
  for (std::uint64_t pgno = 1; pgno < db.pages(); ++pgno) {
    const std::string head = db.page(pgno, kPageHeaderBytes);
    if (head.size() < kPageHeaderBytes) break;
    const auto type = static_cast<unsigned char>(head[25]);
    if (type == kPageHash || type == kPageHashUnsorted) read_hash_page(db, pgno, path, packages, result);
    if (file.failed()) break;
  }
  for (auto& [hnum, one] : packages) {
    for (Package& p : one.packages) result.packages.push_back(std::move(p));
    for (ParseError& e : one.errors) result.error(e.file, e.line, std::move(e.message));
    result.skipped += one.skipped;
  }
  return result;
}

}  // namespace herkomst::fs
