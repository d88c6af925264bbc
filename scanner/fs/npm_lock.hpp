// npm packages: the lock file a project keeps (package-lock.json, npm-shrinkwrap.json) and the
// package.json of each installed package under node_modules/ (docs.npmjs.com, "package-lock.json"
// and "package.json").
//
// Lock files: lockfileVersion 2 and 3 list every package in "packages", keyed by its folder
// ("node_modules/@babel/core", "node_modules/a/node_modules/b"); the name is the part after the
// last "node_modules/" unless the entry says "name" (an alias). The root entry "" is the project
// itself (reported as the application when it has a name and a version); "link": true entries
// (workspaces) are skipped, their target folder is listed on its own. lockfileVersion 1 has only
// the nested "dependencies" tree, which is walked instead. Fields: name, version, license
// (a string, or the legacy {"type": ...}).
// package.json: name and version (required), author (a string "Name <email> (url)" or an object
// with "name"), license (string, {"type"} or the legacy "licenses" array).
// PURL pkg:npm/<scope>/<name>@<version>, "@scope" percent-encoded as "%40scope".
// JSON nested deeper than kMaxJsonDepth is refused (no manifest needs it; it bounds the work).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kNpmLockCataloger = "npm-lock";
inline constexpr std::string_view kNpmPackageCataloger = "npm-package-json";
inline constexpr double kNpmLockConfidence = 0.8;     // declared by the lock; installed if `npm ci` ran
inline constexpr double kNpmPackageConfidence = 0.9;  // the installed package's own manifest
inline constexpr std::uint64_t kNpmLockMaxBytes = 64ull << 20;
inline constexpr std::uint64_t kNpmPackageJsonMaxBytes = 1ull << 20;
inline constexpr int kMaxJsonDepth = 64;

ParseResult parse_npm_lock(std::string_view text, const std::string& file);
ParseResult parse_npm_package_json(std::string_view text, const std::string& file);

}  // namespace herkomst::fs
