// The store's knowledge base tables: the built-in copy refreshed by version, imports kept in
// order and atomic, the per-table views, and the GLEIF tables replaced all or nothing.
#include <catch2/catch.hpp>

#include "inventory/store.hpp"
#include "store_support.hpp"

using namespace herkomst;
using namespace herkomst::test;

namespace {

Store::KbRow org_row(const std::string& id, const std::string& country, std::int64_t line) {
  return {"organisations", "organisations/t.tsv", line,
          {id, id + " AG", "listed", country, "", "", "", "", "", "https://example.org", "2024", "high", ""}};
}

}  // namespace

TEST_CASE("the built-in knowledge base copy is written once per version, with views per table") {
  TempDir dir;
  const auto file = dir.path() / "h.db";
  Store store = Store::open(file);
  CHECK(store.sync_builtin_kb("v1", {org_row("acme", "DE", 2), org_row("bolt", "NL", 3)}));
  CHECK_FALSE(store.sync_builtin_kb("v1", {org_row("other", "FR", 2)}));
  CHECK(store.meta("kb_builtin_version") == "v1");
  RawDb raw(file);
  CHECK(raw.text("SELECT id || ' ' || country || ' ' || line FROM kb_organisations ORDER BY id") ==
        "acme DE 2\nbolt NL 3");
  CHECK(store.sync_builtin_kb("v2", {org_row("other", "FR", 2)}));
  CHECK(raw.text("SELECT group_concat(id) FROM kb_organisations") == "other");
}

TEST_CASE("imports are kept in order, apart from the built-in copy") {
  TempDir dir;
  Store store = Store::open(dir.path() / "h.db");
  store.sync_builtin_kb("v1", {org_row("acme", "DE", 2)});
  const auto first = store.add_kb_import("mine.csv", {org_row("local-a", "NL", 2), org_row("local-b", "NL", 3)});
  const auto second = store.add_kb_import("more.csv", {org_row("local-c", "BE", 2)});
  CHECK(second > first);
  const auto imports = store.kb_imports();
  REQUIRE(imports.size() == 2);
  CHECK(imports[0].file == "mine.csv");
  CHECK(imports[0].rows == 2);
  const auto rows = store.kb_import_rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells[0] == "local-a");
  CHECK(rows[2].cells[0] == "local-c");
  CHECK(rows[2].file == "organisations/t.tsv");
  CHECK(rows[2].cells.size() == 13);
}

TEST_CASE("a GLEIF import replaces the previous one, or changes nothing when it fails") {
  TempDir dir;
  Store store = Store::open(dir.path() / "h.db");
  store.replace_gleif("golden copy 1", [](Store::GleifWriter& w) {
    w.entity("529900T8BM49AURSDO55", "Siemens Aktiengesellschaft", "DE", "DE", "DE", "ACTIVE", "ISSUED");
    w.relationship("5299000J2N45DDNE4Y28", "529900T8BM49AURSDO55", "ultimate", "ACTIVE", "2019-01-01", "");
    w.exception("529900T8BM49AURSDO55", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT", "NON_CONSOLIDATING");
  });
  CHECK(store.gleif_counts() == std::map<std::string, std::int64_t>{{"entities", 1}, {"exceptions", 1}, {"relationships", 1}});
  REQUIRE(store.gleif_entity("529900T8BM49AURSDO55"));
  CHECK(store.gleif_entity("529900T8BM49AURSDO55")->legal_name == "Siemens Aktiengesellschaft");
  REQUIRE(store.gleif_parents("5299000J2N45DDNE4Y28").size() == 1);

  CHECK_THROWS_WITH(store.replace_gleif("golden copy 2",
                                        [](Store::GleifWriter& w) {
                                          w.entity("X", "Half", "DE", "DE", "DE", "ACTIVE", "ISSUED");
                                          throw std::runtime_error("level2.csv:17: bad row");
                                        }),
                    "level2.csv:17: bad row");
  CHECK(store.meta("gleif_version") == "golden copy 1");
  CHECK(store.gleif_counts()["entities"] == 1);
  CHECK_FALSE(store.gleif_entity("X"));
}
