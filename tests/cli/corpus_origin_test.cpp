// End to end on the real captures: every device the corpus identifies gets the right origin
// and control from the knowledge base (organisation, origin country, control countries), in
// the scan's JSON and in its CycloneDX BOM (manufacturer name and address.country), and a
// maker the knowledge base does not know stays unresolved: a weaker MAC registrant (the
// network chip's maker) does not stand in for it. Skipped (exit 77) without ../shared/pcaps.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "corpus_support.hpp"
#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;

namespace {

struct Case {
  std::string capture;
  std::string manufacturer;  // a manufacturer.name claim the device has
  std::string organisation;  // expected origin.organisation; "" = must stay unresolved
  std::string origin;        // origin.country
  std::vector<std::string> control;  // control.country claims, all of them
};

// Organisations and chains: origins/data (Hirschmann is Belden's since 2007, Tridium Honeywell's).
const std::vector<Case> kCases{
    {"s7/s7_szl_IM151-8_plc_status.pcap", "Siemens AG", "siemens", "DE", {"DE"}},
    {"profinet/pndcp_siemens_x208_changeip.pcap", "Siemens AG", "siemens", "DE", {"DE"}},
    {"enip/enip_listidentity_1756-ENBT.pcap", "Rockwell Automation/Allen-Bradley", "rockwell-automation", "US", {"US"}},
    {"modbus/modbus_fc43_devid_pymodbus_lab.pcapng", "Schneider Electric", "schneider-electric", "FR", {"FR"}},
    {"lldp/lldp_cdp_cisco_c3560.pcap", "Cisco Systems, Inc.", "cisco", "US", {"US"}},
    {"lldp/lldp_hirschmann_mar_c37118.pcap", "Hirschmann Automation and Control GmbH", "hirschmann", "DE", {"US"}},
    {"misc/niagara_fox_hello.pcap", "Tridium Inc.", "tridium", "US", {"US"}},
    {"profinet/pnio_cm_mixed_ge_versamax_turck_siemens.pcap", "GE Intelligent Platforms", "ge-intelligent-platforms",
     "US", {"US"}},
    {"profinet/pnio_cm_mixed_ge_versamax_turck_siemens.pcap", "PHOENIX CONTACT Electronics GmbH", "phoenix-contact", "DE",
     {"DE"}},
    {"profinet/pnio_cm_mixed_ge_versamax_turck_siemens.pcap", "TURCK, Inc.", "turck", "DE", {"DE"}},
    {"profinet/pnio_cm_mixed_ge_versamax_turck_siemens.pcap", "Festo AG & Co. KG", "festo", "DE", {"DE"}},
    // The MMS Identify names AREVA T&D (split up in 2010, not in the knowledge base); the MAC
    // registrant of the same device is Broadcom, the network chip's maker: no origin at all.
    {"iec61850/mms_identify_areva.pcap", "AREVA T&D Corporation", "", "", {}},
};

std::vector<std::string> values(const json& claims, const std::string& attribute) {
  std::vector<std::string> out;
  for (const auto& c : claims)
    if (c["attribute"] == attribute) out.push_back(c["value"]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool has(const json& claims, const std::string& attribute, const std::string& value) {
  const auto v = values(claims, attribute);
  return std::find(v.begin(), v.end(), value) != v.end();
}

}  // namespace

TEST_CASE("every identified corpus device gets the right origin and control") {
  const std::string dir = fresh_dir("corpus-origin");
  std::string last_capture;
  json assets;
  json bom;
  for (const auto& c : kCases) {
    INFO(c.capture << ": " << c.manufacturer);
    if (c.capture != last_capture) {
      const auto r = run_process(
          HERKOMST_BINARY, {"--db", dir + "/h.db", "scan", "--pcap", (kCorpus / c.capture).string(), "--out", dir, "--json"},
          {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const json result = json::parse(r.out);
      assets = result["assets"];
      std::ifstream in(result["outputs"]["bom"].get<std::string>());
      REQUIRE(in);
      bom = json::parse(in);
      last_capture = c.capture;
    }
    std::size_t devices = 0;
    for (const auto& a : assets) {
      if (!has(a["claims"], "manufacturer.name", c.manufacturer)) continue;
      ++devices;
      INFO(a["ref"].get<std::string>());
      if (c.organisation.empty()) {
        CHECK(values(a["claims"], "origin.organisation").empty());
        CHECK(values(a["claims"], "control.country").empty());
        CHECK(has(a["claims"], "origin.match", "unresolved: '" + c.manufacturer + "'"));
        continue;
      }
      CHECK(values(a["claims"], "origin.organisation") == std::vector<std::string>{c.organisation});
      CHECK(values(a["claims"], "origin.country") == std::vector<std::string>{c.origin});
      CHECK(values(a["claims"], "control.country") == c.control);
      // In the BOM: the component with this bom-ref names the organisation and its origin country.
      // bom-ref "device:mac:..." for asset "asset:mac:...".
      const std::string ref = a["ref"].get<std::string>();
      const std::string device_ref = "device" + ref.substr(ref.find(':'));
      bool in_bom = false;
      for (const auto& comp : bom["components"])
        if (comp["bom-ref"] == device_ref) {
          in_bom = true;
          REQUIRE(comp.contains("manufacturer"));
          CHECK(comp["manufacturer"]["address"]["country"] == c.origin);
        }
      CHECK(in_bom);
    }
    CHECK(devices >= 1);
  }
}
