#include "scanner/fs/authenticode_verify.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <utility>

#include "scanner/fs/authenticode_digest.hpp"
#include "scanner/fs/der_reader.hpp"

namespace herkomst::fs {

namespace {

constexpr std::string_view kSpcIndirectData = "1.3.6.1.4.1.311.2.1.4";
constexpr std::string_view kSpcNestedSignature = "1.3.6.1.4.1.311.2.4.1";
constexpr std::string_view kRfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";
constexpr std::string_view kCounterSignature = "1.2.840.113549.1.9.6";

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};
using Pkcs7 = std::unique_ptr<PKCS7, Deleter<PKCS7_free>>;
using SignerInfo = std::unique_ptr<PKCS7_SIGNER_INFO, Deleter<PKCS7_SIGNER_INFO_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using TstInfo = std::unique_ptr<TS_TST_INFO, Deleter<TS_TST_INFO_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
struct X509StackFree {
  void operator()(STACK_OF(X509)* s) const { sk_X509_free(s); }  // the certificates belong to the PKCS7
};
struct OpenSslBytesFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};

std::string_view view(const ASN1_STRING* s) {
  if (!s || !ASN1_STRING_get0_data(s) || ASN1_STRING_length(s) <= 0) return {};
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

std::string oid_text(const ASN1_OBJECT* object) {
  char buffer[128];
  const int n = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
  if (n <= 0) return {};
  return std::string(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buffer - 1));
}

