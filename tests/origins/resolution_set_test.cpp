// Precision and recall of vendor string resolution on a labelled set of real vendor strings
// (data/vendor-strings.tsv: IEEE registrants, IANA enterprise names, ODVA/BACnet vendor names,
// strings seen in the corpus captures), each with the organisation it names, or "-" when it
// names none in the knowledge base (then it must not resolve).
//
//   precision = correct resolutions / all resolutions           must be >= 99 %
//   recall    = correct resolutions / strings naming a known org  reported, must be >= 80 %
#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "origins/knowledge_base.hpp"
#include "origins/resolver.hpp"
#include "origins/tsv_table.hpp"

using namespace herkomst::origins;

TEST_CASE("resolution precision is at least 99 % on the labelled vendor strings") {
  std::ifstream in(std::string(HERKOMST_ORIGINS_TEST_DATA) + "/vendor-strings.tsv", std::ios::binary);
  REQUIRE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  auto table = read_tsv("vendor-strings.tsv", text, {"string", "source", "expected", "note"});
  if (auto* e = std::get_if<TsvError>(&table)) FAIL(e->message);
  const auto& rows = std::get<TsvTable>(table).rows;
  REQUIRE(rows.size() >= 200);

  auto loaded = builtin_knowledge_base();
  if (auto* e = std::get_if<LoadError>(&loaded)) FAIL(e->message);
  const KnowledgeBase& kb = std::get<KnowledgeBase>(loaded);
  const Resolver resolver(kb);

  std::size_t resolved = 0, correct = 0, known = 0, wrong = 0;
  std::string mistakes;
  for (const auto& row : rows) {
    const std::string string(row.cells[0]);
    const std::string expected(row.cells[2]);
    INFO("vendor-strings.tsv:" << row.line << " " << string);
    if (expected != "-") {
      ++known;
      CHECK(kb.find(expected) != nullptr);  // the label names an organisation that exists
    }
    const Resolution r = resolver.resolve(string);
    if (r.status != ResolutionStatus::resolved) continue;
    ++resolved;
    if (r.org->id == expected) {
      ++correct;
    } else {
      ++wrong;
      mistakes += "  line " + std::to_string(row.line) + ": '" + string + "' -> " + r.org->id + ", expected " +
                  expected + " (" + r.why + ")\n";
    }
  }
  const double precision = resolved ? static_cast<double>(correct) / static_cast<double>(resolved) : 1.0;
  const double recall = known ? static_cast<double>(correct) / static_cast<double>(known) : 0.0;
  std::cout << "vendor string resolution: " << rows.size() << " labelled strings, " << known
            << " naming a known organisation; " << resolved << " resolved, " << correct << " correctly; precision "
            << precision * 100 << " %, recall " << recall * 100 << " %\n";
  INFO(mistakes);
  CHECK(precision >= 0.99);
  CHECK(recall >= 0.80);
}
