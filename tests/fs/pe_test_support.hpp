// A generator of small valid PE32+ files for the PE tests: DOS header, PE headers, a .text
// section and a .rsrc section holding RT_VERSION -> id 1 -> language 0x0409 -> a VS_VERSIONINFO
// built byte by byte (VS_FIXEDFILEINFO and StringFileInfo tables). Layout constants are exposed
// so tests can corrupt the bytes at known places.
// Specs: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format,
// https://learn.microsoft.com/en-us/windows/win32/menurc/vs-versioninfo
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::test {

inline constexpr std::uint32_t kPeLfanew = 0x80;
inline constexpr std::uint32_t kPeOptionalAt = kPeLfanew + 24;
inline constexpr std::uint32_t kPeSectionTableAt = kPeOptionalAt + 240;
inline constexpr std::uint32_t kPeRsrcRaw = 0x400;
inline constexpr std::uint32_t kPeRsrcRva = 0x2000;

inline void put16(std::string& s, std::size_t at, std::uint32_t v) {
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& s, std::size_t at, std::uint32_t v) {
  put16(s, at, v & 0xFFFF);
  put16(s, at + 2, v >> 16);
}
inline void add16(std::string& s, std::uint32_t v) {
  s.append(2, '\0');
  put16(s, s.size() - 2, v);
}
inline void add32(std::string& s, std::uint32_t v) {
  s.append(4, '\0');
  put32(s, s.size() - 4, v);
}
inline void pad4(std::string& s) {
  while (s.size() % 4 != 0) s += '\0';
}
// ASCII (and Latin-1 via \u escapes given as UTF-16 units) to UTF-16LE with a NUL.
inline std::string utf16z(std::u16string_view text) {
  std::string out;
  for (char16_t c : text) add16(out, c);
  add16(out, 0);
  return out;
}

// One version block (self-relative alignment; blocks start 4-aligned).
inline std::string version_block(std::u16string_view key, std::string_view value, std::uint16_t value_length,
                                 std::uint16_t type, const std::vector<std::string>& children) {
  std::string b(6, '\0');
  b += utf16z(key);
  pad4(b);
  b += value;
  for (const std::string& c : children) {
    pad4(b);
    b += c;
  }
  put16(b, 0, static_cast<std::uint32_t>(b.size()));
  put16(b, 2, value_length);
  put16(b, 4, type);
  return b;
}

struct PeSpec {
  bool pe32 = false;  // PE32 (magic 0x10B, 224-byte optional header) instead of PE32+; machine i386
  std::uint16_t machine = 0x8664;
  bool with_version = true;
  std::uint16_t file_version[4] = {3, 1, 4, 15};
  std::uint16_t product_version[4] = {3, 1, 0, 0};
  // StringTables: language key ("040704b0") and its strings.
  std::vector<std::pair<std::u16string, std::vector<std::pair<std::u16string, std::u16string>>>> tables = {
      {u"040904b0",
       {{u"CompanyName", u"Example Automation GmbH"},
        {u"FileDescription", u"Example HMI Runtime"},
        {u"FileVersion", u"3.1.4.15"},
        {u"InternalName", u"hmirt"},
        {u"LegalCopyright", u"\u00a9 2026 Example Automation GmbH"},
        {u"OriginalFilename", u"hmirt.exe"},
        {u"ProductName", u"Example HMI Studio"},
        {u"ProductVersion", u"3.1 SP2"}}}};
};

inline std::string vs_versioninfo(const PeSpec& spec) {
  std::string fixed;
  add32(fixed, 0xFEEF04BD);
  add32(fixed, 0x00010000);
  add32(fixed, static_cast<std::uint32_t>(spec.file_version[0]) << 16 | spec.file_version[1]);
  add32(fixed, static_cast<std::uint32_t>(spec.file_version[2]) << 16 | spec.file_version[3]);
  add32(fixed, static_cast<std::uint32_t>(spec.product_version[0]) << 16 | spec.product_version[1]);
  add32(fixed, static_cast<std::uint32_t>(spec.product_version[2]) << 16 | spec.product_version[3]);
  for (int i = 0; i < 7; ++i) add32(fixed, i == 3 ? 0x00040004 : (i == 4 ? 1 : 0));  // flags.., OS, type APP
  std::vector<std::string> tables;
  for (const auto& [language, strings] : spec.tables) {
    std::vector<std::string> entries;
    for (const auto& [key, value] : strings) {
      entries.push_back(version_block(key, utf16z(value), static_cast<std::uint16_t>(value.size() + 1), 1, {}));
    }
    tables.push_back(version_block(language, {}, 0, 1, entries));
  }
  const std::string sfi = version_block(u"StringFileInfo", {}, 0, 1, tables);
  std::string translation;
  add16(translation, 0x0409);
  add16(translation, 0x04b0);
  const std::string var = version_block(u"Translation", translation, 4, 0, {});
  const std::string vfi = version_block(u"VarFileInfo", {}, 0, 1, {var});
  return version_block(u"VS_VERSION_INFO", fixed, 52, 0, {sfi, vfi});
}

// The .rsrc section's bytes (RVA kPeRsrcRva): three directory levels, a data entry, the data.
inline std::string resource_section(const std::string& version_info) {
  std::string r;
  const auto directory = [&](std::uint32_t id, std::uint32_t target) {
    r.append(12, '\0');
    add16(r, 0);  // named entries
    add16(r, 1);  // id entries
    add32(r, id);
    add32(r, target);
  };
  directory(16, 0x80000000u | 24);   // RT_VERSION -> level 2 at 24
  directory(1, 0x80000000u | 48);    // id 1 -> level 3 at 48
  directory(0x0409, 72);             // language -> data entry at 72
  add32(r, kPeRsrcRva + 88);
  add32(r, static_cast<std::uint32_t>(version_info.size()));
  add32(r, 0);
  add32(r, 0);
  r += version_info;
  return r;
}

inline std::uint32_t align(std::uint32_t v, std::uint32_t a) { return (v + a - 1) / a * a; }

// A PE32+ (or, with spec.pe32, PE32) image: headers, .text (0x200 bytes at 0x200, RVA 0x1000), .rsrc (at 0x400, RVA 0x2000).
inline std::string make_pe(const PeSpec& spec = {}) {
  const std::string rsrc = spec.with_version ? resource_section(vs_versioninfo(spec)) : std::string();
  const std::uint32_t rsrc_raw = align(static_cast<std::uint32_t>(rsrc.size()), 0x200);
  const std::uint32_t sections = spec.with_version ? 2 : 1;
  std::string f(kPeRsrcRaw + rsrc_raw, '\0');
  f[0] = 'M';
  f[1] = 'Z';
  put32(f, 0x3C, kPeLfanew);
  f.replace(kPeLfanew, 4, std::string("PE\0\0", 4));
  put16(f, kPeLfanew + 4, spec.pe32 ? 0x014c : spec.machine);
  put16(f, kPeLfanew + 6, sections);
  put16(f, kPeLfanew + 20, spec.pe32 ? 224 : 240);       // SizeOfOptionalHeader
  put16(f, kPeLfanew + 22, spec.pe32 ? 0x0102 : 0x0022);  // EXECUTABLE_IMAGE | 32BIT_MACHINE or LARGE_ADDRESS_AWARE
  const std::uint32_t o = kPeOptionalAt;
  put16(f, o, spec.pe32 ? 0x10B : 0x20B);
  f[o + 2] = 14;                      // linker 14.0
  put32(f, o + 4, 0x200);             // SizeOfCode
  put32(f, o + 8, rsrc_raw);          // SizeOfInitializedData
  put32(f, o + 16, 0x1000);           // AddressOfEntryPoint
  put32(f, o + 20, 0x1000);           // BaseOfCode
  put32(f, o + 24, 0x40000000);       // ImageBase 0x140000000 (low, high)
  put32(f, o + 28, 0x1);
  put32(f, o + 32, 0x1000);           // SectionAlignment
  put32(f, o + 36, 0x200);            // FileAlignment
  put16(f, o + 40, 6);                // OS version 6.0
  put16(f, o + 48, 6);                // subsystem version 6.0
  put32(f, o + 56, 0x2000 + align(static_cast<std::uint32_t>(rsrc.size() + 1), 0x1000));  // SizeOfImage
  put32(f, o + 60, 0x200);            // SizeOfHeaders
  put16(f, o + 68, 3);                // console
  put16(f, o + 70, 0x8160);           // DllCharacteristics
  const std::uint32_t directories = spec.pe32 ? 96 : 112;
  if (spec.pe32) {
    put32(f, o + 24, kPeRsrcRva);     // BaseOfData
    put32(f, o + 28, 0x400000);       // ImageBase (4 bytes)
    for (std::uint32_t i = 0; i < 4; ++i) put32(f, o + 72 + 4 * i, i % 2 ? 0x1000 : 0x100000);  // stack, heap
  } else {
    put32(f, o + 72, 0x100000);       // stack reserve
    put32(f, o + 80, 0x1000);         // stack commit
    put32(f, o + 88, 0x100000);       // heap reserve
    put32(f, o + 96, 0x1000);         // heap commit
  }
  put32(f, o + directories - 4, 16);  // NumberOfRvaAndSizes
  if (spec.with_version) {
    put32(f, o + directories + 2 * 8, kPeRsrcRva);
    put32(f, o + directories + 2 * 8 + 4, static_cast<std::uint32_t>(rsrc.size()));
  }
  const auto section = [&](std::uint32_t index, std::string_view name, std::uint32_t vsize, std::uint32_t va,
                           std::uint32_t raw_size, std::uint32_t raw, std::uint32_t flags) {
    const std::size_t at = (spec.pe32 ? kPeOptionalAt + 224 : kPeSectionTableAt) + 40 * index;
    f.replace(at, name.size(), name);
    put32(f, at + 8, vsize);
    put32(f, at + 12, va);
    put32(f, at + 16, raw_size);
    put32(f, at + 20, raw);
    put32(f, at + 36, flags);
  };
  section(0, ".text", 1, 0x1000, 0x200, 0x200, 0x60000020);
  f[0x200] = static_cast<char>(0xC3);  // ret
  if (spec.with_version) {
    section(1, ".rsrc", static_cast<std::uint32_t>(rsrc.size()), kPeRsrcRva, rsrc_raw, kPeRsrcRaw, 0x40000040);
    f.replace(kPeRsrcRaw, rsrc.size(), rsrc);
  } else {
    f.resize(0x400);
  }
  return f;
}

}  // namespace herkomst::test