// The first OpenSSL error as text, and the error queue emptied.
std::string openssl_error(std::string_view fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(fallback);
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

Pkcs7 decode_pkcs7(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Pkcs7 p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (p7 && (!PKCS7_type_is_signed(p7.get()) || !p7->d.sign || !p7->d.sign->contents)) p7.reset();
  return p7;
}

// The DER of an attribute value that is a SEQUENCE (a ContentInfo or a SignerInfo).
std::string_view sequence_der(const ASN1_TYPE* value) {
  if (!value || value->type != V_ASN1_SEQUENCE) return {};
  return view(value->value.sequence);
}

// The hash of `data` with the digest algorithm `algorithm`; nullopt when OpenSSL has none.
std::optional<std::string> hash_with(const ASN1_OBJECT* algorithm, std::string_view data) {
  const EVP_MD* md = algorithm ? EVP_get_digestbyobj(algorithm) : nullptr;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!md || EVP_Digest(data.data(), data.size(), out, &length, md, nullptr) != 1) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::int64_t unix_time(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue,
//   messageDigest DigestInfo ::= SEQUENCE { AlgorithmIdentifier, digest OCTET STRING } }
struct IndirectData {
  std::string_view value;       // the SEQUENCE's value bytes: what messageDigest hashes
  std::string_view algorithm;   // OID content bytes
  std::string_view digest;
};

std::optional<IndirectData> parse_indirect_data(std::string_view der) {
  std::string_view in = der;
  const auto outer = der_expect(in, kDerSequence);
  if (!outer) return std::nullopt;
  std::string_view body = outer->content;
  if (!der_expect(body, kDerSequence)) return std::nullopt;  // SpcAttributeTypeAndOptionalValue
  const auto digest_info = der_expect(body, kDerSequence);
  if (!digest_info) return std::nullopt;
  std::string_view d = digest_info->content;
  const auto algorithm_identifier = der_expect(d, kDerSequence);
  const auto digest = der_expect(d, kDerOctetString);
  if (!algorithm_identifier || !digest) return std::nullopt;
  std::string_view a = algorithm_identifier->content;
  const auto oid = der_expect(a, kDerOid);
  if (!oid) return std::nullopt;
  return IndirectData{outer->content, oid->content, digest->content};
}

// The Authenticode digests of the image, each computed once (nested signatures share them).
class ImageDigests {
 public:
  ImageDigests(const FileReader& file, const PeFile& pe) : file_(file), pe_(pe) {}
  const std::variant<std::string, PeError>& get(DigestAlgorithm algorithm) {
    auto it = cache_.find(algorithm);
    if (it == cache_.end()) it = cache_.emplace(algorithm, authenticode_image_digest(file_, pe_, algorithm)).first;
    return it->second;
  }

 private:
  const FileReader& file_;
  const PeFile& pe_;
  std::map<DigestAlgorithm, std::variant<std::string, PeError>> cache_;
};

struct Context {
  ImageDigests digests;
  std::uint64_t file_size = 0;
  const AuthenticodeOptions& options;
  X509_STORE* store = nullptr;  // null: the chain is not checked
  std::string store_error;
};

// Checks the messageDigest signed attribute against `content`, then the signature; empty when both hold.
std::string signature_problem(PKCS7* p7, PKCS7_SIGNER_INFO* si, std::string_view content) {
  const ASN1_OCTET_STRING* md = PKCS7_digest_from_attributes(PKCS7_get_signed_attributes(si));
  if (!md) return "no messageDigest signed attribute";
  const auto expected = hash_with(si->digest_alg ? si->digest_alg->algorithm : nullptr, content);
  if (!expected) return "SignerInfo digest algorithm not supported";
  if (*expected != view(md)) return "messageDigest attribute is not the hash of SpcIndirectDataContent";
  // PKCS7_verify leaks its input BIO when PKCS7_dataInit fails (an unknown digest algorithm) and
  // frees only the first of several digest BIOs: exactly one known algorithm is required first.
  STACK_OF(X509_ALGOR)* algorithms = p7->d.sign->md_algs;
  if (sk_X509_ALGOR_num(algorithms) != 1 || !sk_X509_ALGOR_value(algorithms, 0) ||
      !EVP_get_digestbyobj(sk_X509_ALGOR_value(algorithms, 0)->algorithm))
    return "digestAlgorithms must name exactly one supported algorithm";
  Bio in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  if (!in) return "out of memory";
  const int ok = PKCS7_verify(p7, nullptr, nullptr, in.get(), nullptr, PKCS7_NOVERIFY);
  if (ok != 1) return pe_concat("signature does not verify: ", openssl_error("PKCS7_verify failed"));
  ERR_clear_error();
  return {};
}

// Verifies a SignerInfo's signature over its DER-encoded signed attributes with `cert`'s key.
bool attributes_verify(PKCS7_SIGNER_INFO* si, X509* cert) {
  if (!si->auth_attr || !si->enc_digest || !si->digest_alg || !cert) return false;
  unsigned char* der = nullptr;
  const int n = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(si->auth_attr), &der, ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
  std::unique_ptr<unsigned char, OpenSslBytesFree> owned(der);
  const EVP_MD* md = EVP_get_digestbyobj(si->digest_alg->algorithm);
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY* key = X509_get0_pubkey(cert);
  const bool ok = n > 0 && md && ctx && key && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), si->enc_digest->data, static_cast<std::size_t>(si->enc_digest->length),
                                   der, static_cast<std::size_t>(n)) == 1;
  ERR_clear_error();
  return ok;
}

std::string name_of(const X509_NAME* name) {
  std::string cn = x509_name_entry(name, NID_commonName);
  return cn.empty() ? x509_name_entry(name, NID_organizationName) : cn;
}

// A PKCS#9 counter-signature: a SignerInfo over the hash of the outer signature value.
std::optional<AuthenticodeTimestamp> counter_signature(PKCS7* outer, std::string_view der, std::string_view signature) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  SignerInfo cs(d2i_PKCS7_SIGNER_INFO(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!cs || !cs->issuer_and_serial) return std::nullopt;
  AuthenticodeTimestamp t;
  t.kind = "authenticode";
  const ASN1_TYPE* when = PKCS7_get_signed_attribute(cs.get(), NID_pkcs9_signingTime);
  if (when && (when->type == V_ASN1_UTCTIME || when->type == V_ASN1_GENERALIZEDTIME)) {
    t.time = asn1_time_iso8601(when->value.utctime);
    t.unix_time = unix_time(when->value.utctime);
  }
  const ASN1_OCTET_STRING* md = PKCS7_digest_from_attributes(PKCS7_get_signed_attributes(cs.get()));
  const auto expected = hash_with(cs->digest_alg ? cs->digest_alg->algorithm : nullptr, signature);
  t.bound = md && expected && *expected == view(md);
  X509* cert = X509_find_by_issuer_and_serial(outer->d.sign->cert, cs->issuer_and_serial->issuer,
                                              cs->issuer_and_serial->serial);
  if (cert) t.tsa = name_of(X509_get_subject_name(cert));
  t.signature_ok = cert && attributes_verify(cs.get(), cert);
  return t;
}

