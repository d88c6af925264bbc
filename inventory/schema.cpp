#include "inventory/schema.hpp"

#include <array>

namespace herkomst::schema {
namespace {

// Version 1: what a scan read and saw, and which devices that made.
// Tables are STRICT (values are type-checked) and every child row is deleted with its scan.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE scans (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  finished_at   TEXT NOT NULL DEFAULT '',
  tool_version  TEXT NOT NULL,
  counters      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counters)),
  run_host      TEXT NOT NULL,
  run_pid       INTEGER NOT NULL,
  run_pid_start INTEGER,
  run_began     INTEGER NOT NULL
) STRICT;
CREATE INDEX scans_running ON scans (status) WHERE status = 'running';

CREATE TABLE scan_inputs (
  id       INTEGER PRIMARY KEY,
  scan_id  INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  kind     TEXT NOT NULL,
  path     TEXT NOT NULL,
  bytes    INTEGER NOT NULL DEFAULT 0,
  format   TEXT NOT NULL DEFAULT '',
  status   TEXT NOT NULL DEFAULT '',
  error    TEXT NOT NULL DEFAULT '',
  counters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counters))
) STRICT;
CREATE INDEX scan_inputs_scan ON scan_inputs (scan_id);

CREATE TABLE observations (
  id      INTEGER PRIMARY KEY,
  scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  number  INTEGER NOT NULL,
  source  TEXT NOT NULL,
  signal  TEXT NOT NULL,
  UNIQUE (scan_id, number)
) STRICT;

CREATE TABLE observation_subjects (
  observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  kind           TEXT NOT NULL,
  value          TEXT NOT NULL,
  PRIMARY KEY (observation_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX observation_subjects_key ON observation_subjects (kind, value);

CREATE TABLE observation_fields (
  observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  name           TEXT NOT NULL,
  type           TEXT NOT NULL,
  value          ANY,
  PRIMARY KEY (observation_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE evidence (
  observation_id INTEGER PRIMARY KEY REFERENCES observations (id) ON DELETE CASCADE,
  input          TEXT NOT NULL,
  first_frame    INTEGER NOT NULL,
  last_frame     INTEGER NOT NULL,
  first_time_us  INTEGER NOT NULL,
  last_time_us   INTEGER NOT NULL,
  count          INTEGER NOT NULL,
  frames         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(frames))
) STRICT;

CREATE TABLE assets (
  id      INTEGER PRIMARY KEY,
  scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  ref     TEXT NOT NULL
) STRICT;
CREATE INDEX assets_scan ON assets (scan_id);
CREATE INDEX assets_ref ON assets (ref);

CREATE TABLE asset_keys (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (asset_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX asset_keys_key ON asset_keys (kind, value);
)sql";

// Version 2: what each device is (components), every claim about it, and file metadata.
// Version 1 files stored no claims; each of their assets gets its device component (ref
// "device:" + the asset ref's key, as the asset builder names it) linked to the observations
// whose subjects are one of the asset's keys, which is how the builder attaches them.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE components (
  id       INTEGER PRIMARY KEY,
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  ref      TEXT NOT NULL,
  type     TEXT NOT NULL
) STRICT;
CREATE INDEX components_asset ON components (asset_id);

CREATE TABLE claims (
  id                 INTEGER PRIMARY KEY,
  component_id       INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  attribute          TEXT NOT NULL,
  value              TEXT NOT NULL,
  confidence         REAL,
  rule               TEXT NOT NULL,
  observation_number INTEGER NOT NULL
) STRICT;
CREATE INDEX claims_component ON claims (component_id);
CREATE INDEX claims_attribute ON claims (attribute, value);

CREATE TABLE component_observations (
  component_id       INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  position           INTEGER NOT NULL,
  observation_number INTEGER NOT NULL,
  PRIMARY KEY (component_id, position)
) STRICT, WITHOUT ROWID;

INSERT INTO components (asset_id, ref, type)
  SELECT id, 'device:' || substr(ref, 7), 'device' FROM assets WHERE ref LIKE 'asset:%' ORDER BY id;

INSERT INTO component_observations (component_id, position, observation_number)
  SELECT component_id, row_number() OVER (PARTITION BY component_id ORDER BY number) - 1, number
  FROM (SELECT DISTINCT c.id AS component_id, o.number AS number
        FROM components c
        JOIN assets a ON a.id = c.asset_id
        JOIN asset_keys k ON k.asset_id = a.id
        JOIN observation_subjects s ON s.kind = k.kind AND s.value = k.value
        JOIN observations o ON o.id = s.observation_id AND o.scan_id = a.scan_id);
)sql";

// Version 3: which reference data (IEEE registry, fingerprint rules, vendor tables, ...) each scan
// used, as a JSON object data set -> version line. Scans stored before version 3 recorded none: '{}'.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE scans ADD COLUMN reference_data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(reference_data));
)sql";

// Version 4: the origin and control knowledge base. kb_rows holds the built-in tables (a copy
// refreshed when their version changes, meta 'kb_builtin_version') and an analyst's imports
// (kb_imports), each row as a JSON array of its cells in the table's column order; views give
// the tables their columns for SQL. The GLEIF tables hold the last golden-copy import.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE kb_imports (
  id          INTEGER PRIMARY KEY,
  file        TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  row_count   INTEGER NOT NULL
) STRICT;

CREATE TABLE kb_rows (
  import_id  INTEGER REFERENCES kb_imports (id) ON DELETE CASCADE,  -- NULL: built in
  table_name TEXT NOT NULL CHECK (table_name IN ('organisations', 'relations', 'lists', 'list-entries')),
  file       TEXT NOT NULL,
  line       INTEGER NOT NULL,
  cells      TEXT NOT NULL CHECK (json_valid(cells) AND json_type(cells) = 'array')
) STRICT;
CREATE INDEX kb_rows_by_import ON kb_rows (import_id, table_name);

