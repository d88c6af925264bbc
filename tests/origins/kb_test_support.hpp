// Test helper: a knowledge base from TSV text written in the test.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "origins/knowledge_base.hpp"

namespace herkomst::origins::test {

inline const char* kOrgHeader =
    "id\tname\tkind\tcountry\thq_country\tlei\twebsite\taliases\tsectors\tsource\tas_of\tconfidence\tnote\n";
inline const char* kRelHeader = "subject\trelation\tobject\tshare\tvalid_from\tvalid_to\tsource\tas_of\tconfidence\tnote\n";
inline const char* kListHeader = "list\tedition\ttitle\tissuer\tjurisdiction\tpublished\tscope\tsource\tnote\n";
inline const char* kEntryHeader = "list\tedition\torg\tlisted_as\tsource\tas_of\tnote\n";

// "id|name|kind|country|aliases" -> an organisation row with a source and date.
inline std::string org(const std::string& id, const std::string& name, const std::string& kind,
                       const std::string& country, const std::string& aliases = "") {
  return id + "\t" + name + "\t" + kind + "\t" + country + "\t\t\t\t" + aliases + "\t\thttps://example.org/" + id +
         "\t2024\thigh\t\n";
}
inline std::string rel(const std::string& subject, const std::string& relation, const std::string& object,
                       const std::string& share = "", const std::string& from = "", const std::string& to = "") {
  return subject + "\t" + relation + "\t" + object + "\t" + share + "\t" + from + "\t" + to +
         "\thttps://example.org/rel\t2024\thigh\t\n";
}

struct Texts {
  std::string orgs = kOrgHeader;
  std::string rels = kRelHeader;
  std::string lists = kListHeader;
  std::string entries = kEntryHeader;
};

inline std::variant<KnowledgeBase, LoadError> load(const Texts& t) {
  auto tables = read_data_files({{"organisations/t.tsv", t.orgs},
                                 {"relations/t.tsv", t.rels},
                                 {"lists.tsv", t.lists},
                                 {"list-entries/t.tsv", t.entries}});
  if (auto* e = std::get_if<LoadError>(&tables)) return *e;
  return load_knowledge_base(std::get<std::vector<TableRows>>(tables));
}

inline KnowledgeBase load_ok(const Texts& t) {
  auto kb = load(t);
  if (auto* e = std::get_if<LoadError>(&kb)) FAIL(e->message);
  return std::get<KnowledgeBase>(std::move(kb));
}

inline std::string load_error(const Texts& t) {
  auto kb = load(t);
  if (auto* e = std::get_if<LoadError>(&kb)) return e->message;
  return "(loaded)";
}

}  // namespace herkomst::origins::test
