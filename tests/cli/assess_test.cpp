// `herkomst scan`, `assess` and `explain` end to end: the four criteria of the letter of 17 April
// 2023 applied to devices of crafted captures (MAC prefixes registered to the makers wanted), with
// policy and site context files the tests write, in real store files; a dated change of ownership
// found again by `assess --as-of`; bad policy and context files refused with nothing stored.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "run_process.hpp"
#include "tests/support/frames.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Devices of the crafted captures: MAC prefixes from /usr/share/ieee-data/oui.csv.
struct Device {
  Mac mac;
  Ip4 ip;
  std::string mac_text, ip_text;
};
const Device kHuaweiSwitch{{0x30, 0xfb, 0xb8, 0x00, 0x00, 0x02}, {10, 40, 0, 2}, "30:fb:b8:00:00:02", "10.40.0.2"};
// 00:60:C8 "KUKA WELDING SYSTEMS & ROBOTS": KUKA AG (DE), owned by Midea (CN).
const Device kKukaRobot{{0x00, 0x60, 0xc8, 0x00, 0x00, 0x03}, {10, 40, 0, 3}, "00:60:c8:00:00:03", "10.40.0.3"};
// 74:2E:DB "Perinet GmbH": not in the knowledge base.
const Device kPerinetSensor{{0x74, 0x2e, 0xdb, 0x00, 0x00, 0x04}, {10, 40, 0, 4}, "74:2e:db:00:00:04", "10.40.0.4"};

std::string device_ref(const Device& d) { return "device:mac:" + d.mac_text; }

const char* kRecordedBy = "C. Bakker, OT engineer";

// One store file, its output folder and the files a test writes, in a fresh folder.
struct Plant {
  std::string dir, db, out;
  std::string policy_file, context_file;  // the China policy and the one-zone context (below)
  explicit Plant(const std::string& name, bool mitigated = false);

