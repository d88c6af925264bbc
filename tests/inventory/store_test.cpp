// The SQLite store: opening and configuring files, exact round trips, listing, status changes,
// deletion, abandoned runs, refusing files it must not touch, and surviving a killed writer.
// Every test works on real files in its own temporary folder.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <thread>

#include "inventory/store.hpp"
#include "tests/inventory/store_support.hpp"

using namespace herkomst;
using herkomst::test::dump;
using herkomst::test::RawDb;
using herkomst::test::TempDir;

namespace {

// Begins and saves a scan; returns it with its id set, as the store should give it back.
Inventory store_scan(Store& store, Inventory inv) {
  const ScanStatus final_status = inv.scan.status;
  store.begin_scan(inv.scan);
  inv.scan.status = final_status;
  store.save_inventory(inv);
  return inv;
}

Scan running_scan(const std::string& uuid) {
  Scan s;
  s.uuid = uuid;
  s.started_at = "2026-11-28T12:00:00Z";
  s.tool_version = "0.1.0";
  s.inputs = {test::input(SourceKind::capture, uuid + ".pcap", "", "pending", 0)};
  return s;
}

// A child process that runs `body` and leaves with _exit (never through Catch's exit path).
template <typename F>
pid_t fork_child(F body) {
  const pid_t pid = fork();
  if (pid == 0) {
    int code = 0;
    try {
      code = body();
    } catch (...) {
      code = 99;
    }
    _exit(code);
  }
  REQUIRE(pid > 0);
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::int64_t count_rows(RawDb& db, const std::string& table) { return db.integer("SELECT count(*) FROM " + table); }

}  // namespace

TEST_CASE("open creates the folders and the file, and configures it") {
  TempDir dir;
  const auto file = dir / "a/b/c/herkomst.db";
  Store store = Store::open(file);
  CHECK(std::filesystem::exists(file));
  CHECK(store.path() == file);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  CHECK(Store::kSchemaVersion == 5);
  CHECK(store.list_scans().empty());

  RawDb raw(file);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");  // WAL is a property of the file
  CHECK(raw.integer("PRAGMA user_version") == Store::kSchemaVersion);
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'created_by'").rfind("herkomst ", 0) == 0);
  CHECK(raw.text("SELECT count(*) FROM meta WHERE key = 'created_at'") == "1");
  CHECK(raw.text("PRAGMA foreign_key_check") == "");
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("reopening a store keeps its scans and does not migrate again") {
  TempDir dir;
  const auto file = dir / "h.db";
  Inventory saved;
  {
    Store store = Store::open(file);
    saved = store_scan(store, test::rich_inventory("uuid-1"));
  }
  const std::string created = RawDb(file).text("SELECT value FROM meta WHERE key = 'created_at'");
  Store again = Store::open(file);
  CHECK(again.schema_version() == Store::kSchemaVersion);
  auto loaded = again.load_inventory(saved.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(saved));
  RawDb raw(file);
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'created_at'") == created);
  CHECK(raw.text("SELECT count(*) FROM meta WHERE key LIKE 'upgraded%'") == "0");
}

TEST_CASE("a rich inventory round-trips exactly") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  const Inventory saved = store_scan(store, test::rich_inventory("5b0f1c0e-8a51-4c1e-9a54-0d2f5f8e7b11"));
  REQUIRE(saved.scan.id > 0);

  auto loaded = store.load_inventory(saved.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(saved));

  // Spot checks, so a bug in dump() cannot hide a bug in the store.
  const Observation& o1 = loaded->observations.at(0);
  CHECK(std::get<std::string>(o1.field("nul") ? *o1.field("nul") : FieldValue{}) == std::string("a\0b", 3));
  CHECK(std::get<std::string>(*o1.field("looks.like.number")) == "0042");
  CHECK(std::get<std::int64_t>(*o1.field("int.min")) == std::numeric_limits<std::int64_t>::min());
  CHECK(std::signbit(std::get<double>(*o1.field("real.neg.zero"))));
  CHECK(std::isnan(std::get<double>(*o1.field("real.nan"))));
  CHECK(std::get<bool>(*o1.field("flag.true")));
  CHECK(o1.evidence.frames.size() == Evidence::kMaxFrames);
  CHECK(loaded->observations.at(1).evidence.last_frame == std::numeric_limits<std::uint64_t>::max());
  CHECK(loaded->scan.inputs.at(1).bytes == (1ULL << 63) + 5);
  CHECK(loaded->scan.counters.at("huge") == std::numeric_limits<std::uint64_t>::max());
  CHECK(loaded->assets.at(0).components.at(0).best("manufacturer.name")->value == "Siemens AG");
  CHECK(loaded->assets.at(0).components.at(0).all("manufacturer.name").size() == 2);
  CHECK(loaded->assets.at(3).components.empty());

  // And from a fresh connection, as `herkomst export` reads it.
  Store other = Store::open(dir / "h.db");
  auto again = other.load_inventory(saved.scan.id);
  REQUIRE(again);
  CHECK(dump(*again) == dump(saved));
}

TEST_CASE("reference data round-trips: begin_scan writes it, save_inventory replaces it") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv = test::rich_inventory("7d1e0c2a-3b4f-4a51-9a54-0d2f5f8e7b11");
  inv.scan.reference_data = {
      {"ieee-registry",
       "ieee-data 2022-08-27T08:08:57Z: MA-L 32530 rows (oui.csv 2022-08-27, fnv1a64 0123456789abcdef)"},
      {"fingerprint-rules", "builtin 3 + /etc/herkomst/rules (“Ölraffinerie” 東京)"},
      {"empty-version", ""},
      {"odd \"name\"\\", std::string("nul\0inside", 10)},
  };
  const ScanStatus final_status = inv.scan.status;
  store.begin_scan(inv.scan);
  auto begun = store.scan(inv.scan.id);
  REQUIRE(begun);
  CHECK(begun->reference_data == inv.scan.reference_data);
  RawDb raw(store.path());
  const std::string id = std::to_string(inv.scan.id);
  CHECK(raw.text("SELECT json_extract(reference_data, '$.\"ieee-registry\"') FROM scans WHERE id = " + id)
            .rfind("ieee-data 2022-08-27T08:08:57Z: MA-L 32530 rows", 0) == 0);