// An RFC 3161 TimeStampToken: SignedData over a TSTInfo whose messageImprint hashes the signature value.
std::optional<AuthenticodeTimestamp> rfc3161_timestamp(std::string_view der, std::string_view signature) {
  Pkcs7 token = decode_pkcs7(der);
  if (!token) return std::nullopt;
  TstInfo info(PKCS7_to_TS_TST_INFO(token.get()));
  ERR_clear_error();
  if (!info) return std::nullopt;
  AuthenticodeTimestamp t;
  t.kind = "rfc3161";
  t.time = asn1_time_iso8601(TS_TST_INFO_get_time(info.get()));
  t.unix_time = unix_time(TS_TST_INFO_get_time(info.get()));
  const GENERAL_NAME* tsa = TS_TST_INFO_get_tsa(info.get());
  if (tsa && tsa->type == GEN_DIRNAME) t.tsa = name_of(tsa->d.directoryName);
  std::unique_ptr<STACK_OF(X509), X509StackFree> signers(PKCS7_get0_signers(token.get(), nullptr, 0));
  ERR_clear_error();
  if (t.tsa.empty() && signers && sk_X509_num(signers.get()) > 0)
    t.tsa = name_of(X509_get_subject_name(sk_X509_value(signers.get(), 0)));
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const X509_ALGOR* algorithm = imprint ? TS_MSG_IMPRINT_get_algo(imprint) : nullptr;
  const auto expected = hash_with(algorithm ? algorithm->algorithm : nullptr, signature);
  t.bound = imprint && expected && *expected == view(TS_MSG_IMPRINT_get_msg(imprint));
  t.signature_ok = PKCS7_verify(token.get(), nullptr, nullptr, nullptr, nullptr, PKCS7_NOVERIFY) == 1;
  ERR_clear_error();
  return t;
}

// Each value of each unauthenticated attribute `oid` of `si`, as DER, at most kMaxNestedSignatures.
std::vector<std::string_view> unsigned_values(PKCS7_SIGNER_INFO* si, std::string_view oid) {
  std::vector<std::string_view> out;
  const int count = X509at_get_attr_count(si->unauth_attr);
  for (int i = 0; i < count && out.size() < kMaxNestedSignatures; ++i) {
    X509_ATTRIBUTE* attribute = X509at_get_attr(si->unauth_attr, i);
    if (!attribute || oid_text(X509_ATTRIBUTE_get0_object(attribute)) != oid) continue;
    for (int v = 0; v < X509_ATTRIBUTE_count(attribute) && out.size() < kMaxNestedSignatures; ++v) {
      const std::string_view der = sequence_der(X509_ATTRIBUTE_get0_type(attribute, v));
      if (!der.empty()) out.push_back(der);
    }
  }
  return out;
}

void read_timestamps(PKCS7* p7, PKCS7_SIGNER_INFO* si, AuthenticodeSignature& s) {
  const std::string_view signature = view(si->enc_digest);
  for (std::string_view der : unsigned_values(si, kCounterSignature)) {
    if (auto t = counter_signature(p7, der, signature)) s.timestamps.push_back(std::move(*t));
  }
  for (std::string_view der : unsigned_values(si, kRfc3161Timestamp)) {
    if (auto t = rfc3161_timestamp(der, signature)) s.timestamps.push_back(std::move(*t));
  }
}

