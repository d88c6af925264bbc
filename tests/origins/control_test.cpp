// The control walk on crafted knowledge bases: chains to the ultimate parent, thresholds,
// minority stakes, dated changes, brands and makers, state control, list inheritance, cycles.
#include <catch2/catch.hpp>

#include "kb_test_support.hpp"
#include "origins/control.hpp"

using namespace herkomst::origins;
using namespace herkomst::origins::test;

namespace {

std::vector<std::string> ids(const std::vector<const Organisation*>& orgs) {
  std::vector<std::string> out;
  for (const auto* o : orgs) out.push_back(o->id);
  return out;
}

Texts camera_world() {
  Texts t;
  t.orgs += org("state-xx", "Government of Xland", "state-body", "XX");
  t.orgs += org("xx-assets", "Xland State Assets Commission", "state-body", "XX");
  t.orgs += org("xx-electronics", "Xland Electronics Group", "state-owned-enterprise", "XX");
  t.orgs += org("camco", "Camco Digital Technology Co., Ltd.", "listed", "XX", "CAMCO");
  t.orgs += org("camco-eu", "Camco Europe B.V.", "private", "NL");
  t.orgs += org("lenscam", "LensCam", "brand", "");
  t.orgs += org("fund", "Some Fund LP", "private", "US");
  t.rels += rel("state-xx", "controls", "xx-assets");
  t.rels += rel("xx-assets", "owns", "xx-electronics", "100");
  t.rels += rel("xx-electronics", "owns", "camco", "40");      // a minority stake ...
  t.rels += rel("xx-electronics", "controls", "camco");        // ... but the actual controller
  t.rels += rel("fund", "owns", "camco", "5");
  t.rels += rel("camco-eu", "subsidiary-of", "camco");
  t.rels += rel("lenscam", "brand-of", "camco-eu");
  t.lists += "law\t2019\tA law\tCongress\tUS\t2018-08-13\tentity-and-affiliates\thttps://example.org/law\t\n";
  t.lists += "own\t2024\tOwn list\tMinistry\tUS\t2024-01-31\tentity\thttps://example.org/own\t\n";
  t.entries += "law\t2019\tcamco\tCamco\thttps://example.org/law\t2018-08-13\t\n";
  t.entries += "own\t2024\txx-electronics\tXland Electronics\thttps://example.org/own\t2024-01-31\t\n";
  return t;
}

}  // namespace

TEST_CASE("a European subsidiary's brand is controlled by a state group through its parents") {
  const KnowledgeBase kb = load_ok(camera_world());
  const Attribution a = attribute(kb, *kb.find("lenscam"));
  CHECK(a.origin_country == "NL");  // the brand's owner
  REQUIRE(a.ultimate_parents.size() == 1);
  CHECK(a.ultimate_parents[0]->id == "state-xx");
  CHECK(a.control_countries == std::vector<std::string>{"XX"});
  REQUIRE(a.chains.size() == 1);
  CHECK(ids(a.chains[0].orgs) ==
        std::vector<std::string>{"lenscam", "camco-eu", "camco", "xx-electronics", "xx-assets", "state-xx"});
  REQUIRE(a.chains[0].steps.size() == 5);
  CHECK(a.chains[0].steps[2]->kind == RelationKind::controls);  // xx-electronics controls camco
  CHECK(a.state_controlled());
  REQUIRE_FALSE(a.state.empty());
  CHECK(a.state[0].country == "XX");
  // Lists: the law reaches affiliates (through camco); the entity-only list does not.
  REQUIRE(a.lists.size() == 1);
  CHECK(a.lists[0].edition->list == "law");
  CHECK(a.lists[0].through->id == "camco");
  CHECK(a.lists[0].inherited);
  // The fund's 5 % is a minority stake, reported and not followed.
  // The 40 % of xx-electronics, which controls camco by a separate relation, is part of that
  // control, not a minority stake.
  REQUIRE(a.minority_stakes.size() == 1);
  CHECK(a.minority_stakes[0]->subject == "fund");
}

TEST_CASE("an entity-only listing applies to the entity itself") {
  const KnowledgeBase kb = load_ok(camera_world());
  const Attribution a = attribute(kb, *kb.find("xx-electronics"));
  bool own = false;
  for (const auto& m : a.lists) own = own || (m.edition->list == "own" && !m.inherited);
  CHECK(own);
}

TEST_CASE("stakes at or below the threshold do not control, and the threshold is configurable") {
  Texts t;
  t.orgs += org("target", "Target AG", "listed", "DE");
  t.orgs += org("big", "Big Holdings", "private", "CN");
  t.orgs += org("state-cn", "Government", "state-body", "CN");
  t.rels += rel("big", "owns", "target", "29.9");
  t.rels += rel("state-cn", "owns", "big", "50");
  const KnowledgeBase kb = load_ok(t);
  const Attribution a = attribute(kb, *kb.find("target"));
  CHECK(ids(a.ultimate_parents) == std::vector<std::string>{"target"});
  CHECK(a.control_countries == std::vector<std::string>{"DE"});
  CHECK_FALSE(a.state_controlled());
  REQUIRE(a.minority_stakes.size() == 1);
  CHECK(a.minority_stakes[0]->subject == "big");

  ControlOptions low;
  low.control_threshold = 25;
  const Attribution b = attribute(kb, *kb.find("target"), low);
  // 29.9 > 25 controls; the state's 50 > 25 too.
  CHECK(ids(b.ultimate_parents) == std::vector<std::string>{"state-cn"});
  CHECK(b.state_controlled());
}

