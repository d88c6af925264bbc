// Vendor-supplied SBOM import (scan --sbom FILE): a CycloneDX JSON 1.4-1.6 or SPDX 2.3 JSON
// document -> the packages it lists (the shared fs::Package model) and the subject it describes.
//
// The format is told from the document itself ("bomFormat": "CycloneDX" with "specVersion", or
// "spdxVersion": "SPDX-2.3"); the readers are cyclonedx_import.hpp and spdx_import.hpp. Pure:
// bytes in, packages and errors as values out ("vendor.cdx.json: /components/12/version: not a
// string"); a malformed component is skipped and the others kept; a document that is not JSON,
// neither format, an unsupported version, larger than kMaxSbomBytes, nested deeper than
// kMaxSbomDepth or listing more than kMaxSbomComponents components is refused (ok = false).
// Specs: https://cyclonedx.org/docs/1.6/json/ and https://spdx.github.io/spdx-spec/v2.3/
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::uint64_t kMaxSbomBytes = 256ull << 20;  // 256 MiB
inline constexpr std::size_t kMaxSbomComponents = 1'000'000;
inline constexpr int kMaxSbomDepth = 64;  // JSON nesting, components inside components included

inline constexpr std::string_view kCycloneDxCataloger = "sbom-cyclonedx";
inline constexpr std::string_view kSpdxCataloger = "sbom-spdx";

struct SbomImport {
  bool ok = false;          // false: the document was refused; result.errors says why
  std::string format;       // "CycloneDX 1.6", "SPDX-2.3"
  // What the SBOM describes (CycloneDX metadata.component, SPDX the package the document
  // DESCRIBES when there is exactly one), as a package; absent when the document does not say.
  std::optional<Package> subject;
  std::string subject_key;  // its bom-ref / SPDXID, else the document name; empty when none
  ParseResult result;       // the components (subject not included), errors, skipped
};

// Reads one SBOM; `file` names it in errors and in every package's location.path.
SbomImport import_sbom(std::string_view bytes, const std::string& file);

// The ecosystem a PURL's type names ("pkg:deb/..." -> deb); generic for any other type.
Ecosystem ecosystem_of_purl(std::string_view purl);

}  // namespace herkomst::fs
