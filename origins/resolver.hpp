// Resolving the vendor strings scanners meet ("Hangzhou Hikvision Digital Technology Co.,Ltd.",
// "Rockwell Automation/Allen-Bradley", "CISCO SYSTEMS, INC.") to an organisation of the
// knowledge base, or saying plainly that it cannot.
//
// 1. Normalise: ASCII lower case, punctuation to spaces, runs of single letters joined ("S.A."
//    -> "sa"), and legal-form words dropped from the end (co, ltd, gmbh, ag, inc, s.a., b.v.,
//    corporation, ...).
// 2. Exact: the normalised string equals the normalised name or an alias of organisations.
//    One organisation: resolved. Several: ambiguous (all are reported).
// 3. Tokens: an organisation's aliases occur in the string as whole-word runs, and together
//    cover every distinctive word of it; the words left over may only be generic (legal forms,
//    places, "technology", "digital", "international", ...: generic_words() in resolver.cpp).
//    "Hangzhou Hikvision Digital Technology" resolves through the alias "Hikvision";
//    "Siemens Healthineers" does not resolve to Siemens ("healthineers" is not covered). When
//    several organisations qualify, one whose coverage strictly contains every other's wins;
//    otherwise the string is ambiguous.
// Anything else is unresolved, with the caller's registrant-country hint kept. Wrong
// attributions are worse than none: there is no fuzzy (edit-distance) matching.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "origins/knowledge_base.hpp"

namespace herkomst::origins {

enum class ResolutionStatus { resolved, ambiguous, unresolved };
std::string_view to_string(ResolutionStatus s);

struct Resolution {
  ResolutionStatus status = ResolutionStatus::unresolved;
  std::string input;
  std::string normalised;
  const Organisation* org = nullptr;             // when resolved
  std::vector<const Organisation*> candidates;   // when ambiguous (sorted by id)
  std::string method;                            // "exact name", "exact alias", "tokens", ""
  std::vector<std::string> matched;              // the names or aliases that matched
  std::string why;                               // one line for people
};

// Lower case ASCII words without punctuation or trailing legal forms, joined by one space.
std::string normalise_vendor(std::string_view text);

class Resolver {
 public:
  explicit Resolver(const KnowledgeBase& kb);  // kb must outlive the resolver
  Resolution resolve(std::string_view text) const;

 private:
  struct Name {
    std::vector<std::string> tokens;
    std::string text;  // as written in the data
    bool is_alias = false;
  };
  const KnowledgeBase& kb_;
  std::map<std::string, std::vector<std::pair<std::size_t, Name>>> exact_;  // normalised -> (org index, name)
  std::vector<std::vector<Name>> names_;                                   // per organisation
};

}  // namespace herkomst::origins
