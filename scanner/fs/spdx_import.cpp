// SPDX 2.3 JSON reader: see spdx_import.hpp; https://spdx.github.io/spdx-spec/v2.3/
#include "scanner/fs/spdx_import.hpp"

#include <set>
#include <vector>

#include "scanner/fs/sbom_json.hpp"

namespace herkomst::fs {

namespace {

using sbom_json::Fields;
using sbom_json::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string real_license(std::string text) {
  if (text == "NOASSERTION" || text == "NONE") return {};
  return text;
}

void external_refs(Fields& f, const std::string& file, ParseResult& result, Package& p, std::string& purl) {
  const json* refs = f.array("externalRefs");
  if (refs == nullptr) return;
  for (std::size_t i = 0; i < refs->size(); ++i) {
    const std::string at = f.at("externalRefs") + "/" + std::to_string(i);
    if (!(*refs)[i].is_object()) {
      f.fail(at, "not an object");
      continue;
    }
    Fields r((*refs)[i], at, file, result);
    const std::string category = r.text("referenceCategory");
    const std::string type = r.text("referenceType");
    const std::string locator = r.text("referenceLocator");
    f.bad = f.bad || r.bad;
    if ((category == "PACKAGE-MANAGER" || category == "PACKAGE_MANAGER") && type == "purl" && purl.empty())
      purl = locator;
    else if (category == "SECURITY" && type == "cpe23Type" && p.cpe.empty())
      p.cpe = locator;
  }
}

void checksums(Fields& f, const std::string& file, ParseResult& result, Package& p) {
  const json* list = f.array("checksums");
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = f.at("checksums") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      f.fail(at, "not an object");
      continue;
    }
    Fields c((*list)[i], at, file, result);
    const std::string alg = c.text("algorithm");
    const std::string value = c.text("checksumValue");
    f.bad = f.bad || c.bad;
    if (!alg.empty() && !value.empty()) p.properties["hash." + alg] = value;
  }
}

struct Read {
  std::optional<Package> package;
  std::string purl;
  std::string id;
};

Read read_package(const json& entry, const std::string& pointer, const std::string& file, ParseResult& result) {
  Read out;
  if (!entry.is_object()) {
    result.error(file, 0, pointer + ": not an object");
    return out;
  }
  Fields f(entry, pointer, file, result);
  Package p;
  p.ecosystem = Ecosystem::generic;
  out.id = f.text("SPDXID");
  p.name = f.text("name");
  p.version = f.text("versionInfo");
  const std::string originator = spdx_actor_name(f.text("originator"));
  const std::string supplier = spdx_actor_name(f.text("supplier"));
  if (!originator.empty()) {
    p.supplier = originator;
    p.supplier_field = "originator";
    if (!supplier.empty() && supplier != originator) p.more_suppliers.push_back({supplier, "supplier", 0.5});
  } else if (!supplier.empty()) {
    p.supplier = supplier;
    p.supplier_field = "supplier";
  }
  p.license = real_license(f.text("licenseConcluded"));
  if (p.license.empty()) p.license = real_license(f.text("licenseDeclared"));
  external_refs(f, file, result, p, out.purl);
  checksums(f, file, result, p);
  if (!f.bad && p.name.empty()) f.fail(f.at("name"), "missing (a package needs a name)");
  if (!f.bad && out.id.empty()) f.fail(f.at("SPDXID"), "missing");
  if (f.bad) return out;
  p.properties["spdx.SPDXID"] = out.id;
  out.package = std::move(p);
  return out;
}

// The SPDXIDs the document DESCRIBES.
std::set<std::string> described(Fields& top, const std::string& file, ParseResult& result) {
  std::set<std::string> ids;
  if (const json* list = top.array("documentDescribes"); list != nullptr)
    for (const json& id : *list)
      if (id.is_string()) ids.insert(id.get<std::string>());
  const json* relations = top.array("relationships");
  if (relations == nullptr) return ids;
  for (std::size_t i = 0; i < relations->size(); ++i) {
    const std::string at = "/relationships/" + std::to_string(i);
    if (!(*relations)[i].is_object()) {
      result.error(file, 0, at + ": not an object");
      continue;
    }
    Fields r((*relations)[i], at, file, result);
    const std::string type = r.text("relationshipType");
    const std::string from = r.text("spdxElementId");
    const std::string to = r.text("relatedSpdxElement");
    if (r.bad) continue;
    if (type == "DESCRIBES" && from == "SPDXRef-DOCUMENT") ids.insert(to);
    if (type == "DESCRIBED_BY" && to == "SPDXRef-DOCUMENT") ids.insert(from);
  }
  return ids;
}

}  // namespace

std::string spdx_actor_name(std::string_view actor) {
  actor = trim(actor);
  if (actor.empty() || actor == "NOASSERTION") return {};
  for (std::string_view prefix : {std::string_view("Organization:"), std::string_view("Person:"),
                                  std::string_view("Tool:")}) {
    if (actor.substr(0, prefix.size()) == prefix) {
      actor = trim(actor.substr(prefix.size()));
      break;
    }
  }
  if (const auto paren = actor.rfind(" ("); paren != std::string_view::npos && actor.back() == ')')
    actor = trim(actor.substr(0, paren));
  return std::string(actor);
}

void read_spdx(const json& doc, const std::string& file, SbomImport& out) {
  Fields top(doc, "", file, out.result);
  const std::string version = top.text("spdxVersion");
  if (version != "SPDX-2.3") {
    if (!top.bad) top.fail("/spdxVersion", "unsupported SPDX version \"" + version + "\" (SPDX-2.3 is read)");
    return;
  }
  out.format = version;
  const std::string document_name = top.text("name");
  const json* packages = top.array("packages");
  const std::set<std::string> subjects = described(top, file, out.result);
  if (top.bad) return;
  out.ok = true;
  if (packages == nullptr) return;
  if (packages->size() > kMaxSbomComponents) {
    out.ok = false;
    out.result.error(file, 0, "/packages: more than " + std::to_string(kMaxSbomComponents) + " packages");
    return;
  }
  for (std::size_t i = 0; i < packages->size(); ++i) {
    const std::string pointer = "/packages/" + std::to_string(i);
    Read r = read_package((*packages)[i], pointer, file, out.result);
    if (!r.package) {
      ++out.result.skipped;
      continue;
    }
    const bool is_subject = subjects.size() == 1 && subjects.count(r.id) == 1;
    if (is_subject) r.package->application = true;
    ParseResult& into = out.result;
    sbom_json::add_imported(into, std::move(*r.package), kSpdxCataloger, Location{file, 0, r.id, ""}, r.purl);
    if (is_subject) {
      out.subject = std::move(into.packages.back());
      into.packages.pop_back();
      out.subject_key = r.id;
    }
  }
  if (out.subject_key.empty()) out.subject_key = document_name;
}

}  // namespace herkomst::fs
