#include "scanner/fs/authenticode.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace herkomst::fs {

namespace {

constexpr std::uint16_t kPkcsSignedData = 0x0002;  // WIN_CERT_TYPE_PKCS_SIGNED_DATA

struct Pkcs7Free {
  void operator()(PKCS7* p) const { PKCS7_free(p); }
};
struct BignumFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct OpenSslFree {
  void operator()(char* p) const { OPENSSL_free(p); }
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using Pkcs7 = std::unique_ptr<PKCS7, Pkcs7Free>;

}  // namespace

std::string x509_name_entry(const X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::unique_ptr<unsigned char, OpenSslFree> owned(utf8);
  return std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
}

std::string asn1_time_iso8601(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  char out[32];
  const std::size_t n = std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(out, n);
}

namespace {

std::string serial_hex(const ASN1_INTEGER* serial) {
  std::unique_ptr<BIGNUM, BignumFree> bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return {};
  std::unique_ptr<char, OpenSslFree> hex(BN_bn2hex(bn.get()));
  return hex ? std::string(hex.get()) : std::string();
}

// The certificate the first SignerInfo names by issuer and serial.
X509* signer_certificate(PKCS7* p7) {
  STACK_OF(PKCS7_SIGNER_INFO)* infos = PKCS7_get_signer_info(p7);
  STACK_OF(X509)* certs = p7->d.sign->cert;
  if (!infos || sk_PKCS7_SIGNER_INFO_num(infos) < 1 || !certs) return nullptr;
  const PKCS7_ISSUER_AND_SERIAL* id = sk_PKCS7_SIGNER_INFO_value(infos, 0)->issuer_and_serial;
  if (!id) return nullptr;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    X509* cert = sk_X509_value(certs, i);
    if (X509_NAME_cmp(X509_get_issuer_name(cert), id->issuer) == 0 &&
        ASN1_INTEGER_cmp(X509_get0_serialNumber(cert), id->serial) == 0)
      return cert;
  }
  return nullptr;
}

}  // namespace

std::variant<AuthenticodeSigner, PeError> parse_pkcs7_signer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Pkcs7 p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
  if (!p7) return PeError{0, "not a DER PKCS#7 structure"};
  if (!PKCS7_type_is_signed(p7.get()) || !p7->d.sign) return PeError{0, "PKCS#7 is not SignedData"};
  X509* cert = signer_certificate(p7.get());  // owned by p7
  if (!cert) return PeError{0, "signer certificate not in the signature"};
  return signer_of(cert);
}

AuthenticodeSigner signer_of(const X509* cert) {
  AuthenticodeSigner s;
  const X509_NAME* subject = X509_get_subject_name(cert);
  const X509_NAME* issuer = X509_get_issuer_name(cert);
  s.subject_o = x509_name_entry(subject, NID_organizationName);
  s.subject_c = x509_name_entry(subject, NID_countryName);
  s.subject_cn = x509_name_entry(subject, NID_commonName);
  s.issuer_cn = x509_name_entry(issuer, NID_commonName);
  s.issuer_o = x509_name_entry(issuer, NID_organizationName);
  s.serial = serial_hex(X509_get0_serialNumber(cert));
  s.not_before = asn1_time_iso8601(X509_get0_notBefore(cert));
  s.not_after = asn1_time_iso8601(X509_get0_notAfter(cert));
  return s;
}

std::variant<std::optional<CertificateBlob>, PeError> read_certificate_blob(const FileReader& file, const PeFile& pe) {
  const PeDataDirectory& table = pe.security;
  if (table.address == 0 || table.size == 0) return std::optional<CertificateBlob>{};
  const std::uint64_t at = table.address;  // a file offset
  if (table.size < 8 || at + table.size > pe.file_size) return PeError{at, "certificate table outside the file"};
  const std::string head = file.read(at, 8);
  if (head.size() < 8) return PeError{at, "truncated WIN_CERTIFICATE"};
  const std::uint32_t length = le32(head, 0);
  const std::uint16_t type = le16(head, 6);
  if (length < 8 || length > table.size) return PeError{at, "WIN_CERTIFICATE dwLength outside the certificate table"};
  if (type != kPkcsSignedData) return PeError{at + 6, "WIN_CERTIFICATE type is not PKCS#7 SignedData"};
  if (length - 8 > kMaxCertificateBytes) return PeError{at, "WIN_CERTIFICATE larger than 1 MiB"};
  std::string der = file.read(at + 8, length - 8);
  if (der.size() < length - 8) return PeError{at + 8 + der.size(), "truncated certificate"};
  return std::optional<CertificateBlob>(CertificateBlob{at + 8, std::move(der)});
}

std::variant<std::optional<AuthenticodeSigner>, PeError> read_authenticode(const FileReader& file, const PeFile& pe) {
  auto blob = read_certificate_blob(file, pe);
  if (auto* e = std::get_if<PeError>(&blob)) return *e;
  const auto& b = std::get<std::optional<CertificateBlob>>(blob);
  if (!b) return std::optional<AuthenticodeSigner>{};
  auto signer = parse_pkcs7_signer(b->der);
  if (auto* e = std::get_if<PeError>(&signer)) return PeError{b->offset + e->offset, e->message};
  return std::optional<AuthenticodeSigner>(std::get<AuthenticodeSigner>(std::move(signer)));
}

}  // namespace herkomst::fs
