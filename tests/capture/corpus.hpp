// Test helper: where the shared capture corpus lives and what its MANIFEST.md table says.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace herkomst::capture::testing {

inline std::filesystem::path corpus_dir() { return std::filesystem::path(HERKOMST_SHARED_DIR) / "pcaps"; }
inline std::filesystem::path corpus_manifest() { return corpus_dir() / "MANIFEST.md"; }

struct ManifestEntry {
  std::string file;         // relative to corpus_dir()
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

// Rows of the table "| `file` | bytes | pkts | ...": the first three cells.
inline std::vector<ManifestEntry> read_manifest(const std::filesystem::path& manifest) {
  std::vector<ManifestEntry> entries;
  std::ifstream in(manifest);
  std::string line;
  const auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '`')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '`')) text.remove_suffix(1);
    return std::string(text);
  };
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::size_t start = 1;
    while (cells.size() < 3) {
      const std::size_t bar = line.find('|', start);
      if (bar == std::string::npos) break;
      cells.push_back(trim(std::string_view(line).substr(start, bar - start)));
      start = bar + 1;
    }
    if (cells.size() < 3) continue;
    try {
      entries.push_back(ManifestEntry{cells[0], std::stoull(cells[1]), std::stoull(cells[2])});
    } catch (const std::exception&) {
      continue;  // not a data row
    }
  }
  return entries;
}

}  // namespace herkomst::capture::testing
