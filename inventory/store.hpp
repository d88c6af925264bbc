// The scan history: every scan's inputs, observations, assets, components and claims in one
// SQLite file, so a stored scan can be listed, compared and exported again byte for byte.
//
//   Store store = Store::open("herkomst.db");   // creates, configures and migrates the file
//   store.mark_abandoned_scans();                // runs killed earlier turn 'incomplete'
//   store.begin_scan(inv.scan);                  // scan row, status 'running'; sets scan.id
//   ... read the inputs, build inv ...
//   store.save_inventory(inv);                   // everything else, in one transaction
//   auto again = store.load_inventory(inv.scan.id);  // == inv, field for field
//
// Crash behaviour: begin_scan commits the scan row on its own, so a run that dies later leaves a
// 'running' scan and nothing else; save_inventory writes all of a scan's contents and its final
// status in one transaction, so a scan is either fully stored or not at all, and earlier scans are
// never touched. mark_abandoned_scans turns the rows of dead runs into 'incomplete'. The file is in
// WAL mode with synchronous=NORMAL: a committed scan survives a crash of the process; a power loss
// may lose the last commits but never corrupts the file.
//
// Concurrency: several processes may open the same file (writers wait up to 5 s for each other).
// One Store object is not safe to use from several threads at once.
//
// The schema and its migrations are in inventory/schema.cpp; docs/store.md documents both.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "inventory/model.hpp"
#include "inventory/schema.hpp"

namespace herkomst {

// Every failure of the store. The message names the database file and what failed, e.g.
// "/data/herkomst.db: not an SQLite database (file is not a database)".
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  // The schema version this build writes (PRAGMA user_version of an up-to-date file).
  static constexpr int kSchemaVersion = schema::kLatestVersion;

  // Opens `file`, creating it and its parent folders when missing, sets WAL mode, foreign keys,
  // a 5 s busy timeout and synchronous=NORMAL, then migrates it to kSchemaVersion. Throws
  // StoreError when the file cannot be opened or created, is not an SQLite database, has a newer
  // schema than this build knows, or a migration fails (the file then stays at its last good
  // version).
  static Store open(const std::filesystem::path& file);

  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // The file's schema version (kSchemaVersion once open() returned).
  int schema_version() const;
  const std::filesystem::path& path() const;

  // Inserts the scan with status 'running' and its inputs, in one transaction, recording this
  // process (host name, pid, its start time) so a run that dies can be recognised later. Sets
  // scan.id and scan.status = running; returns the id. scan.uuid must be unique in the store.
  std::int64_t begin_scan(Scan& scan);

  // Stores everything of inv.scan (a scan begun with begin_scan): its fields, status,
  // finished_at, counters and inputs (replacing the rows begin_scan wrote), the observations
  // with subjects, typed fields and evidence, the assets with keys, components, claims and
  // observation links. One transaction: all of it or nothing. Saving the same scan again
  // replaces its contents. Throws StoreError when inv.scan.id is not a stored scan.
  void save_inventory(const Inventory& inv);

  // Sets a scan's status and finished_at. Throws StoreError when there is no such scan.
  void set_status(std::int64_t scan_id, ScanStatus status, std::string_view finished_at);

  // Deletes a scan and everything stored with it. No such scan: nothing happens.
  void delete_scan(std::int64_t scan_id);

  // Marks 'incomplete' every 'running' scan whose process is gone: on this host, a process id
  // that no longer exists (or now belongs to a different process); from another host, a run that
  // began more than 24 hours ago. Returns how many scans it marked.
  int mark_abandoned_scans();

  // Every scan, newest first, with inputs and counters.
  std::vector<Scan> list_scans() const;
  std::optional<Scan> scan(std::int64_t id) const;

  // Everything save_inventory stored for a scan, exactly as it was given (a scan that was only
  // begun has its scan and inputs and nothing else). nullopt when there is no such scan.
  std::optional<Inventory> load_inventory(std::int64_t scan_id) const;

