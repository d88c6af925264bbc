#include "fingerprints/identify.hpp"

#include <algorithm>
#include <map>

namespace herkomst::fingerprints {

std::string firmware_ref(const Asset& asset) {
  const std::string& ref = asset.ref;  // "asset:<kind>:<value>"
  const auto colon = ref.find(':');
  return "firmware" + (colon == std::string::npos ? ":" + ref : ref.substr(colon));
}

void apply_rules(const RuleSet& rules, const std::vector<Observation>& observations, std::vector<Asset>& assets) {
  // Each observation is matched once, whatever the number of devices it belongs to.
  std::map<std::uint64_t, std::vector<Claim>> claims_of;
  for (const auto& o : observations) {
    auto claims = rules.apply(o);
    if (!claims.empty()) claims_of.emplace(o.id, std::move(claims));
  }

  for (auto& asset : assets) {
    if (asset.components.empty()) continue;
    Component& device = asset.components.front();
    std::vector<Claim> firmware_claims;
    std::vector<std::uint64_t> firmware_observations;
    for (std::uint64_t id : device.observation_ids) {
      auto it = claims_of.find(id);
      if (it == claims_of.end()) continue;
      for (const Claim& c : it->second) {
        device.claims.push_back(c);
        if (c.attribute == "firmware.version") {
          Claim version = c;
          version.attribute = "version";
          firmware_claims.push_back(std::move(version));
          firmware_observations.push_back(id);
        }
      }
    }
    std::sort(device.claims.begin(), device.claims.end());
    device.claims.erase(std::unique(device.claims.begin(), device.claims.end()), device.claims.end());
    if (firmware_claims.empty()) continue;

    Component firmware;
    firmware.ref = firmware_ref(asset);
    firmware.type = ComponentType::firmware;
    std::sort(firmware_claims.begin(), firmware_claims.end());
    firmware_claims.erase(std::unique(firmware_claims.begin(), firmware_claims.end()), firmware_claims.end());
    firmware.claims = std::move(firmware_claims);
    std::sort(firmware_observations.begin(), firmware_observations.end());
    firmware_observations.erase(std::unique(firmware_observations.begin(), firmware_observations.end()),
                                firmware_observations.end());
    firmware.observation_ids = std::move(firmware_observations);
    asset.components.push_back(std::move(firmware));
  }
}

}  // namespace herkomst::fingerprints
