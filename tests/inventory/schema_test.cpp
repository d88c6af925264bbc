// Schema migrations: the list itself, and upgrading a real version-1 file (built from
// fixtures/store-v1.sql) and a version-2 file (that fixture plus migration 2) to the latest
// version with their scans intact.
#include <catch2/catch.hpp>

#include "inventory/schema.hpp"
#include "inventory/store.hpp"
#include "tests/inventory/store_support.hpp"

using namespace herkomst;
using herkomst::test::dump;
using herkomst::test::RawDb;
using herkomst::test::TempDir;

namespace {

const std::filesystem::path kFixtures = HERKOMST_INVENTORY_FIXTURES;

// A store file at schema version 1 with two scans, as fixtures/store-v1.sql describes it.
std::filesystem::path make_v1_file(const TempDir& dir) {
  const auto file = dir / "v1.db";
  RawDb(file).exec(test::read_file(kFixtures / "store-v1.sql"));
  return file;
}

// A store file at schema version 2: the version-1 fixture with migration 2 applied, as a
// version-2 herkomst would have left it (scans without reference data).
std::filesystem::path make_v2_file(const TempDir& dir) {
  const auto file = dir / "v2.db";
  RawDb db(file);
  db.exec(test::read_file(kFixtures / "store-v1.sql"));
  db.exec("BEGIN; " + std::string(schema::migrations()[1].sql) + "; PRAGMA user_version = 2; COMMIT;");
  return file;
}

std::string schema_of(RawDb& db) {
  return db.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
}

Observation observation(std::uint64_t id, std::string signal, std::vector<SubjectKey> subjects,
                        std::vector<Field> fields,
                        std::string input, std::uint64_t first, std::uint64_t last, std::int64_t first_us,
                        std::int64_t last_us, std::uint64_t count, std::vector<std::uint64_t> frames) {
  Observation o;
  o.id = id;
  o.source = SourceKind::capture;
  o.signal = std::move(signal);
  o.subjects = std::move(subjects);
  o.fields = std::move(fields);
  o.evidence = Evidence{std::move(input), first, last, first_us, last_us, count, std::move(frames)};
  return o;
}

Asset device_asset(const std::string& mac, const std::string& ip, std::vector<std::uint64_t> observations) {
  Asset a;
  a.ref = "asset:mac:" + mac;
  a.keys = {{KeyKind::mac, mac}, {KeyKind::ipv4, ip}};
  Component d;
  d.ref = "device:mac:" + mac;
  d.type = ComponentType::device;
  d.observation_ids = std::move(observations);
  a.components = {d};
  return a;
}

// What the fixture's first scan is, in the model, once migrated: its version-1 contents plus the
// device component per asset that migration 2 derives (no claims: version 1 had none).
Inventory expected_scan_1() {
  Inventory inv;
  Scan& s = inv.scan;
  s.id = 1;
  s.uuid = "0b3f4c1e-1111-4a51-9a54-0d2f5f8e7b11";
  s.status = ScanStatus::complete;
  s.started_at = "2026-11-20T08:00:00Z";
  s.finished_at = "2026-11-20T08:00:03Z";
  s.tool_version = "0.0.9";
  s.counters = {{"assets", 2}, {"frames", 120}, {"observations", 4}, {"sightings.dropped", 0}};
  ScanInput a = test::input(SourceKind::capture, "linie-1.pcapng", "pcapng", "read", 51234);
  a.counters = {{"frames", 100}, {"frames.malformed", 1}};
  ScanInput b = test::input(SourceKind::capture, "Schaltschrank Süd.pcap", "pcap", "read", 9000);
  b.counters = {{"frames", 20}};
  s.inputs = {a, b};
  const SubjectKey siemens{KeyKind::mac, "00:1b:1b:12:34:56"};
  const SubjectKey siemens_ip{KeyKind::ipv4, "10.0.0.5"};
  const SubjectKey other{KeyKind::mac, "00:0e:8c:00:00:01"};
  inv.observations = {
      observation(1, "arp.sender", {siemens, siemens_ip}, {{"arp.op", std::int64_t{1}}}, "linie-1.pcapng", 1, 9,
                  1795507200000000, 1795507200900000, 3, {1, 5, 9}),
      observation(2, "ip.source", {siemens, siemens_ip}, {{"ip.df", true}, {"ip.ttl", std::int64_t{64}}},
                  "linie-1.pcapng", 2, 2, 1795507200100000, 1795507200100000, 1, {2}),
      observation(3, "ethernet.source", {other},
                  {{"frame.rate", 0.25}, {"vendor.hint", std::string("Siemens – “SIMATIC” 東京")}},
                  "Schaltschrank Süd.pcap", 1, 20, 1795507300000000, 1795507319000000, 20, {1, 2, 3, 4, 5, 6, 7, 8}),
      observation(4, "ip.source", {other, {KeyKind::ipv4, "192.168.1.7"}}, {{"ip.ttl", std::int64_t{-1}}},
                  "Schaltschrank Süd.pcap", 4, 4, 1795507303000000, 1795507303000000, 1, {4}),
  };
  inv.assets = {device_asset("00:0e:8c:00:00:01", "192.168.1.7", {3, 4}),
                device_asset("00:1b:1b:12:34:56", "10.0.0.5", {1, 2})};
  return inv;
}

}  // namespace

TEST_CASE("migrations are numbered 1..N, one per schema version") {
  const auto list = schema::migrations();
  REQUIRE(list.size() == static_cast<std::size_t>(schema::kLatestVersion));
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(list[i].version == static_cast<int>(i) + 1);
    CHECK_FALSE(list[i].summary.empty());
    CHECK_FALSE(list[i].sql.empty());
  }
  CHECK(Store::kSchemaVersion == schema::kLatestVersion);
}

