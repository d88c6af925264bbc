// main() of the corpus tests: the Catch session, or "skipped" (exit 77) without the corpus.
#define CATCH_CONFIG_RUNNER
#include "corpus_support.hpp"

#include <catch2/catch.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (!std::filesystem::is_directory(herkomst::test::kCorpus)) {
    std::cout << "SKIPPED: " << herkomst::test::kCorpus.string() << " does not exist; corpus tests not run\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