  inv.scan.status = final_status;
  inv.scan.reference_data.erase("empty-version");
  inv.scan.reference_data["vendor-tables"] = "vendor-tables 1";
  store.save_inventory(inv);
  auto loaded = store.load_inventory(inv.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(inv));
  CHECK(loaded->scan.reference_data == inv.scan.reference_data);
  CHECK(loaded->scan.reference_data.at("odd \"name\"\\") == std::string("nul\0inside", 10));
  const auto listed = store.list_scans();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].reference_data == inv.scan.reference_data);

  // A scan that records none stores '{}'.
  Scan none = running_scan("no-reference-data");
  store.begin_scan(none);
  CHECK(raw.text("SELECT reference_data FROM scans WHERE id = " + std::to_string(none.id)) == "{}");
  CHECK(store.scan(none.id)->reference_data.empty());

  // Valid JSON of the wrong shape is refused when read, naming the scan.
  raw.exec("UPDATE scans SET reference_data = '{\"ieee-registry\":1}' WHERE id = " + id);
  try {
    store.load_inventory(inv.scan.id);
    FAIL("reference data that is not a version string was accepted");
  } catch (const StoreError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("scan " + id) && Catch::Contains("ieee-registry"));
  }
  // And SQLite itself refuses text that is not JSON.
  CHECK_THROWS(raw.exec("UPDATE scans SET reference_data = 'not json' WHERE id = " + id));
}

TEST_CASE("an empty inventory round-trips") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv;
  inv.scan = running_scan("empty");
  inv.scan.inputs.clear();
  inv.scan.status = ScanStatus::complete;
  const Inventory saved = store_scan(store, inv);
  auto loaded = store.load_inventory(saved.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(saved));
}

TEST_CASE("begin_scan stores a running scan with its inputs and this process") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Scan scan = running_scan("u-1");
  scan.status = ScanStatus::complete;  // begin_scan always starts a scan as running
  const std::int64_t id = store.begin_scan(scan);
  CHECK(id == scan.id);
  CHECK(id > 0);
  CHECK(scan.status == ScanStatus::running);

  auto stored = store.scan(id);
  REQUIRE(stored);
  CHECK(stored->status == ScanStatus::running);
  CHECK(stored->uuid == "u-1");
  REQUIRE(stored->inputs.size() == 1);
  CHECK(stored->inputs[0].path == "u-1.pcap");
  CHECK(stored->inputs[0].status == "pending");

  // A scan that was only begun loads with its scan and nothing else.
  auto inv = store.load_inventory(id);
  REQUIRE(inv);
  CHECK(inv->observations.empty());
  CHECK(inv->assets.empty());

  RawDb raw(store.path());
  CHECK(raw.integer("SELECT run_pid FROM scans WHERE id = " + std::to_string(id)) == getpid());
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  CHECK(raw.text("SELECT run_host FROM scans WHERE id = " + std::to_string(id)) == host);
  CHECK(raw.text("SELECT run_pid_start IS NOT NULL FROM scans") == "1");
}

