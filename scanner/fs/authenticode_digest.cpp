#include "scanner/fs/authenticode_digest.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

namespace herkomst::fs {

namespace {

struct AlgorithmRow {
  DigestAlgorithm algorithm;
  std::string_view name;
  std::string_view oid;  // DER content bytes of the OBJECT IDENTIFIER
};

constexpr std::array<AlgorithmRow, 4> kAlgorithms{{
    {DigestAlgorithm::sha1, "sha1", std::string_view("\x2b\x0e\x03\x02\x1a", 5)},
    {DigestAlgorithm::sha256, "sha256", std::string_view("\x60\x86\x48\x01\x65\x03\x04\x02\x01", 9)},
    {DigestAlgorithm::sha384, "sha384", std::string_view("\x60\x86\x48\x01\x65\x03\x04\x02\x02", 9)},
    {DigestAlgorithm::sha512, "sha512", std::string_view("\x60\x86\x48\x01\x65\x03\x04\x02\x03", 9)},
}};

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

MdCtx start(DigestAlgorithm algorithm) {
  MdCtx ctx(EVP_MD_CTX_new());
  const std::string name(to_string(algorithm));
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  if (!ctx || !md || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return nullptr;
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, out, &length) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), length);
}

// Hashes [from, to) of the file in bounded chunks; an error when the file gives fewer bytes.
std::optional<PeError> hash_range(const FileReader& file, EVP_MD_CTX* ctx, std::uint64_t from, std::uint64_t to) {
  while (from < to) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(to - from, kDigestChunkBytes));
    const std::string chunk = file.read(from, want);
    if (chunk.size() != want || file.failed()) return PeError{from + chunk.size(), "file shorter than its headers say"};
    EVP_DigestUpdate(ctx, chunk.data(), chunk.size());
    from += want;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(DigestAlgorithm algorithm) {
  for (const AlgorithmRow& row : kAlgorithms) {
    if (row.algorithm == algorithm) return row.name;
  }
  return "unknown";
}

std::optional<DigestAlgorithm> digest_algorithm_from_oid(std::string_view oid_content) {
  for (const AlgorithmRow& row : kAlgorithms) {
    if (row.oid == oid_content) return row.algorithm;
  }
  return std::nullopt;
}

std::string digest_bytes(DigestAlgorithm algorithm, std::string_view bytes) {
  MdCtx ctx = start(algorithm);
  if (!ctx) return {};
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  return finish(ctx.get());
}

std::string hex_bytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

std::variant<std::string, PeError> authenticode_image_digest(const FileReader& file, const PeFile& pe,
                                                             DigestAlgorithm algorithm) {
  const std::uint64_t checksum_at = pe.optional_header_at + 64;
  const std::uint64_t directory_at = pe.optional_header_at + (pe.pe32_plus ? 112 : 96) + 4 * 8;
  if (pe.directory_count < 5) return PeError{pe.optional_header_at, "no certificate table directory entry"};
  std::uint64_t end = pe.file_size;  // unsigned: the whole file
  if (pe.security.address != 0 || pe.security.size != 0) {
    end = pe.security.address;
    const std::uint64_t table_end = end + pe.security.size;
    if (table_end > pe.file_size) return PeError{directory_at, "certificate table outside the file"};
    if (table_end != pe.file_size) return PeError{table_end, "data after the certificate table"};
  }
  if (end < directory_at + 8) return PeError{directory_at, "certificate table inside the PE headers"};
  MdCtx ctx = start(algorithm);
  if (!ctx) return PeError{0, pe_concat("digest ", std::string(to_string(algorithm)), " not available")};
  const std::pair<std::uint64_t, std::uint64_t> ranges[] = {
      {0, checksum_at}, {checksum_at + 4, directory_at}, {directory_at + 8, end}};
  for (const auto& [from, to] : ranges) {
    if (auto e = hash_range(file, ctx.get(), from, to)) return *e;
  }
  return finish(ctx.get());
}

}  // namespace herkomst::fs
