// dpkg's database of installed packages: var/lib/dpkg/status (one deb822 paragraph per package,
// dpkg-query(1), deb-control(5)) and var/lib/dpkg/status.d/* (one file per package, as
// distroless images write them, without a Status field).
//
// A paragraph is reported when its Status (want flag state, dpkg(1)) has the state "installed":
// "install ok installed" above all, also "hold ok installed" and "deinstall ok installed" (files
// still on disk), so the count matches `dpkg-query -W -f='${db:Status-Status}'` = installed.
// Other states (config-files, not-installed, half-installed, ...) are counted in `skipped`.
// Fields read: Package, Version, Architecture, Maintainer, Status. PURL pkg:deb/<vendor>/<name>@
// <version>?arch=<arch>, the vendor "debian" unless told otherwise (os-release is not read yet).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kDpkgStatusCataloger = "dpkg-status";
inline constexpr double kDpkgConfidence = 0.95;  // dpkg's own record of an installed package
inline constexpr std::uint64_t kDpkgStatusMaxBytes = 64ull << 20;

struct DpkgOptions {
  bool require_status = true;       // false for status.d/* files, which have no Status field
  std::string vendor = "debian";    // PURL namespace
};

ParseResult parse_dpkg_status(std::string_view text, const std::string& file, const DpkgOptions& options = {});

}  // namespace herkomst::fs
