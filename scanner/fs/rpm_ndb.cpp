#include "scanner/fs/rpm_ndb.hpp"

#include <algorithm>
#include <map>

namespace herkomst::fs {

namespace {

constexpr std::size_t kHeaderBytes = 32, kSlotBytes = 16, kBlockBytes = 16, kSlotPageBytes = 4096;
constexpr std::size_t kBlobHeadBytes = 16, kBlobTailBytes = 12;

std::uint32_t le32(std::string_view b, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

struct Slot {
  std::uint32_t number, block, blocks;
  std::size_t index;  // the slot's place in the slot pages, for errors
};

std::string slot_text(const Slot& s, std::string_view what) {
  std::string message = "slot ";
  message += std::to_string(s.index);
  message += " (package ";
  message += std::to_string(s.number);
  message += "): ";
  message += what;
  return message;
}

// The header blob a slot points at, checked as rpm's rpmpkgReadBlob checks it; empty (and an
// error reported) when it is not good.
std::string read_blob(const FileReader& file, const Slot& s, const std::string& path, ParseResult& result) {
  const std::uint64_t bytes = std::uint64_t{s.blocks} * kBlockBytes;
  if (bytes < kBlobHeadBytes + kBlobTailBytes || bytes > kRpmNdbMaxHeaderBytes + kBlobHeadBytes + kBlobTailBytes + kBlockBytes) {
    result.error(path, 0, slot_text(s, "block count out of range"));
    return {};
  }
  const std::string blob = file.read(std::uint64_t{s.block} * kBlockBytes, static_cast<std::size_t>(bytes));
  if (blob.size() < bytes) {
    result.error(path, 0, slot_text(s, "blob runs past the end of the file"));
    return {};
  }
  const std::uint32_t length = le32(blob, 12);
  const std::string_view tail = std::string_view(blob).substr(blob.size() - kBlobTailBytes);
  const char* problem = nullptr;
  if (blob.compare(0, 4, "BlbS") != 0) problem = "no blob start marker";
  else if (le32(blob, 4) != s.number) problem = "blob belongs to another package";
  else if ((kBlobHeadBytes + std::uint64_t{length} + kBlobTailBytes + kBlockBytes - 1) / kBlockBytes != s.blocks)
    problem = "blob length does not match the slot's block count";
  else if (tail.substr(8) != "BlbE") problem = "no blob end marker";
  else if (le32(tail, 4) != length) problem = "blob lengths at start and end differ";
  else if (le32(tail, 0) != adler32(std::string_view(blob).substr(0, blob.size() - kBlobTailBytes)))
    problem = "blob checksum (Adler-32) does not match";
  if (problem) {
    result.error(path, 0, slot_text(s, problem));
    return {};
  }
  return blob.substr(kBlobHeadBytes, length);
}

}  // namespace

std::uint32_t adler32(std::string_view bytes, std::uint32_t adler) {
  constexpr std::uint32_t kMod = 65521;
  std::uint32_t a = adler & 0xFFFF, b = adler >> 16;
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 5552);  // no overflow before the modulo
    for (const char c : bytes.substr(0, n)) {
      a += static_cast<unsigned char>(c);
      b += a;
    }
    a %= kMod;
    b %= kMod;
    bytes.remove_prefix(n);
  }
  return (b << 16) | a;
}

ParseResult parse_rpm_ndb(const FileReader& file, const std::string& path) {
  ParseResult result;
  const std::string header = file.read(0, kHeaderBytes);
  if (header.size() < kHeaderBytes || header.compare(0, 4, "RpmP") != 0) {
    result.error(path, 0, "not an rpm ndb database (no \"RpmP\" header)");
    return result;
  }
  if (le32(header, 4) != 0) {
    std::string message = "ndb version ";
    message += std::to_string(le32(header, 4));
    message += " is not version 0";
    result.error(path, 0, std::move(message));
    return result;
  }
  const std::uint64_t slot_pages = le32(header, 12);
  if (slot_pages == 0 || slot_pages * kSlotPageBytes > file.size()) {
    result.error(path, 0, "slot page count 0 or past the end of the file");
    return result;
  }
  const std::uint64_t first_data_block = slot_pages * kSlotPageBytes / kBlockBytes;
  const std::uint64_t file_blocks = file.size() / kBlockBytes;
  std::map<std::uint32_t, Slot> slots;  // by package number
  for (std::uint64_t page = 0; page < slot_pages; ++page) {
    const std::string bytes = file.read(page * kSlotPageBytes, kSlotPageBytes);
    if (bytes.size() < kSlotPageBytes) break;
    for (std::size_t o = page == 0 ? kHeaderBytes : 0; o < kSlotPageBytes; o += kSlotBytes) {
      const Slot s{le32(bytes, o + 4), le32(bytes, o + 8), le32(bytes, o + 12),
                   static_cast<std::size_t>((page * kSlotPageBytes + o) / kSlotBytes)};
      if (bytes.compare(o, 4, "Slot") != 0) {
        result.error(path, 0, slot_text(s, "no slot marker: the slot pages end here"));
        page = slot_pages;
        break;
      }
      if (s.block == 0) continue;  // free
      if (s.number == 0 || s.blocks == 0 || s.block < first_data_block ||
          std::uint64_t{s.block} + s.blocks > file_blocks) {
        result.error(path, 0, slot_text(s, "points outside the blob area of the file"));
        continue;
      }
      if (!slots.emplace(s.number, s).second) result.error(path, 0, slot_text(s, "a second slot for this package"));
    }
  }
  for (const auto& [number, s] : slots) {
    const std::string blob = read_blob(file, s, path, result);
    if (!blob.empty()) parse_rpm_header(blob, path, number, kRpmNdbCataloger, result);
  }
  return result;
}

}  // namespace herkomst::fs
