// Store: assessment runs and their per-component rows (schema version 5).

#include "inventory/sqlite_handles.hpp"
#include "inventory/store.hpp"

namespace herkomst {
namespace {

using namespace store_detail;

constexpr const char* kRunColumns = "id, scan_id, assessed_at, as_of, policy_version, context_version, knowledge_base";
constexpr const char* kRowColumns =
    "component_ref, asset_ref, criterion1, criterion2, criterion3a, criterion3b, verdict, explanation, detail";

Store::AssessmentRun read_run(const Statement& q, int first = 0) {
  return {q.int64(first), q.int64(first + 1), q.text(first + 2), q.text(first + 3), q.text(first + 4),
          q.text(first + 5),  q.text(first + 6)};
}

Store::StoredAssessment read_row(const Statement& q, int first = 0) {
  return {q.text(first),     q.text(first + 1), q.text(first + 2), q.text(first + 3), q.text(first + 4),
          q.text(first + 5), q.text(first + 6), q.text(first + 7), q.text(first + 8)};
}

}  // namespace

Store::AssessmentRun Store::add_assessment_run(AssessmentRun run, const std::vector<StoredAssessment>& rows) {
  const Connection& c = impl().connection;
  return guarded(c, "storing an assessment", [&] {
    Transaction t(c);
    run.assessed_at = utc_now_iso();
    Statement add(c,
                  "INSERT INTO assessment_runs (scan_id, assessed_at, as_of, policy_version, context_version, "
                  "knowledge_base) VALUES (?, ?, ?, ?, ?, ?)");
    add.bind_int64(1, run.scan_id);
    int i = 2;
    for (const std::string* v : {&run.assessed_at, &run.as_of, &run.policy_version, &run.context_version, &run.knowledge_base})
      add.bind_text(i++, *v);
    add.execute();
    run.id = c.last_insert_id();
    Statement insert(c, std::string("INSERT INTO assessments (run_id, ") + kRowColumns +
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& r : rows) {
      insert.bind_int64(1, run.id);
      int k = 2;
      for (const std::string* v : {&r.component_ref, &r.asset_ref, &r.criterion1, &r.criterion2, &r.criterion3a,
                                   &r.criterion3b, &r.verdict, &r.explanation, &r.detail})
        insert.bind_text(k++, *v);
      insert.execute();
    }
    t.commit();
    return run;
  });
}

std::optional<Store::AssessmentRun> Store::latest_assessment_run(std::int64_t scan_id) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading assessments", [&]() -> std::optional<AssessmentRun> {
    Statement q(c, std::string("SELECT ") + kRunColumns + " FROM assessment_runs WHERE scan_id = ? ORDER BY id DESC LIMIT 1");
    q.bind_int64(1, scan_id);
    if (!q.step()) return std::nullopt;
    return read_run(q);
  });
}

std::vector<Store::StoredAssessment> Store::assessments(std::int64_t run_id) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading assessments", [&] {
    std::vector<StoredAssessment> out;
    Statement q(c, std::string("SELECT ") + kRowColumns + " FROM assessments WHERE run_id = ? ORDER BY component_ref");
    q.bind_int64(1, run_id);
    while (q.step()) out.push_back(read_row(q));
    return out;
  });
}

std::optional<std::pair<Store::AssessmentRun, Store::StoredAssessment>> Store::latest_assessment(
    std::string_view component_ref) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading assessments", [&]() -> std::optional<std::pair<AssessmentRun, StoredAssessment>> {
    Statement q(c,
                "SELECT r.id, r.scan_id, r.assessed_at, r.as_of, r.policy_version, r.context_version, "
                "r.knowledge_base, a.component_ref, a.asset_ref, a.criterion1, a.criterion2, a.criterion3a, "
                "a.criterion3b, a.verdict, a.explanation, a.detail FROM assessments a JOIN assessment_runs r ON "
                "r.id = a.run_id WHERE a.component_ref = ? ORDER BY r.id DESC LIMIT 1");
    q.bind_text(1, component_ref);
    if (!q.step()) return std::nullopt;
    return std::pair{read_run(q), read_row(q, 7)};
  });
}

}  // namespace herkomst
