// CycloneDX 1.6 JSON output of an Inventory.
//
// One BOM per scan: every Asset becomes a component of type "device" whose bom-ref is the
// device component's ref; its further components (firmware, operating system, ...) are nested
// in it. What CycloneDX has a field for goes there (name, version, manufacturer with country,
// evidence.identity, evidence.occurrences); everything else, and everything Dependency-Track
// drops on import, goes into properties under the "herkomst:" namespace. docs/taxonomy.md lists
// every property and the whole model -> CycloneDX mapping; keep it in step with this file.
//
// The output is deterministic: the same inventory, in any order of assets, keys, claims,
// observations and observation ids, gives the same bytes. Two scans of the same input differ
// only in serialNumber, metadata.timestamp and the herkomst:scan:id / herkomst:scan:finished-at
// properties. Nothing reads the clock: the only times written are the scan's own and the
// capture times in the evidence. 2-space indentation, UTF-8 (invalid bytes become U+FFFD),
// trailing newline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "inventory/model.hpp"

namespace herkomst::sbom {

struct CycloneDxOptions {
  // Occurrences written per component (evidence.occurrences). The rest is counted in the
  // property herkomst:occurrences:omitted. 0 writes none.
  std::size_t max_occurrences = 8;
  // false: one occurrence per observation, located at its first frame.
  // true: one occurrence per sampled frame of each observation (Evidence::frames).
  bool frame_occurrences = false;
};

// The BOM as CycloneDX 1.6 JSON text.
// Throws std::invalid_argument when the inventory cannot give a valid BOM: a scan uuid that is
// not an RFC 4122 uuid (an empty uuid leaves serialNumber out), an asset or component with an
// empty ref, or two components with the same ref.
std::string to_cyclonedx_json(const Inventory& inventory);
std::string to_cyclonedx_json(const Inventory& inventory, const CycloneDxOptions& options);

// The namespace of every property herkomst writes.
inline constexpr std::string_view kPropertyNamespace = "herkomst";

// Maps a dotted name (claim attribute, counter name) to property-name segments following the
// CycloneDX property-taxonomy syntax: "." becomes ":", any character other than ASCII letters,
// digits, "-" and "_" becomes "_". "manufacturer.name" -> "manufacturer:name".
std::string property_segments(std::string_view dotted);

// "herkomst:claim:" + property_segments(attribute): the property holding a claim's best value.
std::string claim_property_name(std::string_view attribute);

// Microseconds since the Unix epoch as ISO 8601 UTC with microseconds:
// 1700000000123456 -> "2023-11-14T22:13:20.123456Z".
std::string format_time_us(std::int64_t time_us);

}  // namespace herkomst::sbom
