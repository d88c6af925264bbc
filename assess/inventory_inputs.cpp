#include "assess/inventory_inputs.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace herkomst::assess {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every observation id of the asset's components.
std::set<std::uint64_t> observations_of(const Asset& asset) {
  std::set<std::uint64_t> ids;
  for (const auto& c : asset.components) ids.insert(c.observation_ids.begin(), c.observation_ids.end());
  return ids;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A name that cannot be a service outside the site whatever the context says.
bool local_name(const std::string& name) {
  if (name.find('.') == std::string::npos) return true;
  static constexpr std::array<std::string_view, 7> kLocal{".local", ".arpa", ".localdomain", ".lan",
                                                         ".home", ".internal", ".localhost"};
  return std::any_of(kLocal.begin(), kLocal.end(), [&](std::string_view s) { return ends_with(name, s); });
}

void add(std::vector<EvidenceItem>& items, std::string value, const char* signal, std::uint64_t observation) {
  auto it = std::find_if(items.begin(), items.end(), [&](const EvidenceItem& e) { return e.value == value; });
  if (it == items.end()) {
    items.push_back({std::move(value), signal, {observation}});
  } else if (std::find(it->observations.begin(), it->observations.end(), observation) == it->observations.end()) {
    it->observations.push_back(observation);
  }
}

// "host:port", "[v6]:port", "v6", "name" -> the host part.
std::string host_part(std::string host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return close == std::string::npos ? host : host.substr(1, close - 1);
  }
  if (std::count(host.begin(), host.end(), ':') == 1) host.erase(host.find(':'));
  return host;
}

void consider_name(ScanEvidence& e, const SiteContext& context, std::string name, const char* signal,
                   std::uint64_t observation) {
  name = lower(std::move(name));
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || local_name(name) || context.internal_name(name)) return;
  add(e.external_names, std::move(name), signal, observation);
}

}  // namespace

AssetIdentity identity_of(const Inventory& inventory, const Asset& asset) {
  AssetIdentity id;
  id.ref = asset.ref;
  for (const auto& k : asset.keys) {
    if (k.kind == KeyKind::mac) {
      id.macs.push_back(lower(k.value));
    } else if (k.kind == KeyKind::ipv4 || k.kind == KeyKind::ipv6) {
      if (auto ip = IpAddress::parse(k.value)) id.ips.push_back(*ip);
    } else if (k.kind == KeyKind::hostname) {
      id.names.push_back(lower(k.value));
    }
  }
  if (!asset.components.empty())
    if (const Claim* name = asset.components.front().best("name")) id.names.push_back(lower(name->value));
  std::set<int> vlans;
  for (std::uint64_t oid : observations_of(asset))
    if (const Observation* o = inventory.observation(oid))
      if (const FieldValue* v = o->field("vlan"))
        if (const auto* n = std::get_if<std::int64_t>(v)) vlans.insert(static_cast<int>(*n));
  id.vlans.assign(vlans.begin(), vlans.end());
  return id;
}

ScanEvidence scan_evidence_of(const Inventory& inventory, const Asset& asset, const SiteContext& context) {
  ScanEvidence e;
  if (!context.given()) return e;
  for (std::uint64_t oid : observations_of(asset)) {
    const Observation* o = inventory.observation(oid);
    if (!o) continue;
    if (o->signal == "dns.query") {
      const FieldValue* mdns = o->field("mdns");
      if (mdns && std::holds_alternative<bool>(*mdns) && std::get<bool>(*mdns)) continue;
      consider_name(e, context, o->field_text("name"), "dns.query", o->id);
    } else if (o->signal == "ip.peer") {
      if (auto ip = IpAddress::parse(o->field_text("peer")); ip && !ip->local_scope() && !context.inside(*ip))
        add(e.outside_addresses, ip->str(), "ip.peer", o->id);
    } else if (o->signal == "http.client") {
      const std::string host = host_part(o->field_text("host"));
      if (auto ip = IpAddress::parse(host)) {
        if (!ip->local_scope() && !context.inside(*ip)) add(e.outside_addresses, ip->str(), "http.client", o->id);
      } else {
        consider_name(e, context, host, "http.client", o->id);
      }
    }
  }
  return e;
}

}  // namespace herkomst::assess
