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
// This file says who signed; whether the signature holds (the image digest, the PKCS#7 signature,
// an optional trust store, nested signatures and timestamps) is authenticode_verify.hpp's job.
// Only the first certificate entry is read, at most kMaxCertificateBytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "scanner/fs/pe_file.hpp"

// OpenSSL's types, forward-declared (openssl/types.h) to keep its headers out of this one.
struct x509_st;
struct X509_name_st;
struct asn1_string_st;

namespace herkomst::fs {

inline constexpr std::size_t kMaxCertificateBytes = 1 << 20;

struct AuthenticodeSigner {
  std::string subject_o, subject_c, subject_cn;
  std::string issuer_cn, issuer_o;
  std::string serial;       // upper-case hex, as `openssl x509 -serial` prints it
  std::string not_before;   // ISO 8601 UTC: "2026-12-03T10:40:00Z"
  std::string not_after;
};

// The DER PKCS#7 blob of the first WIN_CERTIFICATE and its file offset.
struct CertificateBlob {
  std::uint64_t offset = 0;
  std::string der;
};
// nullopt when the file has no certificate table.
std::variant<std::optional<CertificateBlob>, PeError> read_certificate_blob(const FileReader& file, const PeFile& pe);

// The fields of a certificate; one entry of an X.509 name as UTF-8; an ASN1_TIME as ISO 8601.
AuthenticodeSigner signer_of(const x509_st* cert);
std::string x509_name_entry(const X509_name_st* name, int nid);
std::string asn1_time_iso8601(const asn1_string_st* time);

// The signer of a DER PKCS#7 SignedData blob.
std::variant<AuthenticodeSigner, PeError> parse_pkcs7_signer(std::string_view der);

// The signer of a PE file; nullopt when the file has no certificate table.
std::variant<std::optional<AuthenticodeSigner>, PeError> read_authenticode(const FileReader& file, const PeFile& pe);

}  // namespace herkomst::fs
