// The Windows PE cataloger: one Package per .exe/.dll/.sys/.ocx/.cpl/.scr/.drv/.efi file with a
// version resource (pe_version_info.hpp), or, without one, when it carries an Authenticode
// signature (authenticode.hpp). Reads the headers, the path down the resource tree, the
// version resource and the certificate table (a few KB); a signed file is also hashed whole, in
// bounded chunks, to verify its signature (authenticode_verify.hpp), up to
// AuthenticodeOptions::max_image_bytes.
//
// Package: ecosystem generic, name = ProductName (else FileDescription, OriginalFilename, the file
// name), version = ProductVersion (else FileVersion, else VS_FIXEDFILEINFO's product version),
// PURL pkg:generic/<name>@<version>; supplier = CompanyName (field "CompanyName"); the signer's O
// as further vendor evidence ("Authenticode signer O", kPeSignerConfidence, above CompanyName's,
// when the signature is valid: a verified signature is harder to fake than a string in a
// resource; kPeUnverifiedSignerConfidence, below CompanyName's, when it could not be checked
// (not-checked, unsupported); no claim at all when the digest does not match or the signature
// is bad: anyone can copy a certificate into a file); the same for each nested signer with
// another O. The verification lands in "pe.signature.*" properties. CPE 2.3 from CompanyName
// (else the claimed signer O), the name and the version (cpe.hpp). Specs in pe_file.hpp and the
// headers above.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kPeCataloger = "pe-version-info";
inline constexpr double kPeConfidence = 0.85;        // the file's own version resource
inline constexpr double kPeSignerConfidence = 0.8;   // manufacturer.name from a valid signature's signer O
inline constexpr double kPeUnverifiedSignerConfidence = 0.5;  // ... from a signature not (fully) checked
inline constexpr std::uint64_t kPeMaxBytes = 4ull << 30;  // reads are bounded, not the file

// Extensions (lower case) the cataloger takes; the globs list each in lower, UPPER and Capitalised
// form (the walk's globs are case-sensitive), and the file must start with "MZ".
inline constexpr std::string_view kPeExtensions[] = {"exe", "dll", "sys", "ocx", "cpl", "scr", "drv", "efi"};

struct AuthenticodeOptions;

ParseResult parse_pe(const FileReader& file, const std::string& path);  // default options: no trust store
ParseResult parse_pe_with(const FileReader& file, const std::string& path, const AuthenticodeOptions& options);

}  // namespace herkomst::fs
