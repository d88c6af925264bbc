#include "scanner/fs/sqlite_wal.hpp"

#include <algorithm>
#include <cstring>

namespace herkomst::fs {

namespace {

constexpr std::uint32_t kMagic = 0x377f0682, kFormat = 3007000;
constexpr std::size_t kHeaderBytes = 32, kFrameHeaderBytes = 24;

std::uint32_t be32(std::string_view b, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

// SQLite's WAL checksum over `bytes` (a multiple of 8), continuing from s[0], s[1].
void checksum(std::string_view bytes, bool big_endian, std::uint32_t s[2]) {
  for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
    const std::uint32_t x0 = big_endian ? be32(bytes, i) : le32(bytes, i);
    const std::uint32_t x1 = big_endian ? be32(bytes, i + 4) : le32(bytes, i + 4);
    s[0] += x0 + s[1];
    s[1] += x1 + s[0];
  }
}

}  // namespace

std::variant<WalApplied, WalError> apply_sqlite_wal(std::string_view database, std::string_view wal) {
  if (wal.size() < kHeaderBytes) return WalError{"-wal file shorter than its 32-byte header"};
  const std::uint32_t magic = be32(wal, 0);
  if ((magic & ~1u) != kMagic) return WalError{"-wal file has no WAL magic number"};
  if (be32(wal, 4) != kFormat) return WalError{"-wal file format is not 3007000"};
  const std::uint32_t page_size = be32(wal, 8);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return WalError{"-wal page size is not a power of two from 512 to 65536"};
  const bool big_endian = (magic & 1u) != 0;
  std::uint32_t sum[2] = {0, 0};
  checksum(wal.substr(0, 24), big_endian, sum);
  if (sum[0] != be32(wal, 24) || sum[1] != be32(wal, 28)) return WalError{"-wal header checksum does not match"};
  const std::uint32_t salt1 = be32(wal, 16), salt2 = be32(wal, 20);

  // Find the last valid commit frame first: frames after it are not applied.
  const std::size_t frame_bytes = kFrameHeaderBytes + page_size;
  const std::uint64_t frames = (wal.size() - kHeaderBytes) / frame_bytes;
  std::uint64_t committed = 0, pages_at_commit = 0;
  for (std::uint64_t i = 0; i < frames; ++i) {
    const std::string_view frame = wal.substr(kHeaderBytes + i * frame_bytes, frame_bytes);
    if (be32(frame, 8) != salt1 || be32(frame, 12) != salt2) break;
    checksum(frame.substr(0, 8), big_endian, sum);
    checksum(frame.substr(kFrameHeaderBytes), big_endian, sum);
    if (sum[0] != be32(frame, 16) || sum[1] != be32(frame, 20)) break;
    if (be32(frame, 0) == 0) break;  // page numbers start at 1
    if (be32(frame, 4) != 0) {
      committed = i + 1;
      pages_at_commit = be32(frame, 4);
    }
  }
  WalApplied out;
  out.frames_left = frames - committed;
  if (committed == 0) {
    out.database = std::string(database);
    return out;
  }
  // The main file's page size must be the log's (header offset 16, big-endian; 1 means 65536).
  if (database.size() >= 100) {
    const std::uint32_t main = (std::uint32_t{static_cast<unsigned char>(database[16])} << 8) |
                               static_cast<unsigned char>(database[17]);
    if ((main == 1 ? 65536u : main) != page_size) return WalError{"-wal page size differs from the database's"};
  }
  // A commit cannot make the database larger than its pages plus the log's: a hostile count is
  // not allocated.
  if (pages_at_commit > database.size() / page_size + committed) return WalError{"-wal commits more pages than exist"};
  out.database.assign(static_cast<std::size_t>(pages_at_commit * page_size), '\0');
  std::memcpy(out.database.data(), database.data(), std::min<std::size_t>(database.size(), out.database.size()));
  for (std::uint64_t i = 0; i < committed; ++i) {
    const std::string_view frame = wal.substr(kHeaderBytes + i * frame_bytes, frame_bytes);
    const std::uint64_t page = be32(frame, 0);
    if (page > pages_at_commit) continue;  // a page past the end the last commit truncated away
    std::memcpy(out.database.data() + (page - 1) * page_size, frame.data() + kFrameHeaderBytes, page_size);
    ++out.frames;
  }
  return out;
}

}  // namespace herkomst::fs
