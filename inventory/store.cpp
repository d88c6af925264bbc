#include "inventory/store.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "build_info.hpp"
#include "inventory/sqlite_handles.hpp"

namespace herkomst {
namespace {

using namespace store_detail;
using nlohmann::json;

// A scan left 'running' by a process on another host is given up after this long.
constexpr std::int64_t kOtherHostGraceSeconds = 24 * 60 * 60;
constexpr int kBusyTimeoutMs = 5000;

static_assert(schema::kLatestVersion >= 2, "the meta table exists from schema version 2 on");

// ---- small helpers ------------------------------------------------------------------------------

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// Start time of a process in clock ticks after boot (field 22 of /proc/PID/stat); tells a process
// apart from a later one that got the same pid. nullopt when unknown.
std::optional<std::int64_t> process_start_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i != 22) continue;
    std::int64_t ticks = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), ticks);
    if (ec != std::errc{} || end != field.data() + field.size()) return std::nullopt;
    return ticks;
  }
  return std::nullopt;
}

std::string counters_json(const std::map<std::string, std::uint64_t>& counters) {
  json j = json::object();
  for (const auto& [name, value] : counters) j[name] = value;
  try {
    return j.dump();
  } catch (const json::exception& e) {
    throw Failure(std::string("counter name is not valid UTF-8: ") + e.what());
  }
}

std::map<std::string, std::uint64_t> parse_counters(const std::string& text, std::string_view where) {
  std::map<std::string, std::uint64_t> out;
  try {
    const json j = json::parse(text);
    if (!j.is_object()) throw Failure(std::string(where) + ": counters are not a JSON object");
    for (const auto& [name, value] : j.items()) {
      if (!value.is_number_unsigned())
        throw Failure(std::string(where) + ": counter '" + name + "' is not a non-negative integer");
      out[name] = value.get<std::uint64_t>();
    }
  } catch (const json::exception& e) {
    throw Failure(std::string(where) + ": corrupt counters: " + e.what());
  }
  return out;
}

std::string reference_data_json(const std::map<std::string, std::string>& reference_data) {
  json j = json::object();
  for (const auto& [name, version] : reference_data) j[name] = version;
  try {
    return j.dump();
  } catch (const json::exception& e) {
    throw Failure(std::string("reference data is not valid UTF-8: ") + e.what());
  }
}

std::map<std::string, std::string> parse_reference_data(const std::string& text, std::string_view where) {
  std::map<std::string, std::string> out;
  try {
    const json j = json::parse(text);
    if (!j.is_object()) throw Failure(std::string(where) + ": reference data is not a JSON object");
    for (const auto& [name, version] : j.items()) {
      if (!version.is_string())
        throw Failure(std::string(where) + ": reference data '" + name + "' is not a version string");
      out[name] = version.get<std::string>();
    }
  } catch (const json::exception& e) {
    throw Failure(std::string(where) + ": corrupt reference data: " + e.what());
  }
  return out;
}

std::string frames_json(const std::vector<std::uint64_t>& frames) {
  std::string out = "[";
  char buf[24];
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i) out += ',';
    const auto result = std::to_chars(buf, buf + sizeof buf, frames[i]);
    out.append(buf, result.ptr);
  }
  out += ']';
  return out;
}

std::vector<std::uint64_t> parse_frames(const std::string& text, std::string_view where) {
  std::vector<std::uint64_t> out;
  try {
    const json j = json::parse(text);
    if (!j.is_array()) throw Failure(std::string(where) + ": evidence frames are not a JSON array");
    for (const auto& v : j) {
      if (!v.is_number_unsigned()) throw Failure(std::string(where) + ": evidence frame is not a frame number");
      out.push_back(v.get<std::uint64_t>());
    }
  } catch (const json::exception& e) {
    throw Failure(std::string(where) + ": corrupt evidence frames: " + e.what());
  }
  return out;
}

template <typename T>
T parse_enum(std::optional<T> value, std::string_view what, const std::string& text, std::string_view where) {
  if (!value) throw Failure(std::string(where) + ": unknown " + std::string(what) + " '" + text + "'");
  return *value;
}

