#include "assess/facts.hpp"

#include <algorithm>
#include <cstdio>

#include "origins/inventory_attribution.hpp"

namespace herkomst::assess {
namespace {

std::string best(const Component& c, std::string_view attribute) {
  const Claim* claim = c.best(attribute);
  return claim ? claim->value : std::string();
}

std::vector<std::string> all(const Component& c, std::string_view attribute) {
  std::vector<std::string> out;
  for (const Claim* claim : c.all(attribute)) out.push_back(claim->value);
  std::sort(out.begin(), out.end());
  return out;
}

std::string label_of(const Component& c) {
  std::string product;
  for (auto attribute : {"name", "product.name", "product.model"})
    if (product = best(c, attribute); !product.empty()) break;
  std::string maker = best(c, "origin.name");
  if (maker.empty()) maker = best(c, "manufacturer.name");
  if (product.empty() && maker.empty()) return c.ref;
  if (product.empty()) return maker + " " + std::string(to_string(c.type));
  return maker.empty() ? product : product + " (" + maker + ")";
}

}  // namespace

ComponentFacts facts_from_claims(const Component& component) {
  ComponentFacts f;
  f.ref = component.ref;
  f.label = label_of(component);
  f.organisation = best(component, "origin.organisation");
  f.resolved = !f.organisation.empty();
  f.organisation_name = best(component, "origin.name");
  f.origin_country = best(component, "origin.country");
  f.match = best(component, "origin.match");
  f.origin_source = best(component, "origin.source");
  f.control_countries = all(component, "control.country");
  f.ultimate_parents = all(component, "control.ultimate-parent");
  f.chains = all(component, "control.chain");
  f.state_countries = all(component, "control.state");
  f.state_stakes = all(component, "control.state-stake");
  f.makers = all(component, "control.maker");
  f.registrant_country = best(component, "mac.registrant.country");
  constexpr std::string_view kList = "list.";
  for (const Claim& c : component.claims)
    if (c.attribute.compare(0, kList.size(), kList) == 0) {
      ListHit hit{c.attribute.substr(kList.size()), c.value};
      if (std::find_if(f.lists.begin(), f.lists.end(), [&](const ListHit& h) {
            return h.list == hit.list && h.entry == hit.entry;
          }) == f.lists.end())
        f.lists.push_back(std::move(hit));
    }
  return f;
}

ComponentFacts facts_from_attribution(const origins::Attribution& a, std::string ref, std::string label) {
  ComponentFacts f;
  f.ref = std::move(ref);
  f.label = std::move(label);
  if (!a.org) return f;
  f.resolved = true;
  f.organisation = a.org->id;
  f.organisation_name = a.org->name;
  f.origin_country = a.origin_country;
  f.match = "knowledge-base organisation " + a.org->id;
  for (const auto& s : a.org->fact.sources) f.origin_source += (f.origin_source.empty() ? "" : " | ") + s;
  if (!f.origin_source.empty()) f.origin_source += " (" + a.org->fact.as_of.str() + ")";
  f.control_countries = a.control_countries;
  for (const auto* p : a.ultimate_parents) f.ultimate_parents.push_back(p->id);
  for (const auto& chain : a.chains)
    if (!chain.steps.empty()) f.chains.push_back(origins::describe_chain(chain));
  for (const auto& s : a.state) {
    if (s.controls) {
      f.state_countries.push_back(s.country);
    } else if (s.stake && s.holder) {
      char share[32] = "";
      if (s.stake->share) std::snprintf(share, sizeof share, " %g %%", *s.stake->share);
      f.state_stakes.push_back(s.country + share + " " + s.holder->id);
    }
  }
  std::sort(f.state_countries.begin(), f.state_countries.end());
  f.state_countries.erase(std::unique(f.state_countries.begin(), f.state_countries.end()), f.state_countries.end());
  for (const auto* m : a.makers) f.makers.push_back(m->subject);
  for (const auto& l : a.lists) {
    std::string entry = l.edition->edition + " " + l.edition->title;
    if (l.inherited && l.through) entry += " through " + l.through->id;
    f.lists.push_back({l.edition->list, std::move(entry)});
  }
  return f;
}

}  // namespace herkomst::assess
