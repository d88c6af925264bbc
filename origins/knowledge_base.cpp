#include "origins/knowledge_base.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <utility>

#include "origins/tsv_table.hpp"

namespace herkomst::origins {

namespace embedded {
std::vector<std::pair<std::string_view, std::string_view>> builtin_data_files();
}

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
  }
  return "medium";
}

namespace {

constexpr std::pair<OrgKind, std::string_view> kKinds[] = {
    {OrgKind::state_owned_enterprise, "state-owned-enterprise"},
    {OrgKind::state_body, "state-body"},
    {OrgKind::listed, "listed"},
    {OrgKind::private_company, "private"},
    {OrgKind::cooperative, "cooperative"},
    {OrgKind::foundation, "foundation"},
    {OrgKind::brand, "brand"},
    {OrgKind::unknown, "unknown"},
};
constexpr std::pair<RelationKind, std::string_view> kRelations[] = {
    {RelationKind::owns, "owns"},
    {RelationKind::controls, "controls"},
    {RelationKind::subsidiary_of, "subsidiary-of"},
    {RelationKind::brand_of, "brand-of"},
    {RelationKind::makes_for, "makes-for"},
    {RelationKind::acquired_by, "acquired-by"},
};
constexpr std::pair<ListScope, std::string_view> kScopes[] = {
    {ListScope::entity, "entity"},
    {ListScope::entity_and_affiliates, "entity-and-affiliates"},
    {ListScope::entity_and_subsidiaries, "entity-and-subsidiaries"},
};
constexpr std::string_view kSectors[] = {
    "plc",     "dcs",   "scada", "rtu",   "protection-relays", "drives",    "robots",   "network",
    "cameras", "vms",   "solar-inverters", "batteries",        "chargers",  "iot-modules", "chipsets",
    "security-software", "radio", "drones", "security-scanners", "servers-pcs", "holding", "state",
    "telecom", "other"};

template <class E, std::size_t N>
std::optional<E> lookup(const std::pair<E, std::string_view> (&table)[N], std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

// Checks one row's cells; the first problem becomes `error`.
class RowReader {
 public:
  RowReader(const std::string& file, std::size_t line, const std::vector<std::string_view>& columns,
            const std::vector<std::string>& cells)
      : file_(file), line_(line), columns_(columns), cells_(cells) {}

  const std::string& cell(std::string_view column) const {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i] == column) return cells_[i];
    static const std::string kEmpty;
    return kEmpty;
  }
  void fail(std::string_view column, const std::string& what) {
    if (error.empty()) error = file_ + ":" + std::to_string(line_) + ": column " + std::string(column) + ": " + what;
  }
  std::string required(std::string_view column) {
    const std::string& v = cell(column);
    if (v.empty()) fail(column, "must not be empty");
    return v;
  }
  std::string id(std::string_view column) {
    const std::string v = required(column);
    const bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }) && v.front() != '-';
    if (!v.empty() && !ok) fail(column, "'" + v + "' is not an id (lower-case letters, digits and '-')");
    return v;
  }
  std::string country(std::string_view column) {
    const std::string& v = cell(column);
    if (!v.empty() && !(v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) &&
                        std::isupper(static_cast<unsigned char>(v[1]))))
      fail(column, "'" + v + "' is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
    return v;
  }
  std::optional<PartialDate> date(std::string_view column, bool needed) {
    const std::string& v = cell(column);
    if (v.empty()) {
      if (needed) fail(column, "must not be empty (YYYY, YYYY-MM or YYYY-MM-DD)");
      return std::nullopt;
    }
    auto d = PartialDate::parse(v);
    if (!d) fail(column, "'" + v + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
    return d;
  }
  std::vector<std::string> list(std::string_view column) {
    std::vector<std::string> out;
    const std::string& v = cell(column);
    std::size_t start = 0;
    while (!v.empty()) {
      const auto bar = v.find('|', start);
      std::string item = v.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (item.empty()) fail(column, "an empty item between '|'");
      else out.push_back(std::move(item));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    return out;
  }
  Fact fact(bool sources_needed = true) {
    Fact f;
    f.sources = list("source");
    if (sources_needed && f.sources.empty()) fail("source", "every fact needs a source (URL or document reference)");
    if (auto d = date("as_of", true)) f.as_of = *d;
    const std::string& c = cell("confidence");
    if (c == "high") f.confidence = Confidence::high;
    else if (c == "medium") f.confidence = Confidence::medium;
    else if (c == "low") f.confidence = Confidence::low;
    else fail("confidence", "'" + c + "' is not high, medium or low");
    f.note = cell("note");
    f.file = file_;
    f.line = line_;
    return f;
  }
  std::string where() const { return file_ + ":" + std::to_string(line_); }

  std::string error;

 private:
  const std::string& file_;
  std::size_t line_;
  const std::vector<std::string_view>& columns_;
  const std::vector<std::string>& cells_;
};

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool valid_lei(const std::string& lei) {
  if (lei.size() != 20) return false;
  int rem = 0;  // ISO 7064 mod 97-10 over the digits, letters as 10..35
  for (char c : lei) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    else return false;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem == 1;
}

}  // namespace

