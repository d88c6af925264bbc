// The distribution a root filesystem is: os-release(5) (etc/os-release, usr/lib/os-release;
// https://www.freedesktop.org/software/systemd/man/latest/os-release.html): shell-style KEY=value
// lines, values optionally quoted with " or ' (backslash escapes inside double quotes).
//
// The os-release cataloger reports the distribution as an operating-system package (ID, VERSION_ID,
// PRETTY_NAME). apply_distro() then gives the deb, rpm and apk packages of the same root
// filesystem their PURL namespace (the os-release ID: "debian", "ubuntu", "alpine", "rhel") and
// the "distro" qualifier ("debian-12.4"), as trivy and syft write them. etc/os-release is usually
// a symbolic link to ../usr/lib/os-release, which the walk does not follow: both paths are globbed
// and the regular file is read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kOsReleaseCataloger = "os-release";
inline constexpr double kOsReleaseConfidence = 0.95;
inline constexpr std::uint64_t kOsReleaseMaxBytes = 64u << 10;

// KEY -> value, unquoted. Malformed lines are errors (the others kept).
std::map<std::string, std::string> parse_os_release_fields(std::string_view text, const std::string& file,
                                                           ParseResult& result);

// One operating-system package (name = ID, version = VERSION_ID or BUILD_ID) or an error.
ParseResult parse_os_release(std::string_view text, const std::string& file);

// The root a package database or os-release file belongs to: its path with the well-known tail
// removed ("srv/rootfs/var/lib/dpkg/status" -> "srv/rootfs/"); nullopt-like empty + false when the
// path is not one of them.
bool system_root_of(std::string_view path, std::string& root);

// Sets namespace and distro on the deb/rpm/apk packages whose database lies in a root with an
// os-release among `packages`, and recomputes their PURLs.
void apply_distro(std::vector<Package>& packages);

}  // namespace herkomst::fs
