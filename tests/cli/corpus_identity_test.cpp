// For the corpus captures whose MANIFEST row names device identities, herkomst must report
// them: vendor, product/model, firmware and serial where the capture shows them. For the grid
// protocols, whose devices name no vendor, the roles and protocol addresses must land on the
// right device (the one holding the IPv4 address that sent them). Skipped (exit 77) when
// ../shared/pcaps is absent.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(HERKOMST_SHARED_DIR) / "pcaps";

struct Expect {
  std::string attribute;
  std::string value;  // exact claim value
};

struct Case {
  std::string capture;
  std::vector<Expect> expect;
};

// Values as the MANIFEST lists them (decoded with tshark); attribute names from docs/fingerprints.md.
// Versions are claimed without a leading "V" ("V3.2.6" on the wire is firmware 3.2.6).
const std::vector<Case> kCases{
    {"s7/s7_szl_IM151-8_plc_status.pcap",
     {{"manufacturer.name", "Siemens AG"},
      {"product.model", "6ES7 151-8AB01-0AB0"},
      {"firmware.version", "3.2.6"},
      {"serial", "S C-C6TW74882012"},
      {"product.name", "IM151-8 PN/DP CPU"}}},
    {"s7/s7ident_snap7_server.pcap",
     {{"product.model", "6ES7 315-2EH14-0AB0"}, {"serial", "S C-C2UR28922012"}, {"product.name", "CPU 315-2 PN/DP"}}},
    {"s7/s7_snap7_server_lab.pcapng", {{"product.model", "6ES7 315-2EH14-0AB0"}}},
    {"enip/enip_listidentity_1756-ENBT.pcap",
     {{"manufacturer.name", "Rockwell Automation/Allen-Bradley"},
      {"product.name", "1756-ENBT/A"},
      {"firmware.version", "4.3"},
      {"serial", "0x00524d8e"}}},
    {"enip/cip_identity_controllogix_openics_ipchange.pcap",
     {{"product.name", "1756-L61/B LOGIX5561"},
      {"firmware.version", "16.20"},
      {"serial", "0x0051823f"},
      {"product.name", "1756-ENBT/A"}}},
    {"enip/enip_listidentity_opener_lab.pcapng", {{"product.name", "LabVendor PLC-9000"}, {"firmware.version", "3.7"}}},
    {"modbus/modbus_fc43_devid_pymodbus_lab.pcapng",
     {{"manufacturer.name", "Schneider Electric"}, {"product.model", "BMX P34 2020"}, {"firmware.version", "3.10"}}},
    {"modbus/modbus_fc17_report_server_id_wingpath.pcap", {{"manufacturer.name", "Wingpath Limited"}}},
    {"profinet/pndcp_siemens_x208_changeip.pcap", {{"manufacturer.name", "Siemens AG"}, {"hostname", "X208-BORD"}}},
    {"lldp/lldp_siemens_s7-1200_ktp700.pcap",
     {{"product.model", "6ES7 214-1AG40-0XB0"}, {"product.model", "6AV2 123-2GB03-0AX0"}}},
    {"lldp/lldp_cdp_cisco_c3560.pcap", {{"manufacturer.name", "Cisco Systems, Inc."}}},
    {"bacnet/bacnet_properties_lithonia.cap",
     {{"manufacturer.name", "Lithonia Lighting"}, {"product.model", "Simple BACnet Server"}, {"firmware.version", "1.00"}}},
    {"bacnet/bacnet_device_emulator_lab.pcapng",
     {{"manufacturer.name", "Alerton Technologies, Inc."},
      {"product.model", "VAV-DD Controller"},
      {"firmware.version", "2.1.7"}}},
    {"bacnet/bacnet_mstp_ip_mix_bacnetstack.cap",
     {{"manufacturer.name", "BACnet Stack at SourceForge"}, {"product.model", "GNU Demo"}, {"firmware.version", "0.4.1"}}},
    {"iec61850/mms_identify_areva.pcap",
     {{"manufacturer.name", "AREVA T&D Corporation"}, {"product.name", "e-terracomm"}, {"software.version", "2.3.1"}}},
    {"opcua/opcua_node-opcua_buildinfo_lab.pcapng",
     {{"manufacturer.name", "Siemens AG"}, {"software.version", "V2.9.4"}}},
    {"opcua/opcua_python_minimal.pcap", {{"product.name", "FreeOpcUa python OPC UA server"}}},
    {"opcua/opcua_open62541_read.pcap", {{"product.name", "open62541 OPC UA server"}}},
    {"misc/niagara_fox_hello.pcap",
     {{"manufacturer.name", "Tridium Inc."}, {"software.version", "3.5.41.1"}, {"os.name", "QNX"}}},
    {"snmp/snmp_sysdescr_netsnmp_lab_udp1161.pcapng",
     {{"product.model", "6GK5 212-2BB00-2AA3"}, {"firmware.version", "4.02"}}},
};