  ProcessResult herkomst(std::vector<std::string> args, const std::string& database = {}) const {
    args.insert(args.begin(), {"--db", database.empty() ? db : database});
    return run_process(HERKOMST_BINARY, args, {"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR});
  }
  // herkomst ... --json, with the exit code wanted.
  json herkomst_json(std::vector<std::string> args, int expected_exit = 0) const {
    args.push_back("--json");
    const auto r = herkomst(args);
    INFO(r.err);
    REQUIRE(r.exit_code == expected_exit);
    return json::parse(r.out);
  }
  std::string file(const std::string& name, const std::string& text) const {
    write_file(dir + "/" + name, text);
    return dir + "/" + name;
  }
  // A capture in which each device announces its address (gratuitous ARP), twice.
  std::string capture(const std::string& name, const std::vector<Device>& devices) const {
    const Mac broadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    std::vector<Bytes> frames;
    for (int i = 0; i < 2; ++i)
      for (const auto& d : devices)
        frames.push_back(ethernet(d.mac, broadcast, 0x0806, arp(2, d.mac, d.ip, broadcast, d.ip)));
    write_pcap(dir + "/" + name, frames);
    return dir + "/" + name;
  }
  // Under the China policy and the one-zone context.
  json scan_assessed(const std::string& pcap) const {
    return scan(pcap, {"--policy", policy_file, "--context", context_file});
  }
  json scan(const std::string& pcap, std::vector<std::string> options) const {
    std::vector<std::string> args{"scan", "--pcap", pcap, "--out", out};
    args.insert(args.end(), options.begin(), options.end());
    return herkomst_json(args);
  }
  json explain(const std::string& component, std::vector<std::string> options = {}) const {
    options.insert(options.begin(), {"explain", component});
    return herkomst_json(options);
  }
};

// Keeps a copy of a BOM for the official validator (cyclonedx_validate, tests/sbom).
void keep_for_validation(const std::string& bom, const std::string& name) {
  fs::create_directories(HERKOMST_TEST_BOM_DIR);
  fs::copy_file(bom, fs::path(HERKOMST_TEST_BOM_DIR) / (name + ".cdx.json"), fs::copy_options::overwrite_existing);
}

// A claim of the asset (scan --json) by attribute; "" when it has none.
std::string claim(const json& assets, const Device& d, const std::string& attribute) {
  for (const auto& a : assets)
    if (a["bom_ref"] == device_ref(d))
      for (const auto& c : a["claims"])
        if (c["attribute"] == attribute) return c["value"];
  return {};
}

// The assessment claims in one line: "1 yes, 2 yes, 3A yes, 3B no: exclusion-candidate".
std::string assessment_of(const json& assets, const Device& d) {
  return "1 " + claim(assets, d, "assessment.criterion1") + ", 2 " + claim(assets, d, "assessment.criterion2") +
         ", 3A " + claim(assets, d, "assessment.criterion3a") + ", 3B " + claim(assets, d, "assessment.criterion3b") +
         ": " + claim(assets, d, "assessment.verdict");
}

// The BOM component's property value, and the text of the assessment annotation on it.
std::string bom_property(const json& bom, const Device& d, const std::string& name) {
  for (const auto& c : bom["components"])
    if (c["bom-ref"] == device_ref(d))
      for (const auto& p : c.value("properties", json::array()))
        if (p["name"] == name) return p["value"];
  return {};
}
std::string bom_annotation(const json& bom, const Device& d) {
  for (const auto& a : bom.value("annotations", json::array()))
    if (a["subjects"] == json::array({device_ref(d)})) return a["text"];
  return {};
}

json citation(const std::string& title, const std::string& date) {
  return {{"title", title}, {"url", "https://example.org/e2e/" + date}, {"date", date}};
}

// A policy in the format of configs/policy/default.json: `countries`, the default's level rules
// and sufficient mitigations, no watch lists.
json policy(const json& countries) {
  return {
      {"format", "herkomst-policy"},
      {"format_version", 1},
      {"id", "e2e-policy"},
      {"version", "1"},
      {"effective_date", "2024-01-01"},
      {"statement", "End-to-end test policy of herkomst"},
      {"unlisted_countries", "no"},
      {"countries", countries},
      {"levels",
       json::array({{{"level", "high-risk"}, {"when", {{"1", true}, {"2", true}, {"3A", true}}}, {"note", "1, 2, 3A"}},
                    {{"level", "attention"}, {"when", {{"1", true}}}, {"note", "criterion 1 holds"}},
                    {{"level", "attention"}, {"when", {{"2", true}}}, {"note", "criterion 2 holds"}}})},
      {"sufficient_mitigations",
       {{"vendor_remote_access",
         json::array({json::array({"segmentation", "monitoring", "contractual_requirements"})})},
        {"cloud_connectivity", json::array({json::array({"no_internet_route"})})},
        {"physical_access", json::array({json::array({"monitoring", "contractual_requirements"})})},
        {"sensitive_ict_access", json::array({json::array({"segmentation", "monitoring"})})}}}};
}
const char* kLawCitation = "E2E citation: the intelligence law of China";
json china_policy() {
  return policy(
      json::array({{{"country", "CN"},
                    {"name", "China"},
                    {"criterion1",
                     {{"value", "yes"},
                      {"law", "E2E National Intelligence Law, article 7"},
                      {"since", "2017-06-28"},
                      {"citations", json::array({citation(kLawCitation, "2017-06-27")})}}},
                    {"criterion2",
                     {{"value", "yes"},
                      {"naming", "named"},
                      {"citations", json::array({citation("E2E citation: the threat assessment", "2024-10-28")})}}}}}));
}

// A site context in the format of configs/context/example.json: one zone, 10.40.0.0/16, where
// the vendor has remote access and nothing else; the mitigations the policy asks for remote
// access (segmentation, monitoring, contractual requirements) in place or not.
json site_context(bool mitigated) {
  return {{"format", "herkomst-context"},
          {"format_version", 1},
          {"site", "E2E test plant"},
          {"version", mitigated ? "mitigated" : "open"},
          {"recorded_by", kRecordedBy},
          {"recorded_at", "2025-06-01"},
          {"site_networks", json::array({"10.0.0.0/8"})},
          {"zones",
           json::array(
               {{{"name", "field-network"},
                 {"description", "switches, robots and sensors of the production line"},
                 {"cidrs", json::array({"10.40.0.0/16"})},
                 {"criticality", {{"vital_process", true}, {"purdue_level", 1}}},
                 {"access",
                  {{"vendor_remote_access", {{"value", true}, {"note", "the vendor maintains the devices remotely"}}},
                   {"cloud_connectivity", false},
                   {"physical_access", false},
                   {"sensitive_ict_access", false}}},
                 {"mitigations",
                  {{"segmentation", mitigated},
                   {"no_internet_route", true},
                   {"monitoring", mitigated},
                   {"contractual_requirements", mitigated},
                   {"replacement_planned", false}}}}})}};
}

// `day` plus `n` days, both YYYY-MM-DD.
std::string add_days(const std::string& day, int n) {
  using namespace std::chrono;
  const year_month_day ymd{year{std::stoi(day.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                           std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
  const year_month_day later{sys_days{ymd} + days{n}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(later.year()), static_cast<unsigned>(later.month()),
                static_cast<unsigned>(later.day()));
  return out;
}

Plant::Plant(const std::string& name, bool mitigated)
    : dir(fresh_dir(name)),
      db(dir + "/h.db"),
      out(dir + "/out"),
      policy_file(file("policy.json", china_policy().dump(2))),
      context_file(file("context.json", site_context(mitigated).dump(2))) {}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a switch of a criterion-1/2 country's vendor with unmitigated remote access is an exclusion candidate") {
  Plant plant("assess-exclusion");
  const json scan = plant.scan_assessed(plant.capture("switch.pcap", {kHuaweiSwitch}));
  const json& assets = scan["assets"];
  CHECK(claim(assets, kHuaweiSwitch, "origin.organisation") == "huawei");
  CHECK(assessment_of(assets, kHuaweiSwitch) == "1 yes, 2 yes, 3A yes, 3B no: exclusion-candidate");
  CHECK(contains(scan["scan"]["reference_data"]["assessment-policy"], "e2e-policy 1, effective 2024-01-01"));
  CHECK(contains(scan["scan"]["reference_data"]["assessment-context"], "E2E test plant open"));

  // The BOM: the verdict as a property, the reasoning as an annotation on the component.
  const std::string bom_file = scan["outputs"]["bom"];
  keep_for_validation(bom_file, "cli-assess-exclusion-scan");
  const json bom = json::parse(read_file(bom_file));
  CHECK(bom_property(bom, kHuaweiSwitch, "herkomst:claim:assessment:verdict") == "exclusion-candidate");
  CHECK(bom_property(bom, kHuaweiSwitch, "herkomst:claim:assessment:criterion3b") == "no");
  const std::string annotation = bom_annotation(bom, kHuaweiSwitch);
  CHECK(contains(annotation, "Verdict: exclusion candidate"));
  CHECK(contains(annotation, kLawCitation));

  // explain: each criterion with its answer, the policy's citation, who recorded the site facts.
  const auto text = plant.herkomst({"explain", device_ref(kHuaweiSwitch)});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(contains(text.out, "Verdict: exclusion candidate"));
  CHECK(contains(text.out, "Criterion 1 (a law obliges cooperation with intelligence or military services): yes"));
  CHECK(contains(text.out, "CN (China), origin, control: yes. E2E National Intelligence Law, article 7"));
  CHECK(
      contains(text.out, "source: " + std::string(kLawCitation) + " (2017-06-27) https://example.org/e2e/2017-06-27"));
  CHECK(contains(text.out, "Criterion 2 (an offensive cyber programme against the Netherlands): yes"));
  CHECK(contains(text.out, "E2E citation: the threat assessment"));
  CHECK(contains(text.out, "Criterion 3A (the supplier has access): yes"));
  CHECK(contains(text.out, "vendor remote access or maintenance: yes, recorded by " + std::string(kRecordedBy) +
                               " on 2025-06-01 (zone field-network): the vendor maintains the devices remotely"));
  CHECK(contains(text.out, "Criterion 3B (mitigations sufficiently control the risks): no"));
  CHECK(contains(text.out, "not in place"));
  CHECK(contains(text.out, "zone field-network (10.40.0.2 in 10.40.0.0/16)"));
  const json detail = plant.explain(device_ref(kHuaweiSwitch));
  CHECK(detail["verdict"] == "exclusion-candidate");
  CHECK(detail["rule"] == "yes");
  CHECK(detail["criterion1"]["value"] == "yes");
  CHECK(detail["criterion1"]["countries"][0]["country"] == "CN");
  CHECK(detail["criterion2"]["value"] == "yes");
  CHECK(detail["criterion3a"]["value"] == "yes");
  CHECK(detail["criterion3b"]["value"] == "no");
  CHECK(detail["policy_statement"] == "End-to-end test policy of herkomst");
  CHECK(detail["scan"] == scan["scan"]["id"]);

  // The component is found by its MAC address (any case) and its IPv4 address too.
  CHECK(plant.explain("30:FB:B8:00:00:02")["component"] == device_ref(kHuaweiSwitch));
  CHECK(plant.explain(kHuaweiSwitch.ip_text)["component"] == device_ref(kHuaweiSwitch));
  CHECK(plant.explain(kHuaweiSwitch.ip_text, {"--scan", "1"})["run"] == detail["run"]);
  CHECK(plant.explain("asset:mac:" + kHuaweiSwitch.mac_text)["component"] == device_ref(kHuaweiSwitch));
}

TEST_CASE("the same switch with sufficient mitigations recorded is not an exclusion candidate") {
  Plant plant("assess-mitigated", true);
  const json scan = plant.scan_assessed(plant.capture("switch.pcap", {kHuaweiSwitch}));
  const json& assets = scan["assets"];
  // Criteria 1, 2 and 3A hold: high risk by the policy's level rule, the mitigations must stay.
  CHECK(assessment_of(assets, kHuaweiSwitch) == "1 yes, 2 yes, 3A yes, 3B yes: high-risk");
  const json detail = plant.explain(kHuaweiSwitch.mac_text);
  CHECK(detail["rule"] == "no");
  CHECK(contains(detail["reason"], "Not an exclusion candidate: the mitigations suffice (3B)."));
  CHECK(contains(detail["explanation"], "in place"));
  keep_for_validation(scan["outputs"]["bom"], "cli-assess-mitigated-scan");
}

TEST_CASE("equipment made in the EU by a company controlled from a criterion-1/2 country is caught through control") {
  Plant plant("assess-control");
  // The knowledge base: KUKA AG, headquartered in Germany, controlled from China (Midea).
  const json kuka = plant.herkomst_json({"vendors", "explain", "kuka"});
  CHECK(kuka["origin_country"] == "DE");
  CHECK(kuka["control_countries"] == json::array({"CN"}));
  const auto pcap = plant.capture("line.pcap", {kKukaRobot, kPerinetSensor});
  // The built-in default policy.
  const json scan = plant.scan(pcap, {"--context", plant.context_file});
  const json& assets = scan["assets"];
  CHECK(claim(assets, kKukaRobot, "origin.organisation") == "kuka");
  CHECK(claim(assets, kKukaRobot, "origin.country") == "DE");
  CHECK(claim(assets, kKukaRobot, "control.country") == "CN");
  CHECK(assessment_of(assets, kKukaRobot) == "1 yes, 2 yes, 3A yes, 3B no: exclusion-candidate");
  // A maker the knowledge base does not know: nothing rules exclusion out.
  CHECK(assessment_of(assets, kPerinetSensor) == "1 unknown, 2 unknown, 3A yes, 3B no: unknown-data");

  const json detail = plant.explain(device_ref(kKukaRobot));
  const json& c1 = detail["criterion1"]["countries"];
  bool de_no = false, cn_yes = false;
  for (const auto& c : c1) {
    if (c["country"] == "DE") de_no = c["value"] == "no" && c["roles"] == json::array({"origin"});
    if (c["country"] == "CN") cn_yes = c["value"] == "yes" && c["roles"] == json::array({"control"});
  }
  CHECK(de_no);   // the origin country does not meet criterion 1
  CHECK(cn_yes);  // the control country does
  CHECK(contains(detail["explanation"], "CN (China), control: yes. National Intelligence Law"));
  CHECK(contains(detail["explanation"], "control chain:"));
  CHECK(contains(detail["explanation"], "midea"));

  // The same scan under a policy with an empty country list flags nothing. Nothing became
  // flagged (exclusion-candidate and unknown-data became none): exit 0.
  const auto empty_policy = plant.file("empty.json", policy(json::array()).dump(2));
  const auto assess_out = plant.dir + "/assessed";
  const auto r =
      plant.herkomst({"assess", "1", "--policy", empty_policy, "--context", plant.context_file, "--out", assess_out});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out,
                 "scan 1 " + device_ref(kKukaRobot) + " (KUKA WELDING SYSTEMS & ROBOTS): exclusion-candidate -> none"));
  CHECK(contains(r.out, "unknown-data -> none"));
  CHECK(!contains(r.out, "NEW "));
  CHECK(contains(r.out, "Verdicts: 2 none"));
  const std::string bom_file = assess_out + "/herkomst-scan-1-assessment-2.cdx.json";
  REQUIRE(fs::exists(bom_file));
  keep_for_validation(bom_file, "cli-assess-empty-policy");
  const json bom = json::parse(read_file(bom_file));
  for (const auto& d : {kKukaRobot, kPerinetSensor}) {
    CHECK(bom_property(bom, d, "herkomst:claim:assessment:verdict") == "none");
    CHECK(contains(bom_annotation(bom, d), "Verdict: none"));
  }
  const json now = plant.explain(kKukaRobot.ip_text);
  CHECK(now["verdict"] == "none");
  CHECK(now["run"] == 2);
  CHECK(now["criterion1"]["value"] == "no");
}

TEST_CASE("a dated acquisition by a state-controlled group is flagged by assess as of a later day") {
  Plant plant("assess-ownership");
  // The analyst's organisations: the sensor maker under its exact IEEE registrant name, and a
  // state-controlled group of China.
  const auto orgs = plant.file(
      "orgs.tsv",
      "id\tname\tkind\tcountry\thq_country\tlei\twebsite\taliases\tsectors\tsource\tas_of\tconfidence\tnote\n"
      "e2e-perinet\tPerinet Sensor Werke\tprivate\tDE\t\t\t\tPerinet GmbH\tiot-modules\thttps://example.org/e2e/perinet\t2025-01-01\thigh\t\n"
      "e2e-state\tState Assets Commission of E2E\tstate-body\tCN\t\t\t\t\tstate\thttps://example.org/e2e/state\t2025\thigh\t\n"
      "e2e-group\tE2E State Industrial Group\tstate-owned-enterprise\tCN\t\t\t\t\tholding\thttps://example.org/e2e/group\t2025\thigh\t\n");
  REQUIRE(plant.herkomst({"vendors", "import", orgs}).exit_code == 0);

  const json scan = plant.scan_assessed(plant.capture("sensor.pcap", {kPerinetSensor}));
  CHECK(claim(scan["assets"], kPerinetSensor, "origin.organisation") == "e2e-perinet");
  CHECK(assessment_of(scan["assets"], kPerinetSensor) == "1 no, 2 no, 3A yes, 3B no: none");
  const std::string scan_day = scan["scan"]["started_at"].get<std::string>().substr(0, 10);
  const std::string acquired = add_days(scan_day, 30), later = add_days(scan_day, 60);

  // The acquisition, from a day after the scan.
  const auto relations = plant.file(
      "relations.tsv",
      "subject\trelation\tobject\tshare\tvalid_from\tvalid_to\tsource\tas_of\tconfidence\tnote\n"
      "e2e-state\tcontrols\te2e-group\t\t\t\thttps://example.org/e2e/r1\t2025\thigh\t\n"
      "e2e-perinet\tacquired-by\te2e-group\t100\t" + acquired + "\t\thttps://example.org/e2e/r2\t" + acquired + "\thigh\t\n");
  REQUIRE(plant.herkomst({"vendors", "import", relations}).exit_code == 0);
  const std::vector<std::string> assess{"assess", "1", "--policy", plant.policy_file, "--context", plant.context_file,
                                        "--out", plant.out};

  // As of the scan's day the acquisition has not happened: nothing changes.
  auto before = assess;
  before.insert(before.end(), {"--as-of", scan_day});
  const json unchanged = plant.herkomst_json(before, 0);
  CHECK(unchanged["changes"].empty());
  CHECK(unchanged["newly_flagged"] == false);

  // As of a day after it: newly flagged, exit 1. The text report of the same run on a copy of the store.
  auto after = assess;
  after.insert(after.end(), {"--as-of", later});
  const std::string copy = plant.dir + "/copy.db";
  fs::copy_file(plant.db, copy);
  const auto text = plant.herkomst(after, copy);
  INFO(text.err);
  CHECK(text.exit_code == 1);
  CHECK(contains(text.out, "herkomst assess: 1 scan(s) as of " + later));
  CHECK(contains(text.out, "1 change(s), newly flagged first:"));
  CHECK(
      contains(text.out, "NEW scan 1 " + device_ref(kPerinetSensor) + " (Perinet GmbH): none -> exclusion-candidate"));

  const json flagged = plant.herkomst_json(after, 1);
  CHECK(flagged["as_of"] == later);
  CHECK(flagged["newly_flagged"] == true);
  REQUIRE(flagged["changes"].size() == 1);
  const json& change = flagged["changes"][0];
  CHECK(change["scan"] == 1);
  CHECK(change["component"] == device_ref(kPerinetSensor));
  CHECK(change["before"] == "none");
  CHECK(change["after"] == "exclusion-candidate");
  CHECK(change["newly_flagged"] == true);
  REQUIRE(flagged["runs"].size() == 1);
  CHECK(flagged["runs"][0]["run"] == 3);
  CHECK(flagged["runs"][0]["previous_run"] == 2);
  CHECK(flagged["runs"][0]["verdicts"] == json{{"exclusion-candidate", 1}});
  const std::string bom_file = flagged["runs"][0]["bom"];
  keep_for_validation(bom_file, "cli-assess-ownership");
  const json bom = json::parse(read_file(bom_file));
  CHECK(bom_property(bom, kPerinetSensor, "herkomst:claim:assessment:verdict") == "exclusion-candidate");
  CHECK(bom_property(bom, kPerinetSensor, "herkomst:claim:control:country") == "CN");
  CHECK(contains(bom_annotation(bom, kPerinetSensor), "Verdict: exclusion candidate"));

  const json detail = plant.explain(kPerinetSensor.mac_text);
  CHECK(detail["as_of"] == later);
  CHECK(detail["verdict"] == "exclusion-candidate");
  CHECK(contains(detail["explanation"], "controlled by the state of: CN"));
  CHECK(contains(detail["explanation"], "e2e-perinet acquired-by e2e-group"));

  // Again with nothing changed: exit 0, no change.
  const auto again = plant.herkomst(after);
  CHECK(again.exit_code == 0);
  CHECK(contains(again.out, "No verdict changed."));
  const json again_json = plant.herkomst_json(after, 0);
  CHECK(again_json["changes"].empty());
  CHECK(again_json["newly_flagged"] == false);
  CHECK(again_json["runs"][0]["previous_run"] == 4);
}

TEST_CASE("bad policy and context files and unknown scans or components exit 2 and store nothing") {
  Plant plant("assess-bad-input");
  const auto pcap = plant.capture("switch.pcap", {kHuaweiSwitch});
  plant.scan_assessed(pcap);
  const json stored = plant.explain(kHuaweiSwitch.mac_text, {"--scan", "1"});

  json bad_policy = china_policy();
  bad_policy["levels"][0]["level"] = "exclusion-candidate";
  const auto bad_policy_file = plant.file("bad-policy.json", bad_policy.dump(2));
  json bad_context = site_context(false);
  bad_context["zones"][0]["cidrs"][0] = "10.40.0.1/16";
  const auto bad_context_file = plant.file("bad-context.json", bad_context.dump(2));
  struct Case {
    std::vector<std::string> options;
    std::string file, field;
  };
  const Case bad_policy_case{{"--policy", bad_policy_file, "--context", plant.context_file}, "bad-policy.json",
                             "levels[0].level"};
  const Case bad_context_case{{"--policy", plant.policy_file, "--context", bad_context_file}, "bad-context.json",
                              "zones[0].cidrs[0]"};
  for (const auto& c : {bad_policy_case, bad_context_case}) {
    INFO(c.file);
    auto args = std::vector<std::string>{"assess", "1", "--out", plant.out};
    args.insert(args.end(), c.options.begin(), c.options.end());
    const auto r = plant.herkomst(args);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, c.file + ": " + c.field + ": "));
    CHECK(contains(r.err, "nothing assessed"));
    args.push_back("--json");
    CHECK(json::parse(plant.herkomst(args).out).contains("error"));
    // A scan with the same file is refused before anything is stored.
    auto scan_args = std::vector<std::string>{"scan", "--pcap", pcap, "--out", plant.out};
    scan_args.insert(scan_args.end(), c.options.begin(), c.options.end());
    const auto s = plant.herkomst(scan_args);
    CHECK(s.exit_code == 2);
    CHECK(contains(s.err, c.file + ": " + c.field + ": "));
  }
  // The scan's assessment is still the one stored, and still the only scan.
  const json still = plant.explain(kHuaweiSwitch.mac_text, {"--scan", "1"});
  CHECK(still["run"] == stored["run"]);
  CHECK(still["assessed_at"] == stored["assessed_at"]);
  CHECK(plant.herkomst_json({"scans", "list"})["scans"].size() == 1);