TEST_CASE("ownership as of a date: before and after an acquisition") {
  Texts t;
  t.orgs += org("robots", "Robots AG", "listed", "DE");
  t.orgs += org("appliances", "Appliances Group", "listed", "CN");
  t.orgs += org("old-owner", "Old Owner AG", "listed", "DE");
  t.rels += rel("old-owner", "owns", "robots", "60", "", "2016-12");
  t.rels += rel("robots", "acquired-by", "appliances", "94.55", "2017-01-06");
  const KnowledgeBase kb = load_ok(t);
  ControlOptions before;
  before.as_of = {2016, 6, 1};
  CHECK(ids(attribute(kb, *kb.find("robots"), before).ultimate_parents) == std::vector<std::string>{"old-owner"});
  ControlOptions after;
  after.as_of = {2017, 1, 6};
  CHECK(ids(attribute(kb, *kb.find("robots"), after).ultimate_parents) == std::vector<std::string>{"appliances"});
  ControlOptions gap;  // between the end of December 2016 and the 6th of January: nobody
  gap.as_of = {2017, 1, 3};
  CHECK(ids(attribute(kb, *kb.find("robots"), gap).ultimate_parents) == std::vector<std::string>{"robots"});
  CHECK(attribute(kb, *kb.find("robots")).control_countries == std::vector<std::string>{"CN"});
}

TEST_CASE("cycles end the walk, and joint control gives several ultimate parents") {
  Texts t;
  t.orgs += org("a", "A", "private", "DE");
  t.orgs += org("b", "B", "private", "FR");
  t.orgs += org("c", "C", "private", "IT");
  t.orgs += org("jv", "Joint Venture", "private", "NL");
  t.orgs += org("p1", "Parent One", "listed", "US");
  t.orgs += org("p2", "Parent Two", "listed", "JP");
  t.rels += rel("a", "controls", "b");
  t.rels += rel("b", "controls", "c");
  t.rels += rel("c", "controls", "a");
  t.rels += rel("p1", "controls", "jv");
  t.rels += rel("p2", "controls", "jv");
  const KnowledgeBase kb = load_ok(t);
  const Attribution cyc = attribute(kb, *kb.find("a"));
  CHECK(ids(cyc.ultimate_parents) == std::vector<std::string>{"a", "b", "c"});
  const Attribution jv = attribute(kb, *kb.find("jv"));
  CHECK(ids(jv.ultimate_parents) == std::vector<std::string>{"p1", "p2"});
  CHECK(jv.control_countries == std::vector<std::string>{"JP", "US"});
}

TEST_CASE("makers are reported but do not control, and minority state stakes are shown") {
  Texts t;
  t.orgs += org("brandco", "BrandCo GmbH", "private", "DE");
  t.orgs += org("odm", "ODM Electronics", "private", "CN");
  t.orgs += org("state-fr", "French Republic", "state-body", "FR");
  t.rels += rel("odm", "makes-for", "brandco");
  t.rels += rel("state-fr", "owns", "brandco", "25.7");
  const KnowledgeBase kb = load_ok(t);
  const Attribution a = attribute(kb, *kb.find("brandco"));
  CHECK(ids(a.ultimate_parents) == std::vector<std::string>{"brandco"});
  REQUIRE(a.makers.size() == 1);
  CHECK(a.makers[0]->subject == "odm");
  CHECK_FALSE(a.state_controlled());
  REQUIRE(a.state.size() == 1);
  CHECK(a.state[0].country == "FR");
  CHECK_FALSE(a.state[0].controls);
}

TEST_CASE("a controlling shareholder's stake below the threshold is control, not a minority stake") {
  Texts t;
  t.orgs += org("camera", "Camera Co", "listed", "CN");
  t.orgs += org("group", "State Group", "state-owned-enterprise", "CN");
  t.orgs += org("institute", "Research Institute", "state-body", "CN");
  t.rels += rel("group", "owns", "camera", "36.5");
  t.rels += rel("group", "controls", "camera");
  t.rels += rel("institute", "owns", "camera", "2");
  const KnowledgeBase kb = load_ok(t);
  const Attribution a = attribute(kb, *kb.find("camera"));
  CHECK(ids(a.ultimate_parents) == std::vector<std::string>{"group"});
  REQUIRE(a.minority_stakes.size() == 1);
  CHECK(a.minority_stakes[0]->subject == "institute");
  // The group is a controlling state link; only the institute is a stake.
  std::size_t stakes = 0;
  for (const auto& s : a.state)
    if (!s.controls) {
      ++stakes;
      CHECK(s.holder->id == "institute");
    }
  CHECK(stakes == 1);
}
