// A device that answers with several hardware units: the head-end and its modules.
#include <catch2/catch.hpp>

#include <algorithm>

#include "fingerprints/identify.hpp"
#include "fingerprints/rule_engine.hpp"

using namespace herkomst;

namespace {

Observation unit(std::uint64_t id, const std::string& signal, const std::string& serial, const std::string& name,
                 const std::string& revision) {
  Observation o;
  o.id = id;
  o.signal = signal;
  o.subjects = {{KeyKind::ipv4, "192.168.10.120"}};
  o.fields = {{"product.name", name}, {"revision", revision}, {"serial", serial}, {"vendor.id", std::int64_t{1}}};
  std::sort(o.fields.begin(), o.fields.end());
  o.evidence.add(id, 0);
  return o;
}

Asset chassis(const std::vector<Observation>& obs) {
  Asset a;
  a.ref = "asset:ipv4:192.168.10.120";
  a.keys = {{KeyKind::ipv4, "192.168.10.120"}};
  Component device;
  device.ref = "device:ipv4:192.168.10.120";
  for (const auto& o : obs) device.observation_ids.push_back(o.id);
  a.components.push_back(device);
  return a;
}

std::vector<const Component*> modules(const Asset& a) {
  std::vector<const Component*> out;
  for (std::size_t i = 1; i < a.components.size(); ++i)
    if (a.components[i].type == ComponentType::device) out.push_back(&a.components[i]);
  return out;
}

const fingerprints::RuleSet& rules() {
  static const fingerprints::RuleSet set = std::get<fingerprints::RuleSet>(fingerprints::RuleSet::load_builtin());
  return set;
}

}  // namespace

TEST_CASE("units behind the unit that answers ListIdentity become its modules") {
  const std::vector<Observation> obs{
      unit(1, "enip.list-identity", "0x0051aec3", "1756-ENBT/A", "4.7"),
      unit(2, "cip.identity", "0x0051aec3", "1756-ENBT/A", "4.7"),
      unit(3, "cip.identity", "0x0051823f", "1756-L61/B LOGIX5561", "16.20"),
      unit(4, "cip.identity", "0x0000ad77", "MVI56 ProSoft Technology, Inc.", "1.2"),
  };
  std::vector<Asset> assets{chassis(obs)};
  fingerprints::apply_rules(rules(), obs, assets);
  const Asset& a = assets[0];
  const Component& device = a.components[0];
  REQUIRE(device.best("product.name"));
  CHECK(device.best("product.name")->value == "1756-ENBT/A");
  CHECK(device.observation_ids == std::vector<std::uint64_t>{1, 2});
  for (const Claim& c : device.claims) CHECK(c.value != "1756-L61/B LOGIX5561");

  const auto m = modules(a);
  REQUIRE(m.size() == 2);
  CHECK(m[0]->ref == "module:ipv4:192.168.10.120:0x0000ad77");
  CHECK(m[1]->ref == "module:ipv4:192.168.10.120:0x0051823f");
  REQUIRE(m[1]->best("product.name"));
  CHECK(m[1]->best("product.name")->value == "1756-L61/B LOGIX5561");
  REQUIRE(m[1]->best("version"));
  CHECK(m[1]->best("version")->value == "16.20");
  REQUIRE(m[1]->best("role"));
  CHECK(m[1]->best("role")->value == "module");
  CHECK(m[1]->observation_ids == std::vector<std::uint64_t>{3});
  // The device's firmware is the head-end's, not a module's.
  const auto fw = std::find_if(a.components.begin(), a.components.end(),
                               [](const Component& c) { return c.type == ComponentType::firmware; });
  REQUIRE(fw != a.components.end());
  REQUIRE(fw->best("version"));
  CHECK(fw->best("version")->value == "4.7");
  CHECK(fw->all("version").size() == 1);
}

TEST_CASE("one unit is the device itself, and without a head-end every unit is a module") {
  SECTION("one serial, several messages") {
    const std::vector<Observation> obs{unit(1, "cip.identity", "0x01", "1769-L33ER", "30.11"),
                                       unit(2, "enip.list-identity", "0x01", "1769-L33ER", "30.11")};
    std::vector<Asset> assets{chassis(obs)};
    fingerprints::apply_rules(rules(), obs, assets);
    CHECK(modules(assets[0]).empty());
    REQUIRE(assets[0].components[0].best("product.name"));
    CHECK(assets[0].components[0].best("product.name")->value == "1769-L33ER");
  }
  SECTION("two units, neither answering for the address") {
    const std::vector<Observation> obs{unit(1, "cip.identity", "0x01", "1756-L61/B LOGIX5561", "16.20"),
                                       unit(2, "cip.identity", "0x02", "1756-ENBT/A", "4.7")};
    std::vector<Asset> assets{chassis(obs)};
    fingerprints::apply_rules(rules(), obs, assets);
    CHECK(modules(assets[0]).size() == 2);
    CHECK(assets[0].components[0].best("product.name") == nullptr);
    CHECK(assets[0].components[0].observation_ids.empty());
  }
}
