// Loading the knowledge base: every column checked, errors naming file, line and column, all
// or nothing. The built-in data is tested in builtin_data_test.cpp.
#include <catch2/catch.hpp>

#include "kb_test_support.hpp"
#include "origins/knowledge_base.hpp"

using namespace herkomst::origins;
using namespace herkomst::origins::test;

TEST_CASE("a small knowledge base loads with its facts") {
  Texts t;
  t.orgs += org("acme", "Acme Industrial AG", "listed", "DE", "ACME|Acme Automation");
  t.orgs += org("acme-holding", "Acme Holding SE", "private", "DE");
  t.rels += rel("acme-holding", "owns", "acme", "75.5", "2019-03");
  t.lists += "l\t2024-01-31\tA list\tSomeone\tUS\t2024-01-31\tentity\thttps://example.org/l\t\n";
  t.entries += "l\t2024-01-31\tacme\tACME INDUSTRIAL\thttps://example.org/l\t2024-01-31\t\n";
  const KnowledgeBase kb = load_ok(t);
  REQUIRE(kb.organisations().size() == 2);
  const Organisation* acme = kb.find("acme");
  REQUIRE(acme);
  CHECK(acme->name == "Acme Industrial AG");
  CHECK(acme->kind == OrgKind::listed);
  CHECK(acme->aliases == std::vector<std::string>{"ACME", "Acme Automation"});
  CHECK(acme->fact.sources == std::vector<std::string>{"https://example.org/acme"});
  CHECK(acme->fact.as_of.str() == "2024");
  CHECK(acme->fact.where() == "organisations/t.tsv:2");
  REQUIRE(kb.relations().size() == 1);
  CHECK(*kb.relations()[0].share == Approx(75.5));
  CHECK(kb.relations()[0].valid_from->str() == "2019-03");
  REQUIRE(kb.entries_of("acme").size() == 1);
  CHECK(kb.edition("l", "2024-01-31")->scope == ListScope::entity);
  CHECK(kb.version().rfind("origins: 2 organisations, 1 relations, 1 list editions, 1 list entries (fnv1a64 ", 0) == 0);
}

TEST_CASE("bad rows are refused, naming file, line and column") {
  const auto with_org = [](const std::string& row) {
    Texts t;
    t.orgs += org("acme", "Acme AG", "listed", "DE");
    t.orgs += row;
    return load_error(t);
  };
  CHECK(with_org(org("b", "B", "listed", "Germany")) ==
        "organisations/t.tsv:3: column country: 'Germany' is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
  CHECK(with_org(org("acme", "Acme again", "listed", "DE")) ==
        "organisations/t.tsv:3: column id: 'acme' is already defined at organisations/t.tsv:2");
  CHECK(with_org(org("B Corp", "B", "listed", "DE")).find("column id: 'B Corp' is not an id") != std::string::npos);
  CHECK(with_org(org("b", "B", "public", "DE")).find("column kind: 'public' is not a kind") != std::string::npos);
  CHECK(with_org("b\tB\tlisted\tDE\t\t\t\t\t\t\t2024\thigh\t\n") ==
        "organisations/t.tsv:3: column source: every fact needs a source (URL or document reference)");
  CHECK(with_org("b\tB\tlisted\tDE\t\t\t\t\t\thttps://x\t\thigh\t\n") ==
        "organisations/t.tsv:3: column as_of: must not be empty (YYYY, YYYY-MM or YYYY-MM-DD)");
  CHECK(with_org("b\tB\tlisted\tDE\t\t\t\t\t\thttps://x\t2024-02-30\thigh\t\n").find("'2024-02-30' is not a date") !=
        std::string::npos);
  CHECK(with_org("b\tB\tlisted\tDE\t\tABCDEFGHIJ0123456789\t\t\t\thttps://x\t2024\thigh\t\n")
            .find("column lei: 'ABCDEFGHIJ0123456789' is not a valid LEI") != std::string::npos);
  CHECK(with_org("b\tB\tlisted\tDE\t\t\t\t\t\thttps://x\t2024\tsure\t\n").find("column confidence") != std::string::npos);
  CHECK(with_org("b\tB\tlisted\n") == "organisations/t.tsv:3: 3 columns, the header has 13");
  CHECK(with_org(org("b", "B", "listed", "DE", "B||C")).find("column aliases: an empty item") != std::string::npos);

  Texts t;
  t.orgs += org("acme", "Acme AG", "listed", "DE");
  Texts r1 = t;
  r1.rels += rel("nobody", "owns", "acme", "60");
  CHECK(load_error(r1) == "relations/t.tsv:2: column subject: unknown organisation 'nobody'");
  Texts r2 = t;
  r2.orgs += org("b", "B", "private", "DE");
  r2.rels += rel("b", "owns", "acme");
  CHECK(load_error(r2) == "relations/t.tsv:2: column share: 'owns' needs the share in percent");
  Texts r3 = r2;
  r3.rels = std::string(kRelHeader) + rel("b", "owns", "acme", "140");
  CHECK(load_error(r3).find("'140' is not a percentage") != std::string::npos);
  Texts r4 = r2;
  r4.rels = std::string(kRelHeader) + rel("b", "acquired-by", "acme", "", "2020", "2019");
  CHECK(load_error(r4) == "relations/t.tsv:2: column valid_to: ends before valid_from");
  Texts r5 = r2;
  r5.rels = std::string(kRelHeader) + rel("b", "merged-into", "acme");
  CHECK(load_error(r5).find("column relation: 'merged-into' is not a relation") != std::string::npos);
  Texts e1 = t;
  e1.entries += "l\t2024\tacme\tACME\thttps://x\t2024\t\n";
  CHECK(load_error(e1) == "list-entries/t.tsv:2: column edition: unknown list edition 'l 2024' (lists.tsv)");

  Texts h = t;
  h.rels = "subject\trelation\tobject\n";
  CHECK(load_error(h).find("relations/t.tsv:1: the header must be the columns: subject relation object share") == 0);
}

TEST_CASE("dates: partial dates are periods") {
  const auto y = PartialDate::parse("2017");
  REQUIRE(y);
  CHECK(y->earliest() == Day{2017, 1, 1});
  CHECK(y->latest() == Day{2017, 12, 31});
  CHECK(PartialDate::parse("2024-02")->latest() == Day{2024, 2, 29});
  CHECK(PartialDate::parse("2023-02")->latest() == Day{2023, 2, 28});
  CHECK_FALSE(PartialDate::parse("2023-02-29"));
  CHECK_FALSE(PartialDate::parse("17"));
  CHECK_FALSE(PartialDate::parse("2017-1"));
  CHECK_FALSE(PartialDate::parse("2017-13"));
  CHECK_FALSE(PartialDate::parse("2017/01/01"));
  CHECK(PartialDate::parse("2017-03-05")->str() == "2017-03-05");
}
