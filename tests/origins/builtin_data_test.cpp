// The built-in knowledge base: every file loads, every fact has a source and a date, and the
// cases the issue names come out right (origin, control chain, state control, lists).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "origins/control.hpp"
#include "origins/knowledge_base.hpp"
#include "origins/resolver.hpp"

using namespace herkomst::origins;

namespace {

const KnowledgeBase& builtin() {
  static const KnowledgeBase kb = [] {
    auto loaded = builtin_knowledge_base();
    if (auto* e = std::get_if<LoadError>(&loaded)) FAIL(e->message);
    return std::get<KnowledgeBase>(std::move(loaded));
  }();
  return kb;
}

// Everything the walk passed through: the organisation and every ancestor on its chains.
std::set<std::string> chain_ids(const Attribution& a) {
  std::set<std::string> out{a.org->id};
  for (const auto& c : a.chains)
    for (const auto* o : c.orgs) out.insert(o->id);
  return out;
}

std::set<std::string> list_ids(const Attribution& a) {
  std::set<std::string> out;
  for (const auto& l : a.lists) out.insert(l.edition->list);
  return out;
}

struct Case {
  const char* vendor_string;
  const char* origin;                      // expected origin country
  std::vector<const char*> chain;          // ids that must be on the control chain
  std::vector<const char*> control;        // expected control countries (all of them)
  bool state;                              // state-controlled
  std::vector<const char*> lists;          // lists it must be on (own or inherited)
};

Attribution today(const Organisation& o) {
  ControlOptions opt;
  opt.as_of = {2026, 11, 28};
  return attribute(builtin(), o, opt);
}

}  // namespace

TEST_CASE("the built-in knowledge base loads, and every fact has a source and a date") {
  const KnowledgeBase& kb = builtin();
  CHECK(kb.organisations().size() >= 300);
  std::set<std::string> files;
  for (const auto& f : builtin_data_files()) files.insert(f.name);
  CHECK(files.count("lists.tsv") == 1);
  for (const auto& o : kb.organisations()) {
    INFO(o.fact.where() << " " << o.id);
    CHECK_FALSE(o.fact.sources.empty());
    CHECK(o.fact.as_of.year >= 1900);
    if (o.kind != OrgKind::brand) CHECK_FALSE(o.headquarters().empty());
  }
  for (const auto& r : kb.relations()) {
    INFO(r.fact.where());
    CHECK_FALSE(r.fact.sources.empty());
    CHECK(r.fact.as_of.year >= 1900);
  }
  for (const auto& e : kb.list_entries()) {
    INFO(e.fact.where());
    CHECK_FALSE(e.fact.sources.empty());
  }
  for (const char* list : {"ndaa-889", "fcc-covered", "dod-1260h", "eu-5g-2023"}) {
    INFO(list);
    CHECK(std::any_of(kb.lists().begin(), kb.lists().end(), [&](const ListEdition& l) { return l.list == list; }));
  }
}

TEST_CASE("the organisations the issue names come out right") {
  const KnowledgeBase& kb = builtin();
  const Resolver resolver(kb);
  const std::vector<Case> cases{
      {"Hangzhou Hikvision Digital Technology Co.,Ltd.", "CN", {"hikvision", "cetc"}, {"CN"}, true, {"ndaa-889", "fcc-covered"}},
      {"EZVIZ", "CN", {"ezviz", "hikvision", "cetc"}, {"CN"}, true, {"ndaa-889"}},
      {"KUKA AG", "DE", {"kuka", "midea-group"}, {"CN"}, false, {}},
      {"Nexperia B.V.", "NL", {"nexperia", "wingtech"}, {"CN"}, false, {}},
      {"Hytera Mobilfunk GmbH", "DE", {"hytera"}, {"CN"}, false, {"ndaa-889"}},
      {"Axis Communications AB", "SE", {"axis", "canon"}, {"JP"}, false, {}},
      {"Milestone Systems A/S", "DK", {"milestone", "canon"}, {"JP"}, false, {}},
      {"Hirschmann Automation and Control GmbH", "DE", {"hirschmann", "belden"}, {"US"}, false, {}},
      {"Sierra Wireless", "CA", {"sierra-wireless", "semtech"}, {"US"}, false, {}},
      {"Siemens AG", "DE", {"siemens"}, {"DE"}, false, {}},
      {"Schneider Electric SE", "FR", {"schneider-electric"}, {"FR"}, false, {}},
      {"Huawei Technologies Co., Ltd.", "CN", {"huawei"}, {"CN"}, false, {"ndaa-889", "fcc-covered", "eu-5g-2023"}},
      {"ZTE Corporation", "CN", {"zte"}, {"CN"}, false, {"ndaa-889", "fcc-covered", "eu-5g-2023"}},
      {"Kaspersky Lab", "RU", {"kaspersky"}, {"RU"}, false, {"fcc-covered"}},
      {"Cisco Systems, Inc", "US", {"cisco"}, {"US"}, false, {}},
      {"Rockwell Automation/Allen-Bradley", "US", {"rockwell-automation"}, {"US"}, false, {}},
  };
  for (const auto& c : cases) {
    INFO(c.vendor_string);
    const Resolution r = resolver.resolve(c.vendor_string);
    INFO(r.why);
    REQUIRE(r.status == ResolutionStatus::resolved);
    const Attribution a = today(*r.org);
    CHECK(a.origin_country == c.origin);
    const auto chain = chain_ids(a);
    for (const char* id : c.chain) {
      INFO("chain must contain " << id);
      CHECK(chain.count(id) == 1);
    }
    CHECK(a.control_countries == std::vector<std::string>(c.control.begin(), c.control.end()));
    if (c.state) CHECK(a.state_controlled());
    const auto lists = list_ids(a);
    for (const char* l : c.lists) {
      INFO("must be on " << l);
      CHECK(lists.count(l) == 1);
    }
  }
}

TEST_CASE("ownership changes over time: KUKA before and after Midea") {
  const KnowledgeBase& kb = builtin();
  const Organisation* kuka = kb.find("kuka");
  REQUIRE(kuka);
  ControlOptions before;
  before.as_of = {2015, 6, 1};
  const auto a = attribute(kb, *kuka, before);
  CHECK(chain_ids(a).count("midea-group") == 0);
  ControlOptions after;
  after.as_of = {2023, 6, 1};
  CHECK(chain_ids(attribute(kb, *kuka, after)).count("midea-group") == 1);
}