  const auto unknown_scan = plant.herkomst({"assess", "999"});
  CHECK(unknown_scan.exit_code == 2);
  CHECK(contains(unknown_scan.err, "no scan 999"));
  CHECK(plant.herkomst({"assess", "1", "999", "--out", plant.out}).exit_code == 2);  // all checked first
  CHECK(plant.explain(kHuaweiSwitch.mac_text)["run"] == stored["run"]);
  CHECK(plant.herkomst({"assess"}).exit_code == 2);
  CHECK(plant.herkomst({"assess", "1", "--as-of", "2026-13-01"}).exit_code == 2);

  const auto unknown_component = plant.herkomst({"explain", "00:00:5e:00:53:99"});
  CHECK(unknown_component.exit_code == 2);
  CHECK(contains(unknown_component.err, "no assessment of '00:00:5e:00:53:99'"));
  CHECK(plant.herkomst({"explain", "device:mac:00:00:5e:00:53:99", "--json"}).exit_code == 2);
  CHECK(plant.herkomst({"explain", "192.0.2.99"}).exit_code == 2);
  CHECK(plant.herkomst({"explain", kHuaweiSwitch.mac_text, "--scan", "999"}).exit_code == 2);
}

TEST_CASE("scan --no-assess gives no assessment claims and explain finds nothing") {
  Plant plant("assess-none");
  const json scan = plant.scan(plant.capture("switch.pcap", {kHuaweiSwitch, kKukaRobot}), {"--no-assess"});
  CHECK(claim(scan["assets"], kHuaweiSwitch, "origin.organisation") == "huawei");  // still attributed
  for (const auto& a : scan["assets"])
    for (const auto& c : a["claims"]) CHECK(c["attribute"].get<std::string>().rfind("assessment.", 0) != 0);
  CHECK(!scan["scan"]["reference_data"].contains("assessment-policy"));
  const std::string bom_file = scan["outputs"]["bom"];
  keep_for_validation(bom_file, "cli-assess-not-assessed");
  const json bom = json::parse(read_file(bom_file));
  CHECK(!bom.contains("annotations"));
  CHECK(bom_property(bom, kHuaweiSwitch, "herkomst:claim:assessment:verdict").empty());
  const auto r = plant.herkomst({"explain", kHuaweiSwitch.mac_text, "--scan", "1"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "scan 1 was never assessed"));
  CHECK(plant.herkomst({"explain", kHuaweiSwitch.mac_text}).exit_code == 2);

  // Assessing it later: every component newly assessed; flagged ones exit 1.
  const json assessed = plant.herkomst_json({"assess", "--all", "--out", plant.out}, 1);
  CHECK(assessed["runs"][0]["previous_run"].is_null());
  CHECK(assessed["changes"].size() == 2);
  for (const auto& c : assessed["changes"]) CHECK(c["before"].is_null());
}
