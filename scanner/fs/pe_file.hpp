// A bounds-checked reader of the PE/COFF headers of a Windows executable (.exe, .dll, .sys, ...)
// over a FileReader: only the DOS header, the PE headers and the section table are read (a few
// hundred bytes), never the file's body.
//
// Spec: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format
//   DOS header "MZ", e_lfanew at 0x3C -> "PE\0\0", the 20-byte COFF file header (Machine,
//   NumberOfSections, SizeOfOptionalHeader), the optional header (Magic 0x10B PE32 or 0x20B
//   PE32+) with its data directories (2 = resource table, 4 = certificate table), then the
//   40-byte section headers. Every offset and count is checked against the file: a bad header is
//   an error value with the file offset where reading failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::size_t kPeMaxSections = 96;  // the Windows loader's limit

struct PeError {
  std::uint64_t offset = 0;  // the file offset where reading failed
  std::string message;
  std::string to_string() const;  // "offset 0x3c: e_lfanew beyond the end of the file"
};

struct PeSection {
  std::string name;  // ".text", ".rsrc" (up to 8 bytes, NULs removed)
  std::uint32_t virtual_size = 0;
  std::uint32_t virtual_address = 0;
  std::uint32_t raw_size = 0;
  std::uint32_t raw_offset = 0;
};

struct PeDataDirectory {
  std::uint32_t address = 0;  // an RVA, except for the certificate table: a file offset
  std::uint32_t size = 0;
};

struct PeFile {
  std::uint64_t file_size = 0;
  std::uint16_t machine = 0;
  bool pe32_plus = false;
  std::uint32_t size_of_headers = 0;
  std::uint64_t optional_header_at = 0;  // file offset of the optional header (CheckSum at +64)
  std::uint32_t directory_count = 0;     // NumberOfRvaAndSizes
  PeDataDirectory resource;   // data directory 2
  PeDataDirectory security;   // data directory 4 (WIN_CERTIFICATE entries, by file offset)
  std::vector<PeSection> sections;

  // The file offset of `length` bytes at `rva`, when they lie inside one section's raw data.
  std::optional<std::uint64_t> file_offset(std::uint32_t rva, std::uint64_t length) const;
  // How many bytes from `rva` on are in the file, within its section (0 when none).
  std::uint64_t backed_bytes(std::uint32_t rva) const;
};

// The headers of a PE file, or where they are broken.
std::variant<PeFile, PeError> read_pe(const FileReader& file);

// "i386", "amd64", "arm", "armnt", "arm64", "ia64", ... ; "0x<hex>" for others.
std::string pe_machine_name(std::uint16_t machine);

// Error text without `"literal" + std::string` (GCC 12's false -Wrestrict at -O2).
template <typename... Parts>
std::string pe_concat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

// Little-endian integers from bytes (the caller checks the bounds).
std::uint16_t le16(std::string_view bytes, std::size_t at);
std::uint32_t le32(std::string_view bytes, std::size_t at);

}  // namespace herkomst::fs
