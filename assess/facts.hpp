// What the assessment knows about a component, as plain values: its origin and control (the
// claims the attribution stage stored, origins/inventory_attribution.hpp) and the scan's
// evidence of connections outside the site. The evaluator (criteria.hpp) reads only these, so
// a stored inventory is re-assessed from its claims, without the knowledge-base walk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inventory/model.hpp"
#include "origins/control.hpp"

namespace herkomst::assess {

struct ListHit {
  std::string list;   // "fcc-covered"
  std::string entry;  // "2021-03-12 FCC Covered List: initial publication [through huawei]"
};

struct ComponentFacts {
  std::string ref;    // the component's bom-ref
  std::string label;  // for people: "DS-2CD2143G2-I (Hangzhou Hikvision Digital Technology Co., Ltd.)"
  std::string origin_from;  // a nested component without its own vendor: the device whose origin it takes

  bool resolved = false;          // the vendor resolved to a knowledge-base organisation
  std::string organisation;       // origin.organisation
  std::string organisation_name;  // origin.name
  std::string origin_country;     // origin.country
  std::string match;              // origin.match: how it resolved, or "unresolved: '...'"
  std::string origin_source;      // origin.source
  std::vector<std::string> control_countries;  // control.country
  std::vector<std::string> ultimate_parents;   // control.ultimate-parent
  std::vector<std::string> chains;             // control.chain, with sources and dates
  std::vector<std::string> state_countries;    // control.state: states that control it
  std::vector<std::string> state_stakes;       // control.state-stake: minority stakes of states
  std::vector<std::string> makers;             // control.maker: OEM/ODM
  std::vector<ListHit> lists;                  // list.<id>
  std::string registrant_country;              // mac.registrant.country: a hint only
};

// From a component's claims (what the store keeps).
ComponentFacts facts_from_claims(const Component& component);
// From an attribution (a knowledge-base walk done now), with the component's ref and label.
ComponentFacts facts_from_attribution(const origins::Attribution& attribution, std::string ref, std::string label);

// One piece of scan evidence: a value and the observations that show it.
struct EvidenceItem {
  std::string value;   // "203.0.113.7", "hik-connect.com"
  std::string signal;  // "http.client", "dns.query"
  std::vector<std::uint64_t> observations;
};

// What the scan shows about an asset's connections beyond the site (criterion 3A, cloud
// connectivity). Evidence only ever adds: a passive capture that saw nothing proves nothing.
struct ScanEvidence {
  std::vector<EvidenceItem> outside_addresses;  // talks to addresses outside the site's declared networks
  std::vector<EvidenceItem> external_names;     // looks up names outside the site's own domains
  bool any() const { return !outside_addresses.empty() || !external_names.empty(); }
};

}  // namespace herkomst::assess
