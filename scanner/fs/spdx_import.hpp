// SPDX 2.3 JSON reader for the vendor SBOM import (sbom_import.hpp).
// Spec: https://spdx.github.io/spdx-spec/v2.3/ (clause 7, package information; clause 11,
// relationships; annex F, external repository identifiers).
//
// Read: spdxVersion ("SPDX-2.3"), name, packages[]: SPDXID (location.entry), name (required),
// versionInfo, originator and supplier ("Organization: X (email)", "Person: Y", NOASSERTION:
// the originator, who made it, is the supplier when given, the SPDX supplier (distributor)
// further evidence), externalRefs[] (PACKAGE-MANAGER / PACKAGE_MANAGER purl; SECURITY cpe23Type),
// licenseConcluded, else licenseDeclared (NOASSERTION and NONE ignored), checksums[] as
// properties "hash.<algorithm>". The subject: the one package the document DESCRIBES
// (relationships from SPDXRef-DOCUMENT, or documentDescribes[]); with several, none.
// Not read: files, snippets, relationships other than DESCRIBES, the tag-value, RDF, YAML forms.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "scanner/fs/sbom_import.hpp"

namespace herkomst::fs {

// Reads a document whose top level has "spdxVersion" into `out`.
void read_spdx(const nlohmann::json& doc, const std::string& file, SbomImport& out);

// "Organization: Siemens AG (x@y)" -> "Siemens AG", "Person: Jane" -> "Jane"; "" for
// NOASSERTION or empty.
std::string spdx_actor_name(std::string_view actor);

}  // namespace herkomst::fs
