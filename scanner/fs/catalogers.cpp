#include "scanner/fs/catalogers.hpp"

#include "scanner/fs/apk_installed.hpp"
#include "scanner/fs/dotnet_deps.hpp"
#include "scanner/fs/dpkg_status.hpp"
#include "scanner/fs/npm_lock.hpp"
#include "scanner/fs/python_dist_info.hpp"
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
          {"**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info"},
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

Cataloger rpm_sqlite_cataloger() {
  return {std::string(kRpmSqliteCataloger), {"**/var/lib/rpm/rpmdb.sqlite"}, kRpmSqliteMaxBytes, false, parse_rpm_sqlite};
}

Cataloger dotnet_deps_cataloger() {
  return {std::string(kDotnetDepsCataloger), {"**/*.deps.json"}, kDotnetDepsMaxBytes, false, parse_dotnet_deps};
}

std::vector<Cataloger> default_catalogers() {
  return {dpkg_status_cataloger(), python_cataloger(), npm_lock_cataloger(), npm_package_cataloger(),
          apk_installed_cataloger(), rpm_sqlite_cataloger(), dotnet_deps_cataloger()};
}

}  // namespace herkomst::fs
