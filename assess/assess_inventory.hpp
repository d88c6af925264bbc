// Assessing a whole inventory: every component of every asset, with the site context of its
// asset and the scan's evidence. This is what `herkomst scan` (after attribution) and
// `herkomst assess` (on a stored inventory, from its claims) call.
//
// A nested component (firmware, operating system) that carries no vendor of its own (no
// manufacturer.name and no origin.* claim) takes its device's origin and control: the device's
// maker made its firmware. A nested device (a module) keeps its own.
#pragma once

#include <vector>

#include "assess/criteria.hpp"
#include "assess/policy.hpp"
#include "assess/site_context.hpp"
#include "inventory/model.hpp"

namespace herkomst::assess {

// In asset order, each asset's components in their order. `context` may be SiteContext{} (none).
std::vector<Assessment> assess_inventory(const Policy& policy, const SiteContext& context, const Inventory& inventory,
                                         const AssessOptions& options = {});

}  // namespace herkomst::assess
