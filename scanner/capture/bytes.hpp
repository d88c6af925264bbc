// Bounds-checked reads of big- and little-endian integers from byte spans.
//
// Internal to herkomst_capture. Every function takes the span and an offset and the caller
// must have checked that `offset + width <= data.size()`; the functions assert nothing and
// never read outside the span when that precondition holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace herkomst::capture::bytes {

using Bytes = std::span<const std::uint8_t>;

inline std::uint16_t be16(Bytes data, std::size_t offset) {
  return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

inline std::uint32_t be32(Bytes data, std::size_t offset) {
  return (static_cast<std::uint32_t>(data[offset]) << 24) |
         (static_cast<std::uint32_t>(data[offset + 1]) << 16) |
         (static_cast<std::uint32_t>(data[offset + 2]) << 8) | static_cast<std::uint32_t>(data[offset + 3]);
}

inline std::uint16_t le16(Bytes data, std::size_t offset) {
  return static_cast<std::uint16_t>(data[offset] | (data[offset + 1] << 8));
}

inline std::uint32_t le32(Bytes data, std::size_t offset) {
  return static_cast<std::uint32_t>(data[offset]) | (static_cast<std::uint32_t>(data[offset + 1]) << 8) |
         (static_cast<std::uint32_t>(data[offset + 2]) << 16) |
         (static_cast<std::uint32_t>(data[offset + 3]) << 24);
}

inline std::uint64_t le64(Bytes data, std::size_t offset) {
  return static_cast<std::uint64_t>(le32(data, offset)) |
         (static_cast<std::uint64_t>(le32(data, offset + 4)) << 32);
}

inline std::uint64_t be64(Bytes data, std::size_t offset) {
  return (static_cast<std::uint64_t>(be32(data, offset)) << 32) | static_cast<std::uint64_t>(be32(data, offset + 4));
}

// Reads in the given byte order: `big` selects big-endian.
inline std::uint16_t u16(Bytes data, std::size_t offset, bool big) {
  return big ? be16(data, offset) : le16(data, offset);
}
inline std::uint32_t u32(Bytes data, std::size_t offset, bool big) {
  return big ? be32(data, offset) : le32(data, offset);
}
inline std::uint64_t u64(Bytes data, std::size_t offset, bool big) {
  return big ? be64(data, offset) : le64(data, offset);
}

}  // namespace herkomst::capture::bytes
