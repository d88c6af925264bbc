#include "scanner/fs/pe_cataloger.hpp"

#include <utility>

#include "scanner/fs/authenticode.hpp"
#include "scanner/fs/authenticode_verify.hpp"
#include "scanner/fs/cpe.hpp"
#include "scanner/fs/pe_file.hpp"
#include "scanner/fs/pe_version_info.hpp"

namespace herkomst::fs {

namespace {

// The VERSIONINFO strings kept as properties "pe.<key>".
constexpr std::string_view kKeptStrings[] = {"CompanyName", "ProductName", "FileDescription", "FileVersion",
                                             "ProductVersion", "OriginalFilename", "InternalName", "LegalCopyright"};

std::string first_of(const PeVersionInfo& info, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    const auto it = info.strings.find(std::string(key));
    if (it != info.strings.end() && !it->second.empty()) return it->second;
  }
  return {};
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void add_version_info(Package& p, const PeVersionInfo& info, const std::string& path) {
  for (std::string_view key : kKeptStrings) {
    const auto it = info.strings.find(std::string(key));
    if (it == info.strings.end() || it->second.empty()) continue;
    std::string property = "pe.";
    property += key;
    p.properties[property] = it->second;
  }
  p.name = first_of(info, {"ProductName", "FileDescription", "OriginalFilename"});
  if (p.name.empty()) p.name = base_name(path);
  p.version = first_of(info, {"ProductVersion", "FileVersion"});
  if (p.version.empty() && info.fixed) p.version = to_string(info.fixed->product);
  p.supplier = first_of(info, {"CompanyName"});
  if (!p.supplier.empty()) p.supplier_field = "CompanyName";
}

void add_signer(Package& p, const AuthenticodeSigner& s) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"authenticode.subject.O", &s.subject_o},  {"authenticode.subject.C", &s.subject_c},
      {"authenticode.subject.CN", &s.subject_cn}, {"authenticode.issuer.CN", &s.issuer_cn},
      {"authenticode.issuer.O", &s.issuer_o},    {"authenticode.serial", &s.serial},
      {"authenticode.not-before", &s.not_before}, {"authenticode.not-after", &s.not_after},
  };
  for (const auto& [key, value] : fields) {
    if (!value->empty()) p.properties[key] = *value;
  }
}

// The confidence a signer's O earns as vendor evidence; nullopt when the signature is broken.
std::optional<double> signer_confidence(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::valid: return kPeSignerConfidence;
    case SignatureStatus::not_checked:
    case SignatureStatus::unsupported: return kPeUnverifiedSignerConfidence;
    case SignatureStatus::digest_mismatch:
    case SignatureStatus::bad_signature: return std::nullopt;
  }
  return std::nullopt;
}

// "pe.signature.<key>" (prefix "pe.signature.") or "pe.signature.nested.<n>.<key>".
void add_signature(Package& p, const std::string& prefix, const AuthenticodeSignature& s) {
  const auto put = [&](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    std::string name = prefix;
    name += key;
    p.properties[name] = value;
  };
  put("status", std::string(to_string(s.status)));
  put("reason", s.reason);
  put("digest_algorithm", s.digest_algorithm);
  put("digest", s.signed_digest);
  put("chain", std::string(to_string(s.chain)));
  put("chain_reason", s.chain_reason);
  put("subject_o", s.signer.subject_o);
  put("subject_cn", s.signer.subject_cn);
  put("issuer_cn", s.signer.issuer_cn);
  put("serial", s.signer.serial);
  if (!s.timestamps.empty()) {
    const AuthenticodeTimestamp& t = s.timestamps.front();
    put("timestamp", t.time);
    put("timestamp.kind", t.kind);
    put("timestamp.tsa", t.tsa);
    put("timestamp.verified", t.bound && t.signature_ok ? "true" : "false");
  }
  const auto confidence = signer_confidence(s.status);
  if (!confidence || s.signer.subject_o.empty()) return;
  for (const VendorEvidence& v : p.more_suppliers) {
    if (v.text == s.signer.subject_o) return;
  }
  p.more_suppliers.push_back({s.signer.subject_o, "Authenticode signer O", *confidence});
}

void add_verification(Package& p, const AuthenticodeVerification& v) {
  add_signer(p, v.signatures.front().signer);
  add_signature(p, "pe.signature.", v.signatures.front());
  if (v.signatures.size() < 2) return;
  p.properties["pe.signature.nested.count"] = std::to_string(v.signatures.size() - 1);
  for (std::size_t i = 1; i < v.signatures.size(); ++i) {
    std::string prefix = "pe.signature.nested.";
    prefix += std::to_string(i);
    prefix += '.';
    add_signature(p, prefix, v.signatures[i]);
  }
}

}  // namespace

ParseResult parse_pe(const FileReader& file, const std::string& path) { return parse_pe_with(file, path, {}); }

ParseResult parse_pe_with(const FileReader& file, const std::string& path, const AuthenticodeOptions& options) {
  ParseResult result;
  const auto report = [&](const PeError& e) { result.error(path, 0, e.to_string()); };
  auto headers = read_pe(file);
  if (auto* e = std::get_if<PeError>(&headers)) {
    report(*e);
    return result;
  }
  const PeFile& pe = std::get<PeFile>(headers);

  std::optional<PeVersionInfo> info;
  auto version = read_version_info(file, pe);
  if (auto* e = std::get_if<PeError>(&version)) report(*e);
  else info = std::get<std::optional<PeVersionInfo>>(std::move(version));

  std::optional<AuthenticodeVerification> signer;
  auto signature = verify_authenticode(file, pe, options);
  if (auto* e = std::get_if<PeError>(&signature)) report(*e);
  else signer = std::get<std::optional<AuthenticodeVerification>>(std::move(signature));

  if (!info && !signer) {
    ++result.skipped;  // a PE file that names neither product nor signer
    return result;
  }
  Package p;
  p.ecosystem = Ecosystem::generic;
  p.method = kBinaryAnalysis;
  p.properties["pe.Machine"] = pe_machine_name(pe.machine);
  if (info) {
    add_version_info(p, *info, path);
  } else {
    p.name = base_name(path);
  }
  if (signer) add_verification(p, *signer);
  // Without CompanyName, the CPE vendor is a signer O only when it was kept as a claim.
  const std::string& vendor = !p.supplier.empty() || p.more_suppliers.empty() ? p.supplier : p.more_suppliers.front().text;
  p.cpe = cpe23(vendor, p.name, p.version);
  result.add(std::move(p), kPeCataloger, kPeConfidence, Location{path, 0, {}, {}});
  return result;
}

}  // namespace herkomst::fs
