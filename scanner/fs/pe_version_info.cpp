#include "scanner/fs/pe_version_info.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::fs {

namespace {

constexpr std::uint32_t kRtVersion = 16;
constexpr std::uint32_t kSubdirectory = 0x80000000u;
constexpr std::uint32_t kFixedSignature = 0xFEEF04BDu;
constexpr std::size_t kFixedSize = 52;
constexpr std::size_t kMaxBlocks = 1024;  // children of one block looked at

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// UTF-16LE code units from `at` up to a NUL or `end`; `after` is set past the NUL (or to end).
std::string utf16_string(std::string_view b, std::size_t at, std::size_t end, std::size_t& after) {
  std::string out;
  std::size_t i = at;
  while (i + 2 <= end) {
    std::uint32_t unit = le16(b, i);
    i += 2;
    if (unit == 0) break;
    if (unit >= 0xD800 && unit < 0xDC00 && i + 2 <= end && le16(b, i) >= 0xDC00 && le16(b, i) < 0xE000) {
      unit = 0x10000 + ((unit - 0xD800) << 10) + (le16(b, i) - 0xDC00);
      i += 2;
    } else if (unit >= 0xD800 && unit < 0xE000) {
      unit = 0xFFFD;  // a lone surrogate
    }
    append_utf8(out, unit);
  }
  after = i;
  return out;
}

std::size_t align4(std::size_t at) { return (at + 3) & ~static_cast<std::size_t>(3); }

// One version block: {wLength, wValueLength, wType, szKey, padding, Value, padding, Children}.
struct Block {
  std::string key;
  std::size_t value_at = 0, value_end = 0;  // the value's bytes (text values: up to the block end)
  std::size_t children_at = 0, end = 0;
};

std::variant<Block, PeError> read_block(std::string_view b, std::size_t at, std::size_t limit) {
  if (at + 6 > limit) return PeError{at, "truncated version block header"};
  const std::size_t length = le16(b, at);
  const std::size_t value_length = le16(b, at + 2);
  const std::uint16_t type = le16(b, at + 4);
  if (length < 6 || at + length > limit) return PeError{at, pe_concat("version block length ", std::to_string(length))};
  Block block;
  block.end = at + length;
  std::size_t after = 0;
  block.key = utf16_string(b, at + 6, block.end, after);
  block.value_at = std::min(align4(after), block.end);
  const std::size_t value_bytes = type == 1 ? value_length * 2 : value_length;
  block.value_end = std::min(block.value_at + value_bytes, block.end);
  block.children_at = std::min(align4(block.value_end), block.end);
  return block;
}

// The children of a block, each a Block; stops at the first broken one (reported).
std::variant<std::vector<Block>, PeError> children(std::string_view b, const Block& parent) {
  std::vector<Block> out;
  std::size_t at = parent.children_at;
  while (at + 6 <= parent.end && out.size() < kMaxBlocks) {
    auto child = read_block(b, at, parent.end);
    if (auto* e = std::get_if<PeError>(&child)) return *e;
    out.push_back(std::get<Block>(std::move(child)));
    at = align4(out.back().end);  // end > at: always advances
  }
  return out;
}

void read_fixed(std::string_view b, const Block& root, PeVersionInfo& info) {
  if (root.value_end - root.value_at < kFixedSize || le32(b, root.value_at) != kFixedSignature) return;
  const std::size_t v = root.value_at;
  PeFixedVersion fixed;
  const auto split = [](std::uint32_t ms, std::uint32_t ls, std::uint16_t (&out)[4]) {
    out[0] = static_cast<std::uint16_t>(ms >> 16);
    out[1] = static_cast<std::uint16_t>(ms & 0xFFFF);
    out[2] = static_cast<std::uint16_t>(ls >> 16);
    out[3] = static_cast<std::uint16_t>(ls & 0xFFFF);
  };
  split(le32(b, v + 8), le32(b, v + 12), fixed.file);
  split(le32(b, v + 16), le32(b, v + 20), fixed.product);
  info.fixed = fixed;
}

bool english(const std::string& table_key) {
  return table_key.size() >= 4 && (table_key.compare(0, 4, "0409") == 0);
}

// StringFileInfo -> the StringTable to use (0409 when there are several and one is English).
std::optional<PeError> read_strings(std::string_view b, const Block& string_file_info, PeVersionInfo& info) {
  auto tables = children(b, string_file_info);
  if (auto* e = std::get_if<PeError>(&tables)) return *e;
  const auto& list = std::get<std::vector<Block>>(tables);
  if (list.empty()) return std::nullopt;
  const Block* chosen = &list.front();
  for (const Block& t : list) {
    if (english(t.key)) {
      chosen = &t;
      break;
    }
  }
  info.language = chosen->key;
  auto strings = children(b, *chosen);
  if (auto* e = std::get_if<PeError>(&strings)) return *e;
  for (const Block& s : std::get<std::vector<Block>>(strings)) {
    if (info.strings.size() >= kPeMaxVersionStrings) break;
    std::size_t after = 0;
    std::string value = utf16_string(b, s.value_at, s.end, after);  // text up to its NUL
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    if (!s.key.empty()) info.strings.emplace(s.key, std::move(value));
  }
  return std::nullopt;
}

// A resource directory table: {characteristics, time, major, minor, named count, id count} then
// entries {name or id, offset (high bit: a subdirectory)}.
struct DirectoryEntry {
  std::uint32_t id = 0;
  bool named = false;
  bool subdirectory = false;
  std::uint32_t offset = 0;  // from the start of the resource section
};

class ResourceTree {
 public:
  ResourceTree(const FileReader& file, std::uint64_t base, std::uint32_t size) : file_(file), base_(base), size_(size) {}