// Field value types, as stored in observation_fields.type (index = FieldValue alternative).
constexpr std::string_view kFieldTypes[] = {"string", "int64", "double", "bool"};

// ---- rows ---------------------------------------------------------------------------------------

constexpr std::string_view kScanColumns =
    "SELECT id, uuid, status, started_at, finished_at, tool_version, counters, reference_data FROM scans";

Scan read_scan(const Statement& row) {
  Scan s;
  s.id = row.int64(0);
  const std::string where = "scan " + std::to_string(s.id);
  s.uuid = row.text(1);
  s.status = parse_enum(scan_status_from(row.text(2)), "status", row.text(2), where);
  s.started_at = row.text(3);
  s.finished_at = row.text(4);
  s.tool_version = row.text(5);
  s.counters = parse_counters(row.text(6), where);
  s.reference_data = parse_reference_data(row.text(7), where);
  return s;
}

// Columns 1.. of "SELECT scan_id, kind, path, bytes, format, status, error, counters".
constexpr std::string_view kInputColumns =
    "SELECT scan_id, kind, path, bytes, format, status, error, counters FROM scan_inputs";

ScanInput read_input(const Statement& row) {
  const std::string where = "input of scan " + std::to_string(row.int64(0));
  ScanInput in;
  in.kind = parse_enum(source_kind_from(row.text(1)), "input kind", row.text(1), where);
  in.path = row.text(2);
  in.bytes = row.uint64(3);
  in.format = row.text(4);
  in.status = row.text(5);
  in.error = row.text(6);
  in.counters = parse_counters(row.text(7), where);
  return in;
}

void insert_inputs(const Connection& c, std::int64_t scan_id, const std::vector<ScanInput>& inputs) {
  Statement insert(c,
                   "INSERT INTO scan_inputs (scan_id, kind, path, bytes, format, status, error, counters) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& in : inputs) {
    const std::string counters = counters_json(in.counters);
    insert.bind_int64(1, scan_id);
    insert.bind_text(2, to_string(in.kind));
    insert.bind_text(3, in.path);
    insert.bind_uint64(4, in.bytes);
    insert.bind_text(5, in.format);
    insert.bind_text(6, in.status);
    insert.bind_text(7, in.error);
    insert.bind_text(8, counters);
    insert.execute();
  }
}

void insert_observations(const Connection& c, std::int64_t scan_id, const std::vector<Observation>& observations) {
  Statement observation(c, "INSERT INTO observations (scan_id, number, source, signal) VALUES (?, ?, ?, ?)");
  Statement subject(c, "INSERT INTO observation_subjects (observation_id, position, kind, value) VALUES (?, ?, ?, ?)");
  Statement field(c,
                  "INSERT INTO observation_fields (observation_id, position, name, type, value) "
                  "VALUES (?, ?, ?, ?, ?)");
  Statement evidence(c,
                     "INSERT INTO evidence (observation_id, input, first_frame, last_frame, first_time_us, "
                     "last_time_us, count, frames) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& o : observations) {
    observation.bind_int64(1, scan_id);
    observation.bind_uint64(2, o.id);
    observation.bind_text(3, to_string(o.source));
    observation.bind_text(4, o.signal);
    observation.execute();
    const std::int64_t row = c.last_insert_id();

    for (std::size_t i = 0; i < o.subjects.size(); ++i) {
      subject.bind_int64(1, row);
      subject.bind_int64(2, static_cast<std::int64_t>(i));
      subject.bind_text(3, to_string(o.subjects[i].kind));
      subject.bind_text(4, o.subjects[i].value);
      subject.execute();
    }
    for (std::size_t i = 0; i < o.fields.size(); ++i) {
      const Field& f = o.fields[i];
      field.bind_int64(1, row);
      field.bind_int64(2, static_cast<std::int64_t>(i));
      field.bind_text(3, f.name);
      field.bind_text(4, kFieldTypes[f.value.index()]);
      if (const auto* s = std::get_if<std::string>(&f.value)) field.bind_text(5, *s);
      if (const auto* n = std::get_if<std::int64_t>(&f.value)) field.bind_int64(5, *n);
      if (const auto* d = std::get_if<double>(&f.value)) field.bind_double(5, *d);
      if (const auto* b = std::get_if<bool>(&f.value)) field.bind_int64(5, *b ? 1 : 0);
      field.execute();
    }
    const Evidence& e = o.evidence;
    const std::string frames = frames_json(e.frames);
    evidence.bind_int64(1, row);
    evidence.bind_text(2, e.input);
    evidence.bind_uint64(3, e.first_frame);
    evidence.bind_uint64(4, e.last_frame);
    evidence.bind_int64(5, e.first_time_us);
    evidence.bind_int64(6, e.last_time_us);
    evidence.bind_uint64(7, e.count);
    evidence.bind_text(8, frames);
    evidence.execute();
  }
}

