#include "origins/resolver.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace herkomst::origins {
namespace {

// Legal forms: dropped from the end of a name.
const std::set<std::string, std::less<>>& legal_forms() {
  static const std::set<std::string, std::less<>> kForms{
      "co",   "company", "corp", "corporation", "inc",  "incorporated", "ltd", "limited", "llc",  "gmbh",
      "mbh",  "ag",      "sa",   "bv",          "nv",   "plc",          "se",  "spa",     "srl",  "sas",
      "sarl", "ab",      "as",   "asa",         "oy",   "oyj",          "pte", "pty",     "kk",   "kg",
      "kgaa", "lp",      "llp",  "sro",         "spzoo", "zrt",         "bhd", "sdn",     "pvt",  "ltda",
      "cv",   "sl",      "sau",  "ohg",         "ug",   "ev",           "jsc", "pjsc",    "ojsc", "cjsc",
      "ooo",  "ao",      "pao",     "zao",  "oao",          "private"};
  return kForms;
}

// Words that say nothing about which organisation is meant: legal forms, places, and the
// commonest words of company names. A string may carry them beside a matched alias.
const std::set<std::string, std::less<>>& generic_words() {
  static const std::set<std::string, std::less<>> kWords = [] {
    std::set<std::string, std::less<>> w(legal_forms().begin(), legal_forms().end());
    for (const char* word :
         {"the", "and", "of", "de", "und", "et", "a", "group", "holding", "holdings", "international", "intl", "global",
          "worldwide", "technology", "technologies", "tech", "digital", "electronics", "systems", "system",
          "communications", "communication", "networks", "network", "networking", "solutions", "products", "automation",
          "industrial", "manufacturing", "trading", "science", "sciences", "enterprise", "enterprises", "ventures",
          "division", "branch",
          "china", "chinese", "shenzhen", "hangzhou", "beijing", "shanghai", "guangzhou", "guangdong", "zhejiang",
          "jiangsu", "suzhou", "xiamen", "fujian", "wuhan", "chengdu", "nanjing", "dongguan", "ningbo", "qingdao",
          "tianjin", "hefei", "zhuhai", "foshan", "shandong", "taiwan", "taipei", "hong", "kong", "hk", "japan",
          "tokyo", "osaka", "usa", "us", "america", "americas", "north", "europe", "european", "eu", "emea", "asia",
          "pacific", "deutschland", "germany", "france", "uk", "gb", "nederland", "netherlands", "schweiz",
          "switzerland", "italia", "italy", "espana", "spain", "canada", "india", "korea", "singapore", "israel",
          "sweden", "norway", "denmark", "finland", "austria", "belgium", "russia", "rus", "australia", "brazil",
          "brasil", "mexico", "poland", "czech", "ireland", "portugal", "vietnam", "malaysia", "thailand",
          "indonesia", "philippines"})
      w.insert(word);
    return w;
  }();
  return kWords;
}

bool is_word_char(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x80 || std::isalnum(c);
}

// Registries note a former name beside the current one: "ABB (Formerly American Auto-Matrix)",
// "Eaton Electric B.V. (former Holec Holland N.V.)", "Schneider Electric Buildings AB (previous was
// 'TAC AB')". The former name is not the organisation the string names, so it is dropped: the
// parenthesis it opens (or, without one, the rest of the string). Never when nothing would be left.
std::string drop_former_names(std::string_view text) {
  std::string out(text);
  for (;;) {
    std::string lower(out);
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::size_t at = std::string::npos;
    for (const char* marker : {"formerly", "former", "previously", "previous"}) {
      const std::string_view m(marker);
      for (std::size_t pos = lower.find(m); pos != std::string::npos; pos = lower.find(m, pos + 1)) {
        const bool starts = pos == 0 || !is_word_char(lower[pos - 1]);
        const bool ends = pos + m.size() == lower.size() || !is_word_char(lower[pos + m.size()]);
        if (starts && ends) {
          at = std::min(at, pos);
          break;
        }
      }
    }
    if (at == std::string::npos) return out;
    std::size_t start = at;
    std::size_t end = out.size();
    std::size_t before = at;
    while (before > 0 && out[before - 1] == ' ') --before;
    if (before > 0 && out[before - 1] == '(') {
      start = before - 1;
      const std::size_t close = out.find(')', at);
      if (close != std::string::npos) end = close + 1;
    }
    std::string kept = out.substr(0, start) + " " + out.substr(end);
    if (std::none_of(kept.begin(), kept.end(), is_word_char)) return out;
    out = std::move(kept);
  }
}

std::vector<std::string> tokens_of(std::string_view raw) {
  const std::string text = drop_former_names(raw);
  std::vector<std::string> words;
  std::string cur;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_word_char(ch)) {
      cur += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  // Join runs of single letters: "s a" -> "sa", "b v" -> "bv".
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size();) {
    if (words[i].size() == 1 && i + 1 < words.size() && words[i + 1].size() == 1) {
      std::string joined;
      while (i < words.size() && words[i].size() == 1) joined += words[i++];
      out.push_back(std::move(joined));
    } else {
      out.push_back(std::move(words[i++]));
    }
  }
  // Legal forms at the end (never the only word).
  while (out.size() > 1 && legal_forms().count(out.back())) out.pop_back();
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

std::string_view to_string(ResolutionStatus s) {
  switch (s) {
    case ResolutionStatus::resolved: return "resolved";
    case ResolutionStatus::ambiguous: return "ambiguous";
    case ResolutionStatus::unresolved: return "unresolved";
  }
  return "unresolved";
}

std::string normalise_vendor(std::string_view text) { return join(tokens_of(text)); }

Resolver::Resolver(const KnowledgeBase& kb) : kb_(kb) {
  const auto& orgs = kb.organisations();
  names_.resize(orgs.size());
  for (std::size_t i = 0; i < orgs.size(); ++i) {
    std::vector<std::pair<std::string, bool>> all{{orgs[i].name, false}};
    for (const auto& a : orgs[i].aliases) all.emplace_back(a, true);
    for (const auto& [text, alias] : all) {
      Name n{tokens_of(text), text, alias};
      if (n.tokens.empty()) continue;
      exact_[join(n.tokens)].emplace_back(i, n);
      names_[i].push_back(std::move(n));
    }
  }
}

Resolution Resolver::resolve(std::string_view text) const {
  Resolution r;
  r.input = std::string(text);
  const auto words = tokens_of(text);
  r.normalised = join(words);
  const auto& orgs = kb_.organisations();
  if (words.empty()) {
    r.why = "nothing to match (empty after normalising)";
    return r;
  }

  if (const auto it = exact_.find(r.normalised); it != exact_.end()) {
    std::set<std::size_t> hits;
    for (const auto& [i, n] : it->second) hits.insert(i);
    if (hits.size() == 1) {
      r.status = ResolutionStatus::resolved;
      r.org = &orgs[*hits.begin()];
      const bool by_name = std::any_of(it->second.begin(), it->second.end(), [](const auto& p) { return !p.second.is_alias; });
      r.method = by_name ? "exact name" : "exact alias";
      for (const auto& [i, n] : it->second) r.matched.push_back(n.text);
      r.why = "'" + r.normalised + "' is the " + (by_name ? "name" : "alias") + " '" + r.matched.front() + "' of " +
              r.org->id;
      return r;
    }
    r.status = ResolutionStatus::ambiguous;
    for (std::size_t i : hits) r.candidates.push_back(&orgs[i]);
    r.method = "exact alias";
    r.why = "'" + r.normalised + "' names " + std::to_string(hits.size()) + " organisations";
    return r;
  }

  // Token coverage per organisation.
  std::vector<bool> distinctive(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) distinctive[k] = !generic_words().count(words[k]);
  if (std::none_of(distinctive.begin(), distinctive.end(), [](bool d) { return d; })) {
    r.why = "only generic words ('" + r.normalised + "')";
    return r;
  }
  struct Candidate {
    std::size_t org;
    std::vector<bool> covered;
    std::vector<std::string> matched;
  };
  std::vector<Candidate> qualified;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    Candidate c{i, std::vector<bool>(words.size(), false), {}};
    for (const auto& n : names_[i]) {
      if (n.tokens.size() > words.size()) continue;
      for (std::size_t start = 0; start + n.tokens.size() <= words.size(); ++start) {
        if (!std::equal(n.tokens.begin(), n.tokens.end(), words.begin() + static_cast<std::ptrdiff_t>(start))) continue;
        // A name made only of generic words ("Global Systems") covers nothing.
        bool useful = false;
        for (std::size_t k = 0; k < n.tokens.size(); ++k) useful = useful || distinctive[start + k];
        if (!useful) continue;
        for (std::size_t k = 0; k < n.tokens.size(); ++k) c.covered[start + k] = true;
        c.matched.push_back(n.text);
      }
    }
    bool all = !c.matched.empty();
    for (std::size_t k = 0; k < words.size() && all; ++k) all = !distinctive[k] || c.covered[k];
    if (all) qualified.push_back(std::move(c));
  }
  if (qualified.empty()) {
    r.why = "no organisation's names cover every distinctive word of '" + r.normalised + "'";
    return r;
  }
  // One whose coverage contains every other's wins.
  const Candidate* best = nullptr;
  for (const auto& c : qualified) {
    bool contains_all = true;
    for (const auto& o : qualified)
      for (std::size_t k = 0; k < words.size() && contains_all; ++k)
        if (o.covered[k] && !c.covered[k]) contains_all = false;
    const bool strictly = std::all_of(qualified.begin(), qualified.end(), [&](const Candidate& o) {
      return &o == &c || o.covered != c.covered;
    });
    if (contains_all && strictly) best = &c;
  }
  if (best) {
    r.status = ResolutionStatus::resolved;
    r.org = &orgs[best->org];
    r.method = "tokens";
    r.matched = best->matched;
    std::sort(r.matched.begin(), r.matched.end());
    r.matched.erase(std::unique(r.matched.begin(), r.matched.end()), r.matched.end());
    std::string rest;
    for (std::size_t k = 0; k < words.size(); ++k)
      if (!best->covered[k]) {
        if (!rest.empty()) rest += ' ';
        rest += words[k];
      }
    r.why = "the names of " + r.org->id + " ('" + join(r.matched) + "') cover '" + r.normalised + "'" +
            (rest.empty() ? std::string() : "; generic words left: " + rest);
    return r;
  }
  r.status = ResolutionStatus::ambiguous;
  r.method = "tokens";
  for (const auto& c : qualified) r.candidates.push_back(&orgs[c.org]);
  std::sort(r.candidates.begin(), r.candidates.end(),
            [](const Organisation* a, const Organisation* b) { return a->id < b->id; });
  r.why = "the names of " + std::to_string(qualified.size()) + " organisations cover '" + r.normalised + "'";
  return r;
}

}  // namespace herkomst::origins
