#include "assess/assess_inventory.hpp"

#include "assess/facts.hpp"
#include "assess/inventory_inputs.hpp"

namespace herkomst::assess {
namespace {

bool has_own_vendor(const Component& c) {
  for (const Claim& claim : c.claims)
    if (claim.attribute == "manufacturer.name" || claim.attribute.rfind("origin.", 0) == 0) return true;
  return false;
}

}  // namespace

std::vector<Assessment> assess_inventory(const Policy& policy, const SiteContext& context, const Inventory& inventory,
                                         const AssessOptions& options) {
  std::vector<Assessment> out;
  for (const Asset& asset : inventory.assets) {
    if (asset.components.empty()) continue;
    const AssetContext site = resolve_context(context, identity_of(inventory, asset), options.as_of);
    const ScanEvidence evidence = scan_evidence_of(inventory, asset, context);
    const Component& device = asset.components.front();
    for (const Component& component : asset.components) {
      ComponentFacts facts;
      if (&component != &device && component.type != ComponentType::device && !has_own_vendor(component)) {
        facts = facts_from_claims(device);
        const ComponentFacts own = facts_from_claims(component);
        facts.ref = own.ref;
        facts.label = own.label;
        facts.origin_from = device.ref;
      } else {
        facts = facts_from_claims(component);
      }
      out.push_back(assess_component(policy, facts, site, evidence, options));
    }
  }
  return out;
}

}  // namespace herkomst::assess
