#include "scanner/fs/go_buildinfo.hpp"

#include <optional>
#include <variant>
#include <vector>

#include "scanner/fs/elf_sections.hpp"
#include "scanner/fs/go_mod.hpp"
#include "scanner/fs/pe_file.hpp"
#include "scanner/fs/text_lines.hpp"

namespace herkomst::fs {

namespace {

constexpr std::string_view kMagic("\xff Go buildinf:", 14);
constexpr unsigned char kFlagVersionInline = 2;
constexpr std::size_t kStringsOffset = 32;
constexpr std::size_t kFrameBytes = 16;

// An unsigned LEB128 varint at `at`, advancing it; empty when it runs off the end or past 64 bits.
std::optional<std::uint64_t> uvarint(std::string_view bytes, std::size_t& at) {
  std::uint64_t value = 0;
  for (unsigned shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

// A varint-prefixed string at `at`; empty with `error` set when it does not fit.
std::optional<std::string_view> prefixed(std::string_view bytes, std::size_t& at, std::string& error) {
  const std::size_t start = at;
  const auto length = uvarint(bytes, at);
  if (!length || *length > bytes.size() - at) {
    error = "string length at offset ";
    error += std::to_string(start);
    error += " of .go.buildinfo past its end";
    return std::nullopt;
  }
  const std::string_view text = bytes.substr(at, static_cast<std::size_t>(*length));
  at += static_cast<std::size_t>(*length);
  return text;
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    const auto tab = line.find('\t');
    out.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return out;
    line.remove_prefix(tab + 1);
  }
}

struct Module {
  std::string path, version, sum;
  std::string replaced_path, replaced_version, replaced_sum;
  bool replaced = false;
  std::size_t line = 0;
};

bool is_directory(std::string_view path) {
  return path.rfind("./", 0) == 0 || path.rfind("../", 0) == 0 || path.rfind('/', 0) == 0;
}

Package to_package(const Module& m, std::string_view go_version, std::string_view main_module) {
  Package p;
  p.ecosystem = Ecosystem::golang;
  p.method = kBinaryAnalysis;
  std::string path = m.path;
  p.version = m.version;
  std::string sum = m.sum;
  if (m.replaced && is_directory(m.replaced_path)) {
    p.properties["go.replaced-by-directory"] = m.replaced_path;
  } else if (m.replaced) {
    p.properties["go.replaces"] = m.path + "@" + m.version;
    path = m.replaced_path;
    p.version = m.replaced_version;
    sum = m.replaced_sum;
  }
  set_go_module(p, path);
  p.properties["go.version"] = go_version;
  if (!main_module.empty()) p.properties["go.main-module"] = main_module;
  if (!sum.empty()) p.properties["go.sum"] = sum;
  return p;
}

}  // namespace

ParseResult parse_go_modinfo(std::string_view go_version, std::string_view modinfo, const std::string& path) {
  ParseResult result;
  std::optional<Module> main;
  std::vector<Module> deps;
  std::vector<std::pair<std::string, std::string>> build;
  std::string main_package;
  Module* last = nullptr;
  std::size_t number = 0;
  while (!modinfo.empty()) {
    const std::string_view line = pop_line(modinfo);
    ++number;
    if (line.empty()) continue;
    const std::vector<std::string_view> f = fields(line);
    const std::string_view kind = f[0];
    if (kind == "path" && f.size() >= 2) {
      main_package = f[1];
    } else if ((kind == "mod" || kind == "dep") && f.size() >= 3 && valid_token(f[1]) && valid_token(f[2])) {
      Module m{std::string(f[1]), std::string(f[2]), f.size() >= 4 ? std::string(f[3]) : std::string(), {}, {}, {}, false, number};
      if (kind == "mod") {
        main = std::move(m);
        last = &*main;
      } else {
        deps.push_back(std::move(m));
        last = &deps.back();
      }
    } else if (kind == "=>" && f.size() >= 3 && last != nullptr && !last->replaced && valid_token(f[1])) {
      last->replaced = true;
      last->replaced_path = f[1];
      last->replaced_version = f[2];
      if (f.size() >= 4) last->replaced_sum = f[3];
    } else if (kind == "build" && f.size() >= 2 && f[1].find('=') != std::string_view::npos && f[1].find('=') > 0) {
      const auto eq = f[1].find('=');
      build.emplace_back(std::string(f[1].substr(0, eq)), std::string(f[1].substr(eq + 1)));
    } else {
      std::string message = "Go build info line ";
      message += std::to_string(number);
      message += " not understood";
      result.error(path, 0, std::move(message));
      if (kind != "=>") last = nullptr;
    }
  }
  const std::string main_module = main ? main->path : std::string();
  if (main) {
    Package p = to_package(*main, go_version, main_module);
    p.application = true;
    if (!main_package.empty()) p.properties["go.package"] = main_package;
    for (const auto& [key, value] : build) p.properties[std::string("go.build.").append(key)] = value;
    result.add(std::move(p), kGoBinaryCataloger, kGoBinaryConfidence, Location{path, 0, main_module, {}});
  }
  for (const Module& m : deps) {
    Package p = to_package(m, go_version, main_module);
    std::string entry = p.namespace_.empty() ? p.name : p.namespace_ + "/" + p.name;
    result.add(std::move(p), kGoBinaryCataloger, kGoBinaryConfidence, Location{path, 0, std::move(entry), {}});
  }
  return result;
}

namespace {

// Where the build info is searched for: ELF's section .go.buildinfo, or the start of a PE file's
// .data section (where Go's linker puts it). `found` false: not a Go binary (or, for PE, headers
// that the pe-version-info cataloger reports).
struct Area {
  bool found = false;
  bool must_hold_magic = false;  // an ELF .go.buildinfo without the magic is an error
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::string error;
};

Area elf_area(const FileReader& file) {
  const ElfLookup lookup = find_elf_section(file, ".go.buildinfo");
  if (!lookup.error.empty()) return {false, false, 0, 0, lookup.error};
  if (!lookup.section) return {};
  if (lookup.section->nobits) return {false, false, 0, 0, "section .go.buildinfo holds no bytes"};
  return {true, true, lookup.section->offset, lookup.section->size, {}};
}

Area pe_area(const FileReader& file) {
  const auto pe = read_pe(file);
  if (!std::holds_alternative<PeFile>(pe)) return {};
  for (const PeSection& s : std::get<PeFile>(pe).sections) {
    if (s.name == ".data") return {true, false, s.raw_offset, s.raw_size, {}};
  }
  return {};
}

}  // namespace

ParseResult parse_go_binary(const FileReader& file, const std::string& path) {
  ParseResult result;
  const bool pe = file.read(0, 2) == "MZ";
  const Area area = pe ? pe_area(file) : elf_area(file);
  if (!area.error.empty()) {
    result.error(path, 0, area.error);
    return result;
  }
  if (!area.found) return result;  // not a Go binary
  const std::string bytes =
      file.read(area.offset, static_cast<std::size_t>(std::min<std::uint64_t>(area.size, kGoBuildinfoReadBytes)));
  if (file.failed()) {
    result.error(path, 0, with_offset("read error in the Go build info", area.offset));
    return result;
  }
  std::size_t at = 0;
  while (at + kStringsOffset <= bytes.size() && bytes.compare(at, kMagic.size(), kMagic) != 0) at += 16;
  if (at + kStringsOffset > bytes.size()) {
    if (area.must_hold_magic) result.error(path, 0, with_offset("no Go build info magic in section .go.buildinfo", area.offset));
    return result;
  }
  const auto flags = static_cast<unsigned char>(bytes[at + 15]);
  if ((flags & kFlagVersionInline) == 0) {
    ++result.skipped;  // the pre-Go-1.18 pointer-based form is not read
    return result;
  }
  const std::string_view data = std::string_view(bytes).substr(at);
  std::size_t cursor = kStringsOffset;
  std::string error;
  const auto version = prefixed(data, cursor, error);
  const auto modinfo = version ? prefixed(data, cursor, error) : std::nullopt;
  if (!modinfo) {
    result.error(path, 0, error);
    return result;
  }
  std::string_view text = *modinfo;
  if (text.size() >= 2 * kFrameBytes + 1 && text[text.size() - kFrameBytes - 1] == '\n') {
    text = text.substr(kFrameBytes, text.size() - 2 * kFrameBytes);
  }
  if (text.empty()) return result;  // built without module support: only the toolchain version
  return parse_go_modinfo(*version, text, path);
}

}  // namespace herkomst::fs
