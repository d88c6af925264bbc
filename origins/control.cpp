#include "origins/control.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace herkomst::origins {
namespace {

bool is_state(const Organisation& o) {
  return o.kind == OrgKind::state_body || o.kind == OrgKind::state_owned_enterprise;
}

// The controlling parent a relation gives its child, or "" when it does not control.
struct Edge {
  const Relation* relation;
  std::string parent;
};

std::vector<Edge> controlling_parents(const KnowledgeBase& kb, const std::string& child, const ControlOptions& opt,
                                      std::vector<const Relation*>& all_stakes) {
  std::vector<Edge> out;
  std::vector<const Relation*> stakes;
  for (const Relation* r : kb.relations_of_object(child)) {  // "P owns/controls C"
    if (!valid_on(*r, opt.as_of)) continue;
    if (r->kind == RelationKind::owns) {
      if (r->share && *r->share > opt.control_threshold) out.push_back({r, r->subject});
      else stakes.push_back(r);
    } else if (r->kind == RelationKind::controls) {
      out.push_back({r, r->subject});
    }
  }
  for (const Relation* r : kb.relations_of_subject(child)) {  // "C subsidiary-of/brand-of/acquired-by P"
    if (!valid_on(*r, opt.as_of)) continue;
    switch (r->kind) {
      case RelationKind::subsidiary_of:
      case RelationKind::brand_of: out.push_back({r, r->object}); break;
      case RelationKind::acquired_by:
        if (!r->share || *r->share > opt.control_threshold) out.push_back({r, r->object});
        else stakes.push_back(r);
        break;
      default: break;
    }
  }
  // One edge per parent (several relations may say the same): keep the first by kind order.
  std::sort(out.begin(), out.end(), [](const Edge& a, const Edge& b) {
    return std::tie(a.parent, a.relation->kind) < std::tie(b.parent, b.relation->kind);
  });
  out.erase(std::unique(out.begin(), out.end(), [](const Edge& a, const Edge& b) { return a.parent == b.parent; }),
            out.end());
  // A stake of a parent that controls the child by another relation (a 36 % holder named as
  // controlling shareholder) is part of that control, not a minority stake.
  for (const Relation* r : stakes) {
    const std::string& holder = r->kind == RelationKind::acquired_by ? r->object : r->subject;
    if (std::none_of(out.begin(), out.end(), [&](const Edge& e) { return e.parent == holder; })) all_stakes.push_back(r);
  }
  return out;
}

}  // namespace

bool valid_on(const Relation& r, const Day& day) {
  if (r.valid_from && day < r.valid_from->earliest()) return false;
  if (r.valid_to && r.valid_to->latest() < day) return false;
  return true;
}

bool Attribution::state_controlled() const {
  return std::any_of(state.begin(), state.end(), [](const StateLink& s) { return s.controls; });
}

Attribution attribute(const KnowledgeBase& kb, const Organisation& org, const ControlOptions& opt) {
  Attribution a;
  a.org = &org;

  // Breadth-first over controlling edges; `via` remembers how each organisation was reached.
  std::map<std::string, std::pair<std::string, const Relation*>> via;  // org -> (child, relation)
  std::set<std::string> seen{org.id};
  std::deque<std::string> queue{org.id};
  std::vector<std::string> ultimate;
  std::vector<const Relation*> stakes;
  while (!queue.empty()) {
    const std::string current = queue.front();
    queue.pop_front();
    const auto parents = controlling_parents(kb, current, opt, stakes);
    bool has_parent = false;
    for (const auto& e : parents) {
      has_parent = true;
      if (!seen.insert(e.parent).second) continue;  // a cycle or a second path: visited once
      via[e.parent] = {current, e.relation};
      queue.push_back(e.parent);
    }
    if (!has_parent) ultimate.push_back(current);
  }
  std::sort(ultimate.begin(), ultimate.end());
  // A cycle with no way out (A controls B controls A) leaves no ultimate parent: then every
  // organisation on it counts, reported as such by the chains.
  if (ultimate.empty())
    for (const auto& id : seen) ultimate.push_back(id);

  for (const auto& id : ultimate) {
    ControlChain chain;
    std::vector<const Organisation*> orgs{kb.find(id)};
    std::string cur = id;
    while (via.count(cur)) {
      chain.steps.push_back(via[cur].second);
      cur = via[cur].first;
      orgs.push_back(kb.find(cur));
    }
    std::reverse(chain.steps.begin(), chain.steps.end());
    std::reverse(orgs.begin(), orgs.end());
    chain.orgs = std::move(orgs);
    a.ultimate_parents.push_back(kb.find(id));
    a.chains.push_back(std::move(chain));
  }

  std::set<std::string> countries;
  for (const Organisation* p : a.ultimate_parents)
    if (p && !p->headquarters().empty()) countries.insert(p->headquarters());
  a.control_countries.assign(countries.begin(), countries.end());

  // Origin: the organisation's own country; a brand's is its owner's.
  a.origin_country = org.headquarters();
  if (org.kind == OrgKind::brand || a.origin_country.empty())
    for (const auto& e : kb.relations_of_subject(org.id))
      if (e->kind == RelationKind::brand_of && valid_on(*e, opt.as_of))
        if (const Organisation* owner = kb.find(e->object); owner && !owner->headquarters().empty()) {
          a.origin_country = owner->headquarters();
          break;
        }

  // State control: any state body or SOE on the controlling paths (the org included).
  for (const auto& id : seen) {
    const Organisation* o = kb.find(id);
    if (o && is_state(*o) && !o->headquarters().empty())
      a.state.push_back({o->headquarters(), o, true, nullptr});
  }
  std::sort(stakes.begin(), stakes.end());
  stakes.erase(std::unique(stakes.begin(), stakes.end()), stakes.end());
  a.minority_stakes = stakes;
  for (const Relation* r : stakes) {
    const std::string& holder_id = r->kind == RelationKind::acquired_by ? r->object : r->subject;
    const Organisation* holder = kb.find(holder_id);
    if (holder && is_state(*holder) && !holder->headquarters().empty())
      a.state.push_back({holder->headquarters(), holder, false, r});
  }
  std::stable_sort(a.state.begin(), a.state.end(), [](const StateLink& x, const StateLink& y) {
    return std::tie(y.controls, x.country, x.holder->id) < std::tie(x.controls, y.country, y.holder->id);
  });

  for (const Relation* r : kb.relations_of_object(org.id))
    if (r->kind == RelationKind::makes_for && valid_on(*r, opt.as_of)) a.makers.push_back(r);

  // Lists: the org's own entries, and its controlling ancestors' where the edition reaches
  // subsidiaries and affiliates.
  for (const auto& id : seen) {
    for (const ListEntry* e : kb.entries_of(id)) {
      const ListEdition* ed = kb.edition(e->list, e->edition);
      if (!ed || opt.as_of < ed->published.earliest()) continue;
      const bool own = id == org.id;
      if (!own && ed->scope == ListScope::entity) continue;
      a.lists.push_back({ed, e, kb.find(id), !own});
    }
  }
  std::sort(a.lists.begin(), a.lists.end(), [](const ListMembership& x, const ListMembership& y) {
    return std::tie(x.edition->list, x.edition->edition, x.through->id) <
           std::tie(y.edition->list, y.edition->edition, y.through->id);
  });
  return a;
}

}  // namespace herkomst::origins