TEST_CASE("the version-1 fixture's schema is exactly migration 1") {
  TempDir dir;
  RawDb fixture(make_v1_file(dir));
  RawDb fresh(dir / "fresh.db");
  fresh.exec(std::string(schema::migrations()[0].sql));
  CHECK(schema_of(fixture) == schema_of(fresh));
  CHECK(fixture.integer("PRAGMA user_version") == 1);
}

TEST_CASE("a version-1 file is migrated to the latest version with its data intact") {
  TempDir dir;
  const auto file = make_v1_file(dir);
  Store store = Store::open(file);
  CHECK(store.schema_version() == Store::kSchemaVersion);

  RawDb raw(file);
  CHECK(raw.integer("PRAGMA user_version") == Store::kSchemaVersion);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
  CHECK(raw.text("PRAGMA foreign_key_check") == "");
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'upgraded_from'") == "1");
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'upgraded_by'").rfind("herkomst ", 0) == 0);
  CHECK(raw.text("SELECT count(*) FROM meta WHERE key = 'created_by'") == "0");  // unknown for an upgraded file

  const auto scans = store.list_scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].id == 2);
  CHECK(scans[0].status == ScanStatus::incomplete);
  CHECK(scans[0].inputs.at(0).error == "cut.pcap: frame 8 at byte 700: file ends inside the frame");
  CHECK(scans[1].id == 1);

  auto first = store.load_inventory(1);
  REQUIRE(first);
  CHECK(dump(*first) == dump(expected_scan_1()));

  // The second scan's device links only its own observation, not the first scan's ones with
  // the same MAC.
  auto second = store.load_inventory(2);
  REQUIRE(second);
  REQUIRE(second->observations.size() == 1);
  CHECK(std::get<std::string>(second->observations[0].fields.at(0).value) == "0128");
  REQUIRE(second->assets.size() == 1);
  REQUIRE(second->assets[0].components.size() == 1);
  CHECK(second->assets[0].components[0].ref == "device:mac:00:1b:1b:12:34:56");
  CHECK(second->assets[0].components[0].observation_ids == std::vector<std::uint64_t>{1});

  // The upgraded file takes new scans, and the old ones are unchanged by that.
  Inventory next = test::rich_inventory("after-upgrade");
  const ScanStatus status = next.scan.status;
  store.begin_scan(next.scan);
  next.scan.status = status;
  store.save_inventory(next);
  CHECK(dump(*store.load_inventory(next.scan.id)) == dump(next));
  CHECK(dump(*store.load_inventory(1)) == dump(expected_scan_1()));

  // Opening it again does nothing more.
  Store again = Store::open(file);
  CHECK(again.list_scans().size() == 3);
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'upgraded_from'") == "1");
}

TEST_CASE("a version-2 file is migrated to the latest version: data kept, reference data '{}'") {
  TempDir dir;
  const auto file = make_v2_file(dir);
  REQUIRE(RawDb(file).integer("PRAGMA user_version") == 2);
  Store store = Store::open(file);
  CHECK(store.schema_version() == Store::kSchemaVersion);

  RawDb raw(file);
  CHECK(raw.integer("PRAGMA user_version") == Store::kSchemaVersion);
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
  CHECK(raw.text("PRAGMA foreign_key_check") == "");
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'upgraded_from'") == "2");
  CHECK(raw.rows("SELECT id, reference_data FROM scans ORDER BY id") == "1|{}\n2|{}\n");

  // Everything of the version-2 file is still there, and the scans record no reference data.
  auto first = store.load_inventory(1);
  REQUIRE(first);
  CHECK(first->scan.reference_data.empty());
  CHECK(dump(*first) == dump(expected_scan_1()));
  const auto scans = store.list_scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].reference_data.empty());
  CHECK(scans[0].inputs.at(0).error == "cut.pcap: frame 8 at byte 700: file ends inside the frame");
  auto second = store.load_inventory(2);
  REQUIRE(second);
  REQUIRE(second->assets.size() == 1);
  CHECK(second->assets[0].components.at(0).observation_ids == std::vector<std::uint64_t>{1});

  // New scans on the upgraded file keep their reference data.
  Inventory next = test::rich_inventory("after-v2-upgrade");
  next.scan.reference_data = {{"ieee-registry", "ieee-data 2022-08-27T08:08:57Z: MA-L 3 rows (oui.csv 2022-08-27)"}};
  const ScanStatus status = next.scan.status;
  store.begin_scan(next.scan);
  next.scan.status = status;
  store.save_inventory(next);
  CHECK(dump(*store.load_inventory(next.scan.id)) == dump(next));
  CHECK(dump(*store.load_inventory(1)) == dump(expected_scan_1()));
}

TEST_CASE("a migration that fails leaves the file at its last good version") {
  TempDir dir;
  const auto file = make_v1_file(dir);
  RawDb(file).exec("CREATE TABLE meta (something_else TEXT)");  // migration 2 cannot create its meta
  try {
    Store::open(file);
    FAIL("a failing migration was not reported");
  } catch (const StoreError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("migrating to schema version 2"));
    CHECK_THAT(message, Catch::Contains("meta"));
  }
  RawDb raw(file);
  CHECK(raw.integer("PRAGMA user_version") == 1);
  CHECK(raw.text("SELECT count(*) FROM sqlite_master WHERE name = 'components'") == "0");
  CHECK(raw.integer("SELECT count(*) FROM scans") == 2);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 5);
}
