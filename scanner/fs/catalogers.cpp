#include "scanner/fs/catalogers.hpp"

#include "scanner/fs/apk_installed.hpp"
#include "scanner/fs/authenticode_verify.hpp"
#include "scanner/fs/binary_classifier.hpp"
#include "scanner/fs/dotnet_deps.hpp"
#include "scanner/fs/dpkg_status.hpp"
#include "scanner/fs/go_buildinfo.hpp"
#include "scanner/fs/go_mod.hpp"
#include "scanner/fs/go_sum.hpp"
#include "scanner/fs/java_archive.hpp"
#include "scanner/fs/npm_lock.hpp"
#include "scanner/fs/os_release.hpp"
#include "scanner/fs/pe_cataloger.hpp"
#include "scanner/fs/ot_software.hpp"
#include "scanner/fs/python_dist_info.hpp"
#include "scanner/fs/registry_hive.hpp"
#include "scanner/fs/rpm_bdb.hpp"
#include "scanner/fs/rpm_ndb.hpp"
#include "scanner/fs/rpm_sqlite.hpp"

namespace herkomst::fs {

Cataloger dpkg_status_cataloger() {
  return {std::string(kDpkgStatusCataloger),
          {"**/var/lib/dpkg/status", "**/var/lib/dpkg/status.d/*"},
          kDpkgStatusMaxBytes,
          false,
          [](std::string_view content, const std::string& path) {
            DpkgOptions options;
            options.require_status = !glob_match("**/status.d/*", path);
            return parse_dpkg_status(content, path, options);
          }};
}

Cataloger python_cataloger() {
  return {std::string(kPythonCataloger),
          {"**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info", "**/*.egg!/EGG-INFO/PKG-INFO"},
          kPythonMetadataReadBytes,
          true,
          parse_python_metadata};
}

Cataloger npm_lock_cataloger() {
  return {std::string(kNpmLockCataloger), {"**/package-lock.json", "**/npm-shrinkwrap.json"}, kNpmLockMaxBytes, false,
          parse_npm_lock};
}

Cataloger npm_package_cataloger() {
  return {std::string(kNpmPackageCataloger),
          {"**/node_modules/*/package.json", "**/node_modules/@*/*/package.json"},
          kNpmPackageJsonMaxBytes,
          false,
          parse_npm_package_json};
}

Cataloger apk_installed_cataloger() {
  return {std::string(kApkInstalledCataloger),
          {"**/lib/apk/db/installed"},
          kApkInstalledMaxBytes,
          false,
          [](std::string_view content, const std::string& path) { return parse_apk_installed(content, path); }};
}

// rpm keeps its database in var/lib/rpm, or (Fedora 36+, openSUSE) in usr/lib/sysimage/rpm with
// var/lib/rpm a symbolic link to it, which the walk does not follow: both places are named.
Cataloger rpm_sqlite_cataloger() {
  return {std::string(kRpmSqliteCataloger),
          {"**/var/lib/rpm/rpmdb.sqlite", "**/usr/lib/sysimage/rpm/rpmdb.sqlite"},
          kRpmSqliteMaxBytes,
          false,
          nullptr,
          parse_rpm_sqlite_file};
}

// The hash magic is at offset 12, not 0: the parser checks it.
Cataloger rpm_bdb_cataloger() {
  return {std::string(kRpmBdbCataloger), {"**/var/lib/rpm/Packages", "**/usr/lib/sysimage/rpm/Packages"},
          kRpmBdbMaxBytes, false, nullptr, parse_rpm_bdb};
}

Cataloger rpm_ndb_cataloger() {
  return {std::string(kRpmNdbCataloger),
          {"**/var/lib/rpm/Packages.db", "**/usr/lib/sysimage/rpm/Packages.db"},
          kRpmNdbMaxBytes,
          false,
          nullptr,
          parse_rpm_ndb,
          {"RpmP"}};
}

Cataloger os_release_cataloger() {
  return {std::string(kOsReleaseCataloger), {"**/etc/os-release", "**/usr/lib/os-release"}, kOsReleaseMaxBytes, false,
          parse_os_release};
}

Cataloger go_mod_cataloger() {
  return {std::string(kGoModCataloger), {"**/go.mod"}, kGoModMaxBytes, false, parse_go_mod};
}

// Windows names are case-insensitive: "**/*.dll" takes "x.DLL" and "x.Dll" too.
Cataloger pe_cataloger() { return pe_cataloger(AuthenticodeOptions{}); }

Cataloger pe_cataloger(const AuthenticodeOptions& options) {
  Cataloger c{std::string(kPeCataloger),
              {},
              kPeMaxBytes,
              false,
              nullptr,
              [options](const FileReader& file, const std::string& path) { return parse_pe_with(file, path, options); },
              {"MZ"}};
  for (std::string_view ext : kPeExtensions) {
    std::string glob = "**/*.";
    glob += ext;
    c.globs.push_back(std::move(glob));
  }
  c.ignore_case = true;
  return c;
}

// Matched regardless of case, as Windows names are; the "regf" magic keeps out files that merely
// share a name.
Cataloger registry_hive_cataloger() {
  Cataloger c{std::string(kRegistryHiveCataloger),
              {"**/config/software", "**/ntuser.dat"},
              kRegistryHiveMaxBytes,
              false,
              {},
              [](const FileReader& file, const std::string& path) {
                ParseResult result = parse_registry_hive_file(file, path);
                annotate_ot_registry(builtin_ot_rules(), result);
                return result;
              }};
  c.magic = {"regf"};
  c.ignore_case = true;
  return c;
}

Cataloger dotnet_deps_cataloger() {
  return {std::string(kDotnetDepsCataloger), {"**/*.deps.json"}, kDotnetDepsMaxBytes, false, parse_dotnet_deps};
}

Cataloger go_binary_cataloger() {
  Cataloger c{std::string(kGoBinaryCataloger), {"**/*"}, kGoBinaryMaxBytes, false, nullptr, parse_go_binary, {"\x7f" "ELF"}};
  c.executable_only = true;
  return c;
}

Cataloger go_binary_pe_cataloger() {
  Cataloger c{std::string(kGoBinaryCataloger) + "-pe", {"**/*.exe"}, kGoBinaryMaxBytes, false, nullptr,
              parse_go_binary, {"MZ"}};
  c.ignore_case = true;  // Windows names: x.EXE, x.Exe
  return c;
}

// Java archives are zip files; any case of the extension (Windows trees).
Cataloger java_archive_cataloger() {
  Cataloger c{std::string(kJavaArchiveCataloger),
              {"**/*.jar", "**/*.war", "**/*.ear", "**/*.jpi", "**/*.hpi"},
              kJavaArchiveMaxBytes,
              false,
              nullptr,
              [](const FileReader& file, const std::string& path) { return parse_java_archive(file, path); },
              {"PK\x03\x04"}};
  c.ignore_case = true;
  return c;
}

Cataloger go_sum_cataloger() {
  Cataloger c{std::string(kGoSumCataloger), {"**/go.sum"}, kGoSumMaxBytes, false, parse_go_sum};
  c.finish = combine_go_sum;
  return c;
}

std::vector<Cataloger> default_catalogers() { return default_catalogers(AuthenticodeOptions{}); }

std::vector<Cataloger> default_catalogers(const AuthenticodeOptions& pe_options) {
  return {dpkg_status_cataloger(),   python_cataloger(),        npm_lock_cataloger(),    npm_package_cataloger(),
          apk_installed_cataloger(), rpm_sqlite_cataloger(),    rpm_bdb_cataloger(),     rpm_ndb_cataloger(),
          os_release_cataloger(),    go_mod_cataloger(),
          pe_cataloger(pe_options),  registry_hive_cataloger(), ot_software_cataloger(), dotnet_deps_cataloger(),
          java_archive_cataloger(),  go_binary_cataloger(),     go_binary_pe_cataloger(), go_sum_cataloger(),
          binary_classifier_cataloger()};
}

}  // namespace herkomst::fs
