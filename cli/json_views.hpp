// The documented machine-readable shapes of herkomst's --json output (docs/cli-json.md).
// Each function returns one JSON document as text; field names are a stable interface.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "inventory/model.hpp"

namespace herkomst::cli {

// `herkomst scan --json`: {"scan": ..., "assets": [...], "outputs": {...}}
std::string scan_result_json(const Inventory& inv, const std::filesystem::path& bom,
                             const std::filesystem::path& database);
// `herkomst scans list --json`: {"database": ..., "scans": [...]}
std::string scan_list_json(const std::vector<Scan>& scans, const std::filesystem::path& database);
// `herkomst export --json`: {"scan": {...}, "bom": path}
std::string export_result_json(const Scan& scan, const std::filesystem::path& bom);
// `herkomst version --json`
std::string version_json(const std::string& version, int schema_version, const std::filesystem::path& ieee_dir,
                         std::size_t ieee_rows);
// {"error": message}
std::string error_json(const std::string& message);

// One line per asset for terminal summaries: the identity a person looks for first.
struct AssetSummary {
  std::string ref;
  std::string mac;
  std::string ips;           // comma-separated
  std::string manufacturer;  // best manufacturer.name claim, "" when none
  std::string country;       // manufacturer.country from the rule that named the manufacturer
  std::string product;       // best product.name, else product.model, else product.family
  std::string firmware;      // best firmware.version
  std::string role;          // best role claim
  std::string verdict;       // the device's assessment.verdict, "" when not assessed
  std::string note;          // e.g. "locally administered", "via 00:..."
  std::size_t observations = 0;
};
AssetSummary summarize(const Asset& asset);

}  // namespace herkomst::cli
