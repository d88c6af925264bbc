#include "sbom/cyclonedx.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace herkomst::sbom {
namespace {

using ojson = nlohmann::ordered_json;  // keeps the conventional CycloneDX key order
using json = nlohmann::json;           // sorted keys: used for the JSON inside property values

constexpr const char* kToolRef = "tool:herkomst";
constexpr const char* kToolName = "herkomst";

std::string prop(std::string_view rest) {
  std::string out(kPropertyNamespace);
  out += ':';
  out += rest;
  return out;
}

// Compact JSON for property values; invalid UTF-8 becomes U+FFFD instead of throwing.
std::string compact(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// Confidence as the schema allows it: 0..1, NaN -> 0.
double clamp_confidence(double c) {
  if (!(c >= 0.0)) return 0.0;
  return c > 1.0 ? 1.0 : c;
}

// Shorter first, then lexicographic: numbers given as text sort numerically, other text
// still sorts deterministically.
struct NaturalLess {
  bool operator()(const std::string& a, const std::string& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
  }
};

// Properties of one object, written sorted by name; within one name in insertion order
// (callers insert in a deterministic order).
class Properties {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  bool empty() const { return items_.empty(); }
  ojson to_json() const {
    auto sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    ojson out = ojson::array();
    for (const auto& [name, value] : sorted) out.push_back(ojson{{"name", name}, {"value", value}});
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string lower_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// CycloneDX 1.6 evidence.identity[].methods[].technique values.
bool is_identity_technique(std::string_view text) {
  static constexpr std::string_view kTechniques[] = {
      "source-code-analysis", "binary-analysis", "manifest-analysis", "ast-fingerprint", "hash-comparison",
      "instrumentation",      "dynamic-analysis", "filename",         "attestation",     "other"};
  return std::find(std::begin(kTechniques), std::end(kTechniques), text) != std::end(kTechniques);
}

// A declared licence as CycloneDX writes it: an SPDX expression (it has an operator) as
// "expression"; anything else as a named licence. herkomst does not carry the SPDX licence list,
// so a bare identifier ("MIT") is a name too: "license.id" would have to be checked against it.
ojson licenses_of(const std::string& declared) {
  const bool expression = declared.find(" OR ") != std::string::npos || declared.find(" AND ") != std::string::npos ||
                          declared.find(" WITH ") != std::string::npos;
  if (expression) return ojson::array({ojson{{"expression", declared}}});
  return ojson::array({ojson{{"license", ojson{{"name", declared}}}}});
}

// The CycloneDX evidence technique for a claim, from the kind of source its observation came
// from. docs/taxonomy.md explains each choice.
std::string_view technique_for(const Observation* o) {
  if (!o) return "other";  // derived claim without an observation
  switch (o->source) {
    case SourceKind::capture: return "other";             // passive traffic analysis: not in the enum
    case SourceKind::probe: return "dynamic-analysis";    // asked the running device
    case SourceKind::filesystem: {  // package databases and manifests, unless the cataloger says
      const FieldValue* method = o->field("method");  // binary-analysis (PE, Go), filename (rules)
      const std::string* text = method ? std::get_if<std::string>(method) : nullptr;
      return text && is_identity_technique(*text) ? std::string_view(*text) : std::string_view("manifest-analysis");
    }
    case SourceKind::sbom: return "attestation";          // the supplier's own statement
  }
  return "other";
}

class ObservationIndex {
 public:
  explicit ObservationIndex(const std::vector<Observation>& observations) {
    for (const auto& o : observations) by_id_.emplace(o.id, &o);  // first wins on duplicate ids
  }
  const Observation* find(std::uint64_t id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::uint64_t, const Observation*> by_id_;
};

// A component with its claims in canonical order (confidences clamped, exact duplicates
// dropped), so best()/all() pick the same claim whatever order the claims came in.
Component canonical(const Component& in) {
  Component c = in;
  for (auto& claim : c.claims) claim.confidence = clamp_confidence(claim.confidence);
  std::sort(c.claims.begin(), c.claims.end());
  c.claims.erase(std::unique(c.claims.begin(), c.claims.end()), c.claims.end());
  std::sort(c.observation_ids.begin(), c.observation_ids.end());
  c.observation_ids.erase(std::unique(c.observation_ids.begin(), c.observation_ids.end()), c.observation_ids.end());
  return c;
}

// A claim written as a CycloneDX annotation on its component, not as a property: the
// assessment's explanation (several lines for a reader, cli/assessment_run.hpp).
constexpr std::string_view kAnnotationAttribute = "assessment.explanation";

std::set<std::string> attributes_of(const Component& c) {
  std::set<std::string> out;
  for (const auto& claim : c.claims)
    if (claim.attribute != kAnnotationAttribute) out.insert(claim.attribute);
  return out;
}

// Every claim of one attribute, ordered: rank of its value (1 = best), then confidence
// (highest first), rule, observation.
struct RankedClaim {
  const Claim* claim;
  std::size_t rank;
};
std::vector<RankedClaim> ranked_claims(const Component& c, const std::string& attribute) {
  const auto values = c.all(attribute);
  std::map<std::string, std::size_t> rank_of;
  for (std::size_t i = 0; i < values.size(); ++i) rank_of.emplace(values[i]->value, i + 1);
  std::vector<RankedClaim> out;
  for (const auto& claim : c.claims)
    if (claim.attribute == attribute) out.push_back({&claim, rank_of.at(claim.value)});
  std::sort(out.begin(), out.end(), [](const RankedClaim& a, const RankedClaim& b) {
    return std::make_tuple(a.rank, -a.claim->confidence, a.claim->rule, a.claim->observation_id) <
           std::make_tuple(b.rank, -b.claim->confidence, b.claim->rule, b.claim->observation_id);
  });
  return out;
}

// Every claim that says `value` for `attribute`, highest confidence first.
std::vector<const Claim*> supporting(const Component& c, const std::string& attribute, const std::string& value) {
  std::vector<const Claim*> out;
  for (const auto& r : ranked_claims(c, attribute))
    if (r.claim->value == value) out.push_back(r.claim);
  return out;
}

// evidence.identity[] entry for a component field concluded from claims.
ojson identity(std::string_view field, const std::string& concluded, const std::vector<const Claim*>& claims,
               const ObservationIndex& observations) {
  double confidence = 0.0;
  ojson methods = ojson::array();
  for (const Claim* claim : claims) {
    confidence = std::max(confidence, claim->confidence);
    std::string value = claim->attribute + "=" + claim->value + "; rule=" + claim->rule;
    if (claim->observation_id != 0) value += "; observation=" + std::to_string(claim->observation_id);
    methods.push_back(ojson{{"technique", technique_for(observations.find(claim->observation_id))},
                            {"confidence", claim->confidence},
                            {"value", value}});
  }
  ojson out{{"field", field}, {"confidence", confidence}, {"concludedValue", concluded}};
  if (!methods.empty()) out["methods"] = std::move(methods);
  return out;
}

std::string location_of(const Observation& o, std::uint64_t frame) {
  std::string location = o.evidence.input;
  if (location.empty()) {
    location = std::string(to_string(o.source)) + ":" + o.signal;
  }
  if (frame > 0) location += "#frame=" + std::to_string(frame);
  return location;
}

std::string fields_text(const Observation& o) {
  std::vector<Field> fields = o.fields;
  std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
  std::string out;
  for (const auto& f : fields) {
    out += "; ";
    out += f.name;
    out += '=';
    out += to_string(f.value);
  }
  return out;
}

struct Occurrence {
  std::string input;
  std::uint64_t frame;
  std::string signal;
  std::uint64_t observation;
  ojson value;
};

std::vector<Occurrence> occurrences_of(const Component& c, const ObservationIndex& observations,
                                       const CycloneDxOptions& options) {
  std::vector<Occurrence> out;
  for (std::uint64_t id : c.observation_ids) {
    const Observation* o = observations.find(id);
    if (!o) continue;
    const Evidence& e = o->evidence;
    if (options.frame_occurrences && !e.frames.empty()) {
      std::vector<std::uint64_t> frames = e.frames;
      std::sort(frames.begin(), frames.end());
      frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
      for (std::uint64_t frame : frames) {
        std::string context = "signal=" + o->signal + "; observation=" + std::to_string(o->id) + fields_text(*o);
        out.push_back({e.input, frame, o->signal, o->id,
                       ojson{{"location", location_of(*o, frame)}, {"additionalContext", context}}});
      }
      continue;
    }
    std::string context = "signal=" + o->signal + "; observation=" + std::to_string(o->id) +
                          "; sightings=" + std::to_string(e.count);
    if (e.count > 0 && e.first_frame > 0) {
      context += "; first-frame=" + std::to_string(e.first_frame) + "; last-frame=" + std::to_string(e.last_frame);
    }
    if (e.count > 0 && e.first_time_us != 0) {
      context += "; first-seen=" + format_time_us(e.first_time_us) + "; last-seen=" + format_time_us(e.last_time_us);
    }
    context += fields_text(*o);
    out.push_back({e.input, e.first_frame, o->signal, o->id,
                   ojson{{"location", location_of(*o, e.first_frame)}, {"additionalContext", context}}});
  }
  std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
    return std::tie(a.input, a.frame, a.signal, a.observation) < std::tie(b.input, b.frame, b.signal, b.observation);
  });
  return out;
}

// Observation fields a cataloger wrote from a package's properties (scanner/fs/to_inventory.cpp):
// "property.pe.signature.status" becomes the component property herkomst:package:pe:signature:status.
constexpr std::string_view kPackagePropertyField = "property.";

// Properties built from a component's observations.
void add_observation_properties(const Component& c, const ObservationIndex& observations, Properties& props) {
  std::set<std::string> signals;
  std::set<std::string, NaturalLess> vlans;
  std::set<std::pair<std::string, std::string>> services;  // (transport, port), sorted below
  std::set<std::pair<std::string, std::string>> package;   // (key, value) of "property.<key>" fields
  std::uint64_t found = 0;
  std::uint64_t sightings = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool have_time = false;
  for (std::uint64_t id : c.observation_ids) {
    const Observation* o = observations.find(id);
    if (!o) continue;
    ++found;
    signals.insert(o->signal);
    sightings += o->evidence.count;
    if (o->evidence.count > 0 && o->evidence.first_time_us != 0) {
      if (!have_time || o->evidence.first_time_us < first) first = o->evidence.first_time_us;
      if (!have_time || o->evidence.last_time_us > last) last = o->evidence.last_time_us;
      have_time = true;
    }
    if (const FieldValue* vlan = o->field("vlan")) vlans.insert(to_string(*vlan));
    const FieldValue* transport = o->field("transport");
    const FieldValue* port = o->field("port");
    if (transport && port) services.emplace(to_string(*transport), to_string(*port));
    for (const Field& f : o->fields) {
      if (f.name.rfind(kPackagePropertyField, 0) == 0 && f.name.size() > kPackagePropertyField.size())
        package.emplace(f.name.substr(kPackagePropertyField.size()), to_string(f.value));
    }
  }
  if (found == 0) return;
  props.add(prop("observations"), std::to_string(found));
  props.add(prop("sightings"), std::to_string(sightings));
  if (have_time) {
    props.add(prop("first-seen"), format_time_us(first));
    props.add(prop("last-seen"), format_time_us(last));
  }
  for (const auto& s : signals) props.add(prop("signal"), s);
  for (const auto& v : vlans) props.add(prop("vlan"), v);
  std::vector<std::pair<std::string, std::string>> ordered(services.begin(), services.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return NaturalLess{}(a.second, b.second);
  });
  for (const auto& [transport, port] : ordered) props.add(prop("service"), transport + "/" + port);
  for (const auto& [key, v] : package) props.add(prop("package:" + property_segments(key)), v);
}

void add_claim_properties(const Component& c, Properties& props) {
  for (const auto& attribute : attributes_of(c)) {
    const auto ranked = ranked_claims(c, attribute);
    const std::string segments = property_segments(attribute);
    props.add(claim_property_name(attribute), c.best(attribute)->value);
    for (const auto& r : ranked) {
      json detail{{"value", r.claim->value},
                  {"confidence", r.claim->confidence},
                  {"rule", r.claim->rule},
                  {"observation", r.claim->observation_id},
                  {"rank", r.rank}};
      props.add(prop("claim-detail:" + segments), compact(detail));
    }
  }
}

struct Built {
  ojson component;
  std::vector<std::string> refs;  // its bom-ref and those of nested components
};

class Writer {
 public:
  Writer(const Inventory& inventory, const CycloneDxOptions& options)
      : inventory_(inventory), options_(options), observations_(inventory.observations) {}

  std::string run() {
    ojson bom;
    bom["bomFormat"] = "CycloneDX";
    bom["specVersion"] = "1.6";
    const std::string uuid = lower_ascii(inventory_.scan.uuid);
    if (!uuid.empty()) {
      if (!is_uuid(uuid)) throw std::invalid_argument("scan uuid is not an RFC 4122 uuid: " + inventory_.scan.uuid);
      bom["serialNumber"] = "urn:uuid:" + uuid;
    }
    bom["version"] = 1;
    bom["metadata"] = metadata();

    claim_ref(kToolRef);
    std::vector<const Asset*> assets;
    for (const auto& a : inventory_.assets) assets.push_back(&a);
    std::sort(assets.begin(), assets.end(), [](const Asset* a, const Asset* b) { return a->ref < b->ref; });

    ojson components = ojson::array();
    std::vector<std::string> refs;
    for (const Asset* a : assets) {
      Built built = asset_component(*a);
      components.push_back(std::move(built.component));
      refs.insert(refs.end(), built.refs.begin(), built.refs.end());
    }
    bom["components"] = std::move(components);

    std::sort(refs.begin(), refs.end());
    ojson composition{{"aggregate", inventory_.scan.status == ScanStatus::complete ? "incomplete" : "unknown"}};
    if (!refs.empty()) composition["assemblies"] = refs;
    bom["compositions"] = ojson::array({composition});
    if (ojson annotations = assessment_annotations(assets); !annotations.empty())
      bom["annotations"] = std::move(annotations);

    return bom.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
  }

 private:
  void claim_ref(const std::string& ref) {
    if (ref.empty()) throw std::invalid_argument("component with an empty ref");
    if (!refs_.insert(ref).second) throw std::invalid_argument("duplicate bom-ref: " + ref);
  }

  // One annotation per component with an explanation, by the tool, timestamped with the scan
  // (its end, else its start; none without either: CycloneDX requires a timestamp).
  ojson assessment_annotations(const std::vector<const Asset*>& assets) {
    ojson out = ojson::array();
    const Scan& scan = inventory_.scan;
    const std::string when = !scan.finished_at.empty() ? scan.finished_at : scan.started_at;
    if (when.empty()) return out;
    ojson annotator{{"type", "application"}, {"name", kToolName}};
    if (!scan.tool_version.empty()) annotator["version"] = scan.tool_version;
    for (const Asset* a : assets)
      for (const auto& c : a->components)
        if (const Claim* text = c.best(kAnnotationAttribute)) {
          const std::string ref = "annotation:assessment:" + c.ref;
          claim_ref(ref);
          out.push_back(ojson{{"bom-ref", ref},
                              {"subjects", ojson::array({c.ref})},
                              {"annotator", ojson{{"component", annotator}}},
                              {"timestamp", when},
                              {"text", text->value}});
        }
    return out;
  }

  ojson metadata() const {
    const Scan& scan = inventory_.scan;
    ojson m;
    if (!scan.started_at.empty()) m["timestamp"] = scan.started_at;
    m["lifecycles"] = ojson::array({ojson{{"phase", "discovery"}}, ojson{{"phase", "operations"}}});
    ojson tool{{"type", "application"}, {"bom-ref", kToolRef}, {"name", kToolName}};
    if (!scan.tool_version.empty()) tool["version"] = scan.tool_version;
    m["tools"] = ojson{{"components", ojson::array({tool})}};

    Properties props;
    if (scan.id != 0) props.add(prop("scan:id"), std::to_string(scan.id));
    props.add(prop("scan:status"), std::string(to_string(scan.status)));
    if (!scan.finished_at.empty()) props.add(prop("scan:finished-at"), scan.finished_at);
    props.add(prop("scan:assets"), std::to_string(inventory_.assets.size()));
    props.add(prop("scan:observations"), std::to_string(inventory_.observations.size()));
    for (const auto& [name, value] : scan.counters) props.add(prop("scan:counter:" + property_segments(name)), std::to_string(value));
    for (const auto& [name, version] : scan.reference_data)
      props.add(prop("reference-data:" + property_segments(name)), version);

    std::vector<const ScanInput*> inputs;
    for (const auto& in : scan.inputs) inputs.push_back(&in);
    std::stable_sort(inputs.begin(), inputs.end(), [](const ScanInput* a, const ScanInput* b) {
      return std::make_tuple(a->path, to_string(a->kind)) < std::make_tuple(b->path, to_string(b->kind));
    });
    for (const ScanInput* in : inputs) {
      json counters = json::object();
      for (const auto& [name, value] : in->counters) counters[name] = value;
      json value{{"kind", to_string(in->kind)}, {"path", in->path},     {"bytes", in->bytes},
                 {"format", in->format},        {"status", in->status}, {"error", in->error},
                 {"counters", counters}};
      props.add(prop("scan:input"), compact(value));
    }
    m["properties"] = props.to_json();
    return m;
  }

  // The label a person can read: hostname, else a claimed name or product name, else "<manufacturer> device
  // <address>", else "device <address>". The address is the first subject key (a MAC when
  // the asset has one: stable across scans, unlike its IP).
  struct Naming {
    std::string name;
    std::string from_attribute;  // claim attribute the name rests on ("" for hostname/bare)
    std::string from_value;
  };
  static Naming device_name(const Asset& a, const Component& device) {
    std::vector<SubjectKey> keys = a.keys;
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys)
      if (k.kind == KeyKind::hostname && !k.value.empty()) return {k.value, "", ""};
    for (const char* attribute : {"name", "product.name", "product.model"})
      if (const Claim* name = device.best(attribute); name && !name->value.empty())
        return {name->value, attribute, name->value};
    const std::string address = keys.empty() ? a.ref : keys.front().value;
    if (const Claim* m = device.best("manufacturer.name"); m && !m->value.empty())
      return {m->value + " device " + address, "manufacturer.name", m->value};
    return {"device " + address, "", ""};
  }

  Built asset_component(const Asset& a) {
    if (a.ref.empty()) throw std::invalid_argument("asset with an empty ref");
    Component device;  // an asset without components is still a device, known by its keys
    device.ref = a.ref;
    if (!a.components.empty()) device = canonical(a.components.front());

    const Naming naming = device_name(a, device);
    Built built = component(a, device, true, naming.name, naming.from_attribute, naming.from_value);

    std::vector<Component> nested;
    for (std::size_t i = 1; i < a.components.size(); ++i) nested.push_back(canonical(a.components[i]));
    std::sort(nested.begin(), nested.end(), [](const Component& x, const Component& y) { return x.ref < y.ref; });
    if (!nested.empty()) {
      ojson children = ojson::array();
      for (const auto& c : nested) {
        std::string name;
        std::string attribute;
        std::string value;
        // A nested device (a module behind the head-end) is named like a device, by its
        // product; other nested components by their own name claim.
        std::vector<const char*> attributes{"name"};
        if (c.type == ComponentType::device) attributes = {"name", "product.name", "product.model"};
        for (const char* candidate : attributes)
          if (const Claim* n = c.best(candidate); n && !n->value.empty() && name.empty()) {
            name = n->value;
            attribute = candidate;
            value = n->value;
          }
        if (name.empty())
          name = (c.type == ComponentType::device ? std::string("module") : std::string(to_string(c.type))) + " of " +
                 naming.name;
        Built child = component(a, c, false, name, attribute, value);
        children.push_back(std::move(child.component));
        built.refs.insert(built.refs.end(), child.refs.begin(), child.refs.end());
      }
      built.component["components"] = std::move(children);
    }
    return built;
  }

  // One component; `primary` is the asset's own (first) component, which carries the keys.
  Built component(const Asset& a, const Component& c, bool primary, const std::string& name,
                  const std::string& name_attribute, const std::string& name_value) {
    claim_ref(c.ref);
    ojson out;
    out["type"] = std::string(to_string(c.type));
    out["bom-ref"] = c.ref;
    out["name"] = name;
    const Claim* version = c.best("version");
    if (version && !version->value.empty()) out["version"] = version->value;
    if (const Claim* cpe = c.best("cpe"); cpe && !cpe->value.empty()) out["cpe"] = cpe->value;
    if (const Claim* purl = c.best("purl"); purl && !purl->value.empty()) out["purl"] = purl->value;
    if (const Claim* license = c.best("license"); license && !license->value.empty())
      out["licenses"] = licenses_of(license->value);

    // The country must come from the same source (rule) as the name it is shown with: a
    // registrant's country next to a name a protocol claimed would be a made-up fact. An
    // organisation the knowledge base resolved (origins/inventory_attribution.hpp) is the
    // manufacturer, with its origin country.
    const Claim* manufacturer = c.best("manufacturer.name");
    if (const Claim* origin = c.best("origin.name")) {
      ojson org;
      org["name"] = origin->value;
      if (const Claim* country = c.best("origin.country")) org["address"] = ojson{{"country", country->value}};
      out["manufacturer"] = std::move(org);
    } else if (manufacturer) {
      const Claim* country = nullptr;
      for (const Claim* candidate : c.all("manufacturer.country"))
        if (candidate->rule == manufacturer->rule) {
          country = candidate;
          break;
        }
      ojson org;
      org["name"] = manufacturer->value;
      if (country) org["address"] = ojson{{"country", country->value}};
      out["manufacturer"] = std::move(org);
    }

    ojson evidence;
    ojson identities = ojson::array();
    if (!name_attribute.empty())
      identities.push_back(identity("name", name, supporting(c, name_attribute, name_value), observations_));
    if (version && !version->value.empty())
      identities.push_back(identity("version", version->value, supporting(c, "version", version->value), observations_));
    if (!identities.empty()) evidence["identity"] = std::move(identities);

    Properties props;
    props.add(prop("asset"), a.ref);
    if (primary) {
      std::vector<SubjectKey> keys = a.keys;
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& k : keys) props.add(prop(to_string(k.kind)), k.value);
    }
    add_claim_properties(c, props);
    add_observation_properties(c, observations_, props);

    const auto occurrences = occurrences_of(c, observations_, options_);
    if (!occurrences.empty() && options_.max_occurrences > 0) {
      ojson list = ojson::array();
      for (std::size_t i = 0; i < occurrences.size() && i < options_.max_occurrences; ++i)
        list.push_back(occurrences[i].value);
      evidence["occurrences"] = std::move(list);
    }
    if (occurrences.size() > options_.max_occurrences)
      props.add(prop("occurrences:omitted"), std::to_string(occurrences.size() - options_.max_occurrences));

    if (!evidence.empty()) out["evidence"] = std::move(evidence);
    out["properties"] = props.to_json();
    return {std::move(out), {c.ref}};
  }

  const Inventory& inventory_;
  const CycloneDxOptions& options_;
  ObservationIndex observations_;
  std::set<std::string> refs_;
};

}  // namespace

std::string property_segments(std::string_view dotted) {
  std::string out;
  out.reserve(dotted.size());
  for (char c : dotted) {
    if (c == '.') {
      out += ':';
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      out += c;
    } else {
      out += '_';
    }
  }
  return out;
}

std::string claim_property_name(std::string_view attribute) { return prop("claim:" + property_segments(attribute)); }

std::string format_time_us(std::int64_t time_us) {
  using namespace std::chrono;
  const sys_time<microseconds> tp{microseconds{time_us}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{tp - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  return buf;
}

std::string to_cyclonedx_json(const Inventory& inventory) { return to_cyclonedx_json(inventory, CycloneDxOptions{}); }

std::string to_cyclonedx_json(const Inventory& inventory, const CycloneDxOptions& options) {
  return Writer(inventory, options).run();
}

}  // namespace herkomst::sbom
