// Who controls an organisation, as of a date: the walk from an organisation up to its
// ultimate controlling parent(s), and what follows from the chain: origin country, control
// countries, state ownership or control, and list memberships inherited through ownership.
//
// Edges, read child -> parent, valid on the date (valid_from's first day <= date <= valid_to's
// last day; partial dates count as their whole period):
//   "P owns C s"        P controls C when s > the control threshold (default 50 %); a stake at
//                       or below it is a minority stake: reported, not followed
//   "P controls C"      P controls C
//   "C subsidiary-of P" P controls C
//   "C brand-of P"      P owns the brand C
//   "C acquired-by P"   P controls C from valid_from (if a share is given, as for "owns")
//   "M makes-for C"     not control: M is reported as C's maker (OEM/ODM)
// The walk is breadth-first and cycle-safe (an organisation is visited once); an ultimate
// parent is one with no controlling parent on that date. Every step keeps the relation, and so
// its sources, date and confidence.
//
//   origin country    the organisation's headquarters country (a brand's: its owner's)
//   control countries the headquarters countries of the ultimate parents
//   state control     a state body or state-owned enterprise on a controlling path (the
//                     organisation itself included): its country
//   state stakes      minority stakes of state bodies or state-owned enterprises on the way
//   lists             entries of the organisation itself, and of controlling ancestors whose
//                     list edition reaches subsidiaries or affiliates; only editions
//                     published on or before the date
#pragma once

#include <string>
#include <vector>

#include "origins/knowledge_base.hpp"

namespace herkomst::origins {

struct ControlOptions {
  Day as_of{9999, 12, 31};         // default: the latest state of the data
  double control_threshold = 50.0;  // percent; a stake above it controls
};

// One controlling path from the organisation to an ultimate parent: the relations in order.
struct ControlChain {
  std::vector<const Relation*> steps;
  std::vector<const Organisation*> orgs;  // orgs[0] = the organisation, orgs.back() = ultimate parent
};

struct ListMembership {
  const ListEdition* edition = nullptr;
  const ListEntry* entry = nullptr;
  const Organisation* through = nullptr;  // the listed organisation (itself or an ancestor)
  bool inherited = false;
};

struct StateLink {
  std::string country;                    // the state's country
  const Organisation* holder = nullptr;   // the state body or state-owned enterprise
  bool controls = false;                  // on a controlling path (else a minority stake)
  const Relation* stake = nullptr;        // for a minority stake: the relation
};

struct Attribution {
  const Organisation* org = nullptr;
  std::string origin_country;
  std::vector<ControlChain> chains;                  // one per ultimate parent (shortest path)
  std::vector<const Organisation*> ultimate_parents;  // sorted by id; the org itself when none
  std::vector<std::string> control_countries;         // sorted, unique
  std::vector<StateLink> state;                       // controls first, then stakes
  std::vector<const Relation*> minority_stakes;       // stakes at or below the threshold, except those
                                                      // of a parent that controls by another relation
  std::vector<const Relation*> makers;                // "makes-for" relations into the org
  std::vector<ListMembership> lists;
  bool state_controlled() const;
};

Attribution attribute(const KnowledgeBase& kb, const Organisation& org, const ControlOptions& options = {});

// Whether a relation holds on a day.
bool valid_on(const Relation& r, const Day& day);

}  // namespace herkomst::origins
