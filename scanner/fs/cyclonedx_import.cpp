// CycloneDX JSON 1.4-1.6 reader: see cyclonedx_import.hpp; https://cyclonedx.org/docs/1.6/json/
#include "scanner/fs/cyclonedx_import.hpp"

#include <array>
#include <vector>

#include "scanner/fs/sbom_json.hpp"

namespace herkomst::fs {

namespace {

using sbom_json::Fields;
using sbom_json::json;

constexpr std::array<std::string_view, 3> kVersions{"1.4", "1.5", "1.6"};

// licenses[]: {"license": {"id"|"name"}} or {"expression"}.
std::string licenses_of(Fields& f, const std::string& file, ParseResult& result) {
  const json* list = f.array("licenses");
  if (list == nullptr) return {};
  std::string out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& entry = (*list)[i];
    const std::string at = f.at("licenses") + "/" + std::to_string(i);
    if (!entry.is_object()) {
      f.fail(at, "not an object");
      continue;
    }
    Fields e(entry, at, file, result);
    std::string text = e.text("expression");
    if (const json* license = e.object("license"); license != nullptr) {
      Fields l(*license, at + "/license", file, result);
      text = l.text("id");
      if (text.empty()) text = l.text("name");
      f.bad = f.bad || l.bad;
    }
    f.bad = f.bad || e.bad;
    if (text.empty()) continue;
    if (!out.empty()) out += " AND ";
    out += text;
  }
  return out;
}

void hashes_of(Fields& f, const std::string& file, ParseResult& result, Package& p) {
  const json* list = f.array("hashes");
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = f.at("hashes") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      f.fail(at, "not an object");
      continue;
    }
    Fields h((*list)[i], at, file, result);
    const std::string alg = h.text("alg");
    const std::string content = h.text("content");
    f.bad = f.bad || h.bad;
    if (!alg.empty() && !content.empty()) p.properties["hash." + alg] = content;
  }
}

// The name of an organizationalEntity member ("supplier", "manufacturer").
std::string entity_name(Fields& f, std::string_view key, const std::string& file, ParseResult& result) {
  const json* entity = f.object(key);
  if (entity == nullptr) return {};
  Fields e(*entity, f.at(key), file, result);
  std::string name = e.text("name");
  f.bad = f.bad || e.bad;
  return name;
}

// The vendor evidence in the order it names the maker: manufacturer (1.6), supplier, publisher,
// author, authors[] (1.6). The first is the supplier, the rest further evidence.
void vendors_of(Fields& f, const std::string& file, ParseResult& result, Package& p) {
  std::vector<std::pair<std::string, std::string>> found;
  const auto note = [&found](std::string text, const char* field) {
    if (!text.empty()) found.emplace_back(std::move(text), field);
  };
  note(entity_name(f, "manufacturer", file, result), "manufacturer.name");
  note(entity_name(f, "supplier", file, result), "supplier.name");
  note(f.text("publisher"), "publisher");
  note(f.text("author"), "author");
  if (const json* authors = f.array("authors"); authors != nullptr) {
    for (std::size_t i = 0; i < authors->size(); ++i) {
      const std::string at = f.at("authors") + "/" + std::to_string(i);
      if (!(*authors)[i].is_object()) {
        f.fail(at, "not an object");
        continue;
      }
      Fields a((*authors)[i], at, file, result);
      note(a.text("name"), "authors.name");
      f.bad = f.bad || a.bad;
    }
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i == 0) {
      p.supplier = found[i].first;
      p.supplier_field = found[i].second;
    } else if (found[i].first != p.supplier) {
      p.more_suppliers.push_back({found[i].first, found[i].second, 0.5});
    }
  }
}

struct Read {
  std::optional<Package> package;
  std::string purl;
  std::string ref;  // bom-ref, else name: what nested components name as their parent
};

