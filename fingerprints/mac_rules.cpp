#include "fingerprints/mac_rules.hpp"

#include <algorithm>
#include <map>

namespace herkomst::fingerprints {
namespace {

// "Siemens AG," -> "Siemens AG": the registry's stray trailing punctuation is not part of a name.
std::string tidy_name(std::string name) {
  while (!name.empty() && (name.back() == ',' || name.back() == ' ' || name.back() == ';')) name.pop_back();
  return name;
}

}  // namespace

void apply_mac_rules(const OuiRegistry& registry, const std::vector<Observation>& observations,
                     std::vector<Asset>& assets) {
  std::map<std::string, std::uint64_t> first_seen;  // mac text -> earliest observation id
  for (const auto& o : observations)
    for (const auto& k : o.subjects)
      if (k.kind == KeyKind::mac) {
        auto [it, fresh] = first_seen.emplace(k.value, o.id);
        if (!fresh) it->second = std::min(it->second, o.id);
      }

  for (auto& asset : assets) {
    auto key = std::find_if(asset.keys.begin(), asset.keys.end(), [](const SubjectKey& k) { return k.kind == KeyKind::mac; });
    if (key == asset.keys.end()) continue;
    const auto hit = registry.lookup(std::string_view(key->value));
    if (!hit) continue;
    Component& device = asset.components.front();
    const std::uint64_t obs = first_seen.count(key->value) ? first_seen.at(key->value) : 0;
    auto claim = [&](const char* attribute, const std::string& value, double confidence, const char* rule) {
      if (!value.empty()) device.claims.push_back({attribute, value, confidence, rule, obs});
    };

    claim("mac.kind", std::string(hit->kind()), 1.0, kRuleMacBits);
    if (const auto& a = hit->assignment) {
      claim("mac.registry", std::string(to_string(a->registry)), 1.0, kRuleMacRegistrant);
      claim("mac.prefix", a->prefix, 1.0, kRuleMacRegistrant);
      claim("mac.registrant", a->organisation, 1.0, kRuleMacRegistrant);
      claim("mac.registrant.country", a->country, 1.0, kRuleMacRegistrant);
      if (!a->is_private) {
        claim("manufacturer.name", tidy_name(a->organisation), kRegistrantAsManufacturer, kRuleMacRegistrant);
        claim("manufacturer.country", a->country, kRegistrantCountryAsManufacturer, kRuleMacRegistrant);
      }
    }
    std::sort(device.claims.begin(), device.claims.end());
  }
}

}  // namespace herkomst::fingerprints
