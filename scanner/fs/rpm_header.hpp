// One installed package's RPM header in the "header blob" form every rpm database keeps (no
// lead, no signature): big-endian uint32 index count, uint32 data size, the 16-byte index entries
// {tag, type, offset, count}, then the data store. Tags read: NAME 1000, VERSION 1001, RELEASE
// 1002, EPOCH 1003 (INT32), ARCH 1022, VENDOR 1011, LICENSE 1014, PACKAGER 1015.
// Spec: https://github.com/rpm-software-management/rpm/blob/master/docs/manual/format_header.md
//
// Shared by the three rpm database readers: SQLite (rpm_sqlite.hpp), Berkeley DB (rpm_bdb.hpp)
// and ndb (rpm_ndb.hpp). Every offset and count is checked against the data size: a hostile blob
// is an error, never read out of bounds. gpg-pubkey pseudo-packages are counted as skipped.
// PURL pkg:rpm/<vendor namespace or "rpm">/<name>@<version>-<release>?arch=<arch>&epoch=<n>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr double kRpmConfidence = 0.95;  // rpm's own record of an installed package

// One header blob; `hnum` (the package's number in its database) names it in errors and in
// Location::entry. A package is added to `result` under `cataloger`, or an error reported.
void parse_rpm_header(std::string_view blob, const std::string& file, std::int64_t hnum, std::string_view cataloger,
                      ParseResult& result);

// The PURL namespace for an rpm Vendor: "fedora", "redhat", "centos", "rocky", "almalinux",
// "opensuse", "suse", "amazon", "oracle", "mariner"; "rpm" when not known.
std::string rpm_namespace(std::string_view vendor);

}  // namespace herkomst::fs
