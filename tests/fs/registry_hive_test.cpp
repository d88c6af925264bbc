// The registry hive cataloger over hives built at test time through libhivex (see
// registry_hive_support.hpp): both Uninstall views, per-user installs, the entries left out, the
// walk's globs and "regf" magic, and hostile hives (truncated, bytes flipped): errors, no crash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "fs_test_support.hpp"
#include "registry_hive_support.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/registry_hive.hpp"
#include "scanner/fs/walker.hpp"

using namespace herkomst::fs;
using herkomst::test::RegKey;
using herkomst::test::RegValue;
using herkomst::test::TempDir;

namespace {

const std::string kUninstall = "Microsoft\\Windows\\CurrentVersion\\Uninstall\\";
const std::string kWow = "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\";

std::vector<RegKey> software_keys() {
  return {
      {kUninstall + "{A1B2C3D4-0000-1111-2222-333344445555}",
       {{"DisplayName", "Totally Integrated Automation Portal V17"},
        {"Publisher", "Siemens AG"},
        {"DisplayVersion", "17.0.0.0"},
        {"InstallDate", "20230412"},
        {"InstallLocation", "C:\\Program Files\\Siemens\\Automation\\Portal V17\\", false, 0, true}}},
      {kUninstall + "KB5005565", {{"DisplayName", "Security Update for Windows (KB5005565)"}, {"ParentKeyName", "OperatingSystem"}}},
      {kUninstall + "HiddenRuntime", {{"DisplayName", "Runtime component"}, {"SystemComponent", "", true, 1}}},
      {kUninstall + "NoName", {{"Publisher", "Nobody"}}},
      {kWow + "{RSLINX-CLASSIC}",
       {{"DisplayName", "RSLinx Classic"},
        {"Publisher", "Rockwell Automation, Inc."},
        {"DisplayVersion", "4.21.00"},
        {"SystemComponent", "", true, 0}}},
  };
}

const Package* find(const std::vector<Package>& packages, const std::string& name) {
  const auto it = std::find_if(packages.begin(), packages.end(), [&](const Package& p) { return p.name == name; });
  return it == packages.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("registry hive: Uninstall entries of both views become generic packages", "[registry]") {
  TempDir dir;
  const std::string hive = herkomst::test::build_hive(dir.path / "SOFTWARE", software_keys());
  const ParseResult result = parse_registry_hive(hive, "Windows/System32/config/SOFTWARE");
  CHECK(result.errors.empty());
  REQUIRE(result.packages.size() == 2);
  CHECK(result.skipped == 3);  // the update, the system component, the entry without a name

  const Package* tia = find(result.packages, "Totally Integrated Automation Portal V17");
  REQUIRE(tia != nullptr);
  CHECK(tia->ecosystem == Ecosystem::generic);
  CHECK(tia->version == "17.0.0.0");
  CHECK(tia->supplier == "Siemens AG");
  CHECK(tia->supplier_field == "Publisher");
  CHECK(tia->method == kManifestAnalysis);
  CHECK(tia->cataloger == kRegistryHiveCataloger);
  CHECK(tia->properties.at("registry.view") == "64-bit");
  CHECK(tia->properties.at("registry.InstallDate") == "20230412");
  CHECK(tia->properties.at("registry.InstallLocation") == "C:\\Program Files\\Siemens\\Automation\\Portal V17\\");
  CHECK(tia->properties.at("registry.key") == kUninstall + "{A1B2C3D4-0000-1111-2222-333344445555}");
  CHECK(tia->location.path == "Windows/System32/config/SOFTWARE");
  CHECK(tia->purl == "pkg:generic/Totally%20Integrated%20Automation%20Portal%20V17@17.0.0.0");

  const Package* rslinx = find(result.packages, "RSLinx Classic");
  REQUIRE(rslinx != nullptr);
  CHECK(rslinx->version == "4.21.00");
  CHECK(rslinx->supplier == "Rockwell Automation, Inc.");
  CHECK(rslinx->properties.at("registry.view") == "32-bit (WOW6432Node)");
  CHECK(rslinx->properties.count("registry.InstallDate") == 0);
}

TEST_CASE("registry hive: per-user installs in NTUSER.DAT", "[registry]") {
  TempDir dir;
  const std::string hive = herkomst::test::build_hive(
      dir.path / "NTUSER.DAT",
      {{"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\ignition-designer",
        {{"DisplayName", "Ignition Designer Launcher"}, {"Publisher", "Inductive Automation"}, {"DisplayVersion", "1.1.30"}}}});
  const ParseResult result = parse_registry_hive(hive, "Users/op/NTUSER.DAT");
  CHECK(result.errors.empty());
  REQUIRE(result.packages.size() == 1);
  CHECK(result.packages[0].name == "Ignition Designer Launcher");
  CHECK(result.packages[0].properties.at("registry.view") == "per-user");
}

TEST_CASE("registry hive: the walk takes config/SOFTWARE in the usual cases, with the regf magic only", "[registry]") {
  TempDir tree;
  TempDir scratch;
  const std::string hive = herkomst::test::build_hive(scratch.path / "SOFTWARE", software_keys());
  herkomst::test::put(tree, "img/Windows/System32/config/SOFTWARE", hive);
  herkomst::test::put(tree, "img2/windows/system32/config/software", hive);
  herkomst::test::put(tree, "img3/config/SOFTWARE", "not a hive, only the name");
  const WalkResult walked = walk(tree.path.string(), {registry_hive_cataloger()});
  REQUIRE(walked.ok);
  CHECK(walked.parse_errors.empty());
  CHECK(walked.packages.size() == 4);
  CHECK(walked.counters.at("files.read") == 2);
}

TEST_CASE("registry hive: truncated and mutated hives give errors, never a crash", "[registry]") {
  TempDir dir;
  const std::string hive = herkomst::test::build_hive(dir.path / "SOFTWARE", software_keys());
  REQUIRE(hive.size() > 4096);

  SECTION("not a hive") {
    const ParseResult r = parse_registry_hive("regf", "x/SOFTWARE");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].file == "x/SOFTWARE");
  }
  SECTION("truncated at every 512 bytes") {
    for (std::size_t cut = 0; cut < hive.size(); cut += 512) {
      const ParseResult r = parse_registry_hive(std::string_view(hive).substr(0, cut), "x/SOFTWARE");
      // A cut hive is refused (an error) or yields at most what the whole hive holds.
      CHECK((r.errors.size() >= 1 || r.packages.size() <= 2));
      if (cut < 4096) CHECK(r.errors.size() == 1);
    }
  }
  SECTION("header checksum broken") {
    std::string bad = hive;
    bad[508] = static_cast<char>(bad[508] ^ 0xFF);
    const ParseResult r = parse_registry_hive(bad, "x/SOFTWARE");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message.find("hivex") != std::string::npos);
  }
  SECTION("bytes flipped through the bins") {
    std::uint32_t seed = 12345;
    std::size_t refused = 0;
    for (int round = 0; round < 300; ++round) {
      std::string bad = hive;
      for (int i = 0; i < 8; ++i) {
        seed = seed * 1103515245u + 12345u;
        const std::size_t at = 4096 + (seed >> 8) % (hive.size() - 4096);
        bad[at] = static_cast<char>(bad[at] ^ (1 + (seed & 0x7F)));
      }
      const ParseResult r = parse_registry_hive(bad, "x/SOFTWARE");
      if (!r.errors.empty()) ++refused;
      CHECK(r.packages.size() <= 5);  // a flip may un-hide an entry, never invent more
    }
    INFO("mutated hives with an error: " << refused);
    CHECK(refused > 0);
  }
}
