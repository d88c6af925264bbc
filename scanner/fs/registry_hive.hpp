// Offline Windows registry hives: the programs a copied or mounted Windows tree lists as installed.
//
// Read from a SOFTWARE hive (Windows/System32/config/SOFTWARE): the keys
//   Microsoft\Windows\CurrentVersion\Uninstall\*              (the native, "64-bit" view)
//   WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*  ("32-bit (WOW6432Node)")
// and from a user's NTUSER.DAT the per-user installs under
//   Software\Microsoft\Windows\CurrentVersion\Uninstall\*  ("per-user"). Values: DisplayName, DisplayVersion, Publisher,
// InstallDate, InstallLocation (REG_SZ / REG_EXPAND_SZ, UTF-16LE, converted to UTF-8),
// SystemComponent (REG_DWORD) and ParentKeyName.
//
// One Package per entry with a DisplayName: Ecosystem::generic, name = DisplayName, version =
// DisplayVersion, supplier = Publisher (field "Publisher"). Entries are left out (counted as
// skipped) when they have no DisplayName, when SystemComponent = 1 (Windows hides them from
// "Programs and Features": components of a product listed on its own), or when they have a
// ParentKeyName (updates and patches of another entry, e.g. "KB2504637" under Office).
//
// The hive format (regf): https://github.com/msuhanov/regf/blob/master/Windows%20registry%20file%20format%20specification.md
// parsed by libhivex (https://libguestfs.org/hivex.3.html), which opens hives by file name only.
// The bytes the walk read are put in an anonymous memfd_create() file and opened as
// /proc/self/fd/N: nothing is written to disk and the cataloger stays pure (bytes in, packages
// out). Limits: at most kRegistryMaxEntries subkeys visited per Uninstall key, values longer than
// kRegistryMaxValueBytes ignored; a hive hivex refuses is one error value naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kRegistryHiveCataloger = "registry-hive";
inline constexpr double kRegistryConfidence = 0.9;  // Windows' own list of installed programs
inline constexpr std::uint64_t kRegistryHiveMaxBytes = 512ull << 20;
inline constexpr std::size_t kRegistryMaxEntries = 20000;
inline constexpr std::size_t kRegistryMaxValueBytes = 64 * 1024;

// The bytes of a whole hive file (SOFTWARE or NTUSER.DAT; both Uninstall layouts are looked for).
ParseResult parse_registry_hive(std::string_view bytes, const std::string& file);

// The same over a FileReader (the walk's form): reads the whole file, at most max_bytes.
ParseResult parse_registry_hive_file(const FileReader& file, const std::string& path);

}  // namespace herkomst::fs
