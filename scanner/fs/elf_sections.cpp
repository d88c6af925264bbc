#include "scanner/fs/elf_sections.hpp"

#include <vector>

namespace herkomst::fs {

namespace {

constexpr std::uint32_t kShtNobits = 8;
constexpr std::uint16_t kShnXindex = 0xffff;

// Reads unsigned integers of an ELF file's byte order out of a string of bytes already bounded.
struct Decoder {
  std::string_view bytes;
  bool big_endian = false;
  std::uint64_t get(std::size_t at, std::size_t width) const {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const auto byte = static_cast<unsigned char>(bytes[big_endian ? at + i : at + width - 1 - i]);
      value = (value << 8) | byte;
    }
    return value;
  }
};

// The byte positions of the fields we use, for ELF32 and ELF64.
struct Layout {
  std::size_t header_size, shoff, shoff_width, shentsize, shnum, shstrndx;
  std::size_t entry_size, sh_type, sh_addr, sh_offset, sh_size, sh_link, word;
};
constexpr Layout kElf32{52, 0x20, 4, 0x2E, 0x30, 0x32, 40, 4, 0x0C, 0x10, 0x14, 0x18, 4};
constexpr Layout kElf64{64, 0x28, 8, 0x3A, 0x3C, 0x3E, 64, 4, 0x10, 0x18, 0x20, 0x28, 8};

struct Header {
  std::uint32_t name = 0;
  std::uint32_t link = 0;
  ElfSection section;
};

Header section_header(const Decoder& d, const Layout& l, std::size_t at) {
  Header h;
  h.name = static_cast<std::uint32_t>(d.get(at, 4));
  h.link = static_cast<std::uint32_t>(d.get(at + l.sh_link, 4));
  h.section.nobits = d.get(at + l.sh_type, 4) == kShtNobits;
  h.section.address = d.get(at + l.sh_addr, l.word);
  h.section.offset = d.get(at + l.sh_offset, l.word);
  h.section.size = d.get(at + l.sh_size, l.word);
  return h;
}

}  // namespace

std::string with_offset(std::string what, std::uint64_t offset) {
  what += " (offset ";
  what += std::to_string(offset);
  what += ')';
  return what;
}

ElfLookup find_elf_section(const FileReader& file, std::string_view name) {
  const std::string ident = file.read(0, 64);
  if (ident.size() < 16 || ident.compare(0, 4, "\x7f" "ELF") != 0) return {{}, "not an ELF file"};
  if (ident[4] != 1 && ident[4] != 2) return {{}, "unknown ELF class (byte 4)"};
  if (ident[5] != 1 && ident[5] != 2) return {{}, "unknown ELF byte order (byte 5)"};
  const Layout& l = ident[4] == 1 ? kElf32 : kElf64;
  if (ident.size() < l.header_size) return {{}, "ELF header truncated"};
  const Decoder head{ident, ident[5] == 2};
  const std::uint64_t shoff = head.get(l.shoff, l.shoff_width);
  const std::uint64_t entsize = head.get(l.shentsize, 2);
  std::uint64_t count = head.get(l.shnum, 2);
  std::uint64_t names_index = head.get(l.shstrndx, 2);
  if (shoff == 0) return {};  // no section header table: nothing to find
  if (entsize < l.entry_size) return {{}, with_offset("ELF e_shentsize too small", l.shentsize)};
  if (shoff >= file.size() || file.size() - shoff < entsize) {
    return {{}, with_offset("ELF section header table past the end of the file", l.shoff)};
  }
  const std::string first = file.read(shoff, l.entry_size);
  const Decoder zero{first, head.big_endian};
  if (count == 0) count = zero.get(l.sh_size, l.word);  // extended numbering
  if (names_index == kShnXindex) names_index = zero.get(l.sh_link, 4);
  if (count > kElfMaxSections) return {{}, with_offset("ELF section count too large", l.shnum)};
  if ((file.size() - shoff) / entsize < count) {
    return {{}, with_offset("ELF section header table past the end of the file", shoff)};
  }
  if (names_index >= count) return {{}, with_offset("ELF e_shstrndx out of range", l.shstrndx)};
  const std::string table = file.read(shoff, static_cast<std::size_t>(count * entsize));
  if (table.size() != count * entsize) return {{}, with_offset("ELF section header table unreadable", shoff)};
  const Decoder d{table, head.big_endian};
  const Header names = section_header(d, l, static_cast<std::size_t>(names_index * entsize));
  if (names.section.nobits || names.section.offset >= file.size()) {
    return {{}, with_offset("ELF section name table past the end of the file", shoff + names_index * entsize)};
  }
  const std::string strings =
      file.read(names.section.offset, static_cast<std::size_t>(std::min<std::uint64_t>(names.section.size, kElfMaxNameTableBytes)));
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t at = static_cast<std::size_t>(i * entsize);
    const Header h = section_header(d, l, at);
    if (h.name >= strings.size()) continue;
    const std::string_view rest = std::string_view(strings).substr(h.name);
    if (rest.substr(0, rest.find('\0')) != name) continue;
    if (!h.section.nobits && (h.section.offset > file.size() || file.size() - h.section.offset < h.section.size)) {
      return {{}, with_offset(std::string("ELF section ").append(name).append(" past the end of the file"), shoff + at)};
    }
    return {h.section, {}};
  }
  return {};
}

}  // namespace herkomst::fs
