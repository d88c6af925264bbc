#include "scanner/fs/rpm_header.hpp"

#include <cstring>
#include <optional>

namespace herkomst::fs {

namespace {

constexpr std::uint32_t kTagName = 1000, kTagVersion = 1001, kTagRelease = 1002, kTagEpoch = 1003,
                        kTagVendor = 1011, kTagLicense = 1014, kTagPackager = 1015, kTagArch = 1022;
constexpr std::uint32_t kTypeInt32 = 4, kTypeString = 6, kTypeI18nString = 9;
constexpr std::uint64_t kMaxIndexEntries = 0xFFFF;  // rpm's own limit (hdrchkTags)

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}


}  // namespace

std::string rpm_namespace(std::string_view vendor) {
  const std::string v = ascii_lower(vendor);
  struct Known {
    std::string_view needle, ns;
  };
  static constexpr Known kKnown[] = {{"fedora", "fedora"},   {"red hat", "redhat"},     {"centos", "centos"},
                                     {"rocky", "rocky"},     {"almalinux", "almalinux"}, {"opensuse", "opensuse"},
                                     {"suse", "suse"},       {"amazon", "amazon"},       {"oracle", "oracle"},
                                     {"microsoft", "mariner"}};
  for (const Known& k : kKnown) {
    if (v.find(k.needle) != std::string::npos) return std::string(k.ns);
  }
  return "rpm";
}

void parse_rpm_header(std::string_view blob, const std::string& file, std::int64_t hnum, std::string_view cataloger,
                      ParseResult& result) {
  auto fail = [&](std::string_view what) {
    std::string message = "Packages hnum ";
    message += std::to_string(hnum);
    message += ": ";
    message += what;
    result.error(file, 0, std::move(message));
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
  if (blob.size() < 8) return fail("header blob shorter than 8 bytes");
  const std::uint64_t il = be32(bytes), dl = be32(bytes + 4);
  if (il == 0 || il > kMaxIndexEntries) return fail("header index count out of range");
  const std::uint64_t store_start = 8 + il * 16;
  if (store_start + dl > blob.size()) return fail("header index or data store larger than the blob");
  const unsigned char* store = bytes + store_start;

  std::optional<std::string> name, version, release, arch, vendor, packager, license;
  std::optional<std::uint32_t> epoch;
  for (std::uint64_t i = 0; i < il; ++i) {
    const unsigned char* entry = bytes + 8 + i * 16;
    const std::uint32_t tag = be32(entry), type = be32(entry + 4);
    const std::uint64_t offset = be32(entry + 8), count = be32(entry + 12);
    std::optional<std::string>* target = nullptr;
    switch (tag) {
      case kTagName: target = &name; break;
      case kTagVersion: target = &version; break;
      case kTagRelease: target = &release; break;
      case kTagArch: target = &arch; break;
      case kTagVendor: target = &vendor; break;
      case kTagPackager: target = &packager; break;
      case kTagLicense: target = &license; break;
      case kTagEpoch: break;
      default: continue;
    }
    std::string tag_text = "tag ";
    tag_text += std::to_string(tag);
    if (tag == kTagEpoch) {
      if (type != kTypeInt32) return fail(tag_text + " is not INT32");
      if (count < 1 || offset % 4 != 0 || offset + 4 > dl) return fail(tag_text + " points outside the data store");
      epoch = be32(store + offset);
      continue;
    }
    if (type != kTypeString && type != kTypeI18nString) return fail(tag_text + " is not a string");
    if (count < 1 || offset >= dl) return fail(tag_text + " points outside the data store");
    const void* nul = std::memchr(store + offset, '\0', dl - offset);
    if (!nul) return fail(tag_text + " has no terminating NUL inside the data store");
    // I18NSTRING: the first string is the C locale's.
    *target = std::string(reinterpret_cast<const char*>(store + offset), static_cast<const unsigned char*>(nul) - (store + offset));
  }
  if (!name || !valid_token(*name)) return fail(name ? "not an rpm package name" : "no NAME tag");
  if (*name == "gpg-pubkey") {  // an imported signing key, not software
    ++result.skipped;
    return;
  }
  if (!version || !valid_token(*version)) return fail(version ? "not a VERSION" : "no VERSION tag");
  if (release && !valid_token(*release)) return fail("not a RELEASE");

  Package p;
  p.ecosystem = Ecosystem::rpm;
  p.name = *name;
  p.version = *version;
  if (release) {
    p.version += '-';
    p.version += *release;
  }
  p.arch = arch.value_or("");
  p.license = license.value_or("");
  if (vendor && !vendor->empty()) {
    p.supplier = *vendor;
    p.supplier_field = "Vendor";
  } else if (packager && !packager->empty()) {
    p.supplier = *packager;
    p.supplier_field = "Packager";
  }
  p.namespace_ = rpm_namespace(vendor.value_or(""));
  const std::string ns = p.namespace_, pkg_name = p.name, pkg_version = p.version, pkg_arch = p.arch;
  result.add(std::move(p), cataloger, kRpmConfidence, {file, 0, std::to_string(hnum), {}});
  if (epoch) {
    result.packages.back().purl =
        package_url("rpm", ns, pkg_name, pkg_version, {{"arch", pkg_arch}, {"epoch", std::to_string(*epoch)}});
  }
}

}  // namespace herkomst::fs
