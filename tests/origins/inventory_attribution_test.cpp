// The attribution stage on an inventory: which manufacturer claims are used, and what a
// component gets when its maker resolves, does not resolve, or is ambiguous.
#include <catch2/catch.hpp>

#include "origins/inventory_attribution.hpp"
#include "tests/origins/kb_test_support.hpp"

using namespace herkomst;
using namespace herkomst::origins;
using namespace herkomst::origins::test;

namespace {

KnowledgeBase sample_kb() {
  Texts t;
  t.orgs += org("camco", "Camco Vision Co., Ltd.", "listed", "XA", "Camco");
  t.orgs += org("state-xa", "Government of Xaland", "state-body", "XA");
  t.orgs += org("chipco", "Chipco Semiconductor Inc.", "listed", "US", "Chipco");
  t.orgs += org("twin-a", "Twin Controls GmbH", "private", "DE", "Twin Controls");
  t.orgs += org("twin-b", "Twin Controls Ltd", "private", "GB", "Twin Controls");
  t.rels += rel("state-xa", "controls", "camco");
  return load_ok(t);
}

Inventory one_device(std::vector<Claim> claims) {
  Inventory inv;
  Asset a;
  a.ref = "asset:mac:00:00:5e:00:53:01";
  Component c;
  c.ref = a.ref;
  c.claims = std::move(claims);
  std::sort(c.claims.begin(), c.claims.end());
  a.components.push_back(std::move(c));
  inv.assets.push_back(std::move(a));
  return inv;
}

std::vector<std::string> values(const Component& c, std::string_view attribute) {
  std::vector<std::string> out;
  for (const auto* claim : c.all(attribute)) out.push_back(claim->value);
  return out;
}

}  // namespace

TEST_CASE("a resolved maker gives origin, control, state and the chain") {
  Inventory inv = one_device({{"manufacturer.name", "Camco Vision Co.,Ltd.", 0.9, "rule.a", 1}});
  attribute_inventory(sample_kb(), inv, {});
  const Component& c = inv.assets[0].components[0];
  CHECK(values(c, "origin.organisation") == std::vector<std::string>{"camco"});
  CHECK(values(c, "origin.country") == std::vector<std::string>{"XA"});
  CHECK(values(c, "control.ultimate-parent") == std::vector<std::string>{"state-xa"});
  CHECK(values(c, "control.state") == std::vector<std::string>{"XA"});
  REQUIRE(c.best("control.chain"));
  CHECK(c.best("control.chain")->value.find("state-xa controls camco [https://example.org/rel, 2024, high]") !=
        std::string::npos);
  CHECK(c.best("origin.organisation")->rule == kRuleOrigins);
  CHECK(c.best("origin.organisation")->confidence == Approx(0.9));
}

TEST_CASE("a weaker maker claim does not stand in for a stronger one that does not resolve") {
  // The protocol names a maker the knowledge base does not know; the MAC registrant (the
  // network chip's maker) is known but is not the device's maker.
  Inventory inv = one_device({{"manufacturer.name", "Unknown Grid Devices Corporation", 0.9, "mms.identify", 1},
                              {"manufacturer.name", "Chipco Semiconductor Inc.", 0.3, "mac.registrant", 2}});
  attribute_inventory(sample_kb(), inv, {});
  const Component& c = inv.assets[0].components[0];
  CHECK(values(c, "origin.organisation").empty());
  CHECK(values(c, "origin.match") == std::vector<std::string>{"unresolved: 'Unknown Grid Devices Corporation'"});
}

TEST_CASE("equally strong claims: the first that resolves is used") {
  Inventory inv = one_device({{"manufacturer.name", "Unknown Maker", 0.8, "rule.a", 1},
                              {"manufacturer.name", "Chipco", 0.8, "rule.b", 2}});
  attribute_inventory(sample_kb(), inv, {});
  CHECK(values(inv.assets[0].components[0], "origin.organisation") == std::vector<std::string>{"chipco"});
}

TEST_CASE("an ambiguous maker names its candidates and gets no origin") {
  Inventory inv = one_device({{"manufacturer.name", "Twin Controls", 0.8, "rule.a", 1}});
  attribute_inventory(sample_kb(), inv, {});
  const Component& c = inv.assets[0].components[0];
  CHECK(values(c, "origin.organisation").empty());
  CHECK(values(c, "origin.match") == std::vector<std::string>{"ambiguous: 'Twin Controls' (twin-a, twin-b)"});
}

TEST_CASE("a component without a maker claim gets nothing") {
  Inventory inv = one_device({{"product.name", "Thing", 0.8, "rule.a", 1}});
  attribute_inventory(sample_kb(), inv, {});
  CHECK(inv.assets[0].components[0].claims.size() == 1);
}
