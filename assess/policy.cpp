#include "assess/policy.hpp"

#include <algorithm>
#include <set>

#include "assess/json_reader.hpp"

namespace herkomst::assess {
namespace embedded {
std::string_view default_policy_json();  // generated from configs/policy/default.json
}  // namespace embedded

namespace {

using json::Node;

constexpr std::array<std::string_view, 3> kNamings{"named", "lesser-extent", "emerging"};

// The element of a vector sorted by `key` whose key is `value`, or nullptr.
template <typename T>
const T* find_sorted(const std::vector<T>& items, std::string T::*key, std::string_view value) {
  auto it = std::lower_bound(items.begin(), items.end(), value,
                             [&](const T& item, std::string_view v) { return item.*key < v; });
  return it != items.end() && (*it).*key == value ? &*it : nullptr;
}

// Sorts by `key` after an insertion.
template <typename T>
void sort_by(std::vector<T>& items, std::string T::*key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return a.*key < b.*key; });
}

bool valid_country(const std::string& s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool valid_list_id(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Tri read_tri(const Node& n) {
  auto t = n.raw().is_string() ? tri_from(n.raw().get<std::string>()) : std::nullopt;
  if (!t) n.fail("must be \"yes\", \"no\" or \"unknown\"");
  return *t;
}

Level read_rule_level(const Node& n) {
  const std::string text = n.text();
  auto level = level_from(text);
  if (level == Level::attention || level == Level::high_risk) return *level;
  if (level == Level::exclusion_candidate)
    n.fail("'exclusion-candidate' is fixed by the rule of the test (criteria 1, 2 and 3A hold and 3B does not) and "
           "cannot be set by a policy");
  if (level) n.fail("'" + text + "' is not a level a policy sets (attention or high-risk)");
  n.fail("'" + text + "' is not a level (attention or high-risk)");
}

Citation read_citation(const Node& n) {
  n.only_keys({"title", "url", "date", "note"});
  Citation c;
  c.title = n.at("title").text();
  c.url = n.text_or("url", "");
  c.date = n.at("date").partial_date();
  c.note = n.text_or("note", "");
  return c;
}

std::vector<Citation> read_citations(const Node& n) {
  std::vector<Citation> out;
  for (const auto& item : n.items()) out.push_back(read_citation(item));
  return out;
}

CountryCriterion read_criterion(const Node& n, bool first) {
  if (first)
    n.only_keys({"value", "law", "since", "citations", "note"});
  else
    n.only_keys({"value", "naming", "citations", "note"});
  CountryCriterion c;
  c.value = read_tri(n.at("value"));
  if (auto law = n.get("law")) c.law = law->text();
  if (auto since = n.get("since")) c.since = since->day();
  if (auto naming = n.get("naming")) {
    const std::string text = naming->text();
    auto it = std::find(kNamings.begin(), kNamings.end(), text);
    if (it == kNamings.end()) naming->fail("'" + text + "' is not one of named, lesser-extent, emerging");
    c.naming = static_cast<Naming>(it - kNamings.begin());
  }
  if (auto citations = n.get("citations")) c.citations = read_citations(*citations);
  c.note = n.text_or("note", "");
  if (c.value == Tri::yes && c.citations.empty())
    n.fail("a \"yes\" needs its sources: \"citations\" must list at least one");
  if (c.value == Tri::yes && first && c.law.empty()) n.fail("a \"yes\" for criterion 1 names the law: \"law\" is required");
  if (c.value == Tri::unknown && c.note.empty()) n.fail("an \"unknown\" says why: \"note\" is required");
  return c;
}

CountryPolicy read_country(const Node& n) {
  n.only_keys({"country", "name", "criterion1", "criterion2"});
  CountryPolicy c;
  const Node code = n.at("country");
  c.country = code.text();
  if (!valid_country(c.country)) code.fail("'" + c.country + "' is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
  c.name = n.at("name").text();
  c.criterion1 = read_criterion(n.at("criterion1"), true);
  c.criterion2 = read_criterion(n.at("criterion2"), false);
  return c;
}

WatchList read_watch_list(const Node& n) {
  n.only_keys({"list", "level", "note"});
  WatchList w;
  const Node id = n.at("list");
  w.list = id.text();
  if (!valid_list_id(w.list)) id.fail("'" + w.list + "' is not a list id (lower-case letters, digits, '-')");
  w.level = read_rule_level(n.at("level"));
  w.note = n.text_or("note", "");
  return w;
}

LevelRule read_level_rule(const Node& n) {
  n.only_keys({"level", "when", "note"});
  LevelRule r;
  r.level = read_rule_level(n.at("level"));
  const Node when = n.at("when");
  when.expect_object();
  for (const auto& [key, value] : when.members()) {
    auto c = condition_from(key);
    if (!c) value.fail("unknown condition (known: 1, 2, 3A, 3B, vital)");
    r.when[*c] = value.boolean();
  }
  if (r.when.empty()) when.fail("a rule needs at least one condition");
  r.note = n.text_or("note", "");
  return r;
}

void read_sufficient(const Node& n, Policy& p) {
  n.expect_object();
  std::set<AccessKind> seen;
  for (const auto& [key, value] : n.members()) {
    auto kind = access_kind_from(key);
    if (!kind)
      value.fail("unknown access kind (known: " + known_access_kinds() + ")");
    seen.insert(*kind);
    Alternatives& alternatives = p.sufficient_mitigations[index(*kind)];
    for (const auto& alternative : value.items()) {
      std::vector<Mitigation> set;
      for (const auto& m : alternative.items()) {
        const std::string text = m.text();
        auto mitigation = mitigation_from(text);
        if (!mitigation)
          m.fail("'" + text + "' is not a mitigation (" + known_mitigations() + ")");
        if (std::find(set.begin(), set.end(), *mitigation) != set.end()) m.fail("'" + text + "' is named twice");
        set.push_back(*mitigation);
      }
      if (set.empty()) alternative.fail("an alternative names at least one mitigation");
      std::sort(set.begin(), set.end());
      alternatives.push_back(std::move(set));
    }
  }
  for (AccessKind k : kAccessKinds)
    if (!seen.count(k))
      n.fail("'" + std::string(to_string(k)) +
             "' is required (list the mitigations that suffice for it, or [] when none does)");
}

Policy read_policy(const Node& doc, std::string_view text, const std::string& file) {
  doc.only_keys({"format", "format_version", "id", "version", "effective_date", "statement", "framework",
                 "unlisted_countries", "countries", "watch_lists", "levels", "sufficient_mitigations"});
  json::expect_format(doc, "herkomst-policy");
  Policy p;
  p.file = file;
  p.id = doc.at("id").text();
  p.version = doc.at("version").text();
  p.effective_date = doc.at("effective_date").day();
  p.statement = doc.at("statement").text();
  if (auto framework = doc.get("framework")) p.framework = read_citations(*framework);
  if (auto unlisted = doc.get("unlisted_countries")) {
    p.unlisted_countries = read_tri(*unlisted);
    if (p.unlisted_countries == Tri::yes) unlisted->fail("must be \"no\" or \"unknown\"");
  }
  const Node countries = doc.at("countries");
  for (const auto& item : countries.items()) {
    CountryPolicy c = read_country(item);
    if (p.country(c.country)) item.at("country").fail("'" + c.country + "' is listed twice");
    p.countries.push_back(std::move(c));
    sort_by(p.countries, &CountryPolicy::country);
  }
  if (auto lists = doc.get("watch_lists"))
    for (const auto& item : lists->items()) {
      WatchList w = read_watch_list(item);
      if (p.watch_list(w.list)) item.at("list").fail("'" + w.list + "' is listed twice");
      p.watch_lists.push_back(std::move(w));
      sort_by(p.watch_lists, &WatchList::list);
    }
  if (auto levels = doc.get("levels"))
    for (const auto& item : levels->items()) p.levels.push_back(read_level_rule(item));
  read_sufficient(doc.at("sufficient_mitigations"), p);
  p.hash = json::fnv1a64(text);
  return p;
}

}  // namespace

std::string_view to_string(Naming n) { return kNamings.at(static_cast<std::size_t>(n)); }

const CountryPolicy* Policy::country(std::string_view code) const {
  return find_sorted(countries, &CountryPolicy::country, code);
}

const WatchList* Policy::watch_list(std::string_view list) const {
  return find_sorted(watch_lists, &WatchList::list, list);
}

bool Policy::can_meet(Condition criterion) const {
  if (unlisted_countries != Tri::no) return true;
  return std::any_of(countries.begin(), countries.end(), [&](const CountryPolicy& c) {
    const CountryCriterion& k = criterion == Condition::c1 ? c.criterion1 : c.criterion2;
    return k.value != Tri::no;
  });
}

std::string Policy::version_line() const {
  return id + " " + version + ", effective " + effective_date.str() + " (" + file + ", fnv1a64 " + hash + ")";
}

std::variant<Policy, LoadError> parse_policy(std::string_view text, const std::string& file) {
  return json::load<Policy>(text, file, [&](const Node& doc) { return read_policy(doc, text, file); });
}

std::variant<Policy, LoadError> load_policy(const std::string& path) {
  return json::load_file<Policy>(path, [](std::string_view text, const std::string& file) { return parse_policy(text, file); });
}

std::string_view default_policy_text() { return embedded::default_policy_json(); }

std::variant<Policy, LoadError> default_policy() { return parse_policy(default_policy_text(), kDefaultPolicyFile); }

}  // namespace herkomst::assess
