#include <algorithm>
#include "cli/json_views.hpp"

#include <nlohmann/json.hpp>

namespace herkomst::cli {
namespace {

using nlohmann::ordered_json;

ordered_json scan_json(const Scan& scan) {
  ordered_json inputs = ordered_json::array();
  for (const auto& in : scan.inputs) {
    ordered_json counters = ordered_json::object();
    for (const auto& [k, v] : in.counters) counters[k] = v;
    inputs.push_back({{"kind", std::string(to_string(in.kind))},
                      {"path", in.path},
                      {"format", in.format},
                      {"bytes", in.bytes},
                      {"status", in.status},
                      {"error", in.error},
                      {"counters", counters}});
  }
  ordered_json counters = ordered_json::object();
  for (const auto& [k, v] : scan.counters) counters[k] = v;
  ordered_json reference_data = ordered_json::object();
  for (const auto& [name, version] : scan.reference_data) reference_data[name] = version;
  return {{"id", scan.id},
          {"uuid", scan.uuid},
          {"status", std::string(to_string(scan.status))},
          {"started_at", scan.started_at},
          {"finished_at", scan.finished_at},
          {"tool_version", scan.tool_version},
          {"inputs", inputs},
          {"counters", counters},
          {"reference_data", reference_data}};
}

ordered_json claim_json(const Claim* c) {
  if (!c) return nullptr;
  return {{"value", c->value}, {"confidence", c->confidence}, {"rule", c->rule}, {"observation", c->observation_id}};
}

ordered_json claims_json(const Component& c) {
  ordered_json claims = ordered_json::array();
  for (const auto& claim : c.claims)
    claims.push_back({{"attribute", claim.attribute},
                      {"value", claim.value},
                      {"confidence", claim.confidence},
                      {"rule", claim.rule},
                      {"observation", claim.observation_id}});
  return claims;
}

ordered_json asset_json(const Asset& a) {
  ordered_json keys = ordered_json::object();
  for (const auto& k : a.keys) keys[std::string(to_string(k.kind))].push_back(k.value);
  const Component& device = a.components.front();
  ordered_json modules = ordered_json::array();
  for (std::size_t i = 1; i < a.components.size(); ++i) {
    const Component& m = a.components[i];
    if (m.type != ComponentType::device) continue;
    modules.push_back({{"bom_ref", m.ref},
                       {"manufacturer", claim_json(m.best("manufacturer.name"))},
                       {"product", claim_json(m.best("product.name"))},
                       {"version", claim_json(m.best("version"))},
                       {"serial", claim_json(m.best("serial"))},
                       {"claims", claims_json(m)},
                       {"observations", m.observation_ids.size()}});
  }
  return {{"ref", a.ref},
          {"bom_ref", device.ref},
          {"keys", keys},
          {"manufacturer", claim_json(device.best("manufacturer.name"))},
          {"manufacturer_country", claim_json(device.best("manufacturer.country"))},
          {"role", claim_json(device.best("role"))},
          {"claims", claims_json(device)},
          {"observations", device.observation_ids.size()},
          {"modules", modules}};
}

std::string dump(const ordered_json& j) { return j.dump(2) + "\n"; }

}  // namespace

std::string scan_result_json(const Inventory& inv, const std::filesystem::path& bom,
                             const std::filesystem::path& database) {
  ordered_json assets = ordered_json::array();
  for (const auto& a : inv.assets) assets.push_back(asset_json(a));
  return dump({{"scan", scan_json(inv.scan)},
               {"assets", assets},
               {"outputs", {{"bom", bom.string()}, {"database", database.string()}}}});
}

std::string scan_list_json(const std::vector<Scan>& scans, const std::filesystem::path& database) {
  ordered_json list = ordered_json::array();
  for (const auto& s : scans) list.push_back(scan_json(s));
  return dump({{"database", database.string()}, {"scans", list}});
}

std::string export_result_json(const Scan& scan, const std::filesystem::path& bom) {
  return dump({{"scan", scan_json(scan)}, {"bom", bom.string()}});
}

std::string version_json(const std::string& version, int schema_version, const std::filesystem::path& ieee_dir,
                         std::size_t ieee_rows) {
  return dump({{"name", "herkomst"},
               {"version", version},
               {"store_schema_version", schema_version},
               {"ieee_registry", {{"path", ieee_dir.string()}, {"rows", ieee_rows}}}});
}

std::string error_json(const std::string& message) { return dump({{"error", message}}); }

AssetSummary summarize(const Asset& asset) {
  AssetSummary s;
  s.ref = asset.ref;
  for (const auto& k : asset.keys) {
    if (k.kind == KeyKind::mac) s.mac = k.value;
    if (k.kind == KeyKind::ipv4 || k.kind == KeyKind::ipv6) s.ips += (s.ips.empty() ? "" : ",") + k.value;
  }
  const Component& d = asset.components.front();
  if (const Claim* m = d.best("manufacturer.name")) {
    s.manufacturer = m->value;
    for (const Claim* c : d.all("manufacturer.country"))
      if (c->rule == m->rule) {
        s.country = c->value;
        break;
      }
  }
  for (const char* attribute : {"product.name", "product.model", "product.family"})
    if (const Claim* c = d.best(attribute); c && s.product.empty()) s.product = c->value;
  if (const Claim* c = d.best("firmware.version")) s.firmware = c->value;
  if (const Claim* c = d.best("role")) s.role = c->value;
  if (const Claim* c = d.best("assessment.verdict")) s.verdict = c->value;
  if (const Claim* c = d.best("mac.kind"); c && c->value != "universal") s.note = c->value;
  if (const Claim* c = d.best("network.via")) s.note = "via " + c->value;
  const auto modules = std::count_if(asset.components.begin() + 1, asset.components.end(),
                                     [](const Component& c) { return c.type == ComponentType::device; });
  if (modules > 0) s.note += (s.note.empty() ? "" : "; ") + std::to_string(modules) + (modules == 1 ? " module" : " modules");
  s.observations = d.observation_ids.size();
  return s;
}

}  // namespace herkomst::cli
