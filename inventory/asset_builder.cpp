#include "inventory/asset_builder.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace herkomst {
namespace {

bool is_ip(const SubjectKey& k) { return k.kind == KeyKind::ipv4 || k.kind == KeyKind::ipv6; }

// fe80::/10: the first group of the canonical text is fe80..febf.
bool is_ipv6_link_local(const SubjectKey& k) {
  if (k.kind != KeyKind::ipv6) return false;
  const auto colon = k.value.find(':');
  if (colon != 4) return false;
  const std::string group = k.value.substr(0, 4);
  return group >= "fe80" && group <= "febf";
}

struct Topology {
  std::set<SubjectKey> macs;
  std::map<SubjectKey, std::set<SubjectKey>> ips_of_mac;      // sent from (not ARP)
  std::set<std::pair<SubjectKey, SubjectKey>> routed;         // (mac, ip): only ever seen hops > 0
  std::set<std::pair<SubjectKey, SubjectKey>> direct;         // (mac, ip): seen at hops 0 (or unknown)
  std::map<SubjectKey, std::set<SubjectKey>> arp_macs_of_ip;  // ARP: ip is at mac
  std::set<SubjectKey> ips;                                   // every IP seen as a subject
  std::map<std::pair<SubjectKey, SubjectKey>, std::uint64_t> first_pair_observation;  // (ip, mac)
  // (mac, ip) -> first and last time the MAC sent from the address at hops 0.
  std::map<std::pair<SubjectKey, SubjectKey>, std::pair<std::int64_t, std::int64_t>> direct_times;
};

// A DHCP server's ACK (or BOOTP reply) gives the client MAC its address, as an ARP reply would.
bool is_address_grant(const Observation& o) {
  if (o.signal != "dhcp.offer") return false;
  const std::string type = o.field_text("message.type");
  return (type == "ack" || type == "bootp") && !o.field_text("your.ip").empty();
}

Topology collect(const std::vector<Observation>& observations) {
  Topology t;
  for (const auto& o : observations) {
    const SubjectKey* mac = nullptr;
    const SubjectKey* ip = nullptr;
    for (const auto& k : o.subjects) {
      if (k.kind == KeyKind::mac) mac = &k;
      if (is_ip(k)) ip = &k;
    }
    if (mac) t.macs.insert(*mac);
    if (ip) t.ips.insert(*ip);
    if (mac && ip) {
      auto [it, fresh] = t.first_pair_observation.emplace(std::make_pair(*ip, *mac), o.id);
      if (!fresh) it->second = std::min(it->second, o.id);
      if (o.signal == "arp.sender")
        t.arp_macs_of_ip[*ip].insert(*mac);
      else
        t.ips_of_mac[*mac].insert(*ip);
      if (o.signal == "ip.source") {
        const FieldValue* hops = o.field("hops");
        const bool far = hops && std::holds_alternative<std::int64_t>(*hops) && std::get<std::int64_t>(*hops) > 0;
        (far ? t.routed : t.direct).insert({*mac, *ip});
        if (!far && o.evidence.count > 0) {
          auto [span, added] = t.direct_times.emplace(std::make_pair(*mac, *ip),
                                                    std::make_pair(o.evidence.first_time_us, o.evidence.last_time_us));
          if (!added) {
            span->second.first = std::min(span->second.first, o.evidence.first_time_us);
            span->second.second = std::max(span->second.second, o.evidence.last_time_us);
          }
        }
      }
    }
    if (mac && !ip && is_address_grant(o)) {
      const std::string granted = o.field_text("your.ip");
      const SubjectKey key{granted.find(':') == std::string::npos ? KeyKind::ipv4 : KeyKind::ipv6, granted};
      t.arp_macs_of_ip[key].insert(*mac);
      t.ips.insert(key);
      t.first_pair_observation.emplace(std::make_pair(key, *mac), o.id);
    }
  }
  return t;
}

// True when the MAC used its addresses of this family one after another, never two at once:
// every address it sent from at hops 0 (or ARP placed on it) has a time span, and no two spans
// overlap. That is a device whose address changed (DHCP, re-configuration, the ControlLogix
// whose Ethernet module moved from .125 to .120 after a reboot), not a router: a router
// forwards for several hosts at the same time, and their packets arrive with hops > 0.
bool one_at_a_time(const Topology& t, const SubjectKey& mac, KeyKind family) {
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (const auto& [pair, times] : t.direct_times)
    if (pair.first == mac && pair.second.kind == family) spans.push_back(times);
  // Every address the MAC sent from must have a span (no routed-only or unknown-hops address).
  if (const auto it = t.ips_of_mac.find(mac); it != t.ips_of_mac.end()) {
    std::size_t addresses = 0;
    for (const auto& ip : it->second)
      if (ip.kind == family && !is_ipv6_link_local(ip)) {
        ++addresses;
        if (!t.direct_times.count({mac, ip})) return false;
      }
    if (addresses < 2) return false;
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t i = 1; i < spans.size(); ++i)
    if (spans[i].first <= spans[i - 1].second) return false;
  return true;
}

}  // namespace

std::string asset_ref(const SubjectKey& primary) { return "asset:" + to_string(primary); }
std::string device_ref(const SubjectKey& primary) { return "device:" + to_string(primary); }