CREATE VIEW kb_organisations AS
  SELECT import_id, file, line,
         cells ->> 0 AS id, cells ->> 1 AS name, cells ->> 2 AS kind, cells ->> 3 AS country,
         cells ->> 4 AS hq_country, cells ->> 5 AS lei, cells ->> 6 AS website, cells ->> 7 AS aliases,
         cells ->> 8 AS sectors, cells ->> 9 AS source, cells ->> 10 AS as_of, cells ->> 11 AS confidence,
         cells ->> 12 AS note
  FROM kb_rows WHERE table_name = 'organisations';
CREATE VIEW kb_relations AS
  SELECT import_id, file, line,
         cells ->> 0 AS subject, cells ->> 1 AS relation, cells ->> 2 AS object, cells ->> 3 AS share,
         cells ->> 4 AS valid_from, cells ->> 5 AS valid_to, cells ->> 6 AS source, cells ->> 7 AS as_of,
         cells ->> 8 AS confidence, cells ->> 9 AS note
  FROM kb_rows WHERE table_name = 'relations';
CREATE VIEW kb_lists AS
  SELECT import_id, file, line,
         cells ->> 0 AS list, cells ->> 1 AS edition, cells ->> 2 AS title, cells ->> 3 AS issuer,
         cells ->> 4 AS jurisdiction, cells ->> 5 AS published, cells ->> 6 AS scope, cells ->> 7 AS source,
         cells ->> 8 AS note
  FROM kb_rows WHERE table_name = 'lists';
CREATE VIEW kb_list_entries AS
  SELECT import_id, file, line,
         cells ->> 0 AS list, cells ->> 1 AS edition, cells ->> 2 AS org, cells ->> 3 AS listed_as,
         cells ->> 4 AS source, cells ->> 5 AS as_of, cells ->> 6 AS note
  FROM kb_rows WHERE table_name = 'list-entries';

CREATE TABLE gleif_entities (
  lei                 TEXT PRIMARY KEY,
  legal_name          TEXT NOT NULL,
  legal_country       TEXT NOT NULL,
  hq_country          TEXT NOT NULL,
  jurisdiction        TEXT NOT NULL,
  entity_status       TEXT NOT NULL,
  registration_status TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE gleif_relationships (
  child_lei           TEXT NOT NULL,
  parent_lei          TEXT NOT NULL,
  type                TEXT NOT NULL,  -- direct, ultimate, branch
  status              TEXT NOT NULL,
  start_date          TEXT NOT NULL,
  end_date            TEXT NOT NULL,
  PRIMARY KEY (child_lei, parent_lei, type)
) STRICT, WITHOUT ROWID;
CREATE INDEX gleif_relationships_by_parent ON gleif_relationships (parent_lei);
CREATE TABLE gleif_exceptions (
  lei      TEXT NOT NULL,
  category TEXT NOT NULL,
  reason   TEXT NOT NULL,
  PRIMARY KEY (lei, category)
) STRICT, WITHOUT ROWID;
)sql";

// Version 5: assessments. One assessment run per `herkomst scan` (with a policy) or `herkomst
// assess` of a scan: the policy, site context and knowledge base versions used and the date
// ownership was taken as of; one row per component with the four criteria (true, false,
// unknown), the verdict, the explanation text and the whole assessment as JSON.
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE assessment_runs (
  id              INTEGER PRIMARY KEY,
  scan_id         INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  assessed_at     TEXT NOT NULL,
  as_of           TEXT NOT NULL,
  policy_version  TEXT NOT NULL,
  context_version TEXT NOT NULL,
  knowledge_base  TEXT NOT NULL
) STRICT;
CREATE INDEX assessment_runs_scan ON assessment_runs (scan_id, id);
CREATE TABLE assessments (
  run_id        INTEGER NOT NULL REFERENCES assessment_runs (id) ON DELETE CASCADE,
  component_ref TEXT NOT NULL,
  asset_ref     TEXT NOT NULL,
  criterion1    TEXT NOT NULL,  -- true, false, unknown (also 2, 3a, 3b)
  criterion2    TEXT NOT NULL,  -- true, false, unknown
  criterion3a   TEXT NOT NULL,  -- true, false, unknown
  criterion3b   TEXT NOT NULL,  -- true, false, unknown
  verdict       TEXT NOT NULL,
  explanation   TEXT NOT NULL,
  detail        TEXT NOT NULL CHECK (json_valid(detail)),
  PRIMARY KEY (run_id, component_ref)
) STRICT, WITHOUT ROWID;
)sql";

constexpr std::array<Migration, 5> kMigrations{{
    {1, "scans, inputs, observations with subjects, fields and evidence, assets with keys", kVersion1},
    {2, "components, claims, component observations, meta", kVersion2},
    {3, "scans.reference_data: the version of each reference data set a scan used", kVersion3},
    {4, "knowledge base rows and imports (with views per table), GLEIF entities, relationships, exceptions",
     kVersion4},
    {5, "assessment runs (policy, context and knowledge base versions) and per-component assessments", kVersion5},
}};

static_assert(kMigrations.size() == static_cast<std::size_t>(kLatestVersion),
              "one migration per schema version");

constexpr bool versions_in_order() {
  for (std::size_t i = 0; i < kMigrations.size(); ++i)
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  return true;
}
static_assert(versions_in_order(), "migrations are numbered 1..N in order");

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace herkomst::schema