void insert_assets(const Connection& c, std::int64_t scan_id, const std::vector<Asset>& assets) {
  Statement asset(c, "INSERT INTO assets (scan_id, ref) VALUES (?, ?)");
  Statement key(c, "INSERT INTO asset_keys (asset_id, position, kind, value) VALUES (?, ?, ?, ?)");
  Statement component(c, "INSERT INTO components (asset_id, ref, type) VALUES (?, ?, ?)");
  Statement claim(c,
                  "INSERT INTO claims (component_id, attribute, value, confidence, rule, observation_number) "
                  "VALUES (?, ?, ?, ?, ?, ?)");
  Statement link(c,
                 "INSERT INTO component_observations (component_id, position, observation_number) VALUES (?, ?, ?)");
  for (const auto& a : assets) {
    asset.bind_int64(1, scan_id);
    asset.bind_text(2, a.ref);
    asset.execute();
    const std::int64_t asset_row = c.last_insert_id();
    for (std::size_t i = 0; i < a.keys.size(); ++i) {
      key.bind_int64(1, asset_row);
      key.bind_int64(2, static_cast<std::int64_t>(i));
      key.bind_text(3, to_string(a.keys[i].kind));
      key.bind_text(4, a.keys[i].value);
      key.execute();
    }
    for (const auto& comp : a.components) {
      component.bind_int64(1, asset_row);
      component.bind_text(2, comp.ref);
      component.bind_text(3, to_string(comp.type));
      component.execute();
      const std::int64_t component_row = c.last_insert_id();
      for (const auto& cl : comp.claims) {
        claim.bind_int64(1, component_row);
        claim.bind_text(2, cl.attribute);
        claim.bind_text(3, cl.value);
        claim.bind_double(4, cl.confidence);
        claim.bind_text(5, cl.rule);
        claim.bind_uint64(6, cl.observation_id);
        claim.execute();
      }
      for (std::size_t i = 0; i < comp.observation_ids.size(); ++i) {
        link.bind_int64(1, component_row);
        link.bind_int64(2, static_cast<std::int64_t>(i));
        link.bind_uint64(3, comp.observation_ids[i]);
        link.execute();
      }
    }
  }
}

// Where a child row belongs: the position, in a vector being loaded, of the parent with that row id.
class RowIndex {
 public:
  void add(std::int64_t row, std::size_t position) { positions_.emplace(row, position); }
  std::size_t at(std::int64_t row, std::string_view what) const {
    auto it = positions_.find(row);
    if (it == positions_.end()) throw Failure(std::string(what) + " row without its parent");
    return it->second;
  }

 private:
  std::unordered_map<std::int64_t, std::size_t> positions_;
};

