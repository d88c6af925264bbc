// The attribution stage: every component the scanners identified gets its origin and control.
//
// For each component, the strongest vendor strings claimed for it (the manufacturer.name claims
// of the highest confidence; weaker ones, such as a MAC registrant under a protocol's own word,
// are not used) are resolved against the knowledge base (resolver.hpp). The first that resolves
// names the organisation; its control walk (control.hpp, as of the scan's date) adds claims:
//
//   origin.organisation    the organisation's id                 e.g. hikvision
//   origin.name            its name                              Hangzhou Hikvision Digital Technology Co., Ltd.
//   origin.country         origin country (ISO 3166-1 alpha-2)   CN
//   origin.match           how the string matched                exact alias 'HIKVISION' (HIKVISION)
//   origin.source          the sources of the organisation row   https://...
//   control.ultimate-parent  each ultimate parent's id           sasac
//   control.country        each control country                  CN
//   control.chain          each chain with its relations, sources and dates
//   control.state          the country of each state that controls it (state ownership/control)
//   control.state-stake    minority stakes of states: "FR 25.7 % ape-france (source, date)"
//   control.maker          OEM/ODM makers: "odm-id (source, date)"
//   list.<list>            "<edition> <title>" (+ " through <org>" when inherited)
// A string that does not resolve gives origin.match = "unresolved: '<string>'" (or "ambiguous:
// '<string>' (a, b)"), and the registrant country of the MAC address, when known, stays as the
// only country hint (mac.country); nothing is guessed. Claims carry the rule id "origins.kb"
// and the confidence of the manufacturer claim they rest on, lowered to 0.5 when a fact on
// the way is of low confidence.
#pragma once

#include "inventory/model.hpp"
#include "origins/control.hpp"
#include "origins/knowledge_base.hpp"

namespace herkomst::origins {

inline constexpr const char* kRuleOrigins = "origins.kb";

// Adds origin and control claims to every component of every asset.
void attribute_inventory(const KnowledgeBase& kb, Inventory& inventory, const ControlOptions& options);

// Text of one control chain: "lenscam brand-of camco-eu [https://..., 2024, high] > ...".
std::string describe_chain(const ControlChain& chain);

}  // namespace herkomst::origins
