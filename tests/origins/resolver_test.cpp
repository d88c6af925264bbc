// Resolving vendor strings on a crafted knowledge base: normalisation, exact and token
// matches, ambiguity, and strings that must stay unresolved.
#include <catch2/catch.hpp>

#include "kb_test_support.hpp"
#include "origins/resolver.hpp"

using namespace herkomst::origins;
using namespace herkomst::origins::test;

namespace {

KnowledgeBase vendors() {
  Texts t;
  t.orgs += org("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "listed", "CN", "Hikvision|HIKVISION");
  t.orgs += org("siemens", "Siemens AG", "listed", "DE", "Siemens");
  t.orgs += org("siemens-energy", "Siemens Energy AG", "listed", "DE", "Siemens Energy");
  t.orgs += org("rockwell", "Rockwell Automation, Inc.", "listed", "US", "Rockwell Automation|Allen-Bradley|Rockwell");
  t.orgs += org("cisco", "Cisco Systems, Inc.", "listed", "US", "Cisco");
  t.orgs += org("mitsubishi-electric", "Mitsubishi Electric Corporation", "listed", "JP", "Mitsubishi Electric|MELCO");
  t.orgs += org("mitsubishi-heavy", "Mitsubishi Heavy Industries, Ltd.", "listed", "JP", "MHI");
  t.orgs += org("acme-de", "Acme GmbH", "private", "DE", "Acme");
  t.orgs += org("acme-us", "Acme Inc.", "private", "US", "Acme");
  return load_ok(t);
}

}  // namespace

TEST_CASE("normalising drops case, punctuation and trailing legal forms") {
  CHECK(normalise_vendor("Hangzhou Hikvision Digital Technology Co.,Ltd.") == "hangzhou hikvision digital technology");
  CHECK(normalise_vendor("CISCO SYSTEMS, INC") == "cisco systems");
  CHECK(normalise_vendor("Schneider Electric S.A.") == "schneider electric");
  CHECK(normalise_vendor("Nexperia B.V.") == "nexperia");
  CHECK(normalise_vendor("Rockwell Automation/Allen-Bradley") == "rockwell automation allen bradley");
  CHECK(normalise_vendor("  AG ") == "ag");  // never empty because of a legal form
  CHECK(normalise_vendor("Siemens Aktiengesellschaft Österreich") == "siemens aktiengesellschaft Österreich");  // ASCII only
}

TEST_CASE("exact names and aliases resolve, and say why") {
  const KnowledgeBase kb = vendors();
  const Resolver r(kb);
  const Resolution cisco = r.resolve("CISCO SYSTEMS, INC.");
  REQUIRE(cisco.status == ResolutionStatus::resolved);
  CHECK(cisco.org->id == "cisco");
  CHECK(cisco.method == "exact name");
  const Resolution hik = r.resolve("HIKVISION");
  REQUIRE(hik.status == ResolutionStatus::resolved);
  CHECK(hik.org->id == "hikvision");
  CHECK(hik.method == "exact alias");
  CHECK(hik.why.find("hikvision") != std::string::npos);
}

TEST_CASE("aliases cover a longer string when only generic words are left") {
  const KnowledgeBase kb = vendors();
  const Resolver r(kb);
  const Resolution hik = r.resolve("Hikvision Digital Technology (Shenzhen) Co");
  REQUIRE(hik.status == ResolutionStatus::resolved);
  CHECK(hik.org->id == "hikvision");
  CHECK(hik.method == "tokens");
  const Resolution ab = r.resolve("Rockwell Automation/Allen-Bradley");
  REQUIRE(ab.status == ResolutionStatus::resolved);
  CHECK(ab.org->id == "rockwell");
  // The more specific organisation wins when its coverage contains the other's.
  const Resolution energy = r.resolve("Siemens Energy Global GmbH & Co. KG");
  REQUIRE(energy.status == ResolutionStatus::resolved);
  CHECK(energy.org->id == "siemens-energy");
}

TEST_CASE("strings that would need a guess stay unresolved or ambiguous") {
  const KnowledgeBase kb = vendors();
  const Resolver r(kb);
  CHECK(r.resolve("Siemens Healthineers AG").status == ResolutionStatus::unresolved);  // not Siemens AG
  CHECK(r.resolve("Mitsubishi Motors Corporation").status == ResolutionStatus::unresolved);
  CHECK(r.resolve("Mitsubishi Electric Automation, Inc.").org->id == "mitsubishi-electric");
  CHECK(r.resolve("Hikvsion").status == ResolutionStatus::unresolved);  // no fuzzy matching
  CHECK(r.resolve("Global Technology Co., Ltd.").status == ResolutionStatus::unresolved);
  CHECK(r.resolve("").status == ResolutionStatus::unresolved);
  const Resolution acme = r.resolve("ACME");
  REQUIRE(acme.status == ResolutionStatus::ambiguous);
  REQUIRE(acme.candidates.size() == 2);
  CHECK(acme.candidates[0]->id == "acme-de");
  CHECK(acme.candidates[1]->id == "acme-us");
  CHECK(r.resolve("Acme Deutschland GmbH").status == ResolutionStatus::ambiguous);
}

TEST_CASE("former names noted beside the current one are dropped") {
  CHECK(normalise_vendor("ABB (Formerly American Auto-Matrix)") == "abb");
  CHECK(normalise_vendor("Siemens Schweiz AG (Formerly: Cerberus AG)") == "siemens schweiz");
  CHECK(normalise_vendor("Eaton Electric B.V. (former Holec Holland N.V.)") == "eaton electric");
  CHECK(normalise_vendor("Barracuda Networks AG (previous was 'phion Information Technologies')") ==
        "barracuda networks");
  CHECK(normalise_vendor("Acme GmbH, formerly Siemens Plessey") == "acme");
  CHECK(normalise_vendor("Formerly Siemens") == "formerly siemens");  // nothing would be left: kept
  CHECK(normalise_vendor("Formerlyn Systems") == "formerlyn systems");  // whole words only
  const KnowledgeBase kb = vendors();
  const Resolver r(kb);
  const Resolution schweiz = r.resolve("Siemens Schweiz AG (Formerly: Landis & Staefa Division Europe)");
  REQUIRE(schweiz.status == ResolutionStatus::resolved);
  CHECK(schweiz.org->id == "siemens");
  // The former owner is not the organisation named.
  CHECK(r.resolve("Vertiv (Formerly Emerson Network Power, a Siemens partner)").status ==
        ResolutionStatus::unresolved);
  CHECK(r.resolve("Albis Technologies (formerly Siemens Switzerland)").status == ResolutionStatus::unresolved);
}

TEST_CASE("more legal forms, places and organisational words count as generic") {
  CHECK(normalise_vendor("Kaspersky Lab ZAO") == "kaspersky lab");
  CHECK(normalise_vendor("Cisco Systems India Private Limited") == "cisco systems india");
  const KnowledgeBase kb = vendors();
  const Resolver r(kb);
  for (const char* s : {"Cisco Systems India Private Limited", "Cisco (Australia)", "Cisco Networking Co., Ltd.",
                        "Cisco-Systems(China)Co.Ltd,Shenzhen Branch", "Cisco Systems, Automation Division"}) {
    INFO(s);
    const Resolution c = r.resolve(s);
    REQUIRE(c.status == ResolutionStatus::resolved);
    CHECK(c.org->id == "cisco");
  }
  CHECK(r.resolve("Australia Networking Division").status == ResolutionStatus::unresolved);  // only generic words
}
