// OT engineering and SCADA software rules (fingerprints/software/ot-software.json): every rule's
// examples, the loader's refusals, registry entries in a hive built at test time annotated by the
// rules, and anchor files in a tree giving one package per install.
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "fs_test_support.hpp"
#include "registry_hive_support.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/ot_software.hpp"
#include "scanner/fs/walker.hpp"

using namespace herkomst::fs;
using herkomst::test::TempDir;

TEST_CASE("ot software: the embedded rules load and every example passes", "[ot-software]") {
  const std::vector<OtRule>& rules = builtin_ot_rules();
  REQUIRE(rules.size() >= 10);
  const std::vector<std::string> failures = check_ot_examples(rules);
  for (const std::string& f : failures) INFO(f);
  CHECK(failures.empty());
}

TEST_CASE("ot software: a rule without examples, an unknown key or a bad regex is refused", "[ot-software]") {
  auto no_examples = load_ot_rules(R"({"rules":[{"id":"x","vendor":"V","product":"P","paths":["**/a.exe"]}]})");
  REQUIRE(std::holds_alternative<std::string>(no_examples));
  CHECK(std::get<std::string>(no_examples).find("no examples") != std::string::npos);
  auto unknown = load_ot_rules(R"({"rules":[{"id":"x","vendor":"V","product":"P","paths":["**/a.exe"],"examples":[{}],"colour":1}]})");
  REQUIRE(std::holds_alternative<std::string>(unknown));
  auto bad = load_ot_rules(R"({"rules":[{"id":"x","vendor":"V","product":"P","registry":{"display_name":"(("},"examples":[{}]}]})");
  REQUIRE(std::holds_alternative<std::string>(bad));
  CHECK(std::get<std::string>(bad).find("rule x") != std::string::npos);
  auto failing = load_ot_rules(R"({"rules":[{"id":"x","vendor":"V","product":"P","paths":["**/a.exe"],"examples":[{"path":"b.exe","version":""}]}]})");
  REQUIRE(std::holds_alternative<std::vector<OtRule>>(failing));
  CHECK(check_ot_examples(std::get<std::vector<OtRule>>(failing)).size() == 1);
}

TEST_CASE("ot software: TIA Portal and RSLinx entries of a SOFTWARE hive are recognised", "[ot-software][registry]") {
  TempDir tree, scratch;
  const std::string u = "Microsoft\\Windows\\CurrentVersion\\Uninstall\\";
  const std::string hive = herkomst::test::build_hive(
      scratch.path / "SOFTWARE",
      {{u + "TIA", {{"DisplayName", "Totally Integrated Automation Portal V17"}, {"Publisher", "Siemens AG"}, {"DisplayVersion", "17.0.0.0"}}},
       {"WOW6432Node\\" + u + "RSLinx", {{"DisplayName", "RSLinx Classic"}, {"Publisher", "Rockwell Automation, Inc."}, {"DisplayVersion", "4.21.00"}}},
       {u + "7zip", {{"DisplayName", "7-Zip 23.01 (x64)"}, {"Publisher", "Igor Pavlov"}, {"DisplayVersion", "23.01"}}}});
  herkomst::test::put(tree, "Windows/System32/config/SOFTWARE", hive);
  const WalkResult walked = walk(tree.path.string(), default_catalogers());
  REQUIRE(walked.ok);
  REQUIRE(walked.packages.size() == 3);
  int recognised = 0;
  for (const Package& p : walked.packages) {
    if (p.name == "RSLinx Classic") {
      ++recognised;
      CHECK(p.properties.at("ot.rule") == "ot.rockwell.rslinx");
      CHECK(p.properties.at("ot.vendor") == "Rockwell Automation, Inc.");
      REQUIRE(p.more_suppliers.size() == 1);
      CHECK(p.more_suppliers[0].text == "Rockwell Automation, Inc.");
      CHECK(p.more_suppliers[0].field == "ot-software rule ot.rockwell.rslinx");
    } else if (p.name == "Totally Integrated Automation Portal V17") {
      ++recognised;
      CHECK(p.properties.at("ot.rule") == "ot.siemens.tia-portal");
      CHECK(p.properties.at("ot.product") == "TIA Portal");
      CHECK(p.method == kManifestAnalysis);
    } else {
      CHECK(p.properties.count("ot.rule") == 0);
    }
  }
  CHECK(recognised == 2);
}

TEST_CASE("ot software: anchor files give one package per install, from the path only", "[ot-software]") {
  TempDir tree;
  const std::string portal = "Program Files/Siemens/Automation/Portal V18/";
  herkomst::test::put(tree, portal + "Bin/Siemens.Automation.Portal.exe", "MZ not really");
  herkomst::test::put(tree, portal + "Bin/Siemens.Automation.Other.dll", "MZ");
  herkomst::test::put(tree, portal + "Data/readme.txt", "x");
  herkomst::test::put(tree, "Program Files/CODESYS 3.5.19.20/CODESYS/Common/CODESYS.exe", "");
  herkomst::test::put(tree, "Program Files/CODESYS 3.5.19.20/CODESYS/Common/CODESYS.exe.config", "");
  herkomst::test::put(tree, "Program Files/Inductive Automation/Ignition/data/ignition.conf", "wrapper.java.command=java");
  WalkOptions no_archives;  // else files no cataloger takes are probed for archive magic bytes
  no_archives.archives = false;
  const WalkResult walked = walk(tree.path.string(), {ot_software_cataloger()}, no_archives);
  REQUIRE(walked.ok);
  REQUIRE(walked.packages.size() == 3);
  CHECK(walked.counters.at("bytes.read") == 0);  // globs only: no file is read
  for (const Package& p : walked.packages) {
    CHECK(p.method == kFilenameAnalysis);
    CHECK(p.ecosystem == Ecosystem::generic);
  }
  const Package& codesys = walked.packages[0];
  CHECK(codesys.name == "CODESYS Development System");
  CHECK(codesys.version == "3.5.19.20");
  CHECK(codesys.supplier == "CODESYS GmbH");
  CHECK(codesys.properties.at("ot.rule") == "ot.codesys.development-system");
  const Package& ignition = walked.packages[1];
  CHECK(ignition.name == "Ignition");
  CHECK(ignition.supplier == "Inductive Automation, LLC");
  const Package& tia = walked.packages[2];
  CHECK(tia.name == "TIA Portal");
  CHECK(tia.version == "18");
  CHECK(tia.supplier == "Siemens AG");
  CHECK(tia.location.path == "Program Files/Siemens/Automation/Portal V18/Bin/Siemens.Automation.Portal.exe");

  // Windows names are case-insensitive: a copied tree may spell the install path otherwise.
  TempDir other;
  herkomst::test::put(other, "PROGRAM FILES/siemens/automation/portal v17/bin/SIEMENS.AUTOMATION.PORTAL.EXE", "");
  const WalkResult folded = walk(other.path.string(), {ot_software_cataloger()});
  REQUIRE(folded.packages.size() == 1);
  CHECK(folded.packages[0].name == "TIA Portal");
  CHECK(folded.packages[0].version == "17");
}