std::string_view to_string(OrgKind k) { return name_of(kKinds, k); }
std::string_view to_string(RelationKind k) { return name_of(kRelations, k); }
std::string_view to_string(ListScope s) { return name_of(kScopes, s); }

const std::vector<std::string_view>& columns_of(std::string_view table) {
  static const std::vector<std::string_view> kOrganisations{"id",      "name",   "kind",  "country",    "hq_country",
                                                            "lei",     "website", "aliases", "sectors", "source",
                                                            "as_of",   "confidence", "note"};
  static const std::vector<std::string_view> kRelationsColumns{"subject", "relation", "object", "share", "valid_from",
                                                                "valid_to", "source",  "as_of",  "confidence", "note"};
  static const std::vector<std::string_view> kLists{"list",      "edition", "title", "issuer", "jurisdiction",
                                                    "published", "scope",   "source", "note"};
  static const std::vector<std::string_view> kEntries{"list", "edition", "org", "listed_as", "source", "as_of", "note"};
  static const std::vector<std::string_view> kNone;
  if (table == "organisations") return kOrganisations;
  if (table == "relations") return kRelationsColumns;
  if (table == "lists") return kLists;
  if (table == "list-entries") return kEntries;
  return kNone;
}

const Organisation* KnowledgeBase::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &organisations_[it->second];
}

std::vector<const Relation*> KnowledgeBase::relations_of_subject(std::string_view id) const {
  std::vector<const Relation*> out;
  for (const auto& r : relations_)
    if (r.subject == id) out.push_back(&r);
  return out;
}

std::vector<const Relation*> KnowledgeBase::relations_of_object(std::string_view id) const {
  std::vector<const Relation*> out;
  for (const auto& r : relations_)
    if (r.object == id) out.push_back(&r);
  return out;
}

std::vector<const ListEntry*> KnowledgeBase::entries_of(std::string_view org) const {
  std::vector<const ListEntry*> out;
  for (const auto& e : entries_)
    if (e.org == org) out.push_back(&e);
  return out;
}

const ListEdition* KnowledgeBase::edition(std::string_view list, std::string_view edition) const {
  for (const auto& l : lists_)
    if (l.list == list && l.edition == edition) return &l;
  return nullptr;
}