// On the device or on one of its modules.
// Claims that must be on one particular device (the asset with this IPv4 key), and claims that
// must not be there (the other side's role). Values as tshark decodes them:
//   dnp3_bro: tshark -Y dnp3 -T fields -e ip.src -e dnp3.ctl.dir -e dnp3.src -e dnp3.dst
//   iec104_testdissect: -Y iec60870_asdu -e ip.src -e tcp.srcport -e iec60870_asdu.addr
//   lldp_hirschmann_mar_c37118: -Y synphasor -e ip.src -e synphasor.frtype
//                               -e synphasor.idcode_stream_source -e synphasor.station_name
struct OnAsset {
  std::string ipv4;
  Expect expect;
  bool present = true;
};
struct AssetCase {
  std::string capture;
  std::vector<OnAsset> expect;
};
const std::vector<AssetCase> kAssetCases{
    {"dnp3/dnp3_bro.pcap",
     {{"10.0.0.3", {"role", "dnp3 outstation"}},
      {"10.0.0.3", {"dnp3.address", "4"}},
      {"10.0.0.3", {"role", "dnp3 master"}, false},
      {"10.0.0.8", {"role", "dnp3 master"}},
      {"10.0.0.8", {"dnp3.address", "3"}},
      {"10.0.0.8", {"role", "dnp3 outstation"}, false},
      {"10.0.0.9", {"role", "dnp3 master"}},
      {"192.168.66.33", {"role", "dnp3 master"}},
      {"192.168.66.33", {"dnp3.address", "3"}},
      {"192.168.66.34", {"role", "dnp3 outstation"}},
      {"192.168.66.34", {"dnp3.address", "4"}}}},
    {"iec104/iec104_testdissect.pcap",
     {{"172.27.248.79", {"role", "iec104 controlled station"}},
      {"172.27.248.79", {"iec104.common-address", "37133"}},
      {"172.27.248.79", {"role", "iec104 controlling station"}, false},
      {"172.27.248.109", {"role", "iec104 controlling station"}},
      {"172.27.248.109", {"role", "iec104 controlled station"}, false},
      {"172.27.248.109", {"iec104.common-address", "37133"}, false}}},
    {"lldp/lldp_hirschmann_mar_c37118.pcap",
     {{"192.168.0.18", {"role", "c37.118 pmu"}},
      {"192.168.0.18", {"c37118.idcode", "1"}},
      {"192.168.0.18", {"c37118.station", "Reporting1"}},
      {"192.168.0.42", {"role", "c37.118 client"}},
      {"192.168.0.42", {"role", "c37.118 pmu"}, false},
      {"192.168.0.42", {"c37118.idcode", "1"}, false}}},
};

bool has_ipv4(const json& asset, const std::string& ip) {
  if (!asset["keys"].contains("ipv4")) return false;
  for (const auto& k : asset["keys"]["ipv4"])
    if (k == ip) return true;
  return false;
}

bool claimed(const json& assets, const Expect& e) {
  const auto has = [&e](const json& claims) {
    for (const auto& c : claims)
      if (c["attribute"] == e.attribute && c["value"] == e.value) return true;
    return false;
  };
  for (const auto& a : assets) {
    if (has(a["claims"])) return true;
    for (const auto& m : a["modules"])
      if (has(m["claims"])) return true;
  }
  return false;
}

std::string all_claims(const json& assets) {
  std::string out;
  for (const auto& a : assets)
    for (const auto& c : a["claims"])
      if (std::string(c["attribute"]).rfind("mac.", 0) != 0)
        out += "  " + a["ref"].get<std::string>() + " " + c["attribute"].get<std::string>() + " = " +
               c["value"].get<std::string>() + "\n";
  return out;
}

}  // namespace

TEST_CASE("identities named in the corpus MANIFEST are reported") {
  const std::string dir = fresh_dir("corpus-identity");
  for (const auto& c : kCases) {
    INFO(c.capture);
    const auto r = run_process(
        HERKOMST_BINARY,
        {"--db", dir + "/h.db", "scan", "--pcap", (kCorpus / c.capture).string(), "--out", dir, "--json"},
        {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json assets = json::parse(r.out)["assets"];
    INFO("claims:\n" << all_claims(assets));
    for (const auto& e : c.expect) {
      INFO("expected " << e.attribute << " = " << e.value);
      CHECK(claimed(assets, e));
    }
  }
}

TEST_CASE("grid protocol roles and addresses land on the device that sent them") {
  const std::string dir = fresh_dir("corpus-grid-roles");
  for (const auto& c : kAssetCases) {
    INFO(c.capture);
    const auto r = run_process(
        HERKOMST_BINARY,
        {"--db", dir + "/h.db", "scan", "--pcap", (kCorpus / c.capture).string(), "--out", dir, "--json"},
        {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json assets = json::parse(r.out)["assets"];
    INFO("claims:\n" << all_claims(assets));
    for (const auto& e : c.expect) {
      INFO((e.present ? "expected on " : "not expected on ") << e.ipv4 << ": " << e.expect.attribute << " = "
                                                             << e.expect.value);
      std::size_t holders = 0;
      json on;
      for (const auto& a : assets)
        if (has_ipv4(a, e.ipv4)) {
          ++holders;
          on = json::array({a});
        }
      REQUIRE(holders == 1);
      CHECK(claimed(on, e.expect) == e.present);
    }
  }
}

int main(int argc, char** argv) {
  if (!fs::is_directory(kCorpus)) {
    std::cout << "SKIPPED: " << kCorpus.string() << " does not exist; corpus identity tests not run\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
