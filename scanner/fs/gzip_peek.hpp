// The first bytes of a gzip stream (RFC 1952, https://www.rfc-editor.org/rfc/rfc1952), inflated
// with zlib: what the walk looks at to tell a compressed tar or zip ("update.bin") from one
// compressed file (a man page) without opening libarchive for each of the thousands of .gz files
// a root filesystem holds. Reads kGzipPeekFirst compressed bytes, at most kGzipPeekInput.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::size_t kGzipPeekFirst = 1024;       // read first; again up to ...
inline constexpr std::size_t kGzipPeekInput = 16 * 1024;  // ... when that was not enough

// Up to `want` bytes of the decompressed stream; nullopt when the file is no gzip stream zlib
// reads (a bad header, corrupt data before `want` bytes).
std::optional<std::string> gzip_peek(const FileReader& file, std::size_t want);

}  // namespace herkomst::fs
