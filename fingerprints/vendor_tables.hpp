// Vendor-id tables: who a protocol's numeric vendor id belongs to.
//
//   odva_vendor(id)     ODVA (CIP: EtherNet/IP, DeviceNet) vendor ids, e.g. 1 -> "Rockwell
//                       Automation/Allen-Bradley", 309 -> "Prosoft Technology".
//   bacnet_vendor(id)   ASHRAE BACnet vendor identifiers, e.g. 8 -> "Delta Controls".
//   EnterpriseNumbers   IANA private enterprise numbers (SNMP sysObjectID 1.3.6.1.4.1.<n>), read at
//                       run time from Debian wireshark-common's /usr/share/wireshark/enterprises.tsv.
//
// The ODVA and BACnet tables are curated selections in fingerprints/data/odva-vendors.tsv and
// bacnet-vendors.tsv; each names its source URL and transcription date in its header comments.
// The build embeds them (data/embed_text.cmake), so they need no file at run time. An id that is
// not in a table is unknown (nullopt): nothing is guessed.
//
// The IANA registry is large (about 60 000 rows) and maintained upstream, so it is not copied into
// herkomst: EnterpriseNumbers::load() reads the file the system has. There is no built-in
// fallback: when the file is missing or unreadable, lookups return nothing and version() says so
// (available() is false). The file's format is "<number><blanks><name>" a line, '#' comments;
// Wireshark's generator writes "(last updated YYYY-MM-DD)" in the header, taken as the date.
//
// Names are returned as views into static storage (embedded tables) or into the
// EnterpriseNumbers object (valid while it lives).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace herkomst::fingerprints {

// Which data a table came from: what a scan records.
struct TableVersion {
  std::string file;    // "odva-vendors.tsv" (embedded) or the path read
  std::string source;  // source URL (from the file's header)
  std::string date;    // "2026-11-28" (transcription date, or the file's "last updated")
  std::size_t rows = 0;
  std::string error;   // why the table is empty ("" when loaded)
  // "odva-vendors.tsv: 115 rows, source https://..., 2026-11-28" or
  // "/usr/share/wireshark/enterprises.tsv: unavailable (No such file or directory)".
  std::string summary() const;
};

std::optional<std::string_view> odva_vendor(std::int64_t id);
std::optional<std::string_view> bacnet_vendor(std::int64_t id);
const TableVersion& odva_vendors_version();
const TableVersion& bacnet_vendors_version();

// Where the build says Debian's enterprises.tsv is (CMake HERKOMST_ENTERPRISES_TSV).
std::string_view default_enterprises_path();

class EnterpriseNumbers {
 public:
  EnterpriseNumbers() = default;  // empty: every lookup misses

  // Reads `path`. Never fails: a missing or unreadable file gives an empty table whose version()
  // names the file and the reason. Lines that do not start with a number are skipped.
  static EnterpriseNumbers load(const std::filesystem::path& path);

  std::optional<std::string_view> lookup(std::int64_t number) const;
  std::size_t size() const { return names_.size(); }
  bool available() const { return version_.error.empty() && !names_.empty(); }
  const TableVersion& version() const { return version_; }

 private:
  std::unordered_map<std::int64_t, std::string> names_;
  TableVersion version_;
};

}  // namespace herkomst::fingerprints
