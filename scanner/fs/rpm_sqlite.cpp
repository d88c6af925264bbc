#include "scanner/fs/rpm_sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>
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

void parse_rpm_header(std::string_view blob, const std::string& file, std::int64_t hnum, ParseResult& result) {
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
  result.add(std::move(p), kRpmSqliteCataloger, kRpmConfidence, {file, 0, std::to_string(hnum), {}});
  if (epoch) {
    result.packages.back().purl =
        package_url("rpm", ns, pkg_name, pkg_version, {{"arch", pkg_arch}, {"epoch", std::to_string(*epoch)}});
  }
}

ParseResult parse_rpm_sqlite(std::string_view bytes, const std::string& file) {
  ParseResult result;
  if (bytes.size() < 100 || std::memcmp(bytes.data(), "SQLite format 3", 16) != 0) {
    result.error(file, 0, "not an SQLite database");
    return result;
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    result.error(file, 0, "cannot open an in-memory SQLite database");
    return result;
  }
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  // A copy SQLite owns; bytes 18 and 19 set to 1 so a WAL-mode file reads as a rollback one.
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (!copy) {
    result.error(file, 0, "out of memory");
    return result;
  }
  std::memcpy(copy, bytes.data(), bytes.size());
  copy[18] = 1;
  copy[19] = 1;
  if (sqlite3_deserialize(raw, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                          static_cast<sqlite3_int64>(bytes.size()),
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
    result.error(file, 0, "cannot read the SQLite database");
    return result;
  }
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(raw, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw_stmt, nullptr) != SQLITE_OK) {
    std::string message = "no readable Packages table: ";
    message += sqlite3_errmsg(raw);
    result.error(file, 0, std::move(message));
    sqlite3_finalize(raw_stmt);
    return result;
  }
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(raw_stmt)) == SQLITE_ROW) {
    const std::int64_t hnum = sqlite3_column_int64(raw_stmt, 0);
    const void* data = sqlite3_column_blob(raw_stmt, 1);
    const int size = sqlite3_column_bytes(raw_stmt, 1);
    parse_rpm_header(std::string_view(static_cast<const char*>(data), data ? static_cast<std::size_t>(size) : 0), file,
                     hnum, result);
  }
  if (rc != SQLITE_DONE) {
    std::string message = "reading Packages stopped: ";
    message += sqlite3_errmsg(raw);
    result.error(file, 0, std::move(message));
  }
  return result;
}

}  // namespace herkomst::fs