  // ---- the origin and control knowledge base (inventory/knowledge_store.cpp) ----------------
  // Rows as plain cells: the store does not interpret them (origins/ does).
  struct KbRow {
    std::string table;  // "organisations", "relations", "lists", "list-entries"
    std::string file;
    std::int64_t line = 0;
    std::vector<std::string> cells;
  };
  struct KbImport {
    std::int64_t id = 0;
    std::string file;
    std::string imported_at;
    std::int64_t rows = 0;
  };
  // Replaces the stored copy of the built-in tables when `version` differs from the stored one
  // (meta 'kb_builtin_version'), in one transaction. Returns whether it wrote.
  bool sync_builtin_kb(std::string_view version, const std::vector<KbRow>& rows);
  // Stores an analyst's import: every row, in one transaction. Returns the import's id.
  std::int64_t add_kb_import(std::string_view file, const std::vector<KbRow>& rows);
  std::vector<KbImport> kb_imports() const;
  // The rows of every import, oldest import first, in file order.
  std::vector<KbRow> kb_import_rows() const;

  // GLEIF golden copy: replace_gleif() empties the GLEIF tables and lets `fill` add rows through
  // the writer, all in one transaction: when `fill` throws, nothing changes. meta 'gleif_version'
  // is set to `version`.
  class GleifWriter {
   public:
    virtual ~GleifWriter() = default;
    virtual void entity(std::string_view lei, std::string_view legal_name, std::string_view legal_country,
                        std::string_view hq_country, std::string_view jurisdiction, std::string_view entity_status,
                        std::string_view registration_status) = 0;
    virtual void relationship(std::string_view child_lei, std::string_view parent_lei, std::string_view type,
                              std::string_view status, std::string_view start_date, std::string_view end_date) = 0;
    virtual void exception(std::string_view lei, std::string_view category, std::string_view reason) = 0;
  };
  void replace_gleif(std::string_view version, const std::function<void(GleifWriter&)>& fill);
  // The same, with the version known only once the rows are written: `fill` returns it.
  void replace_gleif(const std::function<std::string(GleifWriter&)>& fill);
  struct GleifEntity {
    std::string lei, legal_name, legal_country, hq_country, jurisdiction, entity_status, registration_status;
  };
  struct GleifParent {
    std::string parent_lei, type, status, start_date, end_date;
  };
  std::optional<GleifEntity> gleif_entity(std::string_view lei) const;
  std::vector<GleifParent> gleif_parents(std::string_view child_lei) const;
  std::map<std::string, std::int64_t> gleif_counts() const;  // entities, relationships, exceptions
  std::string meta(std::string_view key) const;              // "" when unset

  // ---- assessments (inventory/assessment_store.cpp) -----------------------------------------
  // The store keeps what the assessment stage (assess/) computed, as plain text: criteria as
  // "true" / "false" / "unknown", the verdict's name, the explanation and a JSON detail.
  struct AssessmentRun {
    std::int64_t id = 0;
    std::int64_t scan_id = 0;
    std::string assessed_at;  // ISO 8601 UTC, set by add_assessment_run
    std::string as_of;        // YYYY-MM-DD: ownership as it stood that day
    std::string policy_version, context_version, knowledge_base;
  };
  struct StoredAssessment {
    std::string component_ref, asset_ref;
    std::string criterion1, criterion2, criterion3a, criterion3b;
    std::string verdict;
    std::string explanation;
    std::string detail;  // JSON
  };
  // Stores a run and its rows in one transaction; returns the run with its id and time.
  AssessmentRun add_assessment_run(AssessmentRun run, const std::vector<StoredAssessment>& rows);
  // The latest run of a scan (nullopt when it was never assessed), and a run's rows by ref.
  std::optional<AssessmentRun> latest_assessment_run(std::int64_t scan_id) const;
  std::vector<StoredAssessment> assessments(std::int64_t run_id) const;
  // The latest assessment of a component (by its bom-ref) in any scan: the newest run that has it.
  std::optional<std::pair<AssessmentRun, StoredAssessment>> latest_assessment(std::string_view component_ref) const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  Impl& impl() const;

  std::unique_ptr<Impl> impl_;
};

}  // namespace herkomst