// One component object; nullopt package when it is malformed (the errors say why).
Read read_component(const json& c, const std::string& pointer, const std::string& file, ParseResult& result) {
  Read out;
  if (!c.is_object()) {
    result.error(file, 0, pointer + ": not an object");
    return out;
  }
  Fields f(c, pointer, file, result);
  Package p;
  p.ecosystem = Ecosystem::generic;
  p.name = f.text("name");
  p.namespace_ = f.text("group");
  p.version = f.text("version");
  p.cpe = f.text("cpe");
  out.purl = f.text("purl");
  const std::string type = f.text("type");
  if (!type.empty()) p.properties["cyclonedx.type"] = type;
  const std::string bom_ref = f.text("bom-ref");
  vendors_of(f, file, result, p);
  p.license = licenses_of(f, file, result);
  hashes_of(f, file, result, p);
  p.application = type == "application" || type == "firmware" || type == "device" || type == "operating-system";
  out.ref = bom_ref.empty() ? p.name : bom_ref;
  if (!f.bad && p.name.empty()) f.fail(f.at("name"), "missing (a component needs a name)");
  if (f.bad) return out;
  if (!bom_ref.empty()) p.properties["cyclonedx.bom-ref"] = bom_ref;
  out.package = std::move(p);
  return out;
}

struct Pending {
  const json* component;
  std::string pointer;
  std::string parent;
};

void read_components(const json& list, const std::string& file, SbomImport& out) {
  std::vector<Pending> todo;  // depth-first without recursion; depth is bounded by the parser
  for (std::size_t i = list.size(); i-- > 0;) todo.push_back({&list[i], "/components/" + std::to_string(i), ""});
  std::size_t seen = 0;
  while (!todo.empty()) {
    Pending next = std::move(todo.back());
    todo.pop_back();
    if (++seen > kMaxSbomComponents) {
      out.ok = false;
      out.result.error(file, 0, next.pointer + ": more than " + std::to_string(kMaxSbomComponents) + " components");
      out.result.packages.clear();
      return;
    }
    Read r = read_component(*next.component, next.pointer, file, out.result);
    if (r.package) {
      if (!next.parent.empty()) r.package->properties["sbom.parent"] = next.parent;
      Location at{file, 0, r.package->properties.count("cyclonedx.bom-ref") ? r.package->properties["cyclonedx.bom-ref"]
                                                                              : next.pointer, ""};
      sbom_json::add_imported(out.result, std::move(*r.package), kCycloneDxCataloger, std::move(at), r.purl);
    } else {
      ++out.result.skipped;
    }
    if (!next.component->is_object()) continue;
    const auto nested = next.component->find("components");
    if (nested == next.component->end() || nested->is_null()) continue;
    if (!nested->is_array()) {
      out.result.error(file, 0, next.pointer + "/components: not an array");
      continue;
    }
    for (std::size_t i = nested->size(); i-- > 0;)
      todo.push_back({&(*nested)[i], next.pointer + "/components/" + std::to_string(i), r.ref});
  }
}

}  // namespace

void read_cyclonedx(const json& doc, const std::string& file, SbomImport& out) {
  Fields top(doc, "", file, out.result);
  if (top.text("bomFormat") != "CycloneDX") {
    if (!top.bad) top.fail("/bomFormat", "not \"CycloneDX\"");
    return;
  }
  const std::string version = top.text("specVersion");
  bool known = false;
  for (auto v : kVersions) known = known || version == v;
  if (!known) {
    if (!top.bad) top.fail("/specVersion", "unsupported CycloneDX version \"" + version + "\" (1.4 to 1.6 are read)");
    return;
  }
  out.format = "CycloneDX " + version;
  out.ok = true;
  if (const json* metadata = top.object("metadata"); metadata != nullptr) {
    Fields m(*metadata, "/metadata", file, out.result);
    if (const json* subject = m.object("component"); subject != nullptr) {
      Read r = read_component(*subject, "/metadata/component", file, out.result);
      if (r.package) {
        ParseResult one;
        sbom_json::add_imported(one, std::move(*r.package), kCycloneDxCataloger,
                                Location{file, 0, "/metadata/component", ""}, r.purl);
        out.subject = std::move(one.packages.front());
        out.subject_key = r.ref;
      }
    }
  }
  const json* components = top.array("components");
  if (top.bad) {
    out.ok = false;
    return;
  }
  if (components != nullptr) read_components(*components, file, out);
}

}  // namespace herkomst::fs
