#include "scanner/fs/catalogers.hpp"

#include "scanner/fs/dpkg_status.hpp"
#include "scanner/fs/npm_lock.hpp"
#include "scanner/fs/python_dist_info.hpp"

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

std::vector<Cataloger> default_catalogers() {
  return {dpkg_status_cataloger(), python_cataloger(), npm_lock_cataloger(), npm_package_cataloger()};
}

}  // namespace herkomst::fs
