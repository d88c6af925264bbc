// Finds one section of an ELF file by name, reading only the ELF header, the section header
// table and the section-name string table through a FileReader (never the whole file).
// ELF32 and ELF64, little and big endian; the extended section count and name index
// (e_shnum == 0, e_shstrndx == SHN_XINDEX, kept in section 0) are honoured.
// Spec: System V gABI, "ELF Header" and "Sections" (https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html,
// https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.sheader.html).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

struct ElfSection {
  std::uint64_t offset = 0;  // sh_offset: where its bytes are in the file
  std::uint64_t size = 0;    // sh_size
  std::uint64_t address = 0; // sh_addr
  bool nobits = false;       // SHT_NOBITS: occupies no bytes in the file
};

struct ElfLookup {
  std::optional<ElfSection> section;  // empty when the file has no section of that name
  std::string error;                  // not empty when the headers are malformed: what and where
};

inline constexpr std::size_t kElfMaxSections = 1u << 16;
inline constexpr std::size_t kElfMaxNameTableBytes = 1u << 20;

ElfLookup find_elf_section(const FileReader& file, std::string_view name);

// "what (offset N)": the message of a malformed-header error with the file offset it is about.
std::string with_offset(std::string what, std::uint64_t offset);

}  // namespace herkomst::fs
