// CycloneDX writer: structure, honesty (nothing invented), determinism, taxonomy.
// Every BOM a test produces is written to HERKOMST_TEST_BOM_DIR, where the CTest test
// cyclonedx_validate checks it with the official CycloneDX validator (tests/cdx-validate).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sbom/cyclonedx.hpp"

using herkomst::Asset;
using herkomst::Claim;
using herkomst::Component;
using herkomst::ComponentType;
using herkomst::sbom::CycloneDxOptions;
using herkomst::Evidence;
using herkomst::Field;
using herkomst::Inventory;
using herkomst::KeyKind;
using herkomst::Observation;
using herkomst::ScanInput;
using herkomst::ScanStatus;
using herkomst::SourceKind;
using herkomst::SubjectKey;
using herkomst::sbom::to_cyclonedx_json;
using nlohmann::json;

namespace {

constexpr const char* kUuid = "0b7e6c1e-5d5a-4e0f-9a53-3c2f3b1f2a10";
constexpr std::int64_t kT0 = 1795852800000000;  // 2026-11-28T08:00:00Z in microseconds

std::filesystem::path bom_dir() {
  std::filesystem::path dir(HERKOMST_TEST_BOM_DIR);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes a BOM where the validator test finds it.
void keep(const std::string& name, const std::string& text, const std::filesystem::path& dir = bom_dir()) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / ("sbom-" + name + ".cdx.json"), std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

Evidence evidence(std::uint64_t first, std::uint64_t last, std::uint64_t count, std::int64_t t_first,
                  std::int64_t t_last, std::vector<std::uint64_t> frames, std::string input = "plant.pcapng") {
  Evidence e;
  e.input = std::move(input);
  e.first_frame = first;
  e.last_frame = last;
  e.count = count;
  e.first_time_us = t_first;
  e.last_time_us = t_last;
  e.frames = std::move(frames);
  return e;
}

Observation observation(std::uint64_t id, SourceKind source, std::string signal, std::vector<SubjectKey> subjects,
                        std::vector<Field> fields, Evidence e) {
  Observation o;
  o.id = id;
  o.source = source;
  o.signal = std::move(signal);
  o.subjects = std::move(subjects);
  o.fields = std::move(fields);
  o.evidence = std::move(e);
  return o;
}

Claim claim(std::string attribute, std::string value, double confidence, std::string rule, std::uint64_t obs) {
  return Claim{std::move(attribute), std::move(value), confidence, std::move(rule), obs};
}

SubjectKey mac(std::string v) { return {KeyKind::mac, std::move(v)}; }
SubjectKey ipv4(std::string v) { return {KeyKind::ipv4, std::move(v)}; }

// A small plant: a Siemens PLC with firmware, a Schneider gateway with conflicting vendor
// claims, an IP-only host behind it, a locally administered MAC with no claims, and a device
// with a non-ASCII hostname and manufacturer.
Inventory plant() {
  Inventory inv;
  inv.scan.id = 7;
  inv.scan.uuid = kUuid;
  inv.scan.started_at = "2026-11-28T12:00:00Z";
  inv.scan.finished_at = "2026-11-28T12:05:00Z";
  inv.scan.tool_version = "0.1.0";
  inv.scan.status = ScanStatus::complete;
  ScanInput in;
  in.kind = SourceKind::capture;
  in.path = "plant.pcapng";
  in.bytes = 123456;
  in.format = "pcapng";
  in.status = "read";
  in.counters = {{"packets", 977}, {"malformed", 2}};
  inv.scan.inputs.push_back(in);
  inv.scan.counters = {{"packets", 977}, {"malformed", 2}, {"frames.vlan-tagged", 40}};
  inv.scan.reference_data = {
      {"knowledge-base", "kb 2026.11"},
      {"ieee-registry", "ieee-data 2022-08-27T08:08:57Z: MA-L 32530 rows (oui.csv 2022-08-27, fnv1a64 0123456789abcdef)"}};

  const SubjectKey plc = mac("00:1b:1b:aa:bb:cc");
  const SubjectKey gw = mac("00:80:f4:01:02:03");
  const SubjectKey local = mac("02:00:00:00:00:01");
  const SubjectKey hmi = mac("00:0e:8c:11:22:33");

  inv.observations = {
      observation(1, SourceKind::capture, "ethernet.source", {plc}, {{"vlan", std::int64_t{10}}},
                  evidence(1, 977, 40, kT0, kT0 + 90'000'000, {1, 5, 9, 13, 17, 21, 25, 29})),
      observation(2, SourceKind::capture, "arp.sender", {plc, ipv4("192.168.0.10")}, {{"operation", std::string("reply")}},
                  evidence(2, 2, 1, kT0 + 1000, kT0 + 1000, {2})),
      observation(3, SourceKind::capture, "tcp.service", {ipv4("192.168.0.10")},
                  {{"port", std::int64_t{102}}, {"transport", std::string("tcp")}},
                  evidence(5, 900, 12, kT0 + 5000, kT0 + 80'000'000, {5, 40, 80})),
      observation(4, SourceKind::capture, "ethernet.source", {gw}, {{"vlan", std::int64_t{10}}},
                  evidence(3, 970, 300, kT0 + 2000, kT0 + 89'000'000, {3, 4, 6})),
      observation(5, SourceKind::probe, "modbus.device-identification", {ipv4("192.168.0.1")},
                  {{"vendor", std::string("Schneider Electric")}}, evidence(0, 0, 1, kT0 + 100'000'000, kT0 + 100'000'000, {}, "")),
      observation(6, SourceKind::capture, "ip.source", {gw, ipv4("10.20.30.40")}, {},
                  evidence(7, 960, 25, kT0 + 3000, kT0 + 88'000'000, {7, 8})),
      observation(7, SourceKind::capture, "ethernet.source", {local}, {{"vlan", std::int64_t{2}}},
                  evidence(11, 11, 1, kT0 + 7000, kT0 + 7000, {11})),
      observation(8, SourceKind::capture, "dhcp.hostname", {hmi}, {{"hostname", std::string("steuerung-süd")}},
                  evidence(12, 600, 3, kT0 + 8000, kT0 + 60'000'000, {12, 300, 600})),
  };

  Asset a;
  a.ref = "asset:mac:00:1b:1b:aa:bb:cc";
  a.keys = {plc, ipv4("192.168.0.10")};
  Component d;
  d.ref = "device:mac:00:1b:1b:aa:bb:cc";
  d.claims = {claim("mac.kind", "universal", 1.0, "mac.address-bits", 1),
              claim("mac.registrant", "Siemens AG", 1.0, "mac.registrant", 1),
              claim("mac.registrant.country", "DE", 1.0, "mac.registrant", 1),
              claim("mac.registry", "MA-L", 1.0, "mac.registrant", 1),
              claim("manufacturer.country", "DE", 0.4, "mac.registrant", 1),
              claim("manufacturer.name", "Siemens AG", 0.5, "mac.registrant", 1)};
  d.observation_ids = {1, 2, 3};
  Component fw;
  fw.ref = "firmware:mac:00:1b:1b:aa:bb:cc";
  fw.type = ComponentType::firmware;
  fw.claims = {claim("version", "V3.2.6", 0.9, "s7.szl-module", 3)};
  fw.observation_ids = {3};
  a.components = {d, fw};
  inv.assets.push_back(a);

  Asset b;
  b.ref = "asset:mac:00:80:f4:01:02:03";
  b.keys = {gw, ipv4("192.168.0.1")};
  Component g;
  g.ref = "device:mac:00:80:f4:01:02:03";
  g.claims = {claim("manufacturer.name", "Telemecanique", 0.5, "mac.registrant", 4),
              claim("manufacturer.name", "Schneider Electric", 0.9, "modbus.device-id", 5),
              claim("manufacturer.country", "FR", 0.4, "mac.registrant", 4),
              claim("role", "gateway", 0.8, "topology.gateway", 6)};
  g.observation_ids = {4, 5, 6};
  b.components = {g};
  inv.assets.push_back(b);

  Asset c;
  c.ref = "asset:ipv4:10.20.30.40";
  c.keys = {ipv4("10.20.30.40")};
  Component ip;
  ip.ref = "device:ipv4:10.20.30.40";
  ip.claims = {claim("network.via", "00:80:f4:01:02:03", 0.7, "topology.via", 6)};
  ip.observation_ids = {6};
  c.components = {ip};
  inv.assets.push_back(c);

  Asset l;
  l.ref = "asset:mac:02:00:00:00:00:01";
  l.keys = {local};
  Component ld;
  ld.ref = "device:mac:02:00:00:00:00:01";
  ld.observation_ids = {7};
  l.components = {ld};
  inv.assets.push_back(l);

  Asset h;
  h.ref = "asset:mac:00:0e:8c:11:22:33";
  h.keys = {hmi, {KeyKind::hostname, "steuerung-süd"}};
  Component hd;
  hd.ref = "device:mac:00:0e:8c:11:22:33";
  hd.claims = {claim("manufacturer.name", "Société Générale d'Équipements 北京", 0.5, "mac.registrant", 8),
               claim("manufacturer.country", "CN", 0.4, "mac.registrant", 8)};
  hd.observation_ids = {8};
  h.components = {hd};
  inv.assets.push_back(h);

  std::sort(inv.assets.begin(), inv.assets.end(), [](const Asset& x, const Asset& y) { return x.ref < y.ref; });
  return inv;
}

const json& component(const json& bom, const std::string& ref) {
  for (const auto& c : bom.at("components"))
    if (c.at("bom-ref") == ref) return c;
  FAIL("no component " << ref);
  throw std::logic_error("unreachable");
}

std::vector<std::string> values(const json& object, const std::string& name) {
  std::vector<std::string> out;
  if (!object.contains("properties")) return out;
  for (const auto& p : object.at("properties"))
    if (p.at("name") == name) out.push_back(p.at("value").get<std::string>());
  return out;
}

std::string value(const json& object, const std::string& name) {
  const auto all = values(object, name);
  REQUIRE(all.size() == 1);
  return all.front();
}

// Every properties array anywhere in the document, with where it was.
void collect_properties(const json& node, std::vector<const json*>& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "properties" && it.value().is_array()) out.push_back(&it.value());
      collect_properties(it.value(), out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_properties(item, out);
  }
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("BOM header, metadata and tool", "[sbom]") {
  const std::string text = to_cyclonedx_json(plant());
  keep("plant", text);
  const json bom = json::parse(text);

  CHECK(bom.at("bomFormat") == "CycloneDX");
  CHECK(bom.at("specVersion") == "1.6");
  CHECK(bom.at("serialNumber") == std::string("urn:uuid:") + kUuid);
  CHECK(bom.at("version") == 1);

  const json& m = bom.at("metadata");
  CHECK(m.at("timestamp") == "2026-11-28T12:00:00Z");
  CHECK(m.at("lifecycles") == json::parse(R"([{"phase":"discovery"},{"phase":"operations"}])"));
  REQUIRE(m.at("tools").at("components").size() == 1);
  const json& tool = m.at("tools").at("components").at(0);
  CHECK(tool.at("type") == "application");
  CHECK(tool.at("name") == "herkomst");
  CHECK(tool.at("version") == "0.1.0");
  CHECK_FALSE(m.contains("component"));  // no site data in the inventory: nothing invented

  CHECK(value(m, "herkomst:scan:id") == "7");
  CHECK(value(m, "herkomst:scan:status") == "complete");
  CHECK(value(m, "herkomst:scan:finished-at") == "2026-11-28T12:05:00Z");
  CHECK(value(m, "herkomst:scan:assets") == "5");
  CHECK(value(m, "herkomst:scan:observations") == "8");
  CHECK(value(m, "herkomst:scan:counter:packets") == "977");
  CHECK(value(m, "herkomst:scan:counter:frames:vlan-tagged") == "40");
  CHECK(value(m, "herkomst:reference-data:ieee-registry") ==
        "ieee-data 2022-08-27T08:08:57Z: MA-L 32530 rows (oui.csv 2022-08-27, fnv1a64 0123456789abcdef)");
  CHECK(value(m, "herkomst:reference-data:knowledge-base") == "kb 2026.11");
  std::vector<std::string> reference_names;  // one per data set, sorted by name
  for (const auto& p : m.at("properties"))
    if (p.at("name").get<std::string>().rfind("herkomst:reference-data:", 0) == 0) reference_names.push_back(p.at("name"));
  CHECK(reference_names ==
        std::vector<std::string>{"herkomst:reference-data:ieee-registry", "herkomst:reference-data:knowledge-base"});
  const json input = json::parse(value(m, "herkomst:scan:input"));
  CHECK(input.at("path") == "plant.pcapng");
  CHECK(input.at("kind") == "capture");
  CHECK(input.at("format") == "pcapng");
  CHECK(input.at("bytes") == 123456);
  CHECK(input.at("status") == "read");
  CHECK(input.at("counters").at("malformed") == 2);

  // Layout: 2-space indentation, conventional key order, trailing newline.
  REQUIRE(text.size() > 2);
  CHECK(text.back() == '\n');
  CHECK(text.rfind("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n", 0) == 0);
}

TEST_CASE("a device: name, manufacturer, identity evidence, occurrences, properties", "[sbom]") {
  const json bom = json::parse(to_cyclonedx_json(plant()));
  REQUIRE(bom.at("components").size() == 5);
  const json& plc = component(bom, "device:mac:00:1b:1b:aa:bb:cc");

  CHECK(plc.at("type") == "device");
  CHECK(plc.at("name") == "Siemens AG device 00:1b:1b:aa:bb:cc");
  CHECK(plc.at("manufacturer") == json::parse(R"({"name":"Siemens AG","address":{"country":"DE"}})"));

  const json& identity = plc.at("evidence").at("identity");
  REQUIRE(identity.is_array());
  REQUIRE(identity.size() == 1);
  CHECK(identity.at(0).at("field") == "name");
  CHECK(identity.at(0).at("concludedValue") == "Siemens AG device 00:1b:1b:aa:bb:cc");
  CHECK(identity.at(0).at("confidence") == 0.5);
  REQUIRE(identity.at(0).at("methods").size() == 1);
  CHECK(identity.at(0).at("methods").at(0).at("technique") == "other");  // passive capture + registry lookup
  CHECK(identity.at(0).at("methods").at(0).at("value") ==
        "manufacturer.name=Siemens AG; rule=mac.registrant; observation=1");

  const json& occurrences = plc.at("evidence").at("occurrences");
  REQUIRE(occurrences.size() == 3);
  CHECK(occurrences.at(0).at("location") == "plant.pcapng#frame=1");
  CHECK(occurrences.at(1).at("location") == "plant.pcapng#frame=2");
  CHECK(occurrences.at(2).at("location") == "plant.pcapng#frame=5");
  CHECK(occurrences.at(0).at("additionalContext") ==
        "signal=ethernet.source; observation=1; sightings=40; first-frame=1; last-frame=977; "
        "first-seen=2026-11-28T08:00:00.000000Z; last-seen=2026-11-28T08:01:30.000000Z; vlan=10");

  CHECK(values(plc, "herkomst:asset") == std::vector<std::string>{"asset:mac:00:1b:1b:aa:bb:cc"});
  CHECK(values(plc, "herkomst:mac") == std::vector<std::string>{"00:1b:1b:aa:bb:cc"});
  CHECK(values(plc, "herkomst:ipv4") == std::vector<std::string>{"192.168.0.10"});
  CHECK(value(plc, "herkomst:claim:manufacturer:name") == "Siemens AG");
  CHECK(value(plc, "herkomst:claim:manufacturer:country") == "DE");
  CHECK(value(plc, "herkomst:claim:mac:registrant:country") == "DE");
  CHECK(value(plc, "herkomst:claim:mac:registry") == "MA-L");
  CHECK(value(plc, "herkomst:claim:mac:kind") == "universal");
  const json detail = json::parse(value(plc, "herkomst:claim-detail:manufacturer:name"));
  CHECK(detail == json::parse(R"({"value":"Siemens AG","confidence":0.5,"rule":"mac.registrant","observation":1,"rank":1})"));
  CHECK(value(plc, "herkomst:observations") == "3");
  CHECK(value(plc, "herkomst:sightings") == "53");
  CHECK(value(plc, "herkomst:first-seen") == "2026-11-28T08:00:00.000000Z");
  CHECK(value(plc, "herkomst:last-seen") == "2026-11-28T08:01:30.000000Z");
  CHECK(values(plc, "herkomst:signal") == std::vector<std::string>{"arp.sender", "ethernet.source", "tcp.service"});
  CHECK(values(plc, "herkomst:vlan") == std::vector<std::string>{"10"});
  CHECK(values(plc, "herkomst:service") == std::vector<std::string>{"tcp/102"});
  CHECK(values(plc, "herkomst:occurrences:omitted").empty());

  // The firmware is nested in its device, named after it, with its version and evidence.
  REQUIRE(plc.at("components").size() == 1);
  const json& fw = plc.at("components").at(0);
  CHECK(fw.at("type") == "firmware");
  CHECK(fw.at("bom-ref") == "firmware:mac:00:1b:1b:aa:bb:cc");
  CHECK(fw.at("name") == "firmware of Siemens AG device 00:1b:1b:aa:bb:cc");
  CHECK(fw.at("version") == "V3.2.6");
  CHECK_FALSE(fw.contains("manufacturer"));
  REQUIRE(fw.at("evidence").at("identity").size() == 1);
  CHECK(fw.at("evidence").at("identity").at(0).at("field") == "version");
  CHECK(fw.at("evidence").at("identity").at(0).at("concludedValue") == "V3.2.6");
  CHECK(values(fw, "herkomst:mac").empty());  // keys belong to the asset's own component
  CHECK(value(fw, "herkomst:asset") == "asset:mac:00:1b:1b:aa:bb:cc");
}

TEST_CASE("conflicting manufacturer claims: best wins, every claim kept", "[sbom]") {
  const json bom = json::parse(to_cyclonedx_json(plant()));
  const json& gw = component(bom, "device:mac:00:80:f4:01:02:03");
  CHECK(gw.at("name") == "Schneider Electric device 00:80:f4:01:02:03");
  CHECK(gw.at("manufacturer").at("name") == "Schneider Electric");
  // The only country claim comes from the MAC registrant rule, not from the Modbus rule that
  // named the manufacturer: it is kept as a claim but not shown as that manufacturer's address.
  CHECK_FALSE(gw.at("manufacturer").contains("address"));
  CHECK(value(gw, "herkomst:claim:manufacturer:country") == "FR");
  CHECK(value(gw, "herkomst:claim:manufacturer:name") == "Schneider Electric");
  CHECK(value(gw, "herkomst:claim:role") == "gateway");

  const auto details = values(gw, "herkomst:claim-detail:manufacturer:name");
  REQUIRE(details.size() == 2);
  const json first = json::parse(details[0]);
  const json second = json::parse(details[1]);
  CHECK(first.at("value") == "Schneider Electric");
  CHECK(first.at("rank") == 1);
  CHECK(first.at("rule") == "modbus.device-id");
  CHECK(second.at("value") == "Telemecanique");
  CHECK(second.at("rank") == 2);
  CHECK(second.at("confidence") == 0.5);

  // The identity evidence lists only what supports the concluded name; the probe's answer
  // is a technique CycloneDX names.
  const json& methods = gw.at("evidence").at("identity").at(0).at("methods");
  REQUIRE(methods.size() == 1);
  CHECK(methods.at(0).at("technique") == "dynamic-analysis");
  CHECK(methods.at(0).at("confidence") == 0.9);

  // A probe observation without input file or frame still gets a location.
  bool probe_seen = false;
  for (const auto& o : gw.at("evidence").at("occurrences"))
    if (o.at("location") == "probe:modbus.device-identification") probe_seen = true;
  CHECK(probe_seen);
}

TEST_CASE("IP-only, claim-less and non-ASCII devices", "[sbom]") {
  const std::string text = to_cyclonedx_json(plant());
  const json bom = json::parse(text);

  const json& ip = component(bom, "device:ipv4:10.20.30.40");
  CHECK(ip.at("name") == "device 10.20.30.40");
  CHECK_FALSE(ip.contains("manufacturer"));
  CHECK_FALSE(ip.at("evidence").contains("identity"));
  CHECK(values(ip, "herkomst:ipv4") == std::vector<std::string>{"10.20.30.40"});
  CHECK(value(ip, "herkomst:claim:network:via") == "00:80:f4:01:02:03");

  const json& bare = component(bom, "device:mac:02:00:00:00:00:01");
  CHECK(bare.at("name") == "device 02:00:00:00:00:01");
  CHECK_FALSE(bare.contains("manufacturer"));
  CHECK_FALSE(bare.at("evidence").contains("identity"));
  for (const auto& p : bare.at("properties"))
    CHECK(p.at("name").get<std::string>().rfind("herkomst:claim", 0) == std::string::npos);
  CHECK(values(bare, "herkomst:vlan") == std::vector<std::string>{"2"});

  const json& hmi = component(bom, "device:mac:00:0e:8c:11:22:33");
  CHECK(hmi.at("name") == "steuerung-süd");  // the hostname wins over the label
  CHECK(hmi.at("manufacturer").at("name") == "Société Générale d'Équipements 北京");
  CHECK(hmi.at("manufacturer").at("address").at("country") == "CN");
  CHECK_FALSE(hmi.at("evidence").contains("identity"));  // the name rests on no claim
  CHECK(values(hmi, "herkomst:hostname") == std::vector<std::string>{"steuerung-süd"});
  // UTF-8 is written as UTF-8, not as \u escapes.
  CHECK(text.find("steuerung-süd") != std::string::npos);
  CHECK(text.find("北京") != std::string::npos);
}

TEST_CASE("property names: herkomst namespace only, taxonomy syntax, sorted", "[sbom]") {
  const std::string text = to_cyclonedx_json(plant());
  const json bom = json::parse(text);
  std::vector<const json*> arrays;
  collect_properties(bom, arrays);
  REQUIRE(arrays.size() >= 7);  // metadata, 5 devices, 1 firmware
  const std::regex syntax("herkomst(:[A-Za-z0-9_ -]+)+");
  for (const json* props : arrays) {
    std::vector<std::string> names;
    for (const auto& p : *props) {
      const std::string name = p.at("name");
      INFO(name);
      CHECK(std::regex_match(name, syntax));
      CHECK(name.rfind("cdx:", 0) == std::string::npos);
      CHECK(name.rfind("internal:", 0) == std::string::npos);
      CHECK(p.at("value").is_string());
      names.push_back(name);
    }
    CHECK(std::is_sorted(names.begin(), names.end()));
  }
  CHECK(text.find("\"cdx:") == std::string::npos);
  CHECK(text.find("\"internal:") == std::string::npos);
}

TEST_CASE("every property written is documented in docs/taxonomy.md", "[sbom]") {
  std::ifstream in(HERKOMST_TAXONOMY_MD);
  REQUIRE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  CycloneDxOptions few;
  few.max_occurrences = 1;  // also emits herkomst:occurrences:omitted
  std::vector<const json*> arrays;
  const json bom = json::parse(to_cyclonedx_json(plant(), few));
  collect_properties(bom, arrays);
  std::set<std::string> families;
  for (const json* props : arrays) {
    for (const auto& p : *props) {
      std::string name = p.at("name");
      for (const char* family :
           {"herkomst:claim:", "herkomst:claim-detail:", "herkomst:scan:counter:", "herkomst:reference-data:",
            "herkomst:package:"}) {
        if (name.rfind(family, 0) == 0)
          name = std::string(family) + (name.rfind("herkomst:claim", 0) == 0     ? "<attribute>"
                                        : name.rfind("herkomst:package", 0) == 0 ? "<key>"
                                                                                 : "<name>");
      }
      families.insert(name);
    }
  }
  CHECK(families.count("herkomst:occurrences:omitted") == 1);
  CHECK(families.count("herkomst:reference-data:<name>") == 1);
  for (const auto& name : families) {
    INFO(name);
    CHECK(doc.find("`" + name + "`") != std::string::npos);
  }
}

TEST_CASE("package properties: each observation field property.<key> once per value, documented", "[sbom]") {
  Inventory inv = plant();
  const SubjectKey file{KeyKind::path, "/hmi/Program Files/WinCC/bin/CCEServer.exe"};
  inv.observations.push_back(observation(20, SourceKind::filesystem, "pe-version-info", {file},
                                         {{"property.pe.signature.status", std::string("valid")},
                                          {"property.pe.signature.subject_o", std::string("Siemens AG")},
                                          {"property.pe.signature.nested.1.status", std::string("bad-signature")},
                                          {"name", std::string("CCEServer")}},
                                         evidence(0, 0, 1, 0, 0, {}, "/hmi")));
  inv.observations.push_back(observation(21, SourceKind::filesystem, "pe-version-info", {file},
                                         {{"property.pe.signature.status", std::string("digest-mismatch")},
                                          {"property.pe.signature.subject_o", std::string("Siemens AG")}},
                                         evidence(0, 0, 1, 0, 0, {}, "/hmi")));
  Asset a;
  a.ref = "asset:path:/hmi";
  a.keys = {file};
  Component app;
  app.ref = "application:path:/hmi/Program Files/WinCC/bin/CCEServer.exe";
  app.type = ComponentType::application;
  app.claims = {claim("name", "CCEServer", 0.9, "pe-version-info", 20)};
  app.observation_ids = {20, 21};
  a.components = {app};
  inv.assets.push_back(a);
  std::sort(inv.assets.begin(), inv.assets.end(), [](const Asset& x, const Asset& y) { return x.ref < y.ref; });

  const json bom = json::parse(to_cyclonedx_json(inv));
  const json& c = component(bom, app.ref);
  CHECK(values(c, "herkomst:package:pe:signature:status") == std::vector<std::string>{"digest-mismatch", "valid"});
  CHECK(value(c, "herkomst:package:pe:signature:subject_o") == "Siemens AG");
  CHECK(value(c, "herkomst:package:pe:signature:nested:1:status") == "bad-signature");
  CHECK(values(c, "herkomst:package:name").empty());  // a plain field is not a package property
  // Devices of the plant have no such fields, so none of theirs.
  CHECK(values(component(bom, "device:mac:00:1b:1b:aa:bb:cc"), "herkomst:package:pe:signature:status").empty());

  std::ifstream in(HERKOMST_TAXONOMY_MD);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(doc.find("`herkomst:package:<key>`") != std::string::npos);
  keep("package-properties", to_cyclonedx_json(inv));
}

TEST_CASE("compositions: incomplete for a complete passive scan, unknown otherwise", "[sbom]") {
  Inventory inv = plant();
  json bom = json::parse(to_cyclonedx_json(inv));
  REQUIRE(bom.at("compositions").size() == 1);
  CHECK(bom.at("compositions").at(0).at("aggregate") == "incomplete");
  const auto assemblies = bom.at("compositions").at(0).at("assemblies").get<std::vector<std::string>>();
  const std::vector<std::string> expected{"device:ipv4:10.20.30.40", "device:mac:00:0e:8c:11:22:33",
                                          "device:mac:00:1b:1b:aa:bb:cc", "device:mac:00:80:f4:01:02:03",
                                          "device:mac:02:00:00:00:00:01", "firmware:mac:00:1b:1b:aa:bb:cc"};
  CHECK(assemblies == expected);

  for (ScanStatus status : {ScanStatus::running, ScanStatus::incomplete, ScanStatus::failed}) {
    inv.scan.status = status;
    const std::string text = to_cyclonedx_json(inv);
    keep(std::string("status-") + std::string(herkomst::to_string(status)), text);
    bom = json::parse(text);
    CHECK(bom.at("compositions").at(0).at("aggregate") == "unknown");
    CHECK(value(bom.at("metadata"), "herkomst:scan:status") == herkomst::to_string(status));
  }
}

TEST_CASE("deterministic: input order does not matter", "[sbom]") {
  const Inventory ordered = plant();
  const std::string expected = to_cyclonedx_json(ordered);
  std::mt19937 rng(20261128);
  for (int round = 0; round < 20; ++round) {
    Inventory shuffled = ordered;
    std::shuffle(shuffled.assets.begin(), shuffled.assets.end(), rng);
    std::shuffle(shuffled.observations.begin(), shuffled.observations.end(), rng);
    for (auto& a : shuffled.assets) {
      std::shuffle(a.keys.begin(), a.keys.end(), rng);
      if (a.components.size() > 1) std::shuffle(a.components.begin() + 1, a.components.end(), rng);
      for (auto& c : a.components) {
        std::shuffle(c.claims.begin(), c.claims.end(), rng);
        std::shuffle(c.observation_ids.begin(), c.observation_ids.end(), rng);
      }
    }
    for (auto& o : shuffled.observations) std::shuffle(o.evidence.frames.begin(), o.evidence.frames.end(), rng);
    REQUIRE(to_cyclonedx_json(shuffled) == expected);
  }
  // And the same call twice gives the same bytes.
  CHECK(to_cyclonedx_json(ordered) == expected);
}

TEST_CASE("two scans of the same input differ only in serial number, time and scan id", "[sbom]") {
  const Inventory first = plant();
  Inventory second = plant();
  second.scan.id = 8;
  second.scan.uuid = "c5a1f0d2-8b3e-4c7a-9d11-0e2f4a6b8c9d";
  second.scan.started_at = "2026-11-29T06:30:00Z";
  second.scan.finished_at = "2026-11-29T06:31:15Z";
  const std::string a = to_cyclonedx_json(first);
  const std::string b = to_cyclonedx_json(second);
  keep("second-scan", b);
  const auto la = lines(a);
  const auto lb = lines(b);
  REQUIRE(la.size() == lb.size());
  std::vector<std::string> changed;
  for (std::size_t i = 0; i < la.size(); ++i)
    if (la[i] != lb[i]) changed.push_back(lb[i]);
  REQUIRE(changed.size() == 4);
  CHECK(changed[0] == "  \"serialNumber\": \"urn:uuid:c5a1f0d2-8b3e-4c7a-9d11-0e2f4a6b8c9d\",");
  CHECK(changed[1] == "    \"timestamp\": \"2026-11-29T06:30:00Z\",");
  // The value lines of herkomst:scan:finished-at and herkomst:scan:id (sorted by name).
  CHECK(changed[2] == "        \"value\": \"2026-11-29T06:31:15Z\"");
  CHECK(changed[3] == "        \"value\": \"8\"");
}

TEST_CASE("occurrences are capped, counted, or listed per frame", "[sbom]") {
  Inventory inv;
  inv.scan.uuid = kUuid;
  inv.scan.started_at = "2026-11-28T12:00:00Z";
  inv.scan.status = ScanStatus::complete;
  Asset a;
  a.ref = "asset:mac:00:1b:1b:00:00:01";
  a.keys = {mac("00:1b:1b:00:00:01")};
  Component d;
  d.ref = "device:mac:00:1b:1b:00:00:01";
  for (std::uint64_t id = 1; id <= 12; ++id) {
    inv.observations.push_back(observation(id, SourceKind::capture, "ethernet.source", a.keys, {},
                                           evidence(id * 10, id * 10 + 5, 2, kT0 + static_cast<std::int64_t>(id), kT0 + static_cast<std::int64_t>(id) + 5,
                                                    {id * 10, id * 10 + 5}, "cap-" + std::to_string(id % 3) + ".pcap")));
    d.observation_ids.push_back(id);
  }
  a.components = {d};
  inv.assets = {a};

  SECTION("default cap of 8") {
    const std::string text = to_cyclonedx_json(inv);
    keep("occurrences-capped", text);
    const json bom = json::parse(text);
    const json& c = bom.at("components").at(0);
    const json& occ = c.at("evidence").at("occurrences");
    REQUIRE(occ.size() == 8);
    CHECK(value(c, "herkomst:occurrences:omitted") == "4");
    CHECK(occ.at(0).at("location") == "cap-0.pcap#frame=30");  // sorted by input, then frame
    CHECK(occ.at(1).at("location") == "cap-0.pcap#frame=60");
    CHECK(value(c, "herkomst:sightings") == "24");
  }
  SECTION("no occurrences at all") {
    CycloneDxOptions none;
    none.max_occurrences = 0;
    const std::string text = to_cyclonedx_json(inv, none);
    keep("occurrences-none", text);
    const json bom = json::parse(text);
    const json& c = bom.at("components").at(0);
    CHECK_FALSE(c.contains("evidence"));
    CHECK(value(c, "herkomst:occurrences:omitted") == "12");
  }
  SECTION("one occurrence per sampled frame") {
    CycloneDxOptions frames;
    frames.frame_occurrences = true;
    frames.max_occurrences = 100;
    const std::string text = to_cyclonedx_json(inv, frames);
    keep("occurrences-frames", text);
    const json bom = json::parse(text);
    const json& c = bom.at("components").at(0);
    const json& occ = c.at("evidence").at("occurrences");
    REQUIRE(occ.size() == 24);
    CHECK(occ.at(0).at("location") == "cap-0.pcap#frame=30");
    CHECK(occ.at(1).at("location") == "cap-0.pcap#frame=35");
    CHECK(occ.at(0).at("additionalContext") == "signal=ethernet.source; observation=3");
    CHECK(values(c, "herkomst:occurrences:omitted").empty());
  }
}

TEST_CASE("edge cases: empty inventory, asset without components, bad bytes, bad confidences", "[sbom]") {
  SECTION("empty inventory, running scan without times") {
    Inventory inv;
    inv.scan.uuid = kUuid;
    const std::string text = to_cyclonedx_json(inv);
    keep("empty", text);
    const json bom = json::parse(text);
    CHECK(bom.at("components").empty());
    CHECK_FALSE(bom.at("metadata").contains("timestamp"));
    CHECK_FALSE(bom.at("metadata").at("tools").at("components").at(0).contains("version"));
    CHECK(bom.at("compositions").at(0).at("aggregate") == "unknown");
    CHECK_FALSE(bom.at("compositions").at(0).contains("assemblies"));
  }
  SECTION("no uuid: no serial number") {
    Inventory inv;
    const json bom = json::parse(to_cyclonedx_json(inv));
    CHECK_FALSE(bom.contains("serialNumber"));
  }
  SECTION("upper-case uuid is written in the schema's lower case") {
    Inventory inv;
    inv.scan.uuid = "0B7E6C1E-5D5A-4E0F-9A53-3C2F3B1F2A10";
    const json bom = json::parse(to_cyclonedx_json(inv));
    CHECK(bom.at("serialNumber") == std::string("urn:uuid:") + kUuid);
  }
  SECTION("an asset without components is still a device") {
    Inventory inv;
    inv.scan.uuid = kUuid;
    Asset a;
    a.ref = "asset:ipv6:fe80::1";
    a.keys = {{KeyKind::ipv6, "fe80::1"}};
    inv.assets = {a};
    const std::string text = to_cyclonedx_json(inv);
    keep("no-components", text);
    const json bom = json::parse(text);
    const json& c = bom.at("components").at(0);
    CHECK(c.at("bom-ref") == "asset:ipv6:fe80::1");
    CHECK(c.at("type") == "device");
    CHECK(c.at("name") == "device fe80::1");
    CHECK(values(c, "herkomst:ipv6") == std::vector<std::string>{"fe80::1"});
  }
  SECTION("invalid UTF-8 and out-of-range confidences still give a valid BOM") {
    Inventory inv = plant();
    inv.assets[0].keys.push_back({KeyKind::hostname, std::string("bad\xff\xfehost")});
    inv.assets[0].components[0].claims.push_back(claim("manufacturer.name", "Overconfident Inc", 1.7, "buggy.rule", 0));
    inv.assets[0].components[0].claims.push_back(claim("model.name", "X", -0.3, "buggy.rule", 0));
    const std::string text = to_cyclonedx_json(inv);
    keep("sanitised", text);
    const json bom = json::parse(text);
    const json& c = bom.at("components").at(0);
    CHECK(c.at("name") == "bad\xEF\xBF\xBD\xEF\xBF\xBDhost");
    const json d = json::parse(values(c, "herkomst:claim-detail:model:name").at(0));
    CHECK(d.at("confidence") == 0.0);
    const json m = json::parse(values(c, "herkomst:claim-detail:manufacturer:name").at(0));
    CHECK(m.at("confidence") == 1.0);
    CHECK(m.at("observation") == 0);
  }
}

TEST_CASE("inventories that cannot give a valid BOM are refused", "[sbom]") {
  SECTION("malformed uuid") {
    Inventory inv;
    inv.scan.uuid = "not-a-uuid";
    CHECK_THROWS_AS(to_cyclonedx_json(inv), std::invalid_argument);
  }
  SECTION("duplicate refs") {
    Inventory inv = plant();
    inv.assets[1].components[0].ref = inv.assets[0].components[0].ref;
    CHECK_THROWS_AS(to_cyclonedx_json(inv), std::invalid_argument);
  }
  SECTION("a component ref equal to the tool's") {
    Inventory inv = plant();
    inv.assets[0].components[0].ref = "tool:herkomst";
    CHECK_THROWS_AS(to_cyclonedx_json(inv), std::invalid_argument);
  }
  SECTION("empty refs") {
    Inventory inv = plant();
    inv.assets[0].components[0].ref.clear();
    CHECK_THROWS_AS(to_cyclonedx_json(inv), std::invalid_argument);
    inv = plant();
    inv.assets[0].ref.clear();
    CHECK_THROWS_AS(to_cyclonedx_json(inv), std::invalid_argument);
  }
}

TEST_CASE("helpers: property segments and times", "[sbom]") {
  CHECK(herkomst::sbom::property_segments("manufacturer.name") == "manufacturer:name");
  CHECK(herkomst::sbom::property_segments("mac.registrant.country") == "mac:registrant:country");
  CHECK(herkomst::sbom::property_segments("a/b c:d") == "a_b_c_d");
  CHECK(herkomst::sbom::claim_property_name("role") == "herkomst:claim:role");
  CHECK(herkomst::sbom::format_time_us(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(herkomst::sbom::format_time_us(1700000000123456) == "2023-11-14T22:13:20.123456Z");
  CHECK(herkomst::sbom::format_time_us(kT0) == "2026-11-28T08:00:00.000000Z");
  CHECK(herkomst::sbom::format_time_us(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(herkomst::sbom::format_time_us(951782400000000) == "2000-02-29T00:00:00.000000Z");
}

// Not a check of the writer: produces a BOM the validator must reject (CTest test
// cyclonedx_validate_rejects_invalid), so a validator that accepts anything is caught.
TEST_CASE("write a deliberately invalid BOM for the validator's negative test", "[sbom]") {
  json bom = json::parse(to_cyclonedx_json(plant()));
  bom["components"][0]["type"] = "toaster";
  keep("invalid-type", bom.dump(2) + "\n", HERKOMST_TEST_INVALID_BOM_DIR);
  json bom2 = json::parse(to_cyclonedx_json(plant()));
  json& plc = bom2["components"][2];
  REQUIRE(plc["bom-ref"] == "device:mac:00:1b:1b:aa:bb:cc");
  plc["evidence"]["identity"][0]["methods"][0]["technique"] = "mac-registry";
  keep("invalid-technique", bom2.dump(2) + "\n", HERKOMST_TEST_INVALID_BOM_DIR);
}
