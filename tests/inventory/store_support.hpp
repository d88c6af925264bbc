// Test helpers for the store: temporary folders, direct SQLite access to inspect or tamper with a
// store file, rich and large inventories, and an exact text dump of an Inventory for comparisons.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "inventory/model.hpp"

namespace herkomst::test {

// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("herkomst-store-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A plain SQLite connection, for looking at a store file from outside the Store API.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& file) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) throw std::runtime_error(file.string() + ": " + sqlite3_errstr(rc));
  }
  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      throw std::runtime_error(text + " in: " + sql.substr(0, 200));
    }
  }
  // Every row of a query, columns joined with '|', rows with '\n'.
  std::string rows(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string(sqlite3_errmsg(db_.get())) + " in: " + sql);
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt(raw);
    std::string out;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
        if (i) out += '|';
        const unsigned char* text = sqlite3_column_text(stmt.get(), i);
        out += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      out += '\n';
    }
    return out;
  }
  std::int64_t integer(const std::string& sql) { return std::stoll(rows(sql)); }
  std::string text(const std::string& sql) {
    std::string r = rows(sql);
    if (!r.empty() && r.back() == '\n') r.pop_back();
    return r;
  }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Every member of an Inventory as text, doubles by their bits, strings by their bytes: two
// inventories are identical exactly when their dumps are equal.
inline std::string dump(const Inventory& inv) {
  std::ostringstream out;
  auto str = [&](const std::string& s) {
    out << '"';
    for (unsigned char ch : s) {
      if (ch < 0x20 || ch == '"' || ch == '\\') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", ch);
        out << buf;
      } else {
        out << ch;
      }
    }
    out << '"';
  };
  auto real = [&](double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g(0x%016" PRIx64 ")", d, std::bit_cast<std::uint64_t>(d));
    out << buf;
  };
  auto counters = [&](const std::map<std::string, std::uint64_t>& m) {
    out << '{';
    for (const auto& [k, v] : m) {
      str(k);
      out << '=' << v << ',';
    }
    out << '}';
  };
  const Scan& s = inv.scan;
  out << "scan id=" << s.id << " uuid=";
  str(s.uuid);
  out << " started=";
  str(s.started_at);
  out << " finished=";
  str(s.finished_at);
  out << " tool=";
  str(s.tool_version);
  out << " status=" << to_string(s.status) << " counters=";
  counters(s.counters);
  out << " reference_data={";
  for (const auto& [name, version] : s.reference_data) {
    str(name);
    out << '=';
    str(version);
    out << ',';
  }
  out << "}\n";
  for (const auto& in : s.inputs) {
    out << " input " << to_string(in.kind) << ' ';
    str(in.path);
    out << " bytes=" << in.bytes << " format=";
    str(in.format);
    out << " status=";
    str(in.status);
    out << " error=";
    str(in.error);
    out << " counters=";
    counters(in.counters);
    out << '\n';
  }
  for (const auto& o : inv.observations) {
    out << "obs " << o.id << ' ' << to_string(o.source) << ' ';
    str(o.signal);
    out << " subjects=";
    for (const auto& k : o.subjects) {
      str(to_string(k));
      out << ',';
    }
    out << " fields=";
    for (const auto& f : o.fields) {
      str(f.name);
      out << ':' << f.value.index() << '=';
      if (const auto* v = std::get_if<std::string>(&f.value)) str(*v);
      if (const auto* v = std::get_if<std::int64_t>(&f.value)) out << *v;
      if (const auto* v = std::get_if<double>(&f.value)) real(*v);
      if (const auto* v = std::get_if<bool>(&f.value)) out << (*v ? "true" : "false");
      out << ',';
    }
    const Evidence& e = o.evidence;
    out << " evidence=";
    str(e.input);
    out << ' ' << e.first_frame << '-' << e.last_frame << ' ' << e.first_time_us << '-' << e.last_time_us << " x"
        << e.count << " [";
    for (auto f : e.frames) out << f << ',';
    out << "]\n";
  }
  for (const auto& a : inv.assets) {
    out << "asset ";
    str(a.ref);
    out << " keys=";
    for (const auto& k : a.keys) {
      str(to_string(k));
      out << ',';
    }
    out << '\n';
    for (const auto& c : a.components) {
      out << " component ";
      str(c.ref);
      out << ' ' << to_string(c.type) << " observations=";
      for (auto id : c.observation_ids) out << id << ',';
      out << '\n';
      for (const auto& cl : c.claims) {
        out << "  claim ";
        str(cl.attribute);
        out << '=';
        str(cl.value);
        out << " confidence=";
        real(cl.confidence);
        out << " rule=";
        str(cl.rule);
        out << " observation=" << cl.observation_id << '\n';
      }
    }
  }
  return out.str();
}

