// Groups observations into assets: which MACs and IP addresses are one device.
//
// Rules, from strongest evidence to weakest:
//  1. ARP binds an IPv4 address to the MAC that announced it; so does a DHCP ACK (or BOOTP
//     reply) granting the address to the client MAC.
//  2. An IPv6 link-local address belongs to the MAC that sent it (it cannot be routed).
//  3. A MAC with no ARP-bound address of a family that sent from exactly one address of that
//     family is that host.
//  4. A MAC that sent from several addresses of a family one after another, each at hops 0
//     and never two in the same span of time, changed its address (DHCP, reconfiguration,
//     a reboot): all of them are that host's.
//  5. Every other address a MAC sent from was forwarded: the MAC is a gateway (one device,
//     role claim "gateway"), and each forwarded address becomes an IP-only asset with a
//     "network.via" claim naming the gateway MAC. A router's MAC seen with many IPs is one
//     device, not many.
// Every observation is attached to each asset that one of its subject keys belongs to.
// The result is sorted by asset ref and fully deterministic.
#pragma once

#include <vector>

#include "inventory/model.hpp"

namespace herkomst {

// Rule ids of the claims the builder makes.
inline constexpr const char* kRuleGateway = "topology.gateway";
inline constexpr const char* kRuleVia = "topology.via";

// Builds assets from observations whose ids are already assigned (1..n).
std::vector<Asset> build_assets(const std::vector<Observation>& observations);

// The refs the builder gives: "asset:mac:00:1b:1b:aa:bb:cc" and "device:mac:00:1b:1b:aa:bb:cc".
std::string asset_ref(const SubjectKey& primary);
std::string device_ref(const SubjectKey& primary);

}  // namespace herkomst