TEST_CASE("save_inventory replaces the inputs begin_scan wrote with their final state") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv;
  inv.scan = running_scan("u-1");
  inv.scan.inputs.push_back(test::input(SourceKind::capture, "second.pcap", "", "pending", 0));
  store.begin_scan(inv.scan);
  inv.scan.inputs[0].status = "read";
  inv.scan.inputs[0].format = "pcap";
  inv.scan.inputs[0].counters = {{"frames", 3}};
  inv.scan.inputs.pop_back();
  inv.scan.status = ScanStatus::complete;
  inv.scan.finished_at = "2026-11-28T12:00:09Z";
  inv.scan.counters = {{"frames", 3}};
  store.save_inventory(inv);
  auto stored = store.scan(inv.scan.id);
  REQUIRE(stored);
  CHECK(stored->status == ScanStatus::complete);
  CHECK(stored->finished_at == "2026-11-28T12:00:09Z");
  REQUIRE(stored->inputs.size() == 1);
  CHECK(stored->inputs[0].status == "read");
  CHECK(stored->inputs[0].counters.at("frames") == 3);
  CHECK(stored->counters.at("frames") == 3);
}

TEST_CASE("saving a scan again replaces its contents") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv = store_scan(store, test::rich_inventory("u"));
  inv.observations.resize(2);
  inv.assets.resize(1);
  inv.assets[0].components[0].claims.pop_back();
  store.save_inventory(inv);
  auto loaded = store.load_inventory(inv.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(inv));
  RawDb raw(store.path());
  CHECK(count_rows(raw, "observations") == 2);
  CHECK(count_rows(raw, "assets") == 1);
}

TEST_CASE("a failed save changes nothing: the scan stays as begun") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv = test::rich_inventory("u");
  store.begin_scan(inv.scan);
  inv.scan.status = ScanStatus::complete;
  inv.observations[4].id = inv.observations[3].id;  // two observations with one id: refused
  try {
    store.save_inventory(inv);
    FAIL("save_inventory accepted duplicate observation ids");
  } catch (const StoreError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(store.path().string()));
    CHECK_THAT(message, Catch::Contains("saving scan " + std::to_string(inv.scan.id)));
    CHECK_THAT(message, Catch::Contains("UNIQUE"));
  }
  auto stored = store.load_inventory(inv.scan.id);
  REQUIRE(stored);
  CHECK(stored->scan.status == ScanStatus::running);
  CHECK(stored->observations.empty());
  CHECK(stored->assets.empty());
  CHECK(stored->scan.inputs.size() == 3);
}

TEST_CASE("save_inventory needs a begun scan") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv = test::rich_inventory("u");
  CHECK_THROWS_AS(store.save_inventory(inv), StoreError);  // id 0
  inv.scan.id = 42;
  CHECK_THROWS_WITH(store.save_inventory(inv), Catch::Contains("no such scan"));
  CHECK(store.list_scans().empty());
}

TEST_CASE("a uuid is stored once") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Scan a = running_scan("same");
  Scan b = running_scan("same");
  store.begin_scan(a);
  CHECK_THROWS_WITH(store.begin_scan(b), Catch::Contains("beginning a scan") && Catch::Contains("UNIQUE"));
  CHECK(store.list_scans().size() == 1);
}

