// Scans every capture in ../shared/pcaps (the real ICS corpus) with the herkomst binary.
// Each must finish, produce a BOM (kept for the official validator), and the MAC registrants
// listed below must appear. Reports itself as skipped (exit 77) when the corpus is absent.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(HERKOMST_SHARED_DIR) / "pcaps";

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
    const auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng" || ext == ".cap")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::set<std::string> registrants(const json& assets) {
  std::set<std::string> out;
  for (const auto& a : assets)
    for (const auto& c : a["claims"])
      if (c["attribute"] == "mac.registrant") out.insert(c["value"].get<std::string>());
  return out;
}

bool has_registrant_containing(const std::set<std::string>& names, const std::string& part) {
  for (const auto& n : names)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("every corpus capture scans to a stored scan and a BOM") {
  const std::string dir = fresh_dir("corpus");
  const auto files = corpus_files();
  REQUIRE(files.size() >= 20);
  // Registrants as the IEEE registry of Debian's ieee-data spells them. 00:04:17 is registered to
  // "ELAU AG" there (a Schneider Electric company since 2011; newer IEEE data names Schneider).
  const std::map<std::string, std::vector<std::string>> expected{
      {"s7_szl_IM151-8_plc_status.pcap", {"Siemens AG", "ASUSTek"}},
      {"mb2_modbus_s7_enip_lldp_pndcp.pcap",
       {"Siemens AG", "Rockwell Automation", "ELAU AG", "Hewlett Packard", "Cisco Systems"}},
      {"enip_listidentity_1756-ENBT.pcap", {"Cisco Systems", "Intel Corporate"}},
  };
  std::size_t checked = 0;
  for (const auto& file : files) {
    INFO(file.string());
    const auto r = run_process(HERKOMST_BINARY,
                               {"--db", dir + "/corpus.db", "scan", "--pcap", file.string(), "--out", dir, "--json"},
                               {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["scan"]["status"] == "complete");
    CHECK(j["scan"]["counters"]["frames"].get<long>() > 0);
    const std::string bom = j["outputs"]["bom"];
    REQUIRE(fs::exists(bom));
    fs::create_directories(HERKOMST_TEST_BOM_DIR);
    fs::copy_file(bom, fs::path(HERKOMST_TEST_BOM_DIR) / ("corpus-" + file.stem().string() + ".cdx.json"),
                  fs::copy_options::overwrite_existing);
    if (auto it = expected.find(file.filename().string()); it != expected.end()) {
      const auto names = registrants(j["assets"]);
      for (const auto& want : it->second) {
        INFO("expected registrant " << want);
        CHECK(has_registrant_containing(names, want));
      }
      ++checked;
    }
  }
  CHECK(checked == expected.size());
}

TEST_CASE("the Rockwell adapter behind a router is an IP asset reached via the Cisco MAC") {
  const std::string dir = fresh_dir("corpus-enip");
  const auto r = run_process(
      HERKOMST_BINARY,
      {"--db", dir + "/h.db", "scan", "--pcap", (kCorpus / "enip/enip_listidentity_1756-ENBT.pcap").string(), "--out",
       dir, "--json"},
      {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  bool cisco_mac_without_rockwell = false;
  for (const auto& a : j["assets"]) {
    if (a["keys"].contains("mac") && a["keys"]["mac"][0] == "00:19:07:24:3c:ca")
      cisco_mac_without_rockwell = a["manufacturer"]["value"].get<std::string>().find("Cisco") != std::string::npos;
  }
  CHECK(cisco_mac_without_rockwell);
}

int main(int argc, char** argv) {
  if (!fs::is_directory(kCorpus)) {
    std::cout << "SKIPPED: " << kCorpus.string() << " does not exist; corpus tests not run\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
