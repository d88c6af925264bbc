// Identification from a MAC address alone: the IEEE registrant of its prefix.
//
// Claims made for each device with a MAC key (rule ids in brackets):
//   mac.kind                universal | locally-administered            1.0  [mac.address-bits]
//   mac.registry            MA-L | MA-M | MA-S | IAB                    1.0  [mac.registrant]
//   mac.prefix              the registered prefix, e.g. 00:1B:1B         1.0  [mac.registrant]
//   mac.registrant          organisation as the registry spells it      1.0  [mac.registrant]
//   mac.registrant.country  ISO 3166-1 alpha-2 from the registry address 1.0 [mac.registrant]
//   manufacturer.name       the registrant                              0.5  [mac.registrant]
//   manufacturer.country    the registrant's country                    0.4  [mac.registrant]
// The registry facts are certain; that the registrant made the device is not (NIC vendors,
// OEMs, transferred prefixes), hence the lower confidence of the manufacturer claims, which
// protocol identification (issue #3) outranks. Locally administered MACs and "Private"
// registrations get no registrant or manufacturer claims.
#pragma once

#include <vector>

#include "fingerprints/oui_registry.hpp"
#include "inventory/model.hpp"

namespace herkomst::fingerprints {

inline constexpr const char* kRuleMacRegistrant = "mac.registrant";
inline constexpr const char* kRuleMacBits = "mac.address-bits";
inline constexpr double kRegistrantAsManufacturer = 0.5;
inline constexpr double kRegistrantCountryAsManufacturer = 0.4;

// Adds the claims above to the device component of every asset that has a MAC key. The claims
// cite the earliest observation of that MAC.
void apply_mac_rules(const OuiRegistry& registry, const std::vector<Observation>& observations,
                     std::vector<Asset>& assets);

}  // namespace herkomst::fingerprints