void check_chain(PKCS7* p7, X509* signer, Context& context, AuthenticodeSignature& s) {
  if (!context.store) {
    s.chain_reason = context.store_error.empty() ? "no trust store given" : context.store_error;
    return;
  }
  StoreCtx ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), context.store, signer, p7->d.sign->cert) != 1) {
    s.chain_reason = openssl_error("X509_STORE_CTX_init failed");
    return;
  }
  for (const AuthenticodeTimestamp& t : s.timestamps) {
    if (t.bound && t.signature_ok && t.unix_time != 0) {
      X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(t.unix_time));  // valid when timestamped
      break;
    }
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    s.chain = ChainStatus::trusted;
  } else {
    s.chain = ChainStatus::untrusted;
    s.chain_reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  }
  ERR_clear_error();
}

// The image digest step: the status once the signature itself holds.
void check_image(const IndirectData& data, Context& context, AuthenticodeSignature& s) {
  const auto algorithm = digest_algorithm_from_oid(data.algorithm);
  if (!algorithm) {
    s.status = SignatureStatus::unsupported;
    s.reason = pe_concat("image digest algorithm ", hex_bytes(data.algorithm), " (OID bytes) not supported");
    return;
  }
  s.digest_algorithm = std::string(to_string(*algorithm));
  s.signed_digest = hex_bytes(data.digest);
  if (context.file_size > context.options.max_image_bytes) {
    s.status = SignatureStatus::not_checked;
    s.reason = pe_concat("file too large: ", std::to_string(context.file_size), " bytes, limit ",
                         std::to_string(context.options.max_image_bytes), "; the PKCS#7 signature verifies, the image digest was not computed");
    return;
  }
  const auto& digest = context.digests.get(*algorithm);
  if (const auto* e = std::get_if<PeError>(&digest)) {
    s.status = SignatureStatus::unsupported;
    s.reason = pe_concat("image digest not computed: ", e->to_string());
    return;
  }
  s.image_digest = hex_bytes(std::get<std::string>(digest));
  if (std::get<std::string>(digest) != data.digest) {
    s.status = SignatureStatus::digest_mismatch;
    s.reason = "the image digest is not the signed one: the file was changed after signing";
    return;
  }
  s.status = SignatureStatus::valid;
}

// One SignedData: signer, signature, timestamps, image digest, chain; an error only for a PKCS#7
// without a usable signer certificate.
std::variant<AuthenticodeSignature, PeError> check_signed_data(PKCS7* p7, Context& context) {
  STACK_OF(PKCS7_SIGNER_INFO)* infos = PKCS7_get_signer_info(p7);
  if (!infos || sk_PKCS7_SIGNER_INFO_num(infos) != 1) return PeError{0, "Authenticode needs exactly one SignerInfo"};
  PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(infos, 0);
  std::unique_ptr<STACK_OF(X509), X509StackFree> signers(PKCS7_get0_signers(p7, nullptr, 0));
  ERR_clear_error();
  if (!signers || sk_X509_num(signers.get()) < 1) return PeError{0, "signer certificate not in the signature"};
  X509* cert = sk_X509_value(signers.get(), 0);
  AuthenticodeSignature s;
  s.signer = signer_of(cert);
  read_timestamps(p7, si, s);
  const std::string content_type = oid_text(p7->d.sign->contents->type);
  if (content_type != kSpcIndirectData) {
    s.status = SignatureStatus::unsupported;
    s.reason = pe_concat("signed content ", content_type, " is not SpcIndirectDataContent");
    return s;
  }
  const auto data = parse_indirect_data(sequence_der(p7->d.sign->contents->d.other));
  if (!data) {
    s.status = SignatureStatus::bad_signature;
    s.reason = "malformed SpcIndirectDataContent";
    return s;
  }
  if (std::string problem = signature_problem(p7, si, data->value); !problem.empty()) {
    s.status = SignatureStatus::bad_signature;
    s.reason = std::move(problem);
  } else {
    check_image(*data, context, s);
  }
  check_chain(p7, cert, context, s);
  return s;
}

