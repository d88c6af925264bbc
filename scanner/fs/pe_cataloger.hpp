// The Windows PE cataloger: one Package per .exe/.dll/.sys/.ocx/.cpl/.scr/.drv/.efi file with a
// version resource (pe_version_info.hpp), or, without one, when it carries an Authenticode
// signature (authenticode.hpp). Reads only the headers, the path down the resource tree, the
// version resource and the certificate table (a few KB, whatever the file's size).
//
// Package: ecosystem generic, name = ProductName (else FileDescription, OriginalFilename, the file
// name), version = ProductVersion (else FileVersion, else VS_FIXEDFILEINFO's product version),
// PURL pkg:generic/<name>@<version>; supplier = CompanyName (field "CompanyName"); the signer's O
// as further vendor evidence ("Authenticode signer O", kPeSignerConfidence, above CompanyName's:
// a signature is harder to fake than a string in a resource); CPE 2.3 from CompanyName (else the
// signer O), the name and the version (cpe.hpp). Specs in pe_file.hpp and the headers above.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kPeCataloger = "pe-version-info";
inline constexpr double kPeConfidence = 0.85;        // the file's own version resource
inline constexpr double kPeSignerConfidence = 0.8;   // manufacturer.name from the signer O
inline constexpr std::uint64_t kPeMaxBytes = 4ull << 30;  // reads are bounded, not the file

// Extensions (lower case) the cataloger takes; the globs list each in lower, UPPER and Capitalised
// form (the walk's globs are case-sensitive), and the file must start with "MZ".
inline constexpr std::string_view kPeExtensions[] = {"exe", "dll", "sys", "ocx", "cpl", "scr", "drv", "efi"};

ParseResult parse_pe(const FileReader& file, const std::string& path);

}  // namespace herkomst::fs
