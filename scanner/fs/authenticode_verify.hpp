// Verification of a PE file's Authenticode signature, offline, with OpenSSL:
//  1. the signed content is SpcIndirectDataContent (1.3.6.1.4.1.311.2.1.4); its DigestInfo names
//     the image digest algorithm (SHA-1, SHA-256, SHA-384, SHA-512) and the image digest;
//  2. the PKCS#7 signature: the messageDigest signed attribute must be the hash of the
//     SpcIndirectDataContent value (its DER without tag and length), and the SignerInfo's
//     signature over the signed attributes must verify with the signer certificate's key
//     (PKCS7_verify, which calls PKCS7_signatureVerify, without chain building);
//  3. the image digest (authenticode_digest.hpp) must equal the signed one;
//  4. the chain, only when a trust store is given (a PEM file or an OpenSSL hashed directory):
//     X509_verify_cert from the signer through the signature's certificates to a trust anchor, at
//     the timestamp's time when a bound timestamp verifies, else now. No revocation (no CRL or
//     OCSP: offline), no code-signing EKU check. Without a trust store the chain is "not-checked":
//     a valid signature says the file is as its signer signed it, not that the signer is trusted;
//  5. unauthenticated attributes of the SignerInfo: nested signatures (1.3.6.1.4.1.311.2.4.1, each
//     checked as 1-4 over the same image, one level deep), the Authenticode counter-signature
//     (1.2.840.113549.1.9.6: signingTime, its messageDigest must be the hash of the signature
//     value, its signature over its attributes verified with the TSA certificate carried in the
//     signature) and the RFC 3161 timestamp token (1.3.6.1.4.1.311.3.3.1: TSTInfo genTime, tsa,
//     its messageImprint must be the hash of the signature value, the token's own PKCS#7
//     signature verified). Timestamp chains are not checked.
//
// Specs: https://learn.microsoft.com/en-us/windows-hardware/drivers/install/authenticode
// (Windows Authenticode Portable Executable Signature Format), PKCS#7: RFC 2315 (9.3, 9.4:
// message digest and signature over the authenticated attributes, 9.2 counter-signature),
// RFC 3161 (TimeStampToken, TSTInfo).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/fs/authenticode.hpp"
#include "scanner/fs/pe_file.hpp"

namespace herkomst::fs {

inline constexpr std::uint64_t kMaxAuthenticodeImageBytes = 512ull << 20;  // larger: digest not-checked
inline constexpr std::size_t kMaxNestedSignatures = 16;

enum class SignatureStatus { valid, digest_mismatch, bad_signature, unsupported, not_checked };
// "valid", "digest-mismatch", "bad-signature", "unsupported", "not-checked".
std::string_view to_string(SignatureStatus status);

enum class ChainStatus { not_checked, trusted, untrusted };
// "not-checked", "trusted", "untrusted".
std::string_view to_string(ChainStatus status);

struct AuthenticodeTimestamp {
  std::string kind;           // "rfc3161" or "authenticode" (the PKCS#9 counter-signature)
  std::string time;           // ISO 8601 UTC: "2026-12-03T10:40:00Z"
  std::int64_t unix_time = 0;
  std::string tsa;            // TSTInfo's tsa name (CN, else O), else the TSA certificate's subject CN (else O)
  bool bound = false;         // its imprint / messageDigest is the hash of this signature's value
  bool signature_ok = false;  // its own signature verifies (its chain is not checked)
};

struct AuthenticodeSignature {
  AuthenticodeSigner signer;
  std::string digest_algorithm;  // SpcIndirectDataContent's: "sha256"; empty when not read
  std::string signed_digest;     // hex, as signed
  std::string image_digest;      // hex, as computed; empty when not computed
  SignatureStatus status = SignatureStatus::not_checked;
  std::string reason;            // why, when not valid (and the part not checked)
  ChainStatus chain = ChainStatus::not_checked;
  std::string chain_reason;
  std::vector<AuthenticodeTimestamp> timestamps;
};

// CA certificates loaded once (a PEM file or an OpenSSL hashed directory), shared read-only by
// the walk's threads (OpenSSL's X509_STORE locks itself).
class TrustStore {
 public:
  struct Impl;
  explicit TrustStore(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// The trust store at `path`, or why it cannot be read ("trust store PATH could not be read").
std::variant<TrustStore, std::string> load_trust_store(const std::string& path);

struct AuthenticodeOptions {
  // The chain is checked against `store` when set, else against `trust_store` (a path, loaded
  // on each call: for one-off checks); neither: chain not checked.
  std::optional<TrustStore> store;
  std::string trust_store;
  std::uint64_t max_image_bytes = kMaxAuthenticodeImageBytes;
};

struct AuthenticodeVerification {
  std::uint64_t offset = 0;                   // the file offset of the PKCS#7 blob
  std::vector<AuthenticodeSignature> signatures;  // [0] the primary, then the nested ones
};

// The verified signatures of a PE file; nullopt without a certificate table; an error when the
// certificate table or the primary PKCS#7 cannot be read at all (then nothing is claimed).
std::variant<std::optional<AuthenticodeVerification>, PeError> verify_authenticode(
    const FileReader& file, const PeFile& pe, const AuthenticodeOptions& options = {});

}  // namespace herkomst::fs
