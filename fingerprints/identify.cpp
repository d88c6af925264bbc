#include "fingerprints/identify.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <map>

namespace herkomst::fingerprints {

std::string firmware_ref(const Asset& asset) {
  const std::string& ref = asset.ref;  // "asset:<kind>:<value>"
  const auto colon = ref.find(':');
  return "firmware" + (colon == std::string::npos ? ":" + ref : ref.substr(colon));
}

std::string module_ref(const Asset& asset, std::string_view serial) {
  const std::string& ref = asset.ref;
  const auto colon = ref.find(':');
  return "module" + (colon == std::string::npos ? ":" + ref : ref.substr(colon)) + ":" + std::string(serial);
}

namespace {

// Signals that identify one hardware unit by its serial number. Where one device (one IP, one
// MAC) answers with several such units, it is a chassis: the unit that answers for the address
// (ListIdentity is answered by the module that owns the IP) is the device; the others were
// reached through it (CIP routing over the backplane, S7 module lists) and are its modules.
struct UnitSignal {
  std::string_view signal;
  bool answers_for_address;  // the replying unit is the one the address belongs to
};
constexpr std::array<UnitSignal, 4> kUnitSignals{{
    {"enip.list-identity", true},
    {"cip.identity", false},
    {"s7.component-identification", false},
    {"s7.module-identification", false},
}};

const UnitSignal* unit_signal(std::string_view signal) {
  for (const auto& u : kUnitSignals)
    if (u.signal == signal) return &u;
  return nullptr;
}

// Sorted, unique.
template <class T>
void tidy(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Adds a nested firmware component made of the firmware.version claims of `claims`.
Component firmware_of(std::string ref, const std::vector<std::pair<std::uint64_t, Claim>>& claims) {
  Component firmware;
  firmware.ref = std::move(ref);
  firmware.type = ComponentType::firmware;
  for (const auto& [id, c] : claims) {
    if (c.attribute != "firmware.version") continue;
    Claim version = c;
    version.attribute = "version";
    firmware.claims.push_back(std::move(version));
    firmware.observation_ids.push_back(id);
  }
  tidy(firmware.claims);
  tidy(firmware.observation_ids);
  return firmware;
}

}  // namespace

void apply_rules(const RuleSet& rules, const std::vector<Observation>& observations, std::vector<Asset>& assets) {
  // Each observation is matched once, whatever the number of devices it belongs to.
  std::map<std::uint64_t, std::vector<Claim>> claims_of;
  std::map<std::uint64_t, const Observation*> by_id;
  for (const auto& o : observations) {
    by_id.emplace(o.id, &o);
    auto claims = rules.apply(o);
    if (!claims.empty()) claims_of.emplace(o.id, std::move(claims));
  }

  for (auto& asset : assets) {
    if (asset.components.empty()) continue;
    Component& device = asset.components.front();

    // Which unit (serial) each observation describes, and which unit answers for the address.
    std::map<std::uint64_t, std::string> unit_of;
    std::map<std::string, bool> units;  // serial -> answers for the address
    for (std::uint64_t id : device.observation_ids) {
      const auto o = by_id.find(id);
      if (o == by_id.end()) continue;
      const UnitSignal* u = unit_signal(o->second->signal);
      const std::string serial = u ? o->second->field_text("serial") : std::string{};
      if (serial.empty()) continue;
      unit_of.emplace(id, serial);
      units[serial] = units[serial] || u->answers_for_address;
    }
    // One unit (or none): the device is that unit. Several: the one answering for the address
    // stays the device, every other becomes a module; with no such unit, all are modules and
    // the device keeps only what is not about one unit (MAC registrant, LLDP, names).
    std::string head;
    if (units.size() == 1) head = units.begin()->first;
    for (const auto& [serial, answers] : units)
      if (units.size() > 1 && answers && head.empty()) head = serial;
    if (units.size() > 1 && std::count_if(units.begin(), units.end(), [](const auto& u) { return u.second; }) > 1)
      head.clear();  // two units claim the address: no way to tell, no head

    std::vector<std::pair<std::uint64_t, Claim>> device_claims;
    std::map<std::string, std::vector<std::pair<std::uint64_t, Claim>>> module_claims;
    std::map<std::string, std::vector<std::uint64_t>> module_observations;
    std::vector<std::uint64_t> device_observations;
    for (std::uint64_t id : device.observation_ids) {
      const auto unit = unit_of.find(id);
      const bool module = unit != unit_of.end() && unit->second != head;
      if (module) module_observations[unit->second].push_back(id);
      else device_observations.push_back(id);
      const auto it = claims_of.find(id);
      if (it == claims_of.end()) continue;
      for (const Claim& c : it->second) {
        if (module) module_claims[unit->second].emplace_back(id, c);
        else device_claims.emplace_back(id, c);
      }
    }

    for (const auto& [id, c] : device_claims) device.claims.push_back(c);
    tidy(device.claims);
    device.observation_ids = std::move(device_observations);
    Component firmware = firmware_of(firmware_ref(asset), device_claims);

    std::vector<Component> modules;
    for (auto& [serial, claims] : module_claims) {
      Component m;
      m.ref = module_ref(asset, serial);
      m.type = ComponentType::device;
      for (const auto& [id, c] : claims) {
        m.claims.push_back(c);
        if (c.attribute == "firmware.version") {  // a module's version is its firmware's
          Claim version = c;
          version.attribute = "version";
          m.claims.push_back(std::move(version));
        }
      }
      m.claims.push_back({"role", "module", 0.8, "module.behind-head-end", 0});
      tidy(m.claims);
      m.observation_ids = std::move(module_observations[serial]);
      tidy(m.observation_ids);
      modules.push_back(std::move(m));
    }

    if (!firmware.claims.empty()) asset.components.push_back(std::move(firmware));
    for (auto& m : modules) asset.components.push_back(std::move(m));
  }
}

}  // namespace herkomst::fingerprints