std::vector<Observation> load_observations(const Connection& c, std::int64_t scan_id) {
  std::vector<Observation> out;
  RowIndex index;
  {
    Statement q(c, "SELECT id, number, source, signal FROM observations WHERE scan_id = ? ORDER BY id");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Observation o;
      o.id = q.uint64(1);
      o.source = parse_enum(source_kind_from(q.text(2)), "observation source", q.text(2),
                            "observation " + std::to_string(o.id));
      o.signal = q.text(3);
      index.add(q.int64(0), out.size());
      out.push_back(std::move(o));
    }
  }
  {
    Statement q(c,
                "SELECT s.observation_id, s.kind, s.value FROM observations o "
                "JOIN observation_subjects s ON s.observation_id = o.id "
                "WHERE o.scan_id = ? ORDER BY s.observation_id, s.position");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Observation& o = out[index.at(q.int64(0), "observation subject")];
      SubjectKey key;
      key.kind = parse_enum(key_kind_from(q.text(1)), "subject kind", q.text(1), "observation " + std::to_string(o.id));
      key.value = q.text(2);
      o.subjects.push_back(std::move(key));
    }
  }
  {
    Statement q(c,
                "SELECT f.observation_id, f.name, f.type, f.value FROM observations o "
                "JOIN observation_fields f ON f.observation_id = o.id "
                "WHERE o.scan_id = ? ORDER BY f.observation_id, f.position");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Observation& o = out[index.at(q.int64(0), "observation field")];
      Field f;
      f.name = q.text(1);
      const std::string type = q.text(2);
      if (type == kFieldTypes[0]) {
        f.value = q.text(3);
      } else if (type == kFieldTypes[1]) {
        f.value = q.int64(3);
      } else if (type == kFieldTypes[2]) {
        f.value = q.real(3);
      } else if (type == kFieldTypes[3]) {
        f.value = q.int64(3) != 0;
      } else {
        throw Failure("observation " + std::to_string(o.id) + ": unknown field type '" + type + "'");
      }
      o.fields.push_back(std::move(f));
    }
  }
  {
    Statement q(c,
                "SELECT e.observation_id, e.input, e.first_frame, e.last_frame, e.first_time_us, e.last_time_us, "
                "e.count, e.frames FROM observations o JOIN evidence e ON e.observation_id = o.id "
                "WHERE o.scan_id = ? ORDER BY e.observation_id");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Observation& o = out[index.at(q.int64(0), "evidence")];
      Evidence& e = o.evidence;
      e.input = q.text(1);
      e.first_frame = q.uint64(2);
      e.last_frame = q.uint64(3);
      e.first_time_us = q.int64(4);
      e.last_time_us = q.int64(5);
      e.count = q.uint64(6);
      e.frames = parse_frames(q.text(7), "observation " + std::to_string(o.id));
    }
  }
  return out;
}

std::vector<Asset> load_assets(const Connection& c, std::int64_t scan_id) {
  std::vector<Asset> out;
  RowIndex assets;
  {
    Statement q(c, "SELECT id, ref FROM assets WHERE scan_id = ? ORDER BY id");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Asset a;
      a.ref = q.text(1);
      assets.add(q.int64(0), out.size());
      out.push_back(std::move(a));
    }
  }
  {
    Statement q(c,
                "SELECT k.asset_id, k.kind, k.value FROM assets a JOIN asset_keys k ON k.asset_id = a.id "
                "WHERE a.scan_id = ? ORDER BY k.asset_id, k.position");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Asset& a = out[assets.at(q.int64(0), "asset key")];
      SubjectKey key;
      key.kind = parse_enum(key_kind_from(q.text(1)), "key kind", q.text(1), a.ref);
      key.value = q.text(2);
      a.keys.push_back(std::move(key));
    }
  }
  // Components are addressed by (asset position, component position).
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> components;
  auto component_at = [&](std::int64_t row, std::string_view what) -> Component& {
    auto it = components.find(row);
    if (it == components.end()) throw Failure(std::string(what) + " row without its component");
    return out[it->second.first].components[it->second.second];
  };
  {
    Statement q(c,
                "SELECT c.id, c.asset_id, c.ref, c.type FROM assets a JOIN components c ON c.asset_id = a.id "
                "WHERE a.scan_id = ? ORDER BY c.id");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      const std::size_t a = assets.at(q.int64(1), "component");
      Component comp;
      comp.ref = q.text(2);
      comp.type = parse_enum(component_type_from(q.text(3)), "component type", q.text(3), comp.ref);
      components.emplace(q.int64(0), std::pair{a, out[a].components.size()});
      out[a].components.push_back(std::move(comp));
    }
  }
  {
    Statement q(c,
                "SELECT cl.component_id, cl.attribute, cl.value, cl.confidence, cl.rule, cl.observation_number "
                "FROM assets a JOIN components c ON c.asset_id = a.id JOIN claims cl ON cl.component_id = c.id "
                "WHERE a.scan_id = ? ORDER BY cl.id");
    q.bind_int64(1, scan_id);
    while (q.step()) {
      Claim cl;
      cl.attribute = q.text(1);
      cl.value = q.text(2);
      cl.confidence = q.real(3);
      cl.rule = q.text(4);
      cl.observation_id = q.uint64(5);
      component_at(q.int64(0), "claim").claims.push_back(std::move(cl));
    }
  }
  {
    Statement q(c,
                "SELECT l.component_id, l.observation_number FROM assets a "
                "JOIN components c ON c.asset_id = a.id JOIN component_observations l ON l.component_id = c.id "
                "WHERE a.scan_id = ? ORDER BY l.component_id, l.position");
    q.bind_int64(1, scan_id);
    while (q.step()) component_at(q.int64(0), "component observation").observation_ids.push_back(q.uint64(1));
  }
  return out;
}

