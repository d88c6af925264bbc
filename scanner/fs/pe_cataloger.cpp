#include "scanner/fs/pe_cataloger.hpp"

#include <utility>

#include "scanner/fs/authenticode.hpp"
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
  if (!s.subject_o.empty()) p.more_suppliers.push_back({s.subject_o, "Authenticode signer O", kPeSignerConfidence});
}

}  // namespace

ParseResult parse_pe(const FileReader& file, const std::string& path) {
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

  std::optional<AuthenticodeSigner> signer;
  auto signature = read_authenticode(file, pe);
  if (auto* e = std::get_if<PeError>(&signature)) report(*e);
  else signer = std::get<std::optional<AuthenticodeSigner>>(std::move(signature));

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
  if (signer) add_signer(p, *signer);
  const std::string& vendor = !p.supplier.empty() ? p.supplier : (signer ? signer->subject_o : p.supplier);
  p.cpe = cpe23(vendor, p.name, p.version);
  result.add(std::move(p), kPeCataloger, kPeConfidence, Location{path, 0, {}, {}});
  return result;
}

}  // namespace herkomst::fs