std::variant<KnowledgeBase, LoadError> load_knowledge_base(const std::vector<TableRows>& tables) {
  KnowledgeBase kb;
  std::map<std::string, std::string> defined_at;  // org id -> file:line
  std::uint64_t hash = 1469598103934665603ull;
  for (const auto& t : tables) {
    if (columns_of(t.table).empty()) return LoadError{t.file + ": unknown table '" + t.table + "'"};
    hash = fnv1a(hash, t.table);
    for (const auto& [line, cells] : t.rows) {
      for (const auto& c : cells) hash = fnv1a(fnv1a(hash, c), "\t");
      if (cells.size() != columns_of(t.table).size())
        return LoadError{t.file + ":" + std::to_string(line) + ": " + std::to_string(cells.size()) +
                         " columns, the table has " + std::to_string(columns_of(t.table).size())};
    }
  }

  // Organisations first: everything else refers to them.
  for (const auto& t : tables) {
    if (t.table != "organisations") continue;
    for (const auto& [line, cells] : t.rows) {
      RowReader r(t.file, line, columns_of(t.table), cells);
      Organisation o;
      o.id = r.id("id");
      o.name = r.required("name");
      if (const auto k = lookup(kKinds, r.cell("kind"))) o.kind = *k;
      else r.fail("kind", "'" + r.cell("kind") + "' is not a kind (state-owned-enterprise, state-body, listed, private, "
                          "cooperative, foundation, brand, unknown)");
      o.country = r.country("country");
      o.hq_country = r.country("hq_country");
      o.lei = r.cell("lei");
      if (!o.lei.empty() && !valid_lei(o.lei)) r.fail("lei", "'" + o.lei + "' is not a valid LEI (ISO 17442 check digits)");
      o.website = r.cell("website");
      o.aliases = r.list("aliases");
      o.sectors = r.list("sectors");
      for (const auto& s : o.sectors)
        if (std::find(std::begin(kSectors), std::end(kSectors), s) == std::end(kSectors))
          r.fail("sectors", "'" + s + "' is not a sector (see origins/data/README.md)");
      o.fact = r.fact();
      if (r.error.empty())
        if (const auto [it, fresh] = defined_at.emplace(o.id, r.where()); !fresh)
          r.fail("id", "'" + o.id + "' is already defined at " + it->second);
      if (!r.error.empty()) return LoadError{r.error};
      kb.organisations_.push_back(std::move(o));
    }
  }
  for (std::size_t i = 0; i < kb.organisations_.size(); ++i) kb.by_id_.emplace(kb.organisations_[i].id, i);

  for (const auto& t : tables) {
    if (t.table != "lists") continue;
    for (const auto& [line, cells] : t.rows) {
      RowReader r(t.file, line, columns_of(t.table), cells);
      ListEdition l;
      l.list = r.id("list");
      l.edition = r.required("edition");
      l.title = r.required("title");
      l.issuer = r.required("issuer");
      l.jurisdiction = r.required("jurisdiction");
      if (l.jurisdiction != "EU") r.country("jurisdiction");
      if (auto d = r.date("published", true)) l.published = *d;
      if (const auto s = lookup(kScopes, r.cell("scope"))) l.scope = *s;
      else r.fail("scope", "'" + r.cell("scope") + "' is not entity, entity-and-affiliates or entity-and-subsidiaries");
      l.sources = r.list("source");
      if (l.sources.empty()) r.fail("source", "every list edition needs a source");
      l.note = r.cell("note");
      l.file = t.file;
      l.line = line;
      if (r.error.empty() && kb.edition(l.list, l.edition))
        r.fail("edition", "list " + l.list + " edition " + l.edition + " is defined twice");
      if (!r.error.empty()) return LoadError{r.error};
      kb.lists_.push_back(std::move(l));
    }
  }

  for (const auto& t : tables) {
    if (t.table != "relations") continue;
    for (const auto& [line, cells] : t.rows) {
      RowReader r(t.file, line, columns_of(t.table), cells);
      Relation rel;
      rel.subject = r.id("subject");
      rel.object = r.id("object");
      if (const auto k = lookup(kRelations, r.cell("relation"))) rel.kind = *k;
      else r.fail("relation", "'" + r.cell("relation") +
                                  "' is not a relation (owns, controls, subsidiary-of, brand-of, makes-for, acquired-by)");
      if (const std::string& share = r.cell("share"); !share.empty()) {
        double v = -1;
        const auto [end, ec] = std::from_chars(share.data(), share.data() + share.size(), v);
        if (ec != std::errc{} || end != share.data() + share.size() || v < 0 || v > 100)
          r.fail("share", "'" + share + "' is not a percentage from 0 to 100");
        else rel.share = v;
      } else if (rel.kind == RelationKind::owns) {
        r.fail("share", "'owns' needs the share in percent");
      }
      rel.valid_from = r.date("valid_from", false);
      rel.valid_to = r.date("valid_to", false);
      if (rel.valid_from && rel.valid_to && rel.valid_to->latest() < rel.valid_from->earliest())
        r.fail("valid_to", "ends before valid_from");
      rel.fact = r.fact();
      if (r.error.empty() && rel.subject == rel.object) r.fail("object", "a relation of '" + rel.subject + "' to itself");
      for (const char* column : {"subject", "object"})
        if (r.error.empty() && !kb.find(r.cell(column)))
          r.fail(column, "unknown organisation '" + r.cell(column) + "'");
      if (!r.error.empty()) return LoadError{r.error};
      kb.relations_.push_back(std::move(rel));
    }
  }

  for (const auto& t : tables) {
    if (t.table != "list-entries") continue;
    for (const auto& [line, cells] : t.rows) {
      RowReader r(t.file, line, columns_of(t.table), cells);
      ListEntry e;
      e.list = r.id("list");
      e.edition = r.required("edition");
      e.org = r.id("org");
      e.listed_as = r.required("listed_as");
      // A list entry has no confidence column: it is what the list says.
      e.fact.sources = r.list("source");
      if (e.fact.sources.empty()) r.fail("source", "every list entry needs a source");
      if (auto d = r.date("as_of", true)) e.fact.as_of = *d;
      e.fact.confidence = Confidence::high;
      e.fact.note = r.cell("note");
      e.fact.file = t.file;
      e.fact.line = line;
      if (r.error.empty() && !kb.find(e.org)) r.fail("org", "unknown organisation '" + e.org + "'");
      if (r.error.empty() && !kb.edition(e.list, e.edition))
        r.fail("edition", "unknown list edition '" + e.list + " " + e.edition + "' (lists.tsv)");
      if (!r.error.empty()) return LoadError{r.error};
      kb.entries_.push_back(std::move(e));
    }
  }

  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  kb.version_ = "origins: " + std::to_string(kb.organisations_.size()) + " organisations, " +
                std::to_string(kb.relations_.size()) + " relations, " + std::to_string(kb.lists_.size()) +
                " list editions, " + std::to_string(kb.entries_.size()) + " list entries (fnv1a64 " + hex + ")";
  return kb;
}

