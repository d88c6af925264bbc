// The Authenticode image digest of a PE file: the hash Windows compares with the one signed in
// SpcIndirectDataContent. Hashed, in file order: the bytes from 0 to the optional header's
// CheckSum, then to the certificate-table data directory entry (directory 4), then from after
// that entry to the start of the certificate table (or to the end of an unsigned file); the
// CheckSum (4 bytes), the directory entry (8 bytes) and the certificate table are left out.
// Hashing everything before the certificate table in file order covers the headers, every
// section's raw data and trailing data (the spec's steps 9-14, "extra data" included), and is
// what osslsigncode and Windows compute for files whose certificate table is at the end.
// Data AFTER the certificate table is refused (an error value): Windows does not accept it.
//
// Spec: https://learn.microsoft.com/en-us/windows-hardware/drivers/install/authenticode
// (Windows Authenticode Portable Executable Signature Format, "Calculating the PE Image Hash"),
// https://learn.microsoft.com/en-us/windows/win32/debug/pe-format (optional header fields).
//
// Read through the FileReader in chunks of kDigestChunkBytes; files larger than the caller's
// limit are not hashed (the verifier reports "not-checked").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "scanner/fs/pe_file.hpp"

namespace herkomst::fs {

inline constexpr std::size_t kDigestChunkBytes = 1 << 20;

enum class DigestAlgorithm { sha1, sha256, sha384, sha512 };

// "sha1", "sha256", "sha384", "sha512".
std::string_view to_string(DigestAlgorithm algorithm);
// The algorithm of a DER OBJECT IDENTIFIER's content bytes (1.3.14.3.2.26, 2.16.840.1.101.3.4.2.1
// to .3); nullopt for others (MD5 and the rest are not supported).
std::optional<DigestAlgorithm> digest_algorithm_from_oid(std::string_view oid_content);

// The digest (raw bytes) of `bytes`.
std::string digest_bytes(DigestAlgorithm algorithm, std::string_view bytes);

// The Authenticode digest (raw bytes) of the PE file, or where it could not be computed.
std::variant<std::string, PeError> authenticode_image_digest(const FileReader& file, const PeFile& pe,
                                                             DigestAlgorithm algorithm);

// Lower-case hex of raw bytes.
std::string hex_bytes(std::string_view bytes);

}  // namespace herkomst::fs