inline ScanInput input(SourceKind kind, std::string path, std::string format, std::string status,
                       std::uint64_t bytes) {
  ScanInput in;
  in.kind = kind;
  in.path = std::move(path);
  in.format = std::move(format);
  in.status = std::move(status);
  in.bytes = bytes;
  return in;
}

inline Claim claim(std::string attribute, std::string value, double confidence, std::string rule,
                   std::uint64_t observation) {
  return Claim{std::move(attribute), std::move(value), confidence, std::move(rule), observation};
}

// A scan that exercises every corner of the model: every field type with edge values (int64
// limits, -0.0, infinities, NaN, subnormals), unicode, embedded NUL bytes, strings that look like
// numbers, unsigned values above 2^63, several inputs of different kinds, empty observations,
// conflicting claims, an asset without components.
inline Inventory rich_inventory(const std::string& uuid) {
  Inventory inv;
  Scan& s = inv.scan;
  s.uuid = uuid;
  s.started_at = "2026-11-28T12:00:00Z";
  s.finished_at = "2026-11-28T12:00:02Z";
  s.tool_version = "0.1.0";
  s.status = ScanStatus::complete;
  s.counters = {{"assets", 4}, {"frames", 412}, {"observations", 5}, {"sightings.dropped", 0},
                {"huge", std::numeric_limits<std::uint64_t>::max()}};
  ScanInput a = input(SourceKind::capture, "captures/linie-1 Ölraffinerie.pcapng", "pcapng", "read", 51234);
  a.counters = {{"frames", 400}, {"frames.bytes", 48000}, {"frames.malformed", 2}};
  ScanInput b = input(SourceKind::capture, "/data/cut.pcap", "pcap", "truncated", (1ULL << 63) + 5);
  b.error = "/data/cut.pcap: frame 12 at byte 9000: file ends inside the frame (“abgeschnitten”)";
  b.counters = {{"frames", 12}};
  ScanInput c = input(SourceKind::sbom, "vendor/東京-plc.cdx.json", "", "read", 0);
  s.inputs = {a, b, c};

  auto obs = [&](SourceKind source, std::string signal, std::vector<SubjectKey> subjects, std::vector<Field> fields) {
    Observation o;
    o.id = inv.observations.size() + 1;
    o.source = source;
    o.signal = std::move(signal);
    o.subjects = std::move(subjects);
    o.fields = std::move(fields);
    o.evidence.input = "captures/linie-1 Ölraffinerie.pcapng";
    inv.observations.push_back(std::move(o));
    return &inv.observations.back();
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Observation* o1 = obs(SourceKind::capture, "arp.sender",
                        {{KeyKind::mac, "00:1b:1b:12:34:56"}, {KeyKind::ipv4, "10.0.0.5"}},
                        {{"arp.op", std::int64_t{1}},
                         {"empty", std::string{}},
                         {"flag.false", false},
                         {"flag.true", true},
                         {"int.max", std::numeric_limits<std::int64_t>::max()},
                         {"int.min", std::numeric_limits<std::int64_t>::min()},
                         {"looks.like.number", std::string("0042")},
                         {"name", std::string("Straße 東京 🚀 \xce\xbb")},
                         {"nul", std::string("a\0b", 3)},
                         {"real.denormal", 4.9406564584124654e-324},
                         {"real.inf", inf},
                         {"real.nan", nan},
                         {"real.neg.inf", -inf},
                         {"real.neg.zero", -0.0},
                         {"real.tenth", 0.1},
                         {"real.whole", 2.0}});
  for (std::uint64_t f : {7u, 3u, 9u, 11u, 13u, 15u, 17u, 19u, 21u, 23u})
    o1->evidence.add(f, 1700000000000000 + static_cast<std::int64_t>(f));
  Observation* o2 = obs(SourceKind::capture, "ipv6.source",
                        {{KeyKind::mac, "00:1b:1b:12:34:56"}, {KeyKind::ipv6, "fe80::21b:1bff:fe12:3456"}}, {});
  o2->evidence.add(std::numeric_limits<std::uint64_t>::max(), -5);
  obs(SourceKind::probe, "", {}, {});  // nothing at all, evidence empty
  Observation* o4 = obs(SourceKind::filesystem, "file.seen", {{KeyKind::path, "/opt/Ä b/c.bin"}},
                        {{"size", std::int64_t{-1}}, {"size", std::int64_t{2}}});  // duplicate names kept in order
  o4->evidence.input = "";
  Observation* o5 = obs(SourceKind::sbom, "sbom.component", {{KeyKind::hostname, "plc-7.werk.example"}},
                        {{"purl", std::string("pkg:generic/fw@1.2")}});
  o5->evidence.input = "vendor/東京-plc.cdx.json";
  o5->evidence.add(1, 0);

  Asset gw;
  gw.ref = "asset:mac:00:1b:1b:12:34:56";
  gw.keys = {{KeyKind::mac, "00:1b:1b:12:34:56"},
             {KeyKind::ipv4, "10.0.0.5"},
             {KeyKind::ipv6, "fe80::21b:1bff:fe12:3456"}};
  Component dev;
  dev.ref = "device:mac:00:1b:1b:12:34:56";
  dev.type = ComponentType::device;
  dev.claims = {claim("manufacturer.country", "DE", 0.4, "mac.registrant", 1),
                claim("manufacturer.name", "Phoenix Contact", 0.5, "snmp.sysdescr", 2),
                claim("manufacturer.name", "Siemens AG", 0.5, "mac.registrant", 1),
                claim("manufacturer.name", "Siemens AG", 0.9, "profinet.dcp", 2),
                claim("role", "gateway", 0.7, "topology.gateway", 1),
                claim("weird", "confidence", nan, "test.nan", 0)};
  dev.observation_ids = {1, 2};
  Component fw;
  fw.ref = "firmware:mac:00:1b:1b:12:34:56";
  fw.type = ComponentType::firmware;
  fw.claims = {claim("version", "V4.2.1 – “Release”", 0.3, "sbom.version", 5)};
  fw.observation_ids = {5};
  gw.components = {dev, fw};

  Asset file_asset;
  file_asset.ref = "asset:path:/opt/Ä b/c.bin";
  file_asset.keys = {{KeyKind::path, "/opt/Ä b/c.bin"}};
  Component app;
  app.ref = "application:path:/opt/Ä b/c.bin";
  app.type = ComponentType::application;
  app.observation_ids = {4};
  Component os;
  os.ref = "os:path";
  os.type = ComponentType::operating_system;
  Component lib;
  lib.ref = "lib:path";
  lib.type = ComponentType::library;
  file_asset.components = {app, os, lib};

  Asset host;
  host.ref = "asset:hostname:plc-7.werk.example";
  host.keys = {{KeyKind::hostname, "plc-7.werk.example"}};
  Component host_dev;
  host_dev.ref = "device:hostname:plc-7.werk.example";
  host_dev.observation_ids = {5};
  host.components = {host_dev};

  Asset bare;  // no keys, no components: the store must not care
  bare.ref = "asset:bare";

  inv.assets = {gw, file_asset, host, bare};
  return inv;
}

// A capture-like scan with `count` observations (two subjects, three fields, three frames each)
// and one asset per ten observations.
inline Inventory large_inventory(const std::string& uuid, std::size_t count) {
  Inventory inv;
  inv.scan.uuid = uuid;
  inv.scan.started_at = "2026-11-28T13:00:00Z";
  inv.scan.finished_at = "2026-11-28T13:05:00Z";
  inv.scan.tool_version = "0.1.0";
  inv.scan.status = ScanStatus::complete;
  inv.scan.inputs = {input(SourceKind::capture, "big.pcapng", "pcapng", "read", 1ULL << 32)};
  inv.scan.counters = {{"observations", count}};
  inv.observations.reserve(count);
  char mac[32];
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t host = i / 10;
    std::snprintf(mac, sizeof mac, "02:00:%02zx:%02zx:%02zx:%02zx", (host >> 24) & 0xff, (host >> 16) & 0xff,
                  (host >> 8) & 0xff, host & 0xff);
    Observation o;
    o.id = i + 1;
    o.signal = "ip.source";
    o.subjects = {{KeyKind::mac, mac}, {KeyKind::ipv4, "10." + std::to_string((host >> 16) & 0xff) + "." +
                                                        std::to_string((host >> 8) & 0xff) + "." +
                                                        std::to_string(host & 0xff)}};
    o.fields = {{"ip.ttl", std::int64_t{64}}, {"rate", 0.5 * static_cast<double>(i)}, {"vlan", std::string("100")}};
    o.evidence.input = "big.pcapng";
    for (std::uint64_t f = 0; f < 3; ++f) o.evidence.add(i * 3 + f + 1, static_cast<std::int64_t>(i * 1000 + f));
    inv.observations.push_back(std::move(o));
    if (i % 10 == 9) {
      Asset a;
      a.ref = std::string("asset:mac:") + mac;
      a.keys = inv.observations.back().subjects;
      Component d;
      d.ref = std::string("device:mac:") + mac;
      d.claims = {claim("manufacturer.name", "Example GmbH", 0.5, "mac.registrant", i + 1)};
      for (std::size_t k = i - 9; k <= i; ++k) d.observation_ids.push_back(k + 1);
      a.components = {d};
      inv.assets.push_back(std::move(a));
    }
  }
  return inv;
}

}  // namespace herkomst::test
