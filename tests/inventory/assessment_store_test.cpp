// Assessment runs in a real SQLite file: stored in one transaction, read back exactly, the
// latest run of a scan and the latest assessment of a component.
#include <catch2/catch.hpp>

#include "inventory/store.hpp"
#include "store_support.hpp"

using namespace herkomst;
using namespace herkomst::test;

namespace {

Store::StoredAssessment row(const std::string& ref, const std::string& verdict) {
  return {ref, "asset:" + ref, "true", "true", "unknown", "unknown", verdict, "why " + ref, R"({"ref":")" + ref + "\"}"};
}

}  // namespace

TEST_CASE("assessment runs are stored whole and read back, the latest first") {
  TempDir dir;
  Store store = Store::open(dir.path() / "h.db");
  Inventory inv = rich_inventory("6f1c9a52-0000-4000-8000-00000000a001");
  const auto scan = store.begin_scan(inv.scan);
  Store::AssessmentRun run{0, scan, "", "2026-12-03", "policy 1", "context 1", "kb 1"};
  const auto first = store.add_assessment_run(run, {row("device:a", "attention"), row("device:b", "none")});
  CHECK(first.id > 0);
  CHECK(first.assessed_at.size() == 20);
  run.policy_version = "policy 2";
  const auto second = store.add_assessment_run(run, {row("device:a", "exclusion-candidate")});

  const auto latest = store.latest_assessment_run(scan);
  REQUIRE(latest);
  CHECK(latest->id == second.id);
  CHECK(latest->policy_version == "policy 2");
  CHECK(latest->as_of == "2026-12-03");
  const auto rows = store.assessments(first.id);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].component_ref == "device:a");
  CHECK(rows[0].verdict == "attention");
  CHECK(rows[0].detail == R"({"ref":"device:a"})");
  CHECK(rows[1].criterion3a == "unknown");

  const auto a = store.latest_assessment("device:a");
  REQUIRE(a);
  CHECK(a->first.id == second.id);
  CHECK(a->second.verdict == "exclusion-candidate");
  CHECK_FALSE(store.latest_assessment("device:none"));
  CHECK_FALSE(store.latest_assessment_run(scan + 100));
}

TEST_CASE("a bad assessment row stores nothing of its run") {
  TempDir dir;
  Store store = Store::open(dir.path() / "h.db");
  Inventory inv = rich_inventory("6f1c9a52-0000-4000-8000-00000000a002");
  const auto scan = store.begin_scan(inv.scan);
  // The same component twice in one run breaks the primary key: the whole run is rolled back.
  CHECK_THROWS_AS(store.add_assessment_run({0, scan, "", "2026-12-03", "p", "c", "k"},
                                           {row("device:a", "none"), row("device:a", "attention")}),
                  StoreError);
  CHECK_FALSE(store.latest_assessment_run(scan));
  CHECK_FALSE(store.latest_assessment("device:a"));
}
