// Scans every capture in ../shared/pcaps (the real ICS corpus) with the herkomst binary.
// Each must finish, produce a BOM (kept for the official validator), and the MAC registrants
// listed below must appear. Reports itself as skipped (exit 77) when the corpus is absent.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "corpus_support.hpp"
#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

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

TEST_CASE("the ControlLogix chassis is one device with its modules, across its address change") {
  // Its 1756-ENBT answered at .125, rebooted (BOOTP, ARP probes) and came back at .120; CIP
  // requests routed through it reached the 1756-L61 controller and two ProSoft MVI56 modules.
  const std::string dir = fresh_dir("corpus-controllogix");
  const auto r = run_process(HERKOMST_BINARY,
                             {"--db", dir + "/h.db", "scan", "--pcap",
                              (kCorpus / "enip/cip_identity_controllogix_openics_ipchange.pcap").string(), "--out",
                              dir, "--json"},
                             {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  const json* chassis = nullptr;
  for (const auto& a : j["assets"])
    if (a["ref"] == "asset:mac:00:00:bc:3e:eb:e4") chassis = &a;
  REQUIRE(chassis);
  CHECK((*chassis)["keys"]["ipv4"] == json::array({"192.168.10.120", "192.168.10.125"}));
  CHECK((*chassis)["role"].is_null());  // not a gateway
  for (const auto& a : j["assets"]) CHECK(a["ref"] != "asset:ipv4:192.168.10.125");

  const json& modules = (*chassis)["modules"];
  REQUIRE(modules.size() == 3);
  std::map<std::string, std::string> products;
  for (const auto& m : modules) products[m["serial"]["value"]] = m["product"]["value"].get<std::string>() + " " +
                                                                 m["version"]["value"].get<std::string>();
  CHECK(products["0x0051823f"] == "1756-L61/B LOGIX5561 16.20");
  CHECK(products["0x0000ad77"] == "MVI56 ProSoft Technology, Inc. 1.2");
  CHECK(products["0x0000ad5e"] == "MVI56 ProSoft Technology, Inc. 1.2");
  bool head_is_enbt = false;
  for (const auto& c : (*chassis)["claims"])
    if (c["attribute"] == "product.name" && c["value"] == "1756-ENBT/A") head_is_enbt = true;
  CHECK(head_is_enbt);

  // In the BOM the modules are devices nested in the chassis device.
  const json bom = json::parse(read_file(j["outputs"]["bom"].get<std::string>()));
  std::size_t nested_devices = 0;
  for (const auto& c : bom["components"])
    if (c["bom-ref"] == "device:mac:00:00:bc:3e:eb:e4")
      for (const auto& n : c["components"])
        if (n["type"] == "device") ++nested_devices;
  CHECK(nested_devices == 3);
}
