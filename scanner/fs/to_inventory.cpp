#include "scanner/fs/to_inventory.hpp"

#include <algorithm>
#include <map>

namespace herkomst::fs {

namespace {

std::string full_name(const Package& p) {
  if (p.namespace_.empty() || p.ecosystem != Ecosystem::npm) return p.name;
  std::string out = p.namespace_;
  out += '/';
  out += p.name;
  return out;
}

ComponentType type_of(const Package& p) {
  if (p.operating_system) return ComponentType::operating_system;
  if (p.application) return ComponentType::application;
  if (p.ecosystem == Ecosystem::deb || p.ecosystem == Ecosystem::rpm || p.ecosystem == Ecosystem::apk)
    return p.name.rfind("lib", 0) == 0 ? ComponentType::library : ComponentType::application;
  return ComponentType::library;
}

Observation observation_of(const Package& p, const std::string& root, std::uint64_t id) {
  Observation o;
  o.id = id;
  o.source = SourceKind::filesystem;
  o.signal = kPackageSignal;
  o.subjects = {{KeyKind::path, root}};
  const auto text = [&o](const char* name, const std::string& value) {
    if (!value.empty()) o.fields.push_back({name, value});
  };
  text("arch", p.arch);
  text("cataloger", p.cataloger);
  text("cpe", p.cpe);
  for (const auto& [key, value] : p.properties) text(("property." + key).c_str(), value);
  for (const VendorEvidence& v : p.more_suppliers) {
    o.fields.push_back({"supplier.more", v.text});
    o.fields.push_back({"supplier.more.field", v.field});
  }
  text("ecosystem", std::string(to_string(p.ecosystem)));
  text("license", p.license);
  text("location.entry", p.location.entry);
  text("location.inside", p.location.inside);
  if (p.location.line > 0) o.fields.push_back({"location.line", static_cast<std::int64_t>(p.location.line)});
  text("method", p.method);
  text("name", full_name(p));
  text("purl", p.purl);
  text("supplier", p.supplier);
  text("supplier.field", p.supplier_field);
  text("version", p.version);
  std::sort(o.fields.begin(), o.fields.end());
  o.evidence.input = p.location.path;
  o.evidence.count = 1;
  return o;
}

}  // namespace

double supplier_confidence(const Package& p) {
  if (p.supplier.empty()) return 0;
  if (p.ecosystem == Ecosystem::deb) return 0.4;
  const std::string& f = p.supplier_field;
  if (f == "Author" || f == "author") return 0.7;
  if (f == "Author-email") return 0.6;
  if (f == "Maintainer") return 0.5;
  if (f == "CompanyName" || f == "Publisher") return 0.6;  // the maker's own words in a PE or an uninstall entry
  if (f == "manufacturer.name") return 0.8;  // a vendor SBOM naming the maker (sbom_import.hpp)
  if (f == "supplier.name" || f == "originator") return 0.7;
  return 0.4;
}

std::string claim_rule(const Package& p) {
  std::string rule = "fs.";
  rule += p.cataloger;
  return rule;
}

FsInventory to_inventory(const std::vector<Package>& packages, const std::string& root,
                         std::uint64_t first_observation_id) {
  FsInventory out;
  std::map<std::string, Component> by_ref;
  std::uint64_t id = first_observation_id;
  for (const Package& p : packages) {
    out.observations.push_back(observation_of(p, root, id));
    const std::string ref = p.purl.empty() ? package_url(p) : p.purl;
    Component& c = by_ref[ref];
    if (c.ref.empty()) {
      c.ref = ref;
      c.type = type_of(p);
    } else if (p.application) {
      c.type = ComponentType::application;
    }
    const std::string rule = claim_rule(p);
    const auto claim = [&](const char* attribute, const std::string& value, double confidence) {
      if (!value.empty()) c.claims.push_back({attribute, value, confidence, rule, id});
    };
    claim("name", full_name(p), p.confidence);
    claim("version", p.version, p.confidence);
    claim("purl", ref, p.confidence);
    claim("license", p.license, p.confidence);
    claim("cpe", p.cpe, p.confidence);
    claim("manufacturer.name", display_name(p.supplier), supplier_confidence(p));
    for (const VendorEvidence& v : p.more_suppliers) claim("manufacturer.name", display_name(v.text), v.confidence);
    c.observation_ids.push_back(id);
    ++id;
  }
  for (auto& [ref, c] : by_ref) {
    std::sort(c.claims.begin(), c.claims.end());
    c.claims.erase(std::unique(c.claims.begin(), c.claims.end()), c.claims.end());
    std::sort(c.observation_ids.begin(), c.observation_ids.end());
    c.observation_ids.erase(std::unique(c.observation_ids.begin(), c.observation_ids.end()), c.observation_ids.end());
    out.components.push_back(std::move(c));
  }
  return out;
}

}  // namespace herkomst::fs