std::optional<Scan> load_scan(const Connection& c, std::int64_t scan_id) {
  Statement q(c, std::string(kScanColumns) + " WHERE id = ?");
  q.bind_int64(1, scan_id);
  if (!q.step()) return std::nullopt;
  Scan s = read_scan(q);
  Statement inputs(c, std::string(kInputColumns) + " WHERE scan_id = ? ORDER BY id");
  inputs.bind_int64(1, scan_id);
  while (inputs.step()) s.inputs.push_back(read_input(inputs));
  return s;
}

int read_user_version(const Connection& c) {
  Statement q(c, "PRAGMA user_version");
  if (!q.step()) throw Failure("PRAGMA user_version returned nothing");
  return static_cast<int>(q.int64(0));
}

std::string pragma_text(const Connection& c, std::string_view pragma) {
  Statement q(c, pragma);
  return q.step() ? q.text(0) : std::string{};
}

// Applies every migration above the file's version, each in its own transaction.
void migrate(const Connection& c) {
  const int found = read_user_version(c);
  for (const auto& m : schema::migrations()) {
    if (m.version <= found) continue;
    guarded(c, "migrating to schema version " + std::to_string(m.version), [&] {
      Transaction tx(c);
      // Another process may have migrated the file while we waited for the write lock.
      const int now = read_user_version(c);
      if (now >= m.version) return tx.commit();
      if (now != m.version - 1)
        throw Failure("the file is at version " + std::to_string(now) + ", expected " +
                      std::to_string(m.version - 1));
      c.exec(m.sql);
      c.exec("PRAGMA user_version = " + std::to_string(m.version));
      if (m.version == schema::kLatestVersion) {
        Statement put(c, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
        const std::string when = utc_now_iso();
        const std::string by = std::string("herkomst ") + build::version;
        auto set = [&](std::string_view key, std::string_view value) {
          put.bind_text(1, key);
          put.bind_text(2, value);
          put.execute();
        };
        if (found == 0) {
          set("created_by", by);
          set("created_at", when);
        } else {
          set("upgraded_by", by);
          set("upgraded_at", when);
          set("upgraded_from", std::to_string(found));
        }
      }
      tx.commit();
    });
  }
}

}  // namespace

// ---- Store --------------------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&& other) noexcept = default;
Store& Store::operator=(Store&& other) noexcept = default;
Store::~Store() = default;

Store::Impl& Store::impl() const {
  if (!impl_) throw StoreError("herkomst store: used after it was moved from");
  return *impl_;
}

