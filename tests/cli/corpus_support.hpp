// Test helper for the tests that read the real capture corpus in ../shared/pcaps: where it is
// and its capture files. Link herkomst_corpus_test_main (corpus_support.cpp) for a main() that
// reports the test as skipped (exit 77, which CTest shows as skipped, not passed) when the
// corpus is absent.
#pragma once

#include <algorithm>
#include <filesystem>
#include <vector>

namespace herkomst::test {

inline const std::filesystem::path kCorpus = std::filesystem::path(HERKOMST_SHARED_DIR) / "pcaps";

// Every .pcap, .pcapng and .cap below the corpus folder, sorted.
inline std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kCorpus)) {
    const auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng" || ext == ".cap")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace herkomst::test
