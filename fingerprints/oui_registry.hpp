// The IEEE MAC address registries: who a MAC address prefix is assigned to.
//
// OuiRegistry::load(dir) reads the four CSV exports of the IEEE Registration Authority
// (https://standards.ieee.org/products-programs/regauth/), as Debian's ieee-data package installs
// them in /usr/share/ieee-data (the build passes HERKOMST_IEEE_DIR):
//
//     oui.csv    MA-L  24-bit prefixes   "MA-L,001B1B,Siemens AG,..."
//     mam.csv    MA-M  28-bit prefixes   "MA-M,741AE09,Private,"
//     oui36.csv  MA-S  36-bit prefixes   "MA-S,70B3D5F2F,TELEPLATFORMS,..."
//     iab.csv    IAB   36-bit prefixes   "IAB,0050C27D5,DEUTA-WERKE GmbH,..."
//
// Each has the header "Registry,Assignment,Organization Name,Organization Address". Parsing is
// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; records end in
// CRLF or LF; blanks after a closing quote are allowed; a UTF-8 BOM is skipped. A row that does
// not parse (wrong field count, unterminated quote, registry column not matching the file,
// assignment not of the file's hex length, empty organisation) is skipped, counted and reported
// as "file:line: reason" (line of the row's first physical line); it never stops the load. A
// missing directory or file, or one that cannot be read, is an error value naming it.
//
// lookup(mac) answers with the longest assigned prefix: MA-S/IAB (36 bits) over MA-M (28) over
// MA-L (24), so a MAC under 70:B3:D5 gets its MA-S registrant, not the MA-L row "IEEE
// Registration Authority". Addresses with the I/G bit set (multicast, broadcast) or the U/L bit
// set (locally administered: VMs, containers, randomised phone MACs) never get a registrant:
// their bytes are not an IEEE assignment, even when they equal some vendor's OUI.
//
// Rows whose organisation is "Private" (the registrant asked the IEEE not to publish it) come
// back as an Assignment with is_private set and organisation "Private": they say "assigned, owner
// unknown", never a vendor. Their address is often the IEEE's own, so no country is derived.
//
// A few prefixes are listed more than once (080030: three registrants); the first row is the
// assignment and the others are kept in other_organisations.
//
// Loading all four Debian files takes well under 100 ms (one read per file, hash maps keyed by
// the prefix integer); lookups are three hash probes. An OuiRegistry is immutable after load()
// and safe to share between threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace herkomst::fingerprints {

enum class MacRegistry { ma_l, ma_m, ma_s, iab };
std::string_view to_string(MacRegistry registry);  // "MA-L", "MA-M", "MA-S", "IAB"
int prefix_bits(MacRegistry registry);              // 24, 28, 36, 36
std::string_view file_name(MacRegistry registry);   // "oui.csv", "mam.csv", "oui36.csv", "iab.csv"

// One registry row.
struct Assignment {
  MacRegistry registry = MacRegistry::ma_l;
  // The prefix as upper-case hex in MAC notation: whole bytes joined by ':', a trailing half
  // byte alone: "00:1B:1B" (24 bits), "74:1A:E0:9" (28), "70:B3:D5:F2:F" (36).
  std::string prefix;
  int prefix_bits = 24;
  std::string organisation;  // as the IEEE spells it, surrounding blanks removed: "Siemens AG,"
  std::string address;       // the address column exactly as in the file (may end in blanks)
  std::string country;       // ISO 3166-1 alpha-2 from the address, "" when none (or Private)
  bool is_private = false;   // organisation "Private"
  std::vector<std::string> other_organisations;  // further rows for the same prefix, file order
};

// What a lookup found. multicast/locally_administered come from the address bits alone.
struct MacLookup {
  bool multicast = false;             // I/G bit set (includes broadcast)
  bool broadcast = false;             // ff:ff:ff:ff:ff:ff
  bool locally_administered = false;  // U/L bit set
  // Set only for a universally administered unicast address under an assigned prefix.
  std::optional<Assignment> assignment;

  // "broadcast", "multicast", "locally-administered" or "universal".
  std::string_view kind() const;
};

// A row that was skipped.
struct RowProblem {
  std::string file;  // file name, e.g. "oui.csv"
  std::size_t line = 0;
  std::string reason;
  std::string where() const;  // "oui.csv:123: expected 4 fields, found 3"
};

// Which registry data a scan used.
struct RegistryFile {
  MacRegistry registry = MacRegistry::ma_l;
  std::string path;
  std::uint64_t bytes = 0;
  std::string modified;      // file modification time, UTC, "2022-08-27T00:00:00Z"
  std::string fnv1a64;       // FNV-1a 64 of the file bytes, 16 lower-case hex digits
  std::size_t rows = 0;      // data rows loaded (header and bad rows excluded)
  std::size_t private_rows = 0;
  std::size_t duplicate_rows = 0;  // rows whose prefix an earlier row already assigned
  std::size_t bad_rows = 0;
};

struct RegistryVersion {
  std::string directory;
  std::string last_update;  // from ieee-data's ".lastupdate" (UTC date-time), "" when absent
  std::vector<RegistryFile> files;  // MA-L, MA-M, MA-S, IAB
  // One line for a scan record:
  // "ieee-data 2022-08-27T08:08:57Z: MA-L 32530 rows (oui.csv 2022-08-27, fnv1a64 ...), ..."
  std::string summary() const;
};

struct RegistryError {
  std::string message;  // names the directory or file: "/x/oui.csv: No such file or directory"
};

// Parses "00:1b:1b:12:34:56", "00-1B-1B-12-34-56" or "001b1b123456"; nullopt otherwise.
std::optional<std::array<std::uint8_t, 6>> parse_mac(std::string_view text);

class OuiRegistry {
 public:
  static constexpr std::size_t kMaxReportedProblems = 100;

  // Loads oui.csv, mam.csv, oui36.csv and iab.csv from `directory`.
  static std::variant<OuiRegistry, RegistryError> load(const std::filesystem::path& directory);

  MacLookup lookup(std::span<const std::uint8_t, 6> mac) const;
  // The same for MAC text (see parse_mac); nullopt when the text is not a MAC address.
  std::optional<MacLookup> lookup(std::string_view mac_text) const;

  std::size_t size() const { return assignments_.size(); }  // distinct assigned prefixes
  // Every assignment: MA-L, MA-M, MA-S, IAB, each in file order.
  const std::vector<Assignment>& assignments() const { return assignments_; }
  const RegistryVersion& version() const { return version_; }
  // The first kMaxReportedProblems skipped rows, in file order; bad_rows() counts all of them.
  const std::vector<RowProblem>& problems() const { return problems_; }
  std::size_t bad_rows() const;

 private:
  OuiRegistry() = default;

  std::vector<Assignment> assignments_;
  // Prefix integer (24, 28 or 36 bits) -> index into assignments_.
  std::unordered_map<std::uint64_t, std::size_t> by_24_;
  std::unordered_map<std::uint64_t, std::size_t> by_28_;
  std::unordered_map<std::uint64_t, std::size_t> by_36_;
  RegistryVersion version_;
  std::vector<RowProblem> problems_;

  friend class RegistryLoader;
};

}  // namespace herkomst::fingerprints
