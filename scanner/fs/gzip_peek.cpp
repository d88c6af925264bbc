#include "scanner/fs/gzip_peek.hpp"

#include <zlib.h>

#include <memory>
#include <utility>

namespace herkomst::fs {

namespace {

struct InflateEnd {
  void operator()(z_stream* z) const { inflateEnd(z); }
};

// Up to `want` bytes inflated from `input`; nullopt when it is no gzip stream zlib reads.
std::optional<std::string> inflate_head(std::string input, std::size_t want) {
  std::string out(want, '\0');
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return std::nullopt;  // 16: gzip header, not zlib
  const std::unique_ptr<z_stream, InflateEnd> guard(&z);
  z.next_in = reinterpret_cast<Bytef*>(input.data());
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  while (z.avail_out > 0) {
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) {
      // Z_BUF_ERROR: the input read ran out (the peek's limit, or a truncated file): what was
      // inflated so far is the answer; any other code is corrupt data.
      if (rc == Z_BUF_ERROR && z.total_out > 0) break;
      return std::nullopt;
    }
  }
  out.resize(z.total_out);
  return out;
}

}  // namespace

std::optional<std::string> gzip_peek(const FileReader& file, std::size_t want) {
  // 512 bytes seldom take more than 1 KiB of input; a stream that needs more is read again whole.
  std::optional<std::string> out = inflate_head(file.read(0, kGzipPeekFirst), want);
  if ((!out || out->size() < want) && file.size() > kGzipPeekFirst)
    out = inflate_head(file.read(0, kGzipPeekInput), want);
  return out;
}

}  // namespace herkomst::fs
