// The identification stage: fingerprint rules turn each device's observations into claims.
//
// Every observation attached to a device is run through the rule set; the claims land on the
// device component. What describes the device's firmware (firmware.version) is also given to
// a nested firmware component ("firmware:<key>"), so the inventory says "this PLC runs this
// firmware" the way CycloneDX models it: a device with a firmware component inside.
#pragma once

#include <vector>

#include "fingerprints/rule_engine.hpp"
#include "inventory/model.hpp"

namespace herkomst::fingerprints {

void apply_rules(const RuleSet& rules, const std::vector<Observation>& observations, std::vector<Asset>& assets);

// "firmware:mac:00:1b:1b:aa:bb:cc" for the device "device:mac:00:1b:1b:aa:bb:cc".
std::string firmware_ref(const Asset& asset);

}  // namespace herkomst::fingerprints
