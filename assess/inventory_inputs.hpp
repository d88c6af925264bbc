// What an inventory tells the assessment about one asset besides its claims: how the site
// context recognises it (MACs, addresses, names, VLANs) and what the scan saw of its
// connections beyond the site (criterion 3A evidence).
//
// Scan evidence, from the observations about the asset (as sender):
//   dns.query (not mDNS)   a name looked up that is not the site's: not under one of the
//                          context's internal_domains, has a dot, and is not .local, .arpa,
//                          .localdomain, .lan, .home or .internal -> external_names
//   ip.peer peer           a globally routable address the asset sent IP to (the passive
//                          observer records only those, scanner/passive/passive_observer.hpp):
//                          outside the declared networks -> outside_addresses
//   http.client host       the server named in a request: an IP address outside the declared
//                          networks -> outside_addresses; a name as for dns.query
// Without a site context nothing is derived: what is inside the site is not declared. Private
// addresses the asset talks to are not recorded, so a private network that is not the site's
// (a vendor's VPN range) is seen only where a protocol names it (HTTP Host).
#pragma once

#include "assess/facts.hpp"
#include "assess/site_context.hpp"
#include "inventory/model.hpp"

namespace herkomst::assess {

AssetIdentity identity_of(const Inventory& inventory, const Asset& asset);
ScanEvidence scan_evidence_of(const Inventory& inventory, const Asset& asset, const SiteContext& context);

}  // namespace herkomst::assess