std::vector<AuthenticodeSignature> nested_signatures(PKCS7* p7, Context& context) {
  std::vector<AuthenticodeSignature> out;
  for (std::string_view der : unsigned_values(sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0), kSpcNestedSignature)) {
    Pkcs7 nested = decode_pkcs7(der);
    AuthenticodeSignature s;
    if (!nested) {
      s.status = SignatureStatus::bad_signature;
      s.reason = "nested signature is not a DER PKCS#7 SignedData";
      out.push_back(std::move(s));
      continue;
    }
    auto checked = check_signed_data(nested.get(), context);
    if (auto* e = std::get_if<PeError>(&checked)) {
      s.status = SignatureStatus::bad_signature;
      s.reason = pe_concat("nested signature: ", e->message);
      out.push_back(std::move(s));
    } else {
      out.push_back(std::get<AuthenticodeSignature>(std::move(checked)));
    }
  }
  return out;
}

Store load_store(const std::string& path, std::string& error) {
  Store store(X509_STORE_new());
  if (!store) return nullptr;
  std::error_code ec;
  const bool ok = std::filesystem::is_directory(path, ec) ? X509_STORE_load_path(store.get(), path.c_str()) == 1
                                                          : X509_STORE_load_file(store.get(), path.c_str()) == 1;
  ERR_clear_error();
  if (!ok) {
    error = pe_concat("trust store ", path, " could not be read");
    return nullptr;
  }
  return store;
}

}  // namespace

struct TrustStore::Impl {
  Store store;
};

std::variant<TrustStore, std::string> load_trust_store(const std::string& path) {
  std::string error;
  Store store = load_store(path, error);
  if (!store) return error.empty() ? pe_concat("trust store ", path, ": out of memory") : error;
  auto impl = std::make_shared<TrustStore::Impl>();
  impl->store = std::move(store);
  return TrustStore(std::move(impl));
}

std::string_view to_string(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::valid: return "valid";
    case SignatureStatus::digest_mismatch: return "digest-mismatch";
    case SignatureStatus::bad_signature: return "bad-signature";
    case SignatureStatus::unsupported: return "unsupported";
    case SignatureStatus::not_checked: return "not-checked";
  }
  return "not-checked";
}

std::string_view to_string(ChainStatus status) {
  switch (status) {
    case ChainStatus::trusted: return "trusted";
    case ChainStatus::untrusted: return "untrusted";
    case ChainStatus::not_checked: return "not-checked";
  }
  return "not-checked";
}

std::variant<std::optional<AuthenticodeVerification>, PeError> verify_authenticode(
    const FileReader& file, const PeFile& pe, const AuthenticodeOptions& options) {
  auto blob = read_certificate_blob(file, pe);
  if (auto* e = std::get_if<PeError>(&blob)) return *e;
  const auto& b = std::get<std::optional<CertificateBlob>>(blob);
  if (!b) return std::optional<AuthenticodeVerification>{};
  Pkcs7 p7 = decode_pkcs7(b->der);
  if (!p7) return PeError{b->offset, "not a DER PKCS#7 SignedData structure"};
  Context context{ImageDigests(file, pe), pe.file_size, options, nullptr, {}};
  Store store;
  if (options.store) {
    context.store = options.store->impl().store.get();
  } else if (!options.trust_store.empty()) {
    store = load_store(options.trust_store, context.store_error);
    context.store = store.get();
  }
  auto primary = check_signed_data(p7.get(), context);
  if (auto* e = std::get_if<PeError>(&primary)) return PeError{b->offset, e->message};
  AuthenticodeVerification v;
  v.offset = b->offset;
  v.signatures.push_back(std::get<AuthenticodeSignature>(std::move(primary)));
  for (AuthenticodeSignature& nested : nested_signatures(p7.get(), context)) v.signatures.push_back(std::move(nested));
  return std::optional<AuthenticodeVerification>(std::move(v));
}

}  // namespace herkomst::fs
