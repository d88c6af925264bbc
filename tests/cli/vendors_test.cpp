// `herkomst vendors ...` end to end with a real store file: an analyst's import (checked, all
// or nothing), resolve, explain as of a date, list by country; and a scan whose devices get the
// imported organisation's origin and control in the BOM.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;

namespace {

ProcessResult run(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  return run_process(HERKOMST_BINARY, args, {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
}

const char* kOrgs =
    "# Test organisations\n"
    "id\tname\tkind\tcountry\thq_country\tlei\twebsite\taliases\tsectors\tsource\tas_of\tconfidence\tnote\n"
    "test-state\tGovernment of Testland\tstate-body\tXT\t\t\t\t\tstate\thttps://example.org/state\t2024\thigh\t\n"
    "test-group\tTestland Electronics Group\tstate-owned-enterprise\tXT\t\t\t\t\tholding\thttps://example.org/g\t2024\thigh\t\n"
    "test-plc\tTest PLC Werke GmbH\tprivate\tDE\t\t\t\tTestPLC|Test PLC\tplc\thttps://example.org/plc\t2024-05-01\thigh\t\n";
const char* kRelations =
    "subject\trelation\tobject\tshare\tvalid_from\tvalid_to\tsource\tas_of\tconfidence\tnote\n"
    "test-state\tcontrols\ttest-group\t\t\t\thttps://example.org/r1\t2024\thigh\t\n"
    "test-plc\tacquired-by\ttest-group\t100\t2025-03-01\t\thttps://example.org/r2\t2025-03-01\tmedium\t\n";

}  // namespace

TEST_CASE("vendors import checks everything and stores all or nothing") {
  const std::string dir = fresh_dir("vendors-import");
  const std::string db = dir + "/h.db";
  write_file(dir + "/orgs.tsv", kOrgs);
  write_file(dir + "/relations.tsv", kRelations);
  // Relations first: they name organisations not known yet.
  auto early = run(db, {"vendors", "import", dir + "/relations.tsv"});
  CHECK(early.exit_code == 2);
  CHECK(early.err.find("relations.tsv:2: column subject: unknown organisation 'test-state'") != std::string::npos);
  CHECK(early.err.find("nothing imported") != std::string::npos);

  auto orgs = run(db, {"vendors", "import", dir + "/orgs.tsv", "--json"});
  INFO(orgs.err);
  REQUIRE(orgs.exit_code == 0);
  CHECK(json::parse(orgs.out)["rows"] == 3);
  REQUIRE(run(db, {"vendors", "import", dir + "/relations.tsv"}).exit_code == 0);
  // The same organisations again: refused, naming the earlier definition.
  auto again = run(db, {"vendors", "import", dir + "/orgs.tsv"});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("orgs.tsv:3: column id: 'test-state' is already defined at orgs.tsv:3") != std::string::npos);
  // A header that names no table.
  write_file(dir + "/bad.tsv", "id\tname\n");
  auto bad = run(db, {"vendors", "import", dir + "/bad.tsv"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("bad.tsv: the first line must name the columns of a table") != std::string::npos);
}

TEST_CASE("vendors resolve, explain and list use the imported facts") {
  const std::string dir = fresh_dir("vendors-use");
  const std::string db = dir + "/h.db";
  write_file(dir + "/orgs.tsv", kOrgs);
  write_file(dir + "/relations.tsv", kRelations);
  REQUIRE(run(db, {"vendors", "import", dir + "/orgs.tsv"}).exit_code == 0);
  REQUIRE(run(db, {"vendors", "import", dir + "/relations.tsv"}).exit_code == 0);

  auto resolved = run(db, {"vendors", "resolve", "TEST PLC WERKE GMBH", "--json"});
  REQUIRE(resolved.exit_code == 0);
  const json r = json::parse(resolved.out);
  CHECK(r["status"] == "resolved");
  CHECK(r["organisation"]["id"] == "test-plc");
  CHECK(r["attribution"]["origin_country"] == "DE");
  CHECK(r["attribution"]["control_countries"] == json::array({"XT"}));
  CHECK(r["attribution"]["state_controlled"] == true);

  auto unresolved = run(db, {"vendors", "resolve", "Test PLC Medical Systems"});
  CHECK(unresolved.exit_code == 1);
  CHECK(unresolved.out.rfind("unresolved: Test PLC Medical Systems", 0) == 0);

  auto before = run(db, {"vendors", "explain", "test-plc", "--as-of", "2025-01-01", "--json"});
  REQUIRE(before.exit_code == 0);
  CHECK(json::parse(before.out)["ultimate_parents"] == json::array({"test-plc"}));
  auto after = run(db, {"vendors", "explain", "test-plc", "--as-of", "2025-06-01", "--json"});
  const json a = json::parse(after.out);
  CHECK(a["ultimate_parents"] == json::array({"test-state"}));
  REQUIRE(a["chains"].size() == 1);
  CHECK(a["chains"][0]["steps"][0]["fact"]["sources"] == json::array({"https://example.org/r2"}));
  CHECK(a["chains"][0]["steps"][0]["fact"]["data"] == "relations.tsv:3");
  auto text = run(db, {"vendors", "explain", "test-plc", "--as-of", "2025-06-01"});
  CHECK(text.out.find("test-plc acquired-by test-group 100 % from 2025-03-01") != std::string::npos);
  CHECK(text.out.find("https://example.org/r2 (2025-03-01, medium)") != std::string::npos);
  CHECK(run(db, {"vendors", "explain", "test-plc", "--as-of", "2025-13-01"}).exit_code == 2);
  CHECK(run(db, {"vendors", "explain", "nobody"}).exit_code == 2);

  auto listed = run(db, {"vendors", "list", "--country", "XT", "--json"});
  REQUIRE(listed.exit_code == 0);
  std::vector<std::string> ids;
  const json listing = json::parse(listed.out);
  for (const auto& o : listing["organisations"]) ids.push_back(o["id"].get<std::string>());
  CHECK(std::find(ids.begin(), ids.end(), "test-plc") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "test-group") != ids.end());
}

TEST_CASE("vendors import reads CSV files too, and refuses a bad one with file and line") {
  const std::string dir = fresh_dir("vendors-csv");
  const std::string db = dir + "/h.db";
  write_file(dir + "/orgs.csv",
             "\xEF\xBB\xBFid,name,kind,country,hq_country,lei,website,aliases,sectors,source,as_of,confidence,note\r\n"
             "# a comment record,,,,,,,,,,,,\r\n"
             "csv-plc,\"Comma Controls, Inc.\",private,US,,,,\"CommaCtl|Comma \"\"CC\"\" Controls\",plc,"
             "https://example.org/csv,2024-05-01,high,\r\n");
  auto imported = run(db, {"vendors", "import", dir + "/orgs.csv", "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(json::parse(imported.out)["rows"] == 1);
  CHECK(json::parse(imported.out)["table"] == "organisations");
  auto resolved = run(db, {"vendors", "resolve", "Comma \"CC\" Controls", "--json"});
  CHECK(resolved.exit_code == 0);
  CHECK(json::parse(resolved.out)["organisation"]["id"] == "csv-plc");

  write_file(dir + "/short.csv",
             "subject,relation,object,share,valid_from,valid_to,source,as_of,confidence,note\n"
             "csv-plc,owns,csv-plc\n");
  auto short_row = run(db, {"vendors", "import", dir + "/short.csv"});
  CHECK(short_row.exit_code == 2);
  CHECK(short_row.err.find("short.csv:2: record has 3 fields, header has 10") != std::string::npos);
  write_file(dir + "/newline.csv",
             "id,name,kind,country,hq_country,lei,website,aliases,sectors,source,as_of,confidence,note\n"
             "nl-plc,\"Two\nLines\",private,NL,,,,,plc,https://example.org/x,2024,high,\n");
  auto newline = run(db, {"vendors", "import", dir + "/newline.csv"});
  CHECK(newline.exit_code == 2);
  CHECK(newline.err.find("newline.csv:2: column name: a tab or line break inside a value") != std::string::npos);
  write_file(dir + "/orgs.json", "{}");
  CHECK(run(db, {"vendors", "import", dir + "/orgs.json"}).exit_code == 2);
  // Nothing of the refused files was stored: one import only.
  auto still = run(db, {"vendors", "resolve", "Two Lines"});
  CHECK(still.exit_code == 1);
}

TEST_CASE("vendors import-gleif stores the golden copy atomically and explain shows an organisation's GLEIF parents") {
  const std::string dir = fresh_dir("vendors-gleif");
  const std::string db = dir + "/h.db";
  const std::string gleif = HERKOMST_GLEIF_SAMPLES;
  auto imported = run(db, {"vendors", "import-gleif", "--level1", gleif + "/lei2-sample.csv", "--relationships",
                           gleif + "/rr-sample.csv", "--exceptions", gleif + "/repex-sample.csv", "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const json summary = json::parse(imported.out);
  CHECK(summary["entities"] == 4);
  CHECK(summary["relationships"] == 4);
  CHECK(summary["exceptions"] == 4);
  CHECK(summary["gleif"].get<std::string>().find("lei2-sample.csv (4 entities)") != std::string::npos);

  // An organisation of the analyst's with the child's LEI: explain shows GLEIF's record and parent.
  write_file(dir + "/orgs.tsv",
             "id\tname\tkind\tcountry\thq_country\tlei\twebsite\taliases\tsectors\tsource\tas_of\tconfidence\tnote\n"
             "widgets\tExample Widgets Inc.\tprivate\tUS\t\t529900HKMSTCHILD0126\t\t\tplc\thttps://example.org/w\t2025\thigh\t\n");
  REQUIRE(run(db, {"vendors", "import", dir + "/orgs.tsv"}).exit_code == 0);
  auto explained = run(db, {"vendors", "explain", "widgets", "--json"});
  REQUIRE(explained.exit_code == 0);
  const json g = json::parse(explained.out)["gleif"];
  CHECK(g["legal_name"] == "Example \"Widgets\" Inc.");
  REQUIRE(g["parents"].size() >= 1);
  CHECK(g["parents"][0]["lei"] == "529900HKMSTPARENT129");
  CHECK(g["parents"][0]["legal_name"] == "Voorbeeld Holding, B.V.");

  // A broken file: the error names it and its line, and the earlier import stays whole.
  std::string level1 = read_file(gleif + "/lei2-sample.csv");
  write_file(dir + "/cut.csv", level1.substr(0, level1.find("Suite 200")));
  auto cut = run(db, {"vendors", "import-gleif", "--level1", dir + "/cut.csv"});
  CHECK(cut.exit_code == 2);
  CHECK(cut.err.find("cut.csv:3: unterminated quoted field") != std::string::npos);
  CHECK(cut.err.find("nothing imported") != std::string::npos);
  auto kept = run(db, {"vendors", "explain", "widgets", "--json"});
  CHECK(json::parse(kept.out)["gleif"]["parents"].size() == g["parents"].size());
  CHECK(run(db, {"vendors", "import-gleif", "--level1", dir + "/missing.csv"}).exit_code == 2);
  CHECK(run(db, {"vendors", "import-gleif", "--relationships", gleif + "/rr-sample.csv"}).exit_code != 0);
}
