// Alpine's database of installed packages: lib/apk/db/installed (apk-tools, the "installed"
// database): one paragraph per package, paragraphs separated by blank lines, every line
// `X:value` with a one-character field name. Fields read: P name, V version, A arch, L license,
// m maintainer (the supplier, field "maintainer"); o origin and U url are recognised but the
// package model has no place for them yet. The other lines (F, R, Z, a, M, ... the file list)
// are skipped. PURL pkg:apk/alpine/<name>@<version>?arch=<arch> (os-release is not read yet).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kApkInstalledCataloger = "apk-installed";
inline constexpr double kApkConfidence = 0.95;  // apk's own record of an installed package
inline constexpr std::uint64_t kApkInstalledMaxBytes = 64ull << 20;
inline constexpr std::size_t kApkMaxLineBytes = 64u << 10;  // a longer line is an error, ignored

struct ApkOptions {
  std::string vendor = "alpine";  // PURL namespace
};

ParseResult parse_apk_installed(std::string_view text, const std::string& file, const ApkOptions& options = {});

}  // namespace herkomst::fs