TEST_CASE("list_scans gives every scan newest first, with inputs and counters") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    Inventory inv = test::rich_inventory("uuid-" + std::to_string(i));
    inv.scan.inputs.resize(static_cast<std::size_t>(i % 3) + 1);
    inv.scan.counters["frames"] = static_cast<std::uint64_t>(100 + i);
    ids.push_back(store_scan(store, inv).scan.id);
  }
  Scan running = running_scan("still-running");
  store.begin_scan(running);

  const auto scans = store.list_scans();
  REQUIRE(scans.size() == 5);
  CHECK(scans[0].id == running.id);
  CHECK(scans[0].status == ScanStatus::running);
  for (int i = 0; i < 4; ++i) {
    const Scan& s = scans[static_cast<std::size_t>(4 - i)];
    CHECK(s.id == ids[static_cast<std::size_t>(i)]);
    CHECK(s.uuid == "uuid-" + std::to_string(i));
    CHECK(s.status == ScanStatus::complete);
    CHECK(s.inputs.size() == static_cast<std::size_t>(i % 3) + 1);
    CHECK(s.inputs[0].counters.at("frames") == 400);
    CHECK(s.counters.at("frames") == static_cast<std::uint64_t>(100 + i));
  }
  CHECK(scans[1].started_at == "2026-11-28T12:00:00Z");
}

TEST_CASE("unknown scans are nullopt") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  CHECK_FALSE(store.scan(1));
  CHECK_FALSE(store.load_inventory(1));
  CHECK_FALSE(store.load_inventory(-3));
}

TEST_CASE("set_status records the final status and time") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Scan scan = running_scan("u");
  store.begin_scan(scan);
  store.set_status(scan.id, ScanStatus::failed, "2026-11-28T12:30:00Z");
  auto stored = store.scan(scan.id);
  REQUIRE(stored);
  CHECK(stored->status == ScanStatus::failed);
  CHECK(stored->finished_at == "2026-11-28T12:30:00Z");
  try {
    store.set_status(scan.id + 1, ScanStatus::complete, "");
    FAIL("set_status accepted an unknown scan");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::Contains(store.path().string()) && Catch::Contains("no such scan"));
  }
}

TEST_CASE("delete_scan removes a scan and everything under it, and nothing else") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  const Inventory keep1 = store_scan(store, test::rich_inventory("keep-1"));
  const Inventory doomed = store_scan(store, test::rich_inventory("doomed"));
  const Inventory keep2 = store_scan(store, test::rich_inventory("keep-2"));

  RawDb raw(store.path());
  const std::vector<std::string> tables = {"scan_inputs",  "observations", "observation_subjects",
                                           "observation_fields", "evidence",     "assets",
                                           "asset_keys",   "components",   "claims",
                                           "component_observations"};
  std::map<std::string, std::int64_t> before;
  for (const auto& t : tables) {
    before[t] = count_rows(raw, t);
    CHECK(before[t] % 3 == 0);  // three identical scans
    CHECK(before[t] > 0);
  }

  store.delete_scan(doomed.scan.id);
  CHECK_FALSE(store.scan(doomed.scan.id));
  for (const auto& t : tables) CHECK(count_rows(raw, t) == before[t] / 3 * 2);
  CHECK(raw.text("PRAGMA foreign_key_check") == "");

  auto a = store.load_inventory(keep1.scan.id);
  auto b = store.load_inventory(keep2.scan.id);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(dump(*a) == dump(keep1));
  CHECK(dump(*b) == dump(keep2));

  store.delete_scan(doomed.scan.id);  // already gone: nothing happens
  CHECK(store.list_scans().size() == 2);
}

TEST_CASE("mark_abandoned_scans: a run whose process died becomes incomplete, a live one stays running") {
  TempDir dir;
  const auto file = dir / "h.db";
  { Store init = Store::open(file); }

  // A child begins a scan and exits without finishing it.
  const pid_t child = fork_child([&] {
    Store store = Store::open(file);
    Scan scan = running_scan("dead-run");
    store.begin_scan(scan);
    return 0;
  });
  REQUIRE(wait_exit_code(child) == 0);  // reaped: its pid no longer exists

  Store store = Store::open(file);
  Scan mine = running_scan("live-run");
  store.begin_scan(mine);
  REQUIRE(RawDb(file).integer("SELECT run_pid FROM scans WHERE uuid = 'dead-run'") == child);

  CHECK(store.mark_abandoned_scans() == 1);
  const auto scans = store.list_scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].uuid == "live-run");
  CHECK(scans[0].status == ScanStatus::running);
  CHECK(scans[1].uuid == "dead-run");
  CHECK(scans[1].status == ScanStatus::incomplete);

  CHECK(store.mark_abandoned_scans() == 0);  // nothing left to mark
}

