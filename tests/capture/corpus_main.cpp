// Entry point of capture_corpus_tests: exits with 77 (CTest: skipped) when the shared capture
// corpus is not there, so a missing corpus never counts as a pass.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "tests/capture/corpus.hpp"

int main(int argc, char* argv[]) {
  if (!std::filesystem::is_regular_file(herkomst::capture::testing::corpus_manifest())) {
    std::printf("capture corpus not found at %s: skipped\n", herkomst::capture::testing::corpus_dir().c_str());
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