  std::variant<std::vector<DirectoryEntry>, PeError> directory(std::uint32_t offset) {
    if (!visited_.insert(offset).second) return PeError{base_ + offset, "resource directory loop"};
    if (static_cast<std::uint64_t>(offset) + 16 > size_) return PeError{base_ + offset, "resource directory outside the section"};
    const std::string head = file_.read(base_ + offset, 16);
    if (head.size() < 16) return PeError{base_ + offset, "truncated resource directory"};
    const std::size_t count = static_cast<std::size_t>(le16(head, 12)) + le16(head, 14);
    const std::size_t fits = (size_ - offset - 16) / 8;
    const std::size_t n = std::min({count, fits, kPeMaxResourceEntries});
    const std::string table = file_.read(base_ + offset + 16, n * 8);
    if (table.size() < n * 8) return PeError{base_ + offset + 16 + table.size(), "truncated resource directory entries"};
    std::vector<DirectoryEntry> out;
    out.reserve(n);
    const std::size_t named = le16(head, 12);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t name = le32(table, i * 8);
      const std::uint32_t target = le32(table, i * 8 + 4);
      out.push_back({name, i < named, (target & kSubdirectory) != 0, target & ~kSubdirectory});
    }
    return out;
  }

  std::uint64_t at(std::uint32_t offset) const { return base_ + offset; }
  std::uint32_t size() const { return size_; }

 private:
  const FileReader& file_;
  std::uint64_t base_;
  std::uint32_t size_;
  std::set<std::uint32_t> visited_;
};

// The first subdirectory entry, by id when given.
std::optional<DirectoryEntry> pick(const std::vector<DirectoryEntry>& entries, std::optional<std::uint32_t> id) {
  for (const DirectoryEntry& e : entries) {
    if (id && (e.named || e.id != *id)) continue;
    return e;
  }
  return std::nullopt;
}

}  // namespace

std::string to_string(const std::uint16_t (&version)[4]) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out += '.';
    out += std::to_string(version[i]);
  }
  return out;
}

std::variant<PeVersionInfo, PeError> parse_version_info(std::string_view b) {
  auto root = read_block(b, 0, b.size());
  if (auto* e = std::get_if<PeError>(&root)) return *e;
  const Block& block = std::get<Block>(root);
  if (block.key != "VS_VERSION_INFO") return PeError{6, pe_concat("version block key \"", block.key, "\"")};
  PeVersionInfo info;
  read_fixed(b, block, info);
  auto kids = children(b, block);
  if (auto* e = std::get_if<PeError>(&kids)) return *e;
  for (const Block& child : std::get<std::vector<Block>>(kids)) {
    if (child.key != "StringFileInfo") continue;  // VarFileInfo: the translations, not used
    if (auto error = read_strings(b, child, info)) return *error;
    break;
  }
  return info;
}

std::variant<std::optional<PeVersionInfo>, PeError> read_version_info(const FileReader& file, const PeFile& pe) {
  if (pe.resource.address == 0 || pe.resource.size < 16) return std::optional<PeVersionInfo>{};
  const auto base = pe.file_offset(pe.resource.address, 16);
  if (!base) return PeError{0, "resource table RVA not in any section"};
  // The tree's extent: the directory's size, clipped to what the section holds in the file.
  const auto size = static_cast<std::uint32_t>(std::min<std::uint64_t>(pe.resource.size, pe.backed_bytes(pe.resource.address)));
  ResourceTree tree(file, *base, size);

  std::uint32_t offset = 0;
  for (int level = 0; level < 3; ++level) {  // type, name, language
    auto entries = tree.directory(offset);
    if (auto* e = std::get_if<PeError>(&entries)) return *e;
    const auto& list = std::get<std::vector<DirectoryEntry>>(entries);
    const auto entry = pick(list, level == 0 ? std::optional<std::uint32_t>(kRtVersion) : std::nullopt);
    if (!entry) {
      if (level == 0) return std::optional<PeVersionInfo>{};
      return PeError{tree.at(offset), "empty resource directory"};
    }
    if (level < 2 && !entry->subdirectory) return PeError{tree.at(offset), "resource data entry where a directory must be"};
    if (level == 2 && entry->subdirectory) return PeError{tree.at(offset), "resource directory where a data entry must be"};
    offset = entry->offset;
  }
  if (static_cast<std::uint64_t>(offset) + 16 > tree.size()) return PeError{tree.at(offset), "resource data entry outside the section"};
  const std::string data_entry = file.read(tree.at(offset), 16);
  if (data_entry.size() < 16) return PeError{tree.at(offset), "truncated resource data entry"};
  const std::uint32_t rva = le32(data_entry, 0);
  const std::uint32_t length = le32(data_entry, 4);
  if (length > kPeMaxVersionInfoBytes) return PeError{tree.at(offset) + 4, pe_concat("version resource of ", std::to_string(length), " bytes")};
  const auto where = pe.file_offset(rva, length);
  if (!where) return PeError{tree.at(offset), "version resource RVA not in the file"};
  const std::string bytes = file.read(*where, length);
  auto parsed = parse_version_info(bytes);
  if (auto* e = std::get_if<PeError>(&parsed)) return PeError{*where + e->offset, e->message};
  return std::optional<PeVersionInfo>(std::get<PeVersionInfo>(std::move(parsed)));
}

}  // namespace herkomst::fs
