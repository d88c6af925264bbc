// Vendor SBOM import (scanner/fs/sbom_import.hpp): CycloneDX 1.4, 1.5, 1.6 and SPDX 2.3 JSON
// documents written here, and hostile input (truncated at every offset, wrong types, deep
// nesting, huge arrays, other formats) giving errors that name the file and the JSON pointer.
#include <catch2/catch.hpp>

#include <string>

#include "scanner/fs/sbom_import.hpp"
#include "scanner/fs/spdx_import.hpp"

using namespace herkomst::fs;

namespace {

std::string cdx(const std::string& version, const std::string& components) {
  return R"({"bomFormat":"CycloneDX","specVersion":")" + version +
         R"(","version":1,"metadata":{"component":{"type":"firmware","bom-ref":"plc-fw","name":"S7-1500 firmware","version":"3.1.0","supplier":{"name":"Siemens AG"}}},"components":)" +
         components + "}";
}

const Package* find(const SbomImport& s, const std::string& name) {
  for (const auto& p : s.result.packages)
    if (p.name == name) return &p;
  return nullptr;
}

const std::string kCdx16Components = R"([
  {"type":"library","bom-ref":"ref-openssl","group":"","name":"openssl","version":"3.0.11",
   "purl":"pkg:deb/debian/openssl@3.0.11?arch=amd64","cpe":"cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
   "manufacturer":{"name":"OpenSSL Foundation"},"supplier":{"name":"Debian"},
   "licenses":[{"expression":"Apache-2.0 OR MIT"}],"hashes":[{"alg":"SHA-256","content":"abcd"}],
   "components":[{"type":"library","name":"libcrypto","version":"3.0.11","purl":"pkg:generic/libcrypto@3.0.11",
                  "components":[{"type":"file","name":"legacy.so"}]}]},
  {"type":"application","name":"hmi-runtime","group":"com.hikvision","version":"5.2",
   "purl":"pkg:maven/com.hikvision/hmi-runtime@5.2","supplier":{"name":"Hangzhou Hikvision Digital Technology Co., Ltd."},
   "licenses":[{"license":{"id":"LicenseRef-proprietary"}},{"license":{"name":"EULA"}}]}
])";

}  // namespace

TEST_CASE("CycloneDX 1.6: subject, nested components flattened, manufacturer before supplier, licences, cpe, purl",
          "[fs][sbom-import]") {
  const SbomImport s = import_sbom(cdx("1.6", kCdx16Components), "vendor.cdx.json");
  INFO((s.result.errors.empty() ? "" : s.result.errors[0].to_string()));
  REQUIRE(s.ok);
  CHECK(s.result.errors.empty());
  CHECK(s.format == "CycloneDX 1.6");
  REQUIRE(s.subject);
  CHECK(s.subject->name == "S7-1500 firmware");
  CHECK(s.subject->supplier == "Siemens AG");
  CHECK(s.subject->supplier_field == "supplier.name");
  CHECK(s.subject_key == "plc-fw");
  REQUIRE(s.result.packages.size() == 4);
  const Package* ssl = find(s, "openssl");
  REQUIRE(ssl);
  CHECK(ssl->purl == "pkg:deb/debian/openssl@3.0.11?arch=amd64");
  CHECK(ssl->ecosystem == Ecosystem::deb);
  CHECK(ssl->supplier == "OpenSSL Foundation");
  CHECK(ssl->supplier_field == "manufacturer.name");
  REQUIRE(ssl->more_suppliers.size() == 1);
  CHECK(ssl->more_suppliers[0].text == "Debian");
  CHECK(ssl->license == "Apache-2.0 OR MIT");
  CHECK(ssl->cpe == "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*");
  CHECK(ssl->properties.at("hash.SHA-256") == "abcd");
  CHECK(ssl->location.entry == "ref-openssl");
  CHECK(ssl->location.path == "vendor.cdx.json");
  CHECK(ssl->cataloger == kCycloneDxCataloger);
  const Package* crypto = find(s, "libcrypto");
  REQUIRE(crypto);
  CHECK(crypto->properties.at("sbom.parent") == "ref-openssl");
  CHECK(crypto->location.entry == "/components/0/components/0");
  const Package* so = find(s, "legacy.so");
  REQUIRE(so);
  CHECK(so->properties.at("sbom.parent") == "libcrypto");
  CHECK(so->purl == "pkg:generic/legacy.so");
  const Package* hmi = find(s, "hmi-runtime");
  REQUIRE(hmi);
  CHECK(hmi->ecosystem == Ecosystem::maven);
  CHECK(hmi->namespace_ == "com.hikvision");
  CHECK(hmi->license == "LicenseRef-proprietary AND EULA");
  CHECK(hmi->supplier == "Hangzhou Hikvision Digital Technology Co., Ltd.");
}