Store Store::open(const std::filesystem::path& file) {
  const std::string name = file.string();
  if (file.empty()) throw StoreError("herkomst store: no database file given");
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) throw StoreError(name + ": cannot create its folder: " + ec.message());
  }

  sqlite3* raw = nullptr;
  // NOMUTEX: a Store is used by one thread at a time, so SQLite need not lock every call.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, ConnectionCloser> db(raw);
  if (rc != SQLITE_OK)
    throw StoreError(name + ": cannot open the database: " + (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  auto impl = std::make_unique<Impl>(Impl{Connection(file, std::move(db))});
  const Connection& c = impl->connection;

  // The first read of the file tells whether it is a database at all.
  int version = 0;
  try {
    version = read_user_version(c);
  } catch (const Failure& e) {
    const int code = sqlite3_errcode(c.get());
    if (code == SQLITE_NOTADB) throw StoreError(name + ": not an SQLite database (" + e.what() + ")");
    throw StoreError(name + ": cannot read the database: " + e.what());
  }
  if (version > kSchemaVersion)
    throw StoreError(name + ": schema version " + std::to_string(version) +
                     " is newer than this herkomst understands (up to " + std::to_string(kSchemaVersion) +
                     "); use a newer herkomst");
  if (version < 0) throw StoreError(name + ": schema version " + std::to_string(version) + " is not a herkomst store");

  guarded(c, "configuring the connection", [&] {
    // WAL where the file system allows it; otherwise SQLite keeps its rollback journal, which is
    // just as crash-safe, only slower with concurrent readers.
    pragma_text(c, "PRAGMA journal_mode = WAL");
    c.exec("PRAGMA foreign_keys = ON");
    c.exec("PRAGMA synchronous = NORMAL");
    // Up to 64 MiB of page cache (allocated only as used): a big scan's index pages stay in
    // memory during its transaction instead of spilling to the WAL and being read back.
    c.exec("PRAGMA cache_size = -65536");
    if (pragma_text(c, "PRAGMA foreign_keys") != "1")
      throw Failure("this SQLite cannot enforce foreign keys, which the store needs");
  });
  migrate(c);
  return Store(std::move(impl));
}

int Store::schema_version() const {
  const Connection& c = impl().connection;
  return guarded(c, "reading the schema version", [&] { return read_user_version(c); });
}

const std::filesystem::path& Store::path() const { return impl().connection.file(); }

std::int64_t Store::begin_scan(Scan& scan) {
  const Connection& c = impl().connection;
  const std::int64_t id = guarded(c, "beginning a scan", [&] {
    Transaction tx(c);
    Statement insert(c,
                     "INSERT INTO scans (uuid, status, started_at, finished_at, tool_version, counters, run_host, "
                     "run_pid, run_pid_start, run_began, reference_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string counters = counters_json(scan.counters);
    const std::string reference_data = reference_data_json(scan.reference_data);
    const pid_t pid = getpid();
    const std::string host = host_name();
    insert.bind_text(1, scan.uuid);
    insert.bind_text(2, to_string(ScanStatus::running));
    insert.bind_text(3, scan.started_at);
    insert.bind_text(4, scan.finished_at);
    insert.bind_text(5, scan.tool_version);
    insert.bind_text(6, counters);
    insert.bind_text(7, host);
    insert.bind_int64(8, pid);
    if (auto ticks = process_start_ticks(pid)) insert.bind_int64(9, *ticks);  // else NULL
    insert.bind_int64(10, static_cast<std::int64_t>(std::time(nullptr)));
    insert.bind_text(11, reference_data);
    insert.execute();
    const std::int64_t row = c.last_insert_id();
    insert_inputs(c, row, scan.inputs);
    tx.commit();
    return row;
  });
  scan.id = id;
  scan.status = ScanStatus::running;
  return id;
}

void Store::save_inventory(const Inventory& inv) {
  const Connection& c = impl().connection;
  const Scan& scan = inv.scan;
  guarded(c, "saving scan " + std::to_string(scan.id), [&] {
    if (scan.id <= 0) throw Failure("the scan was never begun (begin_scan sets its id)");
    Transaction tx(c);
    {
      Statement update(c,
                       "UPDATE scans SET uuid = ?, status = ?, started_at = ?, finished_at = ?, tool_version = ?, "
                       "counters = ?, reference_data = ? WHERE id = ?");
      const std::string counters = counters_json(scan.counters);
      const std::string reference_data = reference_data_json(scan.reference_data);
      update.bind_text(1, scan.uuid);
      update.bind_text(2, to_string(scan.status));
      update.bind_text(3, scan.started_at);
      update.bind_text(4, scan.finished_at);
      update.bind_text(5, scan.tool_version);
      update.bind_text(6, counters);
      update.bind_text(7, reference_data);
      update.bind_int64(8, scan.id);
      update.execute();
      if (c.changes() == 0) throw Failure("no such scan in the store");
    }
    // Replace whatever the scan had: begin_scan's inputs, or an earlier save of the same scan.
    for (std::string_view table : {"scan_inputs", "observations", "assets"}) {
      Statement erase(c, "DELETE FROM " + std::string(table) + " WHERE scan_id = ?");
      erase.bind_int64(1, scan.id);
      erase.execute();
    }
    insert_inputs(c, scan.id, scan.inputs);
    insert_observations(c, scan.id, inv.observations);
    insert_assets(c, scan.id, inv.assets);
    tx.commit();
  });
}

void Store::set_status(std::int64_t scan_id, ScanStatus status, std::string_view finished_at) {
  const Connection& c = impl().connection;
  guarded(c, "setting the status of scan " + std::to_string(scan_id), [&] {
    Statement update(c, "UPDATE scans SET status = ?, finished_at = ? WHERE id = ?");
    update.bind_text(1, to_string(status));
    update.bind_text(2, finished_at);
    update.bind_int64(3, scan_id);
    update.execute();
    if (c.changes() == 0) throw Failure("no such scan in the store");
  });
}

void Store::delete_scan(std::int64_t scan_id) {
  const Connection& c = impl().connection;
  guarded(c, "deleting scan " + std::to_string(scan_id), [&] {
    Statement erase(c, "DELETE FROM scans WHERE id = ?");
    erase.bind_int64(1, scan_id);
    erase.execute();
  });
}

int Store::mark_abandoned_scans() {
  const Connection& c = impl().connection;
  return guarded(c, "marking abandoned scans", [&] {
    const std::string here = host_name();
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    std::vector<std::int64_t> abandoned;
    {
      Statement q(c, "SELECT id, run_host, run_pid, run_pid_start, run_began FROM scans WHERE status = 'running'");
      while (q.step()) {
        const std::string host = q.text(1);
        const std::int64_t pid = q.int64(2);
        bool gone = false;
        if (host != here) {
          gone = now - q.int64(4) > kOtherHostGraceSeconds;
        } else if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) {
          gone = true;
        } else if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
          gone = true;
        } else if (!q.is_null(3)) {
          // The pid exists; it is still our run only if that process started when the run's did.
          const auto ticks = process_start_ticks(static_cast<pid_t>(pid));
          gone = ticks && *ticks != q.int64(3);
        }
        if (gone) abandoned.push_back(q.int64(0));
      }
    }
    if (abandoned.empty()) return 0;
    int marked = 0;
    Transaction tx(c);
    Statement update(c, "UPDATE scans SET status = 'incomplete' WHERE id = ? AND status = 'running'");
    for (std::int64_t id : abandoned) {
      update.bind_int64(1, id);
      update.execute();
      marked += c.changes();
    }
    tx.commit();
    return marked;
  });
}