std::vector<Asset> build_assets(const std::vector<Observation>& observations) {
  const Topology t = collect(observations);

  // ip -> macs it is bound to; mac -> its bound ips.
  std::map<SubjectKey, std::set<SubjectKey>> bound_macs_of_ip;
  std::map<SubjectKey, std::set<SubjectKey>> bound_ips_of_mac;
  auto bind = [&](const SubjectKey& mac, const SubjectKey& ip) {
    bound_macs_of_ip[ip].insert(mac);
    bound_ips_of_mac[mac].insert(ip);
  };
  for (const auto& [ip, macs] : t.arp_macs_of_ip)
    for (const auto& mac : macs) bind(mac, ip);

  std::map<SubjectKey, std::set<SubjectKey>> forwarded_by;  // ip -> gateway macs
  for (const auto& [mac, ips] : t.ips_of_mac) {
    for (KeyKind family : {KeyKind::ipv4, KeyKind::ipv6}) {
      bool has_arp_bound = false;
      std::vector<SubjectKey> candidates;
      for (const auto& ip : ips) {
        if (ip.kind != family) continue;
        if (t.arp_macs_of_ip.count(ip)) {
          if (t.arp_macs_of_ip.at(ip).count(mac)) has_arp_bound = true;
          continue;  // ARP decided where this address lives
        }
        if (is_ipv6_link_local(ip)) {
          bind(mac, ip);
          continue;
        }
        if (t.routed.count({mac, ip}) && !t.direct.count({mac, ip})) {
          forwarded_by[ip].insert(mac);  // the TTL says a router sent it on
          continue;
        }
        candidates.push_back(ip);
      }
      if (family == KeyKind::ipv4) {
        for (const auto& [ip, macs] : t.arp_macs_of_ip)
          if (ip.kind == family && macs.count(mac)) has_arp_bound = true;
      }
      if (!has_arp_bound && candidates.size() == 1) {
        bind(mac, candidates.front());
      } else if (!candidates.empty() && one_at_a_time(t, mac, family)) {
        for (const auto& ip : candidates) bind(mac, ip);  // the device changed its address
      } else {
        for (const auto& ip : candidates) forwarded_by[ip].insert(mac);
      }
    }
    // Addresses ARP placed on another MAC but sent from this one were forwarded by it too.
    for (const auto& ip : ips)
      if (t.arp_macs_of_ip.count(ip) && !t.arp_macs_of_ip.at(ip).count(mac)) forwarded_by[ip].insert(mac);
  }

  // One asset per MAC, one per IP that no MAC owns.
  std::vector<Asset> assets;
  for (const auto& mac : t.macs) {
    Asset a;
    a.ref = asset_ref(mac);
    a.keys.push_back(mac);
    if (auto it = bound_ips_of_mac.find(mac); it != bound_ips_of_mac.end())
      a.keys.insert(a.keys.end(), it->second.begin(), it->second.end());
    std::sort(a.keys.begin(), a.keys.end());
    Component device;
    device.ref = device_ref(mac);
    device.type = ComponentType::device;
    a.components.push_back(std::move(device));
    assets.push_back(std::move(a));
  }
  for (const auto& ip : t.ips) {
    if (bound_macs_of_ip.count(ip)) continue;
    Asset a;
    a.ref = asset_ref(ip);
    a.keys.push_back(ip);
    Component device;
    device.ref = device_ref(ip);
    a.components.push_back(std::move(device));
    assets.push_back(std::move(a));
  }
  std::sort(assets.begin(), assets.end(), [](const Asset& x, const Asset& y) { return x.ref < y.ref; });

  // Attach observations through their subject keys.
  std::map<SubjectKey, std::vector<std::size_t>> assets_of_key;
  for (std::size_t i = 0; i < assets.size(); ++i)
    for (const auto& k : assets[i].keys) assets_of_key[k].push_back(i);
  std::map<SubjectKey, std::uint64_t> first_observation_of_key;
  for (const auto& o : observations) {
    std::set<std::size_t> targets;
    for (const auto& k : o.subjects) {
      auto [first, fresh] = first_observation_of_key.emplace(k, o.id);
      if (!fresh) first->second = std::min(first->second, o.id);
      if (auto it = assets_of_key.find(k); it != assets_of_key.end()) targets.insert(it->second.begin(), it->second.end());
    }
    for (std::size_t i : targets) assets[i].components.front().observation_ids.push_back(o.id);
  }

  // Topology claims.
  std::set<SubjectKey> gateways;
  for (const auto& [ip, macs] : forwarded_by) gateways.insert(macs.begin(), macs.end());
  for (auto& a : assets) {
    Component& device = a.components.front();
    const SubjectKey& primary = a.keys.front();
    if (primary.kind == KeyKind::mac && gateways.count(primary)) {
      std::uint64_t obs = first_observation_of_key[primary];
      device.claims.push_back({"role", "gateway", 0.8, kRuleGateway, obs});
    }
    if (is_ip(primary)) {
      if (auto it = forwarded_by.find(primary); it != forwarded_by.end()) {
        for (const auto& mac : it->second) {
          const std::uint64_t obs = t.first_pair_observation.at({primary, mac});
          device.claims.push_back({"network.via", to_string(mac), 1.0, kRuleVia, obs});
        }
      }
    }
    std::sort(device.observation_ids.begin(), device.observation_ids.end());
    device.observation_ids.erase(std::unique(device.observation_ids.begin(), device.observation_ids.end()),
                                 device.observation_ids.end());
    std::sort(device.claims.begin(), device.claims.end());
  }
  return assets;
}

}  // namespace herkomst
