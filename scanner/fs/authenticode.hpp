// The Authenticode signature of a PE file: the WIN_CERTIFICATE in the certificate table (data
// directory 4, whose address is a FILE offset, not an RVA), type 0x0002 = PKCS#7 SignedData,
// parsed with OpenSSL: the signer's certificate (the SignerInfo's issuer and serial matched in
// the certificates the signature carries) gives subject O, C, CN, issuer CN, O, the serial and
// the validity period.
//
// Specs: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format ("The Attribute
// Certificate Table"), Authenticode: https://learn.microsoft.com/en-us/windows-hardware/drivers/install/authenticode
// (Windows Authenticode Portable Executable Signature Format), PKCS#7: RFC 2315.
//
// NOT verified: the signature, the certificate chain and the Authenticode digest of the image
// are not checked (computing the digest needs the whole file); this says who signed, not that the
// file is unchanged. Only the first certificate entry is read, at most kMaxCertificateBytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "scanner/fs/pe_file.hpp"

namespace herkomst::fs {

inline constexpr std::size_t kMaxCertificateBytes = 1 << 20;

struct AuthenticodeSigner {
  std::string subject_o, subject_c, subject_cn;
  std::string issuer_cn, issuer_o;
  std::string serial;       // upper-case hex, as `openssl x509 -serial` prints it
  std::string not_before;   // ISO 8601 UTC: "2026-12-03T10:40:00Z"
  std::string not_after;
};

// The signer of a DER PKCS#7 SignedData blob.
std::variant<AuthenticodeSigner, PeError> parse_pkcs7_signer(std::string_view der);

// The signer of a PE file; nullopt when the file has no certificate table.
std::variant<std::optional<AuthenticodeSigner>, PeError> read_authenticode(const FileReader& file, const PeFile& pe);

}  // namespace herkomst::fs
