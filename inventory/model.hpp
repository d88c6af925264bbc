// The one model every scanner feeds and every later stage reads.
//
//   Observation  something a scanner saw (a capture frame, a probe answer, a file, an SBOM entry),
//                about one or more subjects (MAC, IP, hostname, path), with typed fields and the
//                evidence of where it was seen.
//   Claim        one statement about a component ("manufacturer.name = Siemens AG"), with a
//                confidence, the rule that made it and the observation it came from.
//   Component    a thing in the inventory (the device itself, later its firmware or software).
//                It keeps every claim made about it: conflicting claims are kept, never overwritten.
//   Asset        a device on the network, known by its subject keys, owning its components.
//   Scan         one run: inputs, times, tool version, counters, complete or not.
//
// Scanners only add observations; fingerprint rules only add claims. Nothing here knows about
// packets, SQLite or CycloneDX.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herkomst {

enum class SourceKind { capture, probe, filesystem, sbom };
std::string_view to_string(SourceKind kind);
std::optional<SourceKind> source_kind_from(std::string_view text);

// What identifies a subject. Values are canonical text: MAC "00:1b:1b:12:34:56" (lower case),
// IPv4 dotted quad, IPv6 RFC 5952 text, hostname lower case, path as given.
enum class KeyKind { mac, ipv4, ipv6, hostname, path };
std::string_view to_string(KeyKind kind);
std::optional<KeyKind> key_kind_from(std::string_view text);

struct SubjectKey {
  KeyKind kind = KeyKind::mac;
  std::string value;
  auto operator<=>(const SubjectKey&) const = default;
};
std::string to_string(const SubjectKey& key);  // "mac:00:1b:1b:12:34:56"

using FieldValue = std::variant<std::string, std::int64_t, double, bool>;
std::string to_string(const FieldValue& value);

struct Field {
  std::string name;
  FieldValue value;
  auto operator<=>(const Field&) const = default;
};

// Where an observation was seen. For captures: the file, 1-based frame numbers as Wireshark
// numbers them, and capture timestamps in microseconds since the Unix epoch. An aggregated
// observation (the same thing seen in many frames) keeps the first and last sighting, a count,
// and the first few frame numbers.
struct Evidence {
  static constexpr std::size_t kMaxFrames = 8;
  std::string input;
  std::uint64_t first_frame = 0;
  std::uint64_t last_frame = 0;
  std::int64_t first_time_us = 0;
  std::int64_t last_time_us = 0;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> frames;

  // Record one more sighting (keeps first/last, bounded frame list).
  void add(std::uint64_t frame, std::int64_t time_us);
  // Fold another evidence of the same input into this one.
  void merge(const Evidence& other);
};

struct Observation {
  std::uint64_t id = 0;  // 1..n within a scan, in a deterministic order
  SourceKind source = SourceKind::capture;
  std::string signal;  // what kind of sighting, e.g. "ethernet.source", "arp.sender"
  std::vector<SubjectKey> subjects;
  std::vector<Field> fields;  // sorted by name
  Evidence evidence;

  const FieldValue* field(std::string_view name) const;
  std::string field_text(std::string_view name) const;  // "" when absent
};

struct Claim {
  std::string attribute;  // e.g. "manufacturer.name", "manufacturer.country", "role"
  std::string value;
  double confidence = 0;  // 0..1
  std::string rule;       // id of the rule that made it
  std::uint64_t observation_id = 0;
  auto operator<=>(const Claim&) const = default;
};

enum class ComponentType { device, firmware, operating_system, application, library };
std::string_view to_string(ComponentType type);  // CycloneDX spelling: "device", "operating-system"
std::optional<ComponentType> component_type_from(std::string_view text);

struct Component {
  std::string ref;  // stable bom-ref, derived from the asset keys and type
  ComponentType type = ComponentType::device;
  std::vector<Claim> claims;  // every claim, sorted; conflicts kept
  std::vector<std::uint64_t> observation_ids;  // sorted, unique

  // The claim that wins for an attribute: highest confidence, then most supporting
  // observations, then smallest value (deterministic). nullptr when nothing claims it.
  const Claim* best(std::string_view attribute) const;
  // Every distinct value claimed for an attribute, best first.
  std::vector<const Claim*> all(std::string_view attribute) const;
};

struct Asset {
  std::string ref;               // stable id, e.g. "asset:mac:00:1b:1b:12:34:56"
  std::vector<SubjectKey> keys;  // sorted, unique
  std::vector<Component> components;  // components[0] is the device itself
};

enum class ScanStatus { running, complete, incomplete, failed };
std::string_view to_string(ScanStatus status);
std::optional<ScanStatus> scan_status_from(std::string_view text);

struct ScanInput {
  SourceKind kind = SourceKind::capture;
  std::string path;
  std::uint64_t bytes = 0;   // size of the input
  std::string format;        // "pcap", "pcapng", ...
  std::string status;        // "read", "truncated", "failed"
  std::string error;         // what went wrong, naming the place
  std::map<std::string, std::uint64_t> counters;  // packets, malformed, ...
};

struct Scan {
  std::int64_t id = 0;     // store row id; 0 until stored
  std::string uuid;        // RFC 4122 v4, also the BOM serial number
  std::string started_at;  // ISO 8601 UTC, second precision: 2026-11-28T12:00:00Z
  std::string finished_at;
  std::string tool_version;
  ScanStatus status = ScanStatus::running;
  std::vector<ScanInput> inputs;
  std::map<std::string, std::uint64_t> counters;  // totals over the inputs
  // Reference data the results depend on, recorded for reproducibility and re-assessment:
  // data set -> version line, e.g. "ieee-registry" -> "ieee-data 2022-08-27T..: MA-L 32530 rows (...)".
  std::map<std::string, std::string> reference_data;
};

struct Inventory {
  Scan scan;
  std::vector<Observation> observations;  // ids 1..n in order
  std::vector<Asset> assets;              // sorted by ref

  const Observation* observation(std::uint64_t id) const;
};

}  // namespace herkomst