TEST_CASE("CycloneDX 1.4 and 1.5 are read, author and publisher when there is no supplier", "[fs][sbom-import]") {
  for (const std::string version : {"1.4", "1.5"}) {
    const SbomImport s = import_sbom(
        cdx(version, R"([{"type":"library","name":"a","version":"1","author":"Jane Roe"},
                         {"type":"library","name":"b","version":"2","publisher":"ACME Corp","author":"Joe"}])"),
        "v.json");
    REQUIRE(s.ok);
    CHECK(s.format == "CycloneDX " + version);
    REQUIRE(s.result.packages.size() == 2);
    CHECK(find(s, "a")->supplier == "Jane Roe");
    CHECK(find(s, "a")->supplier_field == "author");
    CHECK(find(s, "b")->supplier == "ACME Corp");
    CHECK(find(s, "b")->supplier_field == "publisher");
    CHECK(find(s, "b")->purl == "pkg:generic/b@2");
  }
}

TEST_CASE("CycloneDX: a malformed component is skipped with its JSON pointer, the others kept", "[fs][sbom-import]") {
  const SbomImport s = import_sbom(
      cdx("1.6", R"([{"type":"library","name":"good","version":"1"},
                     {"type":"library","name":"bad","version":12},
                     {"type":"library","version":"3"},
                     7,
                     {"type":"library","name":"lic","licenses":"MIT"}])"),
      "vendor.cdx.json");
  CHECK(s.ok);
  REQUIRE(s.result.packages.size() == 1);
  CHECK(s.result.packages[0].name == "good");
  CHECK(s.result.skipped == 4);
  REQUIRE(s.result.errors.size() == 4);
  CHECK(s.result.errors[0].to_string() == "vendor.cdx.json: /components/1/version: not a string");
  CHECK(s.result.errors[1].to_string() == "vendor.cdx.json: /components/2/name: missing (a component needs a name)");
  CHECK(s.result.errors[2].to_string() == "vendor.cdx.json: /components/3: not an object");
  CHECK(s.result.errors[3].to_string() == "vendor.cdx.json: /components/4/licenses: not an array");
}

TEST_CASE("SPDX 2.3: Organization supplier, originator, purl and cpe external refs, DESCRIBES subject",
          "[fs][sbom-import]") {
  const std::string doc = R"j({"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"rtu-firmware",
    "dataLicense":"CC0-1.0","documentNamespace":"https://example.com/spdx/rtu",
    "packages":[
      {"SPDXID":"SPDXRef-fw","name":"RTU560 firmware","versionInfo":"13.4","supplier":"Organization: ABB Ltd (psirt@abb.example)",
       "licenseConcluded":"NOASSERTION","downloadLocation":"NOASSERTION"},
      {"SPDXID":"SPDXRef-busybox","name":"busybox","versionInfo":"1.36.1","supplier":"Organization: Debian",
       "originator":"Person: Erik Andersen","licenseConcluded":"NOASSERTION","licenseDeclared":"GPL-2.0-only",
       "checksums":[{"algorithm":"SHA1","checksumValue":"0123"}],
       "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/busybox@1.36.1"},
                       {"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"}]},
      {"SPDXID":"SPDXRef-zlib","name":"zlib","versionInfo":"1.3","supplier":"NOASSERTION"}
    ],
    "relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-fw"},
                     {"spdxElementId":"SPDXRef-fw","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-busybox"}]})j";
  const SbomImport s = import_sbom(doc, "rtu.spdx.json");
  INFO((s.result.errors.empty() ? "" : s.result.errors[0].to_string()));
  REQUIRE(s.ok);
  CHECK(s.result.errors.empty());
  CHECK(s.format == "SPDX-2.3");
  REQUIRE(s.subject);
  CHECK(s.subject->name == "RTU560 firmware");
  CHECK(s.subject->supplier == "ABB Ltd");
  CHECK(s.subject_key == "SPDXRef-fw");
  REQUIRE(s.result.packages.size() == 2);
  const Package* bb = find(s, "busybox");
  REQUIRE(bb);
  CHECK(bb->purl == "pkg:deb/debian/busybox@1.36.1");
  CHECK(bb->ecosystem == Ecosystem::deb);
  CHECK(bb->cpe == "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*");
  CHECK(bb->supplier == "Erik Andersen");
  CHECK(bb->supplier_field == "originator");
  REQUIRE(bb->more_suppliers.size() == 1);
  CHECK(bb->more_suppliers[0].text == "Debian");
  CHECK(bb->license == "GPL-2.0-only");
  CHECK(bb->properties.at("hash.SHA1") == "0123");
  CHECK(bb->location.entry == "SPDXRef-busybox");
  CHECK(find(s, "zlib")->supplier.empty());
  CHECK(spdx_actor_name("Organization: Siemens AG") == "Siemens AG");
  CHECK(spdx_actor_name(" NOASSERTION ").empty());
}

