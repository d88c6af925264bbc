#include "scanner/fs/pe_file.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace herkomst::fs {

namespace {

constexpr std::uint16_t kPe32 = 0x10B;
constexpr std::uint16_t kPe32Plus = 0x20B;
constexpr std::size_t kCoffHeader = 20;
constexpr std::size_t kSectionHeader = 40;
constexpr std::size_t kMaxOptionalHeader = 4096;

// IMAGE_FILE_MACHINE_* values from the spec's "Machine Types" table.
constexpr std::array<std::pair<std::uint16_t, std::string_view>, 12> kMachines{{
    {0x014c, "i386"}, {0x8664, "amd64"}, {0x01c0, "arm"}, {0x01c4, "armnt"}, {0xaa64, "arm64"},
    {0x0200, "ia64"}, {0x0ebc, "ebc"}, {0x5032, "riscv32"}, {0x5064, "riscv64"}, {0x01f0, "powerpc"},
    {0x0166, "r4000"}, {0xa641, "arm64ec"},
}};

std::string hex(std::uint64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[value & 0xF]);
    value >>= 4;
  } while (value != 0);
  std::string out = "0x";
  out += digits;
  return out;
}

PeError fail(std::uint64_t offset, std::string message) { return {offset, std::move(message)}; }

}  // namespace

std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | static_cast<std::uint32_t>(le16(b, at + 2)) << 16;
}

std::string PeError::to_string() const {
  std::string out = "offset ";
  out += hex(offset);
  out += ": ";
  out += message;
  return out;
}

std::string pe_machine_name(std::uint16_t machine) {
  for (const auto& [value, name] : kMachines) {
    if (value == machine) return std::string(name);
  }
  return hex(machine);
}

std::optional<std::uint64_t> PeFile::file_offset(std::uint32_t rva, std::uint64_t length) const {
  for (const PeSection& s : sections) {
    const std::uint64_t extent = std::max(s.virtual_size, s.raw_size);
    if (rva < s.virtual_address || rva - s.virtual_address >= extent) continue;
    const std::uint64_t within = rva - s.virtual_address;
    if (within + length > s.raw_size) return std::nullopt;  // not backed by the file
    const std::uint64_t offset = static_cast<std::uint64_t>(s.raw_offset) + within;
    if (offset + length > file_size) return std::nullopt;
    return offset;
  }
  return std::nullopt;
}

std::uint64_t PeFile::backed_bytes(std::uint32_t rva) const {
  for (const PeSection& s : sections) {
    const std::uint64_t extent = std::max(s.virtual_size, s.raw_size);
    if (rva < s.virtual_address || rva - s.virtual_address >= extent) continue;
    const std::uint64_t within = rva - s.virtual_address;
    const std::uint64_t offset = static_cast<std::uint64_t>(s.raw_offset) + within;
    if (within >= s.raw_size || offset >= file_size) return 0;
    return std::min<std::uint64_t>(s.raw_size - within, file_size - offset);
  }
  return 0;
}

std::variant<PeFile, PeError> read_pe(const FileReader& file) {
  PeFile pe;
  pe.file_size = file.size();
  const std::string dos = file.read(0, 64);
  if (dos.size() < 64) return fail(dos.size(), "truncated DOS header");
  if (dos[0] != 'M' || dos[1] != 'Z') return fail(0, "no MZ signature");
  const std::uint32_t lfanew = le32(dos, 0x3C);
  if (static_cast<std::uint64_t>(lfanew) + 4 + kCoffHeader > pe.file_size)
    return fail(0x3C, pe_concat("e_lfanew ", hex(lfanew), " beyond the end of the file"));

  const std::string head = file.read(lfanew, 4 + kCoffHeader);
  if (head.size() < 4 + kCoffHeader) return fail(lfanew, "truncated COFF header");
  if (head.substr(0, 4) != std::string_view("PE\0\0", 4)) return fail(lfanew, "no PE signature");
  pe.machine = le16(head, 4);
  const std::uint16_t sections = le16(head, 6);
  const std::uint16_t optional_size = le16(head, 20);
  const std::uint64_t optional_at = static_cast<std::uint64_t>(lfanew) + 4 + kCoffHeader;
  if (sections > kPeMaxSections) return fail(lfanew + 6, pe_concat(std::to_string(sections), " sections (at most 96)"));
  if (optional_size < 2 || optional_size > kMaxOptionalHeader)
    return fail(lfanew + 20, pe_concat("SizeOfOptionalHeader ", std::to_string(optional_size)));

  const std::string optional = file.read(optional_at, optional_size);
  if (optional.size() < optional_size) return fail(optional_at + optional.size(), "truncated optional header");
  const std::uint16_t magic = le16(optional, 0);
  if (magic != kPe32 && magic != kPe32Plus) return fail(optional_at, pe_concat("optional header magic ", hex(magic)));
  pe.pe32_plus = magic == kPe32Plus;
  const std::size_t count_at = pe.pe32_plus ? 108 : 92;  // NumberOfRvaAndSizes
  if (optional.size() < count_at + 4) return fail(optional_at + optional.size(), "optional header too short");
  pe.size_of_headers = le32(optional, 60);
  const std::uint32_t directories = le32(optional, count_at);
  pe.optional_header_at = optional_at;
  pe.directory_count = directories;
  const std::size_t directories_at = count_at + 4;
  const auto directory = [&](std::uint32_t index) -> PeDataDirectory {
    const std::size_t at = directories_at + 8ull * index;
    if (index >= directories || at + 8 > optional.size()) return {};
    return {le32(optional, at), le32(optional, at + 4)};
  };
  pe.resource = directory(2);
  pe.security = directory(4);

  const std::uint64_t table_at = optional_at + optional_size;
  const std::size_t table_size = kSectionHeader * sections;
  const std::string table = file.read(table_at, table_size);
  if (table.size() < table_size) return fail(table_at + table.size(), "section table beyond the end of the file");
  for (std::size_t i = 0; i < sections; ++i) {
    const std::string_view h = std::string_view(table).substr(i * kSectionHeader, kSectionHeader);
    PeSection s;
    s.name = std::string(h.substr(0, 8).substr(0, h.substr(0, 8).find('\0')));
    s.virtual_size = le32(h, 8);
    s.virtual_address = le32(h, 12);
    s.raw_size = le32(h, 16);
    s.raw_offset = le32(h, 20);
    pe.sections.push_back(std::move(s));
  }
  return pe;
}

}  // namespace herkomst::fs