TEST_CASE("mark_abandoned_scans: a reused pid is not mistaken for the run") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Scan scan = running_scan("u");
  store.begin_scan(scan);
  // Our pid is alive, but the recorded run started at another time: another process had it.
  RawDb(store.path()).exec("UPDATE scans SET run_pid_start = run_pid_start - 1");
  CHECK(store.mark_abandoned_scans() == 1);
  CHECK(store.scan(scan.id)->status == ScanStatus::incomplete);
}

TEST_CASE("mark_abandoned_scans: runs from another host are given 24 hours") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Scan recent = running_scan("recent");
  Scan old = running_scan("old");
  Scan done = running_scan("done");
  store.begin_scan(recent);
  store.begin_scan(old);
  store.begin_scan(done);
  store.set_status(done.id, ScanStatus::complete, "2026-11-28T12:00:00Z");
  RawDb raw(store.path());
  // pid 1 exists on every Linux host; on another host it says nothing about the run.
  raw.exec("UPDATE scans SET run_host = 'elsewhere.example', run_pid = 1, run_began = unixepoch() - 3600");
  raw.exec("UPDATE scans SET run_began = unixepoch() - 25 * 3600 WHERE uuid IN ('old', 'done')");
  CHECK(store.mark_abandoned_scans() == 1);
  CHECK(store.scan(recent.id)->status == ScanStatus::running);
  CHECK(store.scan(old.id)->status == ScanStatus::incomplete);
  CHECK(store.scan(done.id)->status == ScanStatus::complete);  // only running scans are touched
}

TEST_CASE("a database with a newer schema is refused and left alone") {
  TempDir dir;
  const auto file = dir / "future.db";
  { Store store = Store::open(file); }
  RawDb(file).exec("PRAGMA user_version = " + std::to_string(Store::kSchemaVersion + 1));
  try {
    Store::open(file);
    FAIL("a newer schema was accepted");
  } catch (const StoreError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("schema version " + std::to_string(Store::kSchemaVersion + 1)));
    CHECK_THAT(message, Catch::Contains("newer"));
  }
  CHECK(RawDb(file).integer("PRAGMA user_version") == Store::kSchemaVersion + 1);
}

TEST_CASE("a file that is not an SQLite database is refused, naming the file, and left alone") {
  TempDir dir;
  const auto file = dir / "notes.txt";
  const std::string text = "these are not the tables you are looking for\n" + std::string(200, 'x');
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }
  try {
    Store::open(file);
    FAIL("a text file was opened as a store");
  } catch (const StoreError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("not an SQLite database"));
  }
  CHECK(test::read_file(file) == text);
}

TEST_CASE("a path that cannot be a database file gives an error naming it") {
  TempDir dir;
  const auto folder = dir / "a-folder";
  std::filesystem::create_directories(folder);
  CHECK_THROWS_WITH(Store::open(folder), Catch::Contains(folder.string()));

  const auto blocker = dir / "plain-file";
  { std::ofstream(blocker) << "x"; }
  CHECK_THROWS_WITH(Store::open(blocker / "sub" / "h.db"), Catch::Contains((blocker / "sub" / "h.db").string()));
}

TEST_CASE("an empty file becomes a new store") {
  TempDir dir;
  const auto file = dir / "empty.db";
  { std::ofstream touch(file); }
  Store store = Store::open(file);
  CHECK(store.schema_version() == Store::kSchemaVersion);
}

TEST_CASE("a store moves and the moved-from one refuses to work") {
  TempDir dir;
  Store a = Store::open(dir / "h.db");
  Scan scan = running_scan("u");
  a.begin_scan(scan);
  Store b = std::move(a);
  CHECK(b.scan(scan.id));
  CHECK_THROWS_AS(a.list_scans(), StoreError);  // NOLINT(bugprone-use-after-move): the point of the test
  a = Store::open(dir / "other.db");
  CHECK(a.list_scans().empty());
}

TEST_CASE("two connections to one file see each other's committed scans") {
  TempDir dir;
  Store writer = Store::open(dir / "h.db");
  Store reader = Store::open(dir / "h.db");
  const Inventory saved = store_scan(writer, test::rich_inventory("u"));
  auto loaded = reader.load_inventory(saved.scan.id);
  REQUIRE(loaded);
  CHECK(dump(*loaded) == dump(saved));
}