TEST_CASE("SBOM import refuses what it does not read, with the file and the place", "[fs][sbom-import]") {
  const auto refused = [](const std::string& bytes) {
    const SbomImport s = import_sbom(bytes, "x.json");
    CHECK_FALSE(s.ok);
    REQUIRE_FALSE(s.result.errors.empty());
    return s.result.errors[0].to_string();
  };
  CHECK(refused("not json") == "x.json: not valid JSON (byte 2)");
  CHECK(refused("[1,2]") == "x.json: /: not a JSON object");
  CHECK(refused(R"({"name":"x"})").find("neither a CycloneDX") != std::string::npos);
  CHECK(refused(cdx("1.3", "[]")) == "x.json: /specVersion: unsupported CycloneDX version \"1.3\" (1.4 to 1.6 are read)");
  CHECK(refused(R"({"bomFormat":"SPDX","specVersion":"1.6"})") == "x.json: /bomFormat: not \"CycloneDX\"");
  CHECK(refused(R"({"bomFormat":"CycloneDX","specVersion":1.6})") == "x.json: /specVersion: not a string");
  CHECK(refused("<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>").find("XML") !=
        std::string::npos);
  CHECK(refused(R"({"spdxVersion":"SPDX-2.2","packages":[]})").find("unsupported SPDX version") != std::string::npos);
  CHECK(refused(cdx("1.6", R"({"name":"x"})")) == "x.json: /components: not an array");
}

TEST_CASE("SBOM import: truncated at every offset, deep nesting and huge arrays give errors, never a crash",
          "[fs][sbom-import]") {
  const std::string whole = cdx("1.6", kCdx16Components);
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    const SbomImport s = import_sbom(std::string_view(whole).substr(0, cut), "t.json");
    CHECK_FALSE(s.ok);
    CHECK_FALSE(s.result.errors.empty());
  }
  // Components nested deeper than the bound: refused before the document is built.
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += R"({"type":"library","name":"n","components":[)";
  for (int i = 0; i < 10000; ++i) deep += "]}";
  const SbomImport nested = import_sbom(cdx("1.6", "[" + deep + "]"), "deep.json");
  CHECK_FALSE(nested.ok);
  REQUIRE_FALSE(nested.result.errors.empty());
  CHECK(nested.result.errors[0].to_string() == "deep.json: JSON nested deeper than 64");
  std::string brackets(100000, '[');
  CHECK_FALSE(import_sbom(brackets, "b.json").ok);
  // Within the depth bound, nested components are all read.
  std::string ok_deep;
  for (int i = 0; i < 20; ++i) ok_deep += R"({"type":"library","name":"n)" + std::to_string(i) + R"(","components":[)";
  for (int i = 0; i < 20; ++i) ok_deep += "]}";
  const SbomImport fine = import_sbom(cdx("1.6", "[" + ok_deep + "]"), "d.json");
  CHECK(fine.ok);
  CHECK(fine.result.packages.size() == 20);
  // A huge array of malformed entries: bounded error list, the rest counted.
  std::string many = "[";
  for (int i = 0; i < 50000; ++i) many += i ? ",1" : "1";
  many += "]";
  const SbomImport huge = import_sbom(cdx("1.6", many), "h.json");
  CHECK(huge.result.packages.empty());
  CHECK(huge.result.errors.size() == ParseResult::kMaxErrors);
  CHECK(huge.result.errors_dropped == 50000 - ParseResult::kMaxErrors);
  // Wrong types everywhere in an SPDX package: skipped, named.
  const SbomImport spdx = import_sbom(
      R"({"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a","name":"a","externalRefs":{}},{"SPDXID":"SPDXRef-b","name":"b"}]})",
      "s.json");
  CHECK(spdx.ok);
  REQUIRE(spdx.result.packages.size() == 1);
  CHECK(spdx.result.errors.at(0).to_string() == "s.json: /packages/0/externalRefs: not an array");
}
