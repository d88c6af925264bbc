// End to end: the herkomst binary on the bundled sample and on crafted bad input.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "run_process.hpp"
#include "tests/fs/pe_test_support.hpp"
#include "tests/fs/signing_support.hpp"
#include "tests/support/frames.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kHerkomst = HERKOMST_BINARY;
const std::string kSample = HERKOMST_SAMPLE_CAPTURE;

struct Workspace {
  std::string dir, db, out;
  explicit Workspace(const std::string& name) : dir(fresh_dir(name)), db(dir + "/h.db"), out(dir + "/out") {}
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run_process(kHerkomst, args, {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  }
  json scans() const {
    auto r = run({"scans", "list", "--json"});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out)["scans"];
  }
};

// Keeps a copy of a BOM the suite produced for the official validator (cyclonedx_validate).
void keep_for_validation(const std::string& bom, const std::string& name) {
  fs::create_directories(HERKOMST_TEST_BOM_DIR);
  fs::copy_file(bom, fs::path(HERKOMST_TEST_BOM_DIR) / (name + ".cdx.json"), fs::copy_options::overwrite_existing);
}

// The BOM without the lines that must differ between two scans of the same input.
std::string without_run_identity(std::string bom) {
  bom = std::regex_replace(bom, std::regex(R"("serialNumber": "[^"]*")"), "");
  bom = std::regex_replace(bom, std::regex(R"("timestamp": "[^"]*")"), "");
  bom = std::regex_replace(bom, std::regex(R"re(herkomst:scan:(id|finished-at|started-at)",\s*"value": "[^"]*")re"), "");
  return bom;
}

const json* asset_with_mac(const json& assets, const std::string& mac) {
  for (const auto& a : assets)
    if (a["keys"].contains("mac") && a["keys"]["mac"][0] == mac) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE("scan of the bundled sample stores the scan, writes a BOM and names manufacturers") {
  Workspace ws("scan-sample");
  auto r = ws.run({"scan", "--pcap", kSample, "--out", ws.out, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json result = json::parse(r.out);
  CHECK(result["scan"]["status"] == "complete");
  CHECK(result["scan"]["inputs"][0]["format"] == "pcapng");
  CHECK(result["scan"]["counters"]["frames"].get<int>() > 20);
  CHECK(result["scan"]["counters"]["frames.malformed"] == 0);
  // The scan records which IEEE registry data it used.
  const std::string ieee_version = result["scan"]["reference_data"].value("ieee-registry", "");
  CHECK(ieee_version.rfind("ieee-data", 0) == 0);
  const json& assets = result["assets"];
  REQUIRE(assets.size() >= 8);

  // Manufacturers come from the IEEE registry; the country from the registrant's address.
  int with_manufacturer = 0;
  bool gateway = false, via = false, local = false;
  for (const auto& a : assets) {
    if (!a["manufacturer"].is_null()) ++with_manufacturer;
    if (!a["role"].is_null() && a["role"]["value"] == "gateway") gateway = true;
    for (const auto& c : a["claims"]) {
      if (c["attribute"] == "network.via") via = true;
      if (c["attribute"] == "mac.kind" && c["value"] == "locally-administered") local = true;
    }
  }
  CHECK(with_manufacturer >= 7);
  CHECK(gateway);
  CHECK(via);
  CHECK(local);

  const std::string bom = result["outputs"]["bom"];
  REQUIRE(fs::exists(bom));
  keep_for_validation(bom, "cli-sample");
  const json cdx = json::parse(read_file(bom));
  CHECK(cdx["specVersion"] == "1.6");
  CHECK(cdx["serialNumber"] == "urn:uuid:" + result["scan"]["uuid"].get<std::string>());
  CHECK(cdx["components"].size() == assets.size());
  int ieee_properties = 0;  // the BOM records it too
  for (const auto& p : cdx.at("metadata").at("properties"))
    if (p.at("name") == "herkomst:reference-data:ieee-registry" && p.at("value") == ieee_version) ++ieee_properties;
  CHECK(ieee_properties == 1);

  auto listed = ws.scans();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == result["scan"]["id"]);
  CHECK(listed[0]["reference_data"] == result["scan"]["reference_data"]);
  CHECK(listed[0]["counters"]["assets"] == assets.size());
}

TEST_CASE("export re-emits a stored scan byte for byte, and two scans differ only in run identity") {
  Workspace ws("export");
  auto first = ws.run({"scan", "--pcap", kSample, "--out", ws.out, "--json", "-q"});
  REQUIRE(first.exit_code == 0);
  auto second = ws.run({"scan", "--pcap", kSample, "--out", ws.out, "--json", "-q"});
  REQUIRE(second.exit_code == 0);
  const std::string bom1 = read_file(json::parse(first.out)["outputs"]["bom"]);
  const std::string bom2 = read_file(json::parse(second.out)["outputs"]["bom"]);
  CHECK(bom1 != bom2);  // serial number and time differ
  CHECK(without_run_identity(bom1) == without_run_identity(bom2));

  auto exported = ws.run({"export", "1", "-o", "-"});
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out == bom1);

  auto to_file = ws.run({"export", "2", "--out", ws.dir + "/again", "--json"});
  REQUIRE(to_file.exit_code == 0);
  CHECK(read_file(json::parse(to_file.out)["bom"]) == bom2);

  auto missing = ws.run({"export", "99"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no scan 99"));
}

TEST_CASE("bad input files give a clear error naming the file, a non-zero exit, and nothing stored") {
  Workspace ws("bad-input");
  REQUIRE(ws.run({"scan", "--pcap", kSample, "--out", ws.out, "-q"}).exit_code == 0);

  const std::string empty = ws.dir + "/empty.pcap";
  write_file(empty, "");
  const std::string text = ws.dir + "/notes.pcap";
  write_file(text, "<html>this is not a capture</html>\n");
  const std::string truncated = ws.dir + "/cut.pcap";
  {
    std::vector<Bytes> frames;
    for (int i = 0; i < 20; ++i)
      frames.push_back(ethernet({0x00, 0x1b, 0x1b, 0, 0, 1}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x0800,
                                ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, 17, udp(1000, 2000, Bytes(30, 0x41)))));
    write_pcap(truncated, frames);
    std::string bytes = read_file(truncated);
    write_file(truncated, bytes.substr(0, bytes.size() - 25));  // cut inside the last frame
  }
  const std::string missing = ws.dir + "/does-not-exist.pcap";

  struct Case {
    std::string file, expect;
  };
  for (const auto& c : {Case{missing, "does-not-exist.pcap"}, Case{empty, "empty"}, Case{text, "notes.pcap"},
                        Case{truncated, "cut.pcap"}}) {
    INFO(c.file);
    auto r = ws.run({"scan", "--pcap", c.file, "--out", ws.out, "--json"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.expect));
    CHECK(json::parse(r.out).contains("error"));
  }
  CHECK(ws.scans().size() == 1);  // only the good scan

  // A good file together with a bad one stores nothing either.
  CHECK(ws.run({"scan", "--pcap", kSample, "--pcap", text, "--out", ws.out}).exit_code == 2);
  CHECK(ws.scans().size() == 1);

  // --keep-partial keeps what a cut-off capture holds and says the scan is incomplete.
  auto partial = ws.run({"scan", "--pcap", truncated, "--keep-partial", "--out", ws.out, "--json"});
  REQUIRE(partial.exit_code == 0);
  const json p = json::parse(partial.out);
  CHECK(p["scan"]["status"] == "incomplete");
  CHECK(p["scan"]["inputs"][0]["status"] == "truncated");
  CHECK(p["scan"]["counters"]["frames"] == 19);
  CHECK_THAT(p["scan"]["inputs"][0]["error"].get<std::string>(), Catch::Contains("cut.pcap"));
  keep_for_validation(p["outputs"]["bom"], "cli-partial");
  CHECK(ws.scans().size() == 2);
}

TEST_CASE("malformed frames inside a good capture are counted, not fatal") {
  Workspace ws("malformed");
  std::vector<Bytes> frames;
  const herkomst::test::Mac plc{0x00, 0x1b, 0x1b, 0x11, 0x22, 0x33};
  const herkomst::test::Mac bcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  frames.push_back(ethernet(plc, bcast, 0x0806, arp(2, plc, {10, 0, 0, 7}, bcast, {10, 0, 0, 1})));
  Bytes liar = ipv4({10, 0, 0, 7}, {10, 0, 0, 1}, 17, udp(1, 2, {}));
  liar[0] = 0x43;  // IHL 3: shorter than the minimum header
  frames.push_back(ethernet(plc, bcast, 0x0800, liar));
  Bytes long_udp = udp(1, 2, Bytes(4, 0));
  long_udp[4] = 0x7f;  // UDP length far beyond the frame
  frames.push_back(ethernet(plc, bcast, 0x0800, ipv4({10, 0, 0, 7}, {10, 0, 0, 1}, 17, long_udp)));
  frames.push_back(Bytes{0x00, 0x1b});  // a 2-byte frame
  const std::string file = ws.dir + "/malformed.pcap";
  write_pcap(file, frames);

  auto r = ws.run({"scan", "--pcap", file, "--out", ws.out, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["scan"]["counters"]["frames"] == 4);
  CHECK(j["scan"]["counters"]["frames.malformed"].get<int>() + j["scan"]["counters"]["frames.truncated"].get<int>() ==
        3);
  const json* a = asset_with_mac(j["assets"], "00:1b:1b:11:22:33");
  REQUIRE(a);
  CHECK((*a)["keys"]["ipv4"][0] == "10.0.0.7");
  keep_for_validation(j["outputs"]["bom"], "cli-malformed");
}

TEST_CASE("a scan killed part-way leaves earlier scans intact and is marked incomplete") {
  Workspace ws("killed");
  REQUIRE(ws.run({"scan", "--pcap", kSample, "--out", ws.out, "-q"}).exit_code == 0);

  // A capture large enough that reading it takes a while.
  const std::string big = ws.dir + "/big.pcap";
  {
    std::vector<Bytes> frames;
    for (std::uint32_t i = 0; i < 400000; ++i) {
      const herkomst::test::Mac src{0x00, 0x1b, 0x1b, static_cast<std::uint8_t>(i >> 16),
                                    static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
      frames.push_back(ethernet(src, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x0800,
                                ipv4({10, static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 8),
                                      static_cast<std::uint8_t>(i)},
                                     {10, 0, 0, 1}, 17, udp(1000, 2000, {}))));
    }
    write_pcap(big, frames);
  }
  const int pid = start_process(kHerkomst, {"--db", ws.db, "scan", "--pcap", big, "--out", ws.out, "-q"},
                                {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  // Wait until the scan row exists, then kill the process hard.
  bool running_seen = false;
  for (int i = 0; i < 400 && !running_seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto r = run_process(kHerkomst, {"--db", ws.db, "scans", "list", "--json"});
    if (r.exit_code == 0) {
      const json listed = json::parse(r.out);
      for (const auto& s : listed["scans"])
        if (s["status"] == "running") running_seen = true;
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(running_seen);
  REQUIRE(WIFSIGNALED(status));

  auto scans = ws.scans();
  REQUIRE(scans.size() == 2);
  CHECK(scans[0]["status"] == "incomplete");  // newest first
  CHECK(scans[1]["status"] == "complete");
  auto exported = ws.run({"export", std::to_string(scans[1]["id"].get<int>()), "-o", "-"});
  CHECK(exported.exit_code == 0);
}

TEST_CASE("every subcommand explains its options with an example") {
  for (const auto& cmd : std::vector<std::vector<std::string>>{
           {"--help"}, {"scan", "--help"}, {"scans", "list", "--help"}, {"export", "--help"}, {"version", "--help"}}) {
    auto r = run_process(kHerkomst, cmd);
    INFO(cmd[0]);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Example"));
  }
  auto v = run_process(kHerkomst, {"version", "--json"}, {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  REQUIRE(v.exit_code == 0);
  const json j = json::parse(v.out);
  CHECK(j["name"] == "herkomst");
  CHECK(j["ieee_registry"]["rows"].get<int>() > 40000);
}

TEST_CASE("IP sent to a public address outside the site's networks is criterion 3A evidence") {
  Workspace ws("ip-peer");
  std::vector<Bytes> frames;
  const herkomst::test::Mac plc{0x00, 0x1b, 0x1b, 0x11, 0x22, 0x77};
  const herkomst::test::Mac router{0x00, 0x00, 0x0c, 0x01, 0x02, 0x03};
  frames.push_back(ethernet(plc, router, 0x0800, ipv4({10, 10, 1, 7}, {10, 10, 1, 1}, 17, udp(4000, 161, {}))));
  frames.push_back(ethernet(plc, router, 0x0800, ipv4({10, 10, 1, 7}, {8, 8, 8, 8}, 17, udp(4001, 53, {}))));
  frames.push_back(ethernet(plc, router, 0x0800, ipv4({10, 10, 1, 7}, {192, 168, 77, 1}, 17, udp(4002, 53, {}))));
  const std::string file = ws.dir + "/peer.pcap";
  write_pcap(file, frames);
  // The example context declares 10.10.0.0/16 (process control) and records no cloud connectivity.
  auto r = ws.run({"scan", "--pcap", file, "--out", ws.out, "--context", HERKOMST_EXAMPLE_CONTEXT, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  const json* a = asset_with_mac(j["assets"], "00:1b:1b:11:22:77");
  REQUIRE(a);
  std::string c3a, explanation;
  for (const auto& c : (*a)["claims"]) {
    if (c["attribute"] == "assessment.criterion3a") c3a = c["value"];
    if (c["attribute"] == "assessment.explanation") explanation = c["value"];
  }
  CHECK(c3a == "yes");
  CHECK(explanation.find("8.8.8.8") != std::string::npos);
  CHECK(explanation.find("192.168.77.1") == std::string::npos);  // private: not recorded
  keep_for_validation(j["outputs"]["bom"], "cli-ip-peer");
}

TEST_CASE("scan --fs inventories a directory: packages with PURLs under the machine, in the store and the BOM") {
  Workspace ws("fs-scan");
  const std::string root = ws.dir + "/hmi01";
  fs::create_directories(root + "/var/lib/dpkg");
  write_file(root + "/var/lib/dpkg/status",
             "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u2\n"
             "Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>\nDescription: tools\n\n"
             "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n\n");
  fs::create_directories(root + "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info");
  write_file(root + "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
             "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nAuthor: Kenneth Reitz\nLicense: Apache 2.0\n\n");
  auto r = ws.run({"scan", "--fs", root, "--out", ws.out, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["scan"]["inputs"][0]["kind"] == "filesystem");
  std::ifstream in(j["outputs"]["bom"].get<std::string>());
  const json bom = json::parse(in);
  REQUIRE(bom["components"].size() == 1);
  const json& machine = bom["components"][0];
  CHECK(machine["bom-ref"] == "device:path:" + root);
  std::set<std::string> purls;
  for (const auto& c : machine["components"]) purls.insert(c.value("purl", ""));
  CHECK(purls == std::set<std::string>{"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64", "pkg:pypi/requests@2.28.1"});
  for (const auto& c : machine["components"])
    CHECK(c["evidence"]["identity"][0]["methods"][0]["technique"] == "manifest-analysis");
  keep_for_validation(j["outputs"]["bom"], "cli-fs");
  // Stored like any scan: export gives the same bytes.
  auto exported = ws.run({"export", std::to_string(j["scan"]["id"].get<int>()), "-o", "-"});
  CHECK(exported.exit_code == 0);
  std::ifstream again(j["outputs"]["bom"].get<std::string>());
  CHECK(exported.out == std::string(std::istreambuf_iterator<char>(again), {}));
  // A path that does not exist: refused before anything is stored.
  auto bad = ws.run({"scan", "--fs", root + "/no/such/image.tar", "--out", ws.out});
  CHECK(bad.exit_code != 0);
  CHECK(ws.scans().size() == 1);
  // A firmware image given as one file (a gzipped tar whose name says nothing): read by its magic.
  const std::string image = ws.dir + "/rtu-firmware.bin";
  REQUIRE(std::system(("tar -czf '" + image + "' -C '" + root + "' var").c_str()) == 0);
  auto fw = ws.run({"scan", "--fs", image, "--out", ws.out, "--json"});
  INFO(fw.err);
  REQUIRE(fw.exit_code == 0);
  const json k = json::parse(fw.out);
  std::ifstream fw_in(k["outputs"]["bom"].get<std::string>());
  const json fw_bom = json::parse(fw_in);
  REQUIRE(fw_bom["components"].size() == 1);
  std::set<std::string> fw_purls;
  for (const auto& c : fw_bom["components"][0]["components"]) fw_purls.insert(c.value("purl", ""));
  CHECK(fw_purls == std::set<std::string>{"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"});
  CHECK(fw_bom.dump().find("rtu-firmware.bin!/var/lib/dpkg/status") != std::string::npos);
  keep_for_validation(k["outputs"]["bom"], "cli-fs-image");
}

namespace {

// Every property value of a BOM component whose name contains `part`.
std::set<std::string> property_values(const json& component, const std::string& part) {
  std::set<std::string> out;
  for (const auto& p : component.value("properties", json::array()))
    if (p["name"].get<std::string>().find(part) != std::string::npos) out.insert(p["value"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("scan --fs --trust-store checks Authenticode signer chains of the programs found, read once", "[authenticode]") {
  Workspace ws("fs-trust");
  const Signed s(make_pe());  // O=Example Automation GmbH, self-signed
  const std::string root = ws.dir + "/hmi02";
  fs::create_directories(root + "/Program Files/Example/HMI");
  write_file(root + "/Program Files/Example/HMI/hmirt.exe", s.bytes);
  const auto chain_of = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"scan", "--fs", root, "--out", ws.out, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = ws.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(json::parse(r.out)["outputs"]["bom"].get<std::string>());
    const json bom = json::parse(in);
    REQUIRE(bom["components"].size() == 1);
    REQUIRE(bom["components"][0]["components"].size() == 1);
    const json& program = bom["components"][0]["components"][0];
    CHECK(program["name"] == "Example HMI Studio");
    std::map<std::string, std::string> props;
    for (const auto& p : program["properties"]) props[p["name"].get<std::string>()] = p["value"].get<std::string>();
    CHECK(props["herkomst:package:pe:signature:status"] == "valid");
    return props["herkomst:package:pe:signature:chain"];
  };
  // Without a trust store the signature is verified, the chain is not.
  CHECK(chain_of({}) == "not-checked");
  // The signer's own certificate as the trust anchor: trusted.
  CHECK(chain_of({"--trust-store", s.cert.string()}) == "trusted");
  // Someone else's root: untrusted.
  const auto other = make_signing_key(s.dir, "other", "/O=Someone Else/CN=Other Root");
  CHECK(chain_of({"--trust-store", other.cert.string()}) == "untrusted");
  // An OpenSSL hashed directory works like a file.
  const fs::path hashed = s.dir.path / "ca-dir";
  fs::create_directories(hashed);
  fs::copy_file(s.cert, hashed / "signer.pem");
  run("openssl rehash " + quoted(hashed) + " 2>&1");
  CHECK(chain_of({"--trust-store", hashed.string()}) == "trusted");
  // A file that holds no certificate: refused up front, naming the file, nothing stored.
  const std::size_t stored = ws.scans().size();
  const std::string junk = ws.dir + "/not-a-ca.pem";
  write_file(junk, "this is not a certificate\n");
  auto bad = ws.run({"scan", "--fs", root, "--trust-store", junk, "--out", ws.out});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(junk) != std::string::npos);
  CHECK(bad.err.find("could not be read") != std::string::npos);
  CHECK(ws.scans().size() == stored);
}

TEST_CASE("scan --sbom imports a vendor CycloneDX SBOM: components attributed through the knowledge base, re-emitted",
          "[sbom-import]") {
  Workspace ws("sbom-scan");
  const std::string sbom = ws.dir + "/vendor.cdx.json";
  write_file(sbom, R"({"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
    "metadata":{"component":{"type":"firmware","bom-ref":"ipc-fw","name":"IPC firmware","version":"2.4","supplier":{"name":"Siemens AG"}}},
    "components":[
      {"type":"application","bom-ref":"cam","name":"camera-sdk","version":"5.7","purl":"pkg:generic/camera-sdk@5.7",
       "manufacturer":{"name":"Hangzhou Hikvision Digital Technology Co., Ltd."},"licenses":[{"license":{"name":"proprietary"}}]},
      {"type":"library","bom-ref":"ssl","name":"openssl","version":"3.0.11","purl":"pkg:deb/debian/openssl@3.0.11",
       "supplier":{"name":"Siemens AG"},"cpe":"cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"}]})");
  auto r = ws.run({"scan", "--sbom", sbom, "--out", ws.out, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["scan"]["inputs"][0]["kind"] == "sbom");
  CHECK(j["scan"]["inputs"][0]["format"] == "CycloneDX 1.6");
  std::ifstream in(j["outputs"]["bom"].get<std::string>());
  const json bom = json::parse(in);
  REQUIRE(bom["components"].size() == 1);
  const json& head = bom["components"][0];
  CHECK(head["bom-ref"] == "device:sbom:ipc-fw");
  CHECK(head["name"] == "IPC firmware");
  CHECK(head["manufacturer"]["name"] == "Siemens AG");
  CHECK(head["manufacturer"]["address"]["country"] == "DE");
  REQUIRE(head["components"].size() == 2);
  const json* cam = nullptr;
  const json* ssl = nullptr;
  for (const auto& c : head["components"]) {
    if (c.value("purl", "") == "pkg:generic/camera-sdk@5.7") cam = &c;
    if (c.value("purl", "") == "pkg:deb/debian/openssl@3.0.11") ssl = &c;
  }
  REQUIRE(cam);
  REQUIRE(ssl);
  CHECK((*cam)["manufacturer"]["address"]["country"] == "CN");
  // "herkomst:claim:control:country" is the best claim's value; "...claim-detail..." the claim as JSON.
  CHECK(property_values(*cam, "herkomst:claim:control:country") == std::set<std::string>{"CN"});
  CHECK(property_values(*cam, "herkomst:claim:control:ultimate-parent") == std::set<std::string>{"state-cn"});
  CHECK((*ssl)["manufacturer"]["address"]["country"] == "DE");
  CHECK((*cam)["evidence"]["identity"][0]["methods"][0]["technique"] == "attestation");
  keep_for_validation(j["outputs"]["bom"], "cli-sbom");
  // A bad SBOM: exit 2, the error names the file and the place, nothing stored.
  const std::string bad = ws.dir + "/bad.cdx.json";
  write_file(bad, R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"x","version":3}]})");
  auto refused = ws.run({"scan", "--sbom", bad, "--out", ws.out});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(bad + ": /components/0/version: not a string") != std::string::npos);
  const std::string old = ws.dir + "/old.cdx.json";
  write_file(old, R"({"bomFormat":"CycloneDX","specVersion":"1.3","components":[]})");
  CHECK(ws.run({"scan", "--sbom", old, "--out", ws.out}).exit_code == 2);
  CHECK(ws.scans().size() == 1);
}

TEST_CASE("scan --sbom imports SPDX 2.3 beside a directory scan", "[sbom-import]") {
  Workspace ws("sbom-spdx");
  const std::string sbom = ws.dir + "/rtu.spdx.json";
  write_file(sbom, R"({"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"rtu",
    "packages":[{"SPDXID":"SPDXRef-fw","name":"RTU firmware","versionInfo":"1.0","supplier":"Organization: Siemens AG"},
                {"SPDXID":"SPDXRef-bb","name":"busybox","versionInfo":"1.36.1","supplier":"Organization: Hangzhou Hikvision Digital Technology Co., Ltd.",
                 "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:generic/busybox@1.36.1"}]}],
    "relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-fw"}]})");
  const std::string root = ws.dir + "/host";
  fs::create_directories(root);
  auto r = ws.run({"scan", "--fs", root, "--sbom", sbom, "--out", ws.out, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  std::ifstream in(j["outputs"]["bom"].get<std::string>());
  const json bom = json::parse(in);
  const json* head = nullptr;
  for (const auto& c : bom["components"])
    if (c["bom-ref"] == "device:sbom:SPDXRef-fw") head = &c;
  REQUIRE(head);
  CHECK((*head)["manufacturer"]["address"]["country"] == "DE");
  REQUIRE((*head)["components"].size() == 1);
  CHECK((*head)["components"][0]["purl"] == "pkg:generic/busybox@1.36.1");
  CHECK((*head)["components"][0]["manufacturer"]["address"]["country"] == "CN");
  keep_for_validation(j["outputs"]["bom"], "cli-sbom-spdx");
}
