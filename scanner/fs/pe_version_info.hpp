// The version resource of a PE file: the .rsrc tree walked to RT_VERSION (16), and the
// VS_VERSIONINFO block in it: VS_FIXEDFILEINFO (file and product version numbers) and the
// StringFileInfo strings (CompanyName, ProductName, FileVersion, ...).
//
// Specs: resource tree (".rsrc Section"): https://learn.microsoft.com/en-us/windows/win32/debug/pe-format
//   VS_VERSIONINFO: https://learn.microsoft.com/en-us/windows/win32/menurc/vs-versioninfo
//   VS_FIXEDFILEINFO: https://learn.microsoft.com/en-us/windows/win32/api/verrsrc/ns-verrsrc-vs_fixedfileinfo
//   StringFileInfo/StringTable/String: https://learn.microsoft.com/en-us/windows/win32/menurc/stringfileinfo
//
// Bounded: only the three directory tables on the way (type -> name -> language, each at most
// kPeMaxResourceEntries entries read), one data entry and the version resource itself (at most
// kPeMaxVersionInfoBytes) are read; a directory met twice (a loop) or a subdirectory where a data
// entry must be is an error. Strings are UTF-16LE, returned as UTF-8.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "scanner/fs/pe_file.hpp"

namespace herkomst::fs {

inline constexpr std::size_t kPeMaxResourceEntries = 4096;
inline constexpr std::size_t kPeMaxVersionInfoBytes = 64 * 1024;
inline constexpr std::size_t kPeMaxVersionStrings = 256;

struct PeFixedVersion {
  std::uint16_t file[4]{};     // dwFileVersionMS/LS: major, minor, build, revision
  std::uint16_t product[4]{};  // dwProductVersionMS/LS
};

struct PeVersionInfo {
  std::optional<PeFixedVersion> fixed;
  std::string language;  // the StringTable key used, "040904b0"
  std::map<std::string, std::string> strings;  // CompanyName -> "Example Automation GmbH", ...
};

// "1.2.3.4".
std::string to_string(const std::uint16_t (&version)[4]);

// The VS_VERSIONINFO block alone (the bytes of the RT_VERSION resource).
std::variant<PeVersionInfo, PeError> parse_version_info(std::string_view bytes);

// The version resource of a PE file; nullopt when it has none (no resource table or no
// RT_VERSION), an error when the tree or the block is broken.
std::variant<std::optional<PeVersionInfo>, PeError> read_version_info(const FileReader& file, const PeFile& pe);

}  // namespace herkomst::fs