std::variant<std::vector<TableRows>, LoadError> read_data_files(const std::vector<DataFile>& files) {
  std::vector<TableRows> out;
  for (const auto& f : files) {
    const auto slash = f.name.find('/');
    std::string table = slash == std::string::npos ? f.name.substr(0, f.name.rfind('.')) : f.name.substr(0, slash);
    if (table == "README") continue;
    if (columns_of(table).empty()) return LoadError{f.name + ": not a table of the knowledge base (folder or file name)"};
    auto read = read_tsv(f.name, f.text, columns_of(table));
    if (auto* e = std::get_if<TsvError>(&read)) return LoadError{e->message};
    TableRows rows;
    rows.table = table;
    rows.file = f.name;
    for (auto& row : std::get<TsvTable>(read).rows)
      rows.rows.emplace_back(row.line, std::vector<std::string>(row.cells.begin(), row.cells.end()));
    out.push_back(std::move(rows));
  }
  return out;
}

std::vector<DataFile> builtin_data_files() {
  std::vector<DataFile> out;
  for (const auto& [name, text] : embedded::builtin_data_files()) out.push_back({std::string(name), text});
  return out;
}

std::variant<KnowledgeBase, LoadError> builtin_knowledge_base(const std::vector<TableRows>& extra) {
  auto tables = read_data_files(builtin_data_files());
  if (auto* e = std::get_if<LoadError>(&tables)) return *e;
  auto all = std::get<std::vector<TableRows>>(std::move(tables));
  all.insert(all.end(), extra.begin(), extra.end());
  return load_knowledge_base(all);
}

}  // namespace herkomst::origins
