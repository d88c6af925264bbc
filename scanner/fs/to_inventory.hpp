// Packages -> the shared inventory model: one Observation per package found (where it was read)
// and one Component per distinct PURL (the same package found in several places is one component
// with several observations). Attributes and confidences: docs/filesystem.md.
//
//   Observation  source filesystem, signal "fs.package", subject the scan root (KeyKind::path, as
//                given), evidence.input the file relative to the root, count 1; fields: arch,
//                cataloger, ecosystem, license, location.entry, location.inside, location.line,
//                method, name, purl, supplier, supplier.field, version (empty ones left out).
//   Component    ref = the PURL; type application (a deb whose name does not start with "lib",
//                a lock file's root project) or library; claims name, version, purl, license
//                (the cataloger's confidence), manufacturer.name (display_name() of the supplier
//                text, with a confidence by the field it came from), all of rule "fs.<cataloger>".
// The caller places the components under the asset of the scanned machine and renumbers nothing:
// observation ids run from `first_observation_id` in package order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/model.hpp"
#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kPackageSignal = "fs.package";

struct FsInventory {
  std::vector<Observation> observations;  // ids first_observation_id.. in package order
  std::vector<Component> components;      // sorted by ref
};

// How much a manufacturer.name claim from this supplier field is worth: the author of a Python or
// npm package made it (0.7); a Debian Maintainer is usually the distribution's packager, not the
// maker (0.4); e-mail-only and maintainer fields weigh less.
double supplier_confidence(const Package& package);

// The rule id of a package's claims: "fs.dpkg-status", "fs.npm-lock", ...
std::string claim_rule(const Package& package);

FsInventory to_inventory(const std::vector<Package>& packages, const std::string& root,
                         std::uint64_t first_observation_id = 1);

}  // namespace herkomst::fs
