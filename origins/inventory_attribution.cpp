#include "origins/inventory_attribution.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>

#include "origins/resolver.hpp"

namespace herkomst::origins {
namespace {

// out += sep + item, without sep before the first item.
void append(std::string& out, std::string_view sep, std::string_view item) {
  if (!out.empty()) out.append(sep);
  out.append(item);
}

std::string sources_text(const Fact& f) {
  std::string out;
  for (const auto& s : f.sources) append(out, " | ", s);
  return out;
}

std::string fact_text(const Fact& f) {
  std::string out = "[";
  out += sources_text(f);
  out += ", ";
  out += f.as_of.str();
  out += ", ";
  out += to_string(f.confidence);
  out += ']';
  return out;
}

std::string relation_text(const Relation& r) {
  std::string out = r.subject + " " + std::string(to_string(r.kind)) + " " + r.object;
  if (r.share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " %g %%", *r.share);
    out += buf;
  }
  if (r.valid_from) out += " from " + r.valid_from->str();
  if (r.valid_to) out += " until " + r.valid_to->str();
  return out + " " + fact_text(r.fact);
}

bool any_low(const Attribution& a) {
  if (a.org->fact.confidence == Confidence::low) return true;
  for (const auto& c : a.chains)
    for (const Relation* r : c.steps)
      if (r->fact.confidence == Confidence::low) return true;
  return false;
}

struct Cached {
  Resolution resolution;
  std::optional<Attribution> attribution;
};

}  // namespace

std::string describe_chain(const ControlChain& chain) {
  if (chain.steps.empty()) return chain.orgs.empty() ? "" : chain.orgs.front()->id + " (no controlling parent)";
  std::string out;
  for (const Relation* r : chain.steps) append(out, " > ", relation_text(*r));
  return out;
}

void attribute_inventory(const KnowledgeBase& kb, Inventory& inventory, const ControlOptions& options) {
  const Resolver resolver(kb);
  std::map<std::string, Cached> cache;
  auto lookup = [&](const std::string& text) -> const Cached& {
    auto it = cache.find(text);
    if (it != cache.end()) return it->second;
    Cached c;
    c.resolution = resolver.resolve(text);
    if (c.resolution.org) c.attribution = attribute(kb, *c.resolution.org, options);
    return cache.emplace(text, std::move(c)).first->second;
  };

  for (auto& asset : inventory.assets)
    for (auto& component : asset.components) {
      const auto names = component.all("manufacturer.name");  // best first
      if (names.empty()) continue;
      const Claim* used = nullptr;
      const Cached* found = nullptr;
      // Only the strongest claims count: when a protocol names a maker the knowledge base does
      // not know, a weaker MAC registrant (often the network chip's maker) must not stand in.
      for (const Claim* n : names) {
        if (n->confidence < names.front()->confidence) break;
        const Cached& c = lookup(n->value);
        if (c.attribution) {
          used = n;
          found = &c;
          break;
        }
      }
      std::vector<Claim> add;
      auto claim = [&](std::string attribute, std::string value, const Claim& basis, double confidence) {
        add.push_back({std::move(attribute), std::move(value), confidence, kRuleOrigins, basis.observation_id});
      };
      if (!found) {
        const Claim& best = *names.front();
        const Resolution& r = lookup(best.value).resolution;
        std::string text = std::string(to_string(r.status)) + ": '" + best.value + "'";
        if (r.status == ResolutionStatus::ambiguous) {
          std::string ids;
          for (const auto* o : r.candidates) append(ids, ", ", o->id);
          text += " (" + ids + ")";
        }
        claim("origin.match", text, best, best.confidence);
      } else {
        const Attribution& a = *found->attribution;
        const Resolution& r = found->resolution;
        const double confidence = any_low(a) ? std::min(used->confidence, 0.5) : used->confidence;
        std::string matched;
        for (const auto& m : r.matched) append(matched, ", ", "'" + m + "'");
        claim("origin.organisation", a.org->id, *used, confidence);
        claim("origin.name", a.org->name, *used, confidence);
        if (!a.origin_country.empty()) claim("origin.country", a.origin_country, *used, confidence);
        claim("origin.match", r.method + " " + matched + " (" + used->value + ")", *used, confidence);
        claim("origin.source", sources_text(a.org->fact) + " (" + a.org->fact.as_of.str() + ")", *used, confidence);
        for (const Organisation* p : a.ultimate_parents) claim("control.ultimate-parent", p->id, *used, confidence);
        for (const auto& cc : a.control_countries) claim("control.country", cc, *used, confidence);
        for (const auto& chain : a.chains)
          if (!chain.steps.empty()) claim("control.chain", describe_chain(chain), *used, confidence);
        for (const auto& s : a.state) {
          if (s.controls) {
            claim("control.state", s.country, *used, confidence);
          } else if (s.stake) {
            char share[32] = "";
            if (s.stake->share) std::snprintf(share, sizeof share, " %g %%", *s.stake->share);
            claim("control.state-stake", s.country + share + " " + s.holder->id + " " + fact_text(s.stake->fact), *used,
                  confidence);
          }
        }
        for (const Relation* m : a.makers) claim("control.maker", m->subject + " " + fact_text(m->fact), *used, confidence);
        for (const auto& l : a.lists) {
          std::string value = l.edition->edition + " " + l.edition->title;
          if (l.inherited) value += " through " + l.through->id;
          claim("list." + l.edition->list, value, *used, confidence);
        }
      }
      component.claims.insert(component.claims.end(), add.begin(), add.end());
      std::sort(component.claims.begin(), component.claims.end());
      component.claims.erase(std::unique(component.claims.begin(), component.claims.end()), component.claims.end());
    }
}

}  // namespace herkomst::origins
