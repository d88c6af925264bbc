// Installed Python distributions: <name>-<version>.dist-info/METADATA (wheels, PEP 376/627) and
// <name>.egg-info/PKG-INFO or a PKG-INFO-format <name>.egg-info file (setuptools, distutils).
// Both are core metadata (packaging.python.org "Core metadata specifications"): RFC 822 email
// headers, then a blank line and the long description, which is not read.
//
// Fields read: Name and Version (required), Author, Author-email, Maintainer, Maintainer-email
// (the supplier text: the first present, in that order), License-Expression, else a one-line
// License, else the "License :: OSI Approved :: X" classifiers. PURL pkg:pypi/<name>@<version>,
// the name lower-cased with '_' as '-'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kPythonCataloger = "python-dist-info";
inline constexpr double kPythonConfidence = 0.9;  // the installer's record of an installed distribution
// Only the headers are needed: the walker reads this much of a file, whatever its size.
inline constexpr std::uint64_t kPythonMetadataReadBytes = 1ull << 20;

ParseResult parse_python_metadata(std::string_view text, const std::string& file);

}  // namespace herkomst::fs
