// The origin and control knowledge base: organisations, the relations between them (owns,
// controls, subsidiary of, brand of, makes for, acquired by) and public lists, every row a fact
// with its sources, the date it was true and a confidence. The data and its format are in
// origins/data/ (README.md there); this module loads them, all or nothing.
//
// Tables come in as rows of cells with their file name and line, so the embedded TSV files and
// an analyst's own CSV files (`herkomst vendors import`) go through the same checks: every
// column's syntax, unique ids, relations and list entries that name known organisations and
// list editions, a source and a date on every fact. The first problem found is the error,
// naming file, line and column; nothing is partly loaded.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "origins/partial_date.hpp"

namespace herkomst::origins {

enum class Confidence { low, medium, high };
std::string_view to_string(Confidence c);

// Where a fact comes from and how sure it is.
struct Fact {
  std::vector<std::string> sources;  // URLs or document references
  PartialDate as_of;                 // when the sources say it was true
  Confidence confidence = Confidence::medium;
  std::string note;
  std::string file;  // data file and line it was read from
  std::size_t line = 0;
  std::string where() const { return file + ":" + std::to_string(line); }
};

enum class OrgKind { state_owned_enterprise, state_body, listed, private_company, cooperative, foundation, brand, unknown };
std::string_view to_string(OrgKind k);  // as in the data: "state-owned-enterprise", "private", ...

struct Organisation {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::unknown;
  std::string country;     // of incorporation, ISO 3166-1 alpha-2; empty when unknown
  std::string hq_country;  // empty: same as country
  std::string lei;
  std::string website;
  std::vector<std::string> aliases;
  std::vector<std::string> sectors;
  Fact fact;
  const std::string& headquarters() const { return hq_country.empty() ? country : hq_country; }
};

enum class RelationKind { owns, controls, subsidiary_of, brand_of, makes_for, acquired_by };
std::string_view to_string(RelationKind k);  // "owns", "subsidiary-of", ...

// "subject relation object", e.g. "midea-group owns kuka 94.55".
struct Relation {
  std::string subject;
  RelationKind kind = RelationKind::owns;
  std::string object;
  std::optional<double> share;  // percent
  std::optional<PartialDate> valid_from;
  std::optional<PartialDate> valid_to;
  Fact fact;
};

enum class ListScope { entity, entity_and_affiliates, entity_and_subsidiaries };
std::string_view to_string(ListScope s);

struct ListEdition {
  std::string list;     // "ndaa-889"
  std::string edition;  // "2018-08-13"
  std::string title;
  std::string issuer;
  std::string jurisdiction;
  PartialDate published;
  ListScope scope = ListScope::entity;
  std::vector<std::string> sources;
  std::string note;
  std::string file;
  std::size_t line = 0;
};

struct ListEntry {
  std::string list;
  std::string edition;
  std::string org;
  std::string listed_as;
  Fact fact;
};

// One table's rows as read from a file: which table, the file name for errors, and each row's
// line number and cells (in the table's column order, see columns_of()).
struct TableRows {
  std::string table;  // "organisations", "relations", "lists", "list-entries"
  std::string file;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> rows;
};

// The columns of a table, in order; empty for an unknown table name.
const std::vector<std::string_view>& columns_of(std::string_view table);

struct LoadError {
  std::string message;  // "organisations/ot-ics.tsv:17: column country: 'Germany' is not an ISO 3166-1 alpha-2 code"
};

class KnowledgeBase {
 public:
  const Organisation* find(std::string_view id) const;
  const std::vector<Organisation>& organisations() const { return organisations_; }
  const std::vector<Relation>& relations() const { return relations_; }
  const std::vector<ListEdition>& lists() const { return lists_; }
  const std::vector<ListEntry>& list_entries() const { return entries_; }

  std::vector<const Relation*> relations_of_subject(std::string_view id) const;
  std::vector<const Relation*> relations_of_object(std::string_view id) const;
  std::vector<const ListEntry*> entries_of(std::string_view org) const;
  const ListEdition* edition(std::string_view list, std::string_view edition) const;

  // "origins: 412 organisations, 380 relations, 14 list editions, 96 list entries (fnv1a64 …)".
  const std::string& version() const { return version_; }

 private:
  friend std::variant<KnowledgeBase, LoadError> load_knowledge_base(const std::vector<TableRows>& tables);
  std::vector<Organisation> organisations_;
  std::vector<Relation> relations_;
  std::vector<ListEdition> lists_;
  std::vector<ListEntry> entries_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::string version_;
};

std::variant<KnowledgeBase, LoadError> load_knowledge_base(const std::vector<TableRows>& tables);

// A data file as text: `name` is its path under origins/data ("organisations/ot-ics.tsv",
// "lists.tsv"); the table is the first path component (or the file's stem for top-level files).
struct DataFile {
  std::string name;
  std::string_view text;
};
std::variant<std::vector<TableRows>, LoadError> read_data_files(const std::vector<DataFile>& files);

// The data files built into herkomst (origins/data/**/*.tsv).
std::vector<DataFile> builtin_data_files();
// Those files, loaded; and with extra tables (an analyst's imports) added after them.
std::variant<KnowledgeBase, LoadError> builtin_knowledge_base(const std::vector<TableRows>& extra = {});

}  // namespace herkomst::origins
