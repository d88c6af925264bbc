// The identification stage: fingerprint rules turn each device's observations into claims.
//
// Every observation attached to a device is run through the rule set; the claims land on the
// device component. What describes the device's firmware (firmware.version) is also given to
// a nested firmware component ("firmware:<key>"), so the inventory says "this PLC runs this
// firmware" the way CycloneDX models it: a device with a firmware component inside.
//
// A device that answers with several hardware units (different serial numbers in CIP Identity
// or S7 module identification replies: a ControlLogix chassis reached through its Ethernet
// module) is one device with modules: the unit that answers for the address (the EtherNet/IP
// ListIdentity reply) is the device, each other unit a nested device component
// "module:<key>:<serial>" with its own claims, version and evidence, and role "module".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fingerprints/rule_engine.hpp"
#include "inventory/model.hpp"

namespace herkomst::fingerprints {

void apply_rules(const RuleSet& rules, const std::vector<Observation>& observations, std::vector<Asset>& assets);

// "firmware:mac:00:1b:1b:aa:bb:cc" for the device "device:mac:00:1b:1b:aa:bb:cc".
std::string firmware_ref(const Asset& asset);
// "module:ipv4:10.1.1.164:0x00123456" for the unit with that serial behind the device.
std::string module_ref(const Asset& asset, std::string_view serial);

}  // namespace herkomst::fingerprints
