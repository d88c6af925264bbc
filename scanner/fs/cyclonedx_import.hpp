// CycloneDX JSON 1.4, 1.5 and 1.6 reader for the vendor SBOM import (sbom_import.hpp).
// Spec: https://cyclonedx.org/docs/1.6/json/ (and /docs/1.4/json/, /docs/1.5/json/).
//
// Read: specVersion (1.4-1.6), metadata.component (the subject), components[] and their nested
// components[] (flattened; the parent's bom-ref, else name, kept as property "sbom.parent").
// Per component: name (required), group (namespace), version, purl (kept as given; its type sets
// the ecosystem), cpe, bom-ref (location.entry), the maker from manufacturer.name (1.6), else
// supplier.name, else publisher, else author / authors[].name (1.6), the others kept as further
// vendor evidence; licenses[] (license.id, license.name or expression, joined with " AND ");
// hashes[] as properties "hash.<alg>"; type as property "cyclonedx.type".
// Not read: services, dependencies, vulnerabilities, the XML and protobuf forms.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "scanner/fs/sbom_import.hpp"

namespace herkomst::fs {

// Reads a document whose top level has "bomFormat" into `out`.
void read_cyclonedx(const nlohmann::json& doc, const std::string& file, SbomImport& out);

}  // namespace herkomst::fs