std::vector<Scan> Store::list_scans() const {
  const Connection& c = impl().connection;
  return guarded(c, "listing scans", [&] {
    const ReadSnapshot snapshot(c);
    std::vector<Scan> out;
    RowIndex index;
    Statement q(c, std::string(kScanColumns) + " ORDER BY id DESC");
    while (q.step()) {
      index.add(q.int64(0), out.size());
      out.push_back(read_scan(q));
    }
    Statement inputs(c, std::string(kInputColumns) + " ORDER BY scan_id, id");
    while (inputs.step()) out[index.at(inputs.int64(0), "scan input")].inputs.push_back(read_input(inputs));
    return out;
  });
}

std::optional<Scan> Store::scan(std::int64_t id) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading scan " + std::to_string(id), [&] {
    const ReadSnapshot snapshot(c);
    return load_scan(c, id);
  });
}

std::optional<Inventory> Store::load_inventory(std::int64_t scan_id) const {
  const Connection& c = impl().connection;
  return guarded(c, "loading scan " + std::to_string(scan_id), [&]() -> std::optional<Inventory> {
    const ReadSnapshot snapshot(c);
    auto scan = load_scan(c, scan_id);
    if (!scan) return std::nullopt;
    Inventory inv;
    inv.scan = std::move(*scan);
    inv.observations = load_observations(c, scan_id);
    inv.assets = load_assets(c, scan_id);
    return inv;
  });
}

}  // namespace herkomst