TEST_CASE("100k observations save and load in a few seconds of CPU, with reused statements") {
  TempDir dir;
  Store store = Store::open(dir / "h.db");
  Inventory inv = test::large_inventory("big", 100'000);
  store.begin_scan(inv.scan);
  // CPU time of this process, so other work on a shared machine does not make the test flaky;
  // wall time is reported too.
  struct Clock {
    std::clock_t cpu = std::clock();
    std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
    long long cpu_ms(const Clock& start) const { return (cpu - start.cpu) * 1000LL / CLOCKS_PER_SEC; }
    long long wall_ms(const Clock& start) const {
      return std::chrono::duration_cast<std::chrono::milliseconds>(wall - start.wall).count();
    }
  };
  const Clock t0;
  store.save_inventory(inv);
  const Clock t1;
  auto loaded = store.load_inventory(inv.scan.id);
  const Clock t2;
  store.delete_scan(inv.scan.id);
  const Clock t3;
  WARN("100k observations, CPU (wall) ms: save " << t1.cpu_ms(t0) << " (" << t1.wall_ms(t0) << "), load "
                                                 << t2.cpu_ms(t1) << " (" << t2.wall_ms(t1) << "), delete "
                                                 << t3.cpu_ms(t2) << " (" << t3.wall_ms(t2) << ")");
  REQUIRE(loaded);
  CHECK(loaded->observations.size() == 100'000);
  CHECK(dump(*loaded) == dump(inv));
  CHECK_FALSE(store.scan(inv.scan.id));
  // Typical on a 2-core VM: save 1.5-2.5 s, load ~1 s, delete 2-3 s of CPU. The limits leave room
  // for a noisy machine and catch what matters: a statement prepared per row, a missing index,
  // a transaction per row (each of those costs 10x or more).
#if defined(__SANITIZE_ADDRESS__)
  constexpr long long kFactor = 10;  // sanitizers slow everything down several times
#else
  constexpr long long kFactor = 1;
#endif
  CHECK(t1.cpu_ms(t0) < 5'000 * kFactor);
  CHECK(t2.cpu_ms(t1) < 5'000 * kFactor);
  CHECK(t3.cpu_ms(t2) < 10'000 * kFactor);  // rare: only failed scans are deleted, before they hold much
}

TEST_CASE("a writer killed in the middle of saving leaves earlier scans intact and its scan incomplete") {
  TempDir dir;
  const auto file = dir / "h.db";
  Inventory earlier;
  {
    Store store = Store::open(file);
    earlier = store_scan(store, test::rich_inventory("earlier"));
  }  // closed: the child must not share a connection with us

  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork_child([&] {
    close(pipe_fds[0]);
    Inventory big = test::large_inventory("killed", 300'000);
    Store store = Store::open(file);
    store.begin_scan(big.scan);
    if (write(pipe_fds[1], "b", 1) != 1) return 2;
    store.save_inventory(big);
    if (write(pipe_fds[1], "s", 1) != 1) return 2;  // saved: the kill came too late
    pause();
    return 0;
  });
  close(pipe_fds[1]);

  // Wait until the scan row is committed, then until the big transaction is spilling pages into
  // the WAL, and kill the writer there: mid-transaction, before its commit.
  char signal_byte = 0;
  REQUIRE(read(pipe_fds[0], &signal_byte, 1) == 1);
  REQUIRE(signal_byte == 'b');
  const auto wal = std::filesystem::path(file.string() + "-wal");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::error_code ec;
  while (std::filesystem::file_size(wal, ec) < 8u * 1024 * 1024 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(kill(child, SIGKILL) == 0);
  CHECK(wait_exit_code(child) == -SIGKILL);
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  const bool saved_before_kill = read(pipe_fds[0], &signal_byte, 1) == 1;
  close(pipe_fds[0]);
  REQUIRE_FALSE(saved_before_kill);  // otherwise this run did not test a kill before commit

  Store store = Store::open(file);
  RawDb raw(file);
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
  auto scans = store.list_scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].uuid == "killed");
  CHECK(scans[0].status == ScanStatus::running);
  auto killed = store.load_inventory(scans[0].id);
  REQUIRE(killed);
  CHECK(killed->observations.empty());  // nothing of the unfinished transaction is visible
  CHECK(killed->assets.empty());
  auto intact = store.load_inventory(earlier.scan.id);
  REQUIRE(intact);
  CHECK(dump(*intact) == dump(earlier));

  CHECK(store.mark_abandoned_scans() == 1);
  CHECK(store.scan(scans[0].id)->status == ScanStatus::incomplete);
}
