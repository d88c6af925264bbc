// The GLEIF golden-copy readers (origins/gleif_reader.hpp): columns found by header name,
// every kept value validated, errors naming file, line and column, the callback able to stop.
//
// tests/origins/data/gleif/ holds small files in the golden-copy layout (see its README.md):
// made-up entities with made-up LEIs whose check digits are valid.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "origins/gleif_reader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace herkomst::origins;

namespace {

const std::filesystem::path kData = HERKOMST_GLEIF_TEST_DATA;

// LEIs of the sample files.
const std::string kParent = "529900HKMSTPARENT129";
const std::string kChild = "529900HKMSTCHILD0126";
const std::string kBranch = "529900HKMSTBRANCH140";
const std::string kFund = "529900HKMSTFUND00141";
const std::string kManager = "529900HKMSTMANAGR140";
const std::string kLone = "529900HKMSTLONE00128";

std::string quoted(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ',';
    out += '"';
    for (const char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\n";
}

const std::vector<std::string> kLevel1Header = {
    "LEI", "Entity.LegalName", "Entity.LegalAddress.Country", "Entity.HeadquartersAddress.Country",
    "Entity.LegalJurisdiction", "Entity.EntityStatus", "Registration.RegistrationStatus"};

std::string level1_row(const std::string& lei, const std::string& name = "Some Company B.V.",
                       const std::string& legal_country = "NL", const std::string& hq_country = "NL",
                       const std::string& jurisdiction = "NL", const std::string& entity_status = "ACTIVE",
                       const std::string& registration_status = "ISSUED") {
  return quoted({lei, name, legal_country, hq_country, jurisdiction, entity_status, registration_status});
}

struct Level1 {
  GleifReadResult result;
  std::vector<GleifEntity> rows;
};

Level1 level1(const std::string& text, GleifReadOptions options = {}) {
  std::istringstream in(text);
  Level1 out;
  out.result = read_gleif_level1(
      in, "t.csv",
      [&](const GleifEntity& e) {
        out.rows.push_back(e);
        return true;
      },
      options);
  return out;
}

template <typename Row>
struct Read {
  GleifReadResult result;
  std::vector<Row> rows;
};

Read<GleifRelationship> relationships(const std::string& text) {
  std::istringstream in(text);
  Read<GleifRelationship> out;
  out.result = read_gleif_relationships(in, "t.csv", [&](const GleifRelationship& r) {
    out.rows.push_back(r);
    return true;
  });
  return out;
}

Read<GleifException> exceptions(const std::string& text) {
  std::istringstream in(text);
  Read<GleifException> out;
  out.result = read_gleif_exceptions(in, "t.csv", [&](const GleifException& r) {
    out.rows.push_back(r);
    return true;
  });
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}


std::vector<GleifEntity> read_level1_file(const std::filesystem::path& path, GleifReadResult& result) {
  std::vector<GleifEntity> rows;
  result = read_gleif_level1(path, [&](const GleifEntity& e) {
    rows.push_back(e);
    return true;
  });
  return rows;
}

}  // namespace

TEST_CASE("gleif: valid_lei accepts published LEIs and refuses altered ones") {
  // Codes as published in the Global LEI Index: their check digits hold.
  for (const char* lei : {"506700GE1G29325QX363", "HWUPKR0MPOU8FGXBT394", "5493001KJTIIGC8Y1R12",
                          "W38RGI023J3WT1HWRP32", "7LTWFZYICNSX8D621K86"}) {
    INFO(lei);
    CHECK(valid_lei(lei));
  }
  CHECK(valid_lei(kParent));
  CHECK_FALSE(valid_lei("506700GE1G29325QX364"));  // last check digit changed
  CHECK_FALSE(valid_lei("506700GE1G29325QX336"));  // check digits swapped
  CHECK_FALSE(valid_lei("506700GE1G29325QY363"));  // one character changed
  CHECK_FALSE(valid_lei("506700ge1g29325qx363"));  // lower case
  CHECK_FALSE(valid_lei("506700GE1G29325QX36"));   // 19 characters
  CHECK_FALSE(valid_lei("506700GE1G29325QX3631"));
  CHECK_FALSE(valid_lei(""));
  CHECK_FALSE(valid_lei("506700GE1G29325QX3A3"));  // a letter among the check digits
}

TEST_CASE("gleif: the Level 1 sample in golden-copy layout reads into entities") {
  GleifReadResult result;
  const auto rows = read_level1_file(kData / "lei2-sample.csv", result);
  CHECK(result.ok());
  CHECK(result.rows == 4);
  CHECK(result.delivered == 4);
  CHECK_FALSE(result.stopped_by_callback);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].lei == kParent);
  CHECK(rows[0].legal_name == "Voorbeeld Holding, B.V.");
  CHECK(rows[0].legal_country == "NL");
  CHECK(rows[0].hq_country == "NL");
  CHECK(rows[0].jurisdiction == "NL");
  CHECK(rows[0].entity_status == "ACTIVE");
  CHECK(rows[0].registration_status == "ISSUED");
  CHECK(rows[1].lei == kChild);
  CHECK(rows[1].legal_name == "Example \"Widgets\" Inc.");
  CHECK(rows[1].jurisdiction == "US-DE");
  CHECK(rows[1].registration_status == "LAPSED");
  CHECK(rows[2].legal_name == "Voorbeeld Holding B.V., Zweigniederlassung Deutschland");
  CHECK(rows[2].legal_country == "DE");
  CHECK(rows[2].jurisdiction == "NL");
  CHECK(rows[3].lei == kLone);
  CHECK(rows[3].hq_country.empty());
  CHECK(rows[3].entity_status == "INACTIVE");
  CHECK(rows[3].registration_status == "RETIRED");
  // The child's legal address spans two lines, so the branch starts on line 5.
  CHECK(rows[0].line == 2);
  CHECK(rows[1].line == 3);
  CHECK(rows[2].line == 5);
  CHECK(rows[3].line == 6);
}

TEST_CASE("gleif: Level 1 with CR LF line ends and a byte order mark reads like the LF file") {
  GleifReadResult plain_result;
  const auto plain = read_level1_file(kData / "lei2-sample.csv", plain_result);
  std::string text = read_file(kData / "lei2-sample.csv");
  std::string crlf = "\xEF\xBB\xBF";
  for (const char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  herkomst::test::TempDir dir{"gleif-test"};
  GleifReadResult result;
  const auto rows = read_level1_file(dir.write("lei2-crlf.csv", crlf), result);
  CHECK(result.ok());
  REQUIRE(rows.size() == plain.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].lei == plain[i].lei);
    CHECK(rows[i].legal_name == plain[i].legal_name);
    CHECK(rows[i].hq_country == plain[i].hq_country);
    CHECK(rows[i].line == plain[i].line);
  }
}

TEST_CASE("gleif: a missing required column is an error naming it and the header line") {
  std::vector<std::string> header = kLevel1Header;
  header.erase(header.begin() + 4);  // Entity.LegalJurisdiction
  const auto r = level1(quoted(header) + quoted({kParent, "X", "NL", "NL", "ACTIVE", "ISSUED"}));
  CHECK(r.rows.empty());
  CHECK(r.result.errors ==
        std::vector<std::string>{"t.csv:1: missing column Entity.LegalJurisdiction (columns are found by their "
                                 "header names; is this a GLEIF golden-copy Level 1 (LEI-CDF) file?)"});
}

TEST_CASE("gleif: a relationship file given as Level 1 says what it looks like") {
  std::vector<GleifEntity> rows;
  const auto result = read_gleif_level1(kData / "rr-sample.csv", [&](const GleifEntity& e) {
    rows.push_back(e);
    return true;
  });
  CHECK(rows.empty());
  REQUIRE(result.errors.size() == 1);
  const std::string& error = result.errors[0];
  CHECK_THAT(error, Catch::StartsWith((kData / "rr-sample.csv").string() +
                                      ":1: missing columns LEI, Entity.LegalName, Entity.LegalAddress.Country"));
  CHECK_THAT(error, Catch::EndsWith("It looks like a relationship (RR-CDF) file.)"));
}

TEST_CASE("gleif: a column named twice in the header is an error") {
  std::vector<std::string> header = kLevel1Header;
  header.push_back("LEI");
  const auto r = level1(quoted(header) + quoted({kParent, "X", "NL", "NL", "NL", "ACTIVE", "ISSUED", kParent}));
  CHECK(r.result.errors == std::vector<std::string>{"t.csv:1: column named twice in the header: LEI"});
  CHECK(r.rows.empty());
}

TEST_CASE("gleif: unknown columns are ignored and columns are found in any order") {
  const std::string text =
      quoted({"Extra.Column", "Registration.RegistrationStatus", "Entity.EntityStatus", "Entity.LegalJurisdiction",
              "Entity.HeadquartersAddress.Country", "Entity.LegalAddress.Country", "Entity.LegalName", "LEI"}) +
      quoted({"anything, at all", "ISSUED", "ACTIVE", "DE-BY", "AT", "DE", "Name", kParent});
  const auto r = level1(text);
  CHECK(r.result.ok());
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].lei == kParent);
  CHECK(r.rows[0].legal_country == "DE");
  CHECK(r.rows[0].hq_country == "AT");
  CHECK(r.rows[0].jurisdiction == "DE-BY");
}

TEST_CASE("gleif: bad LEI check digits stop the read at that row") {
  const std::string bad = "529900HKMSTPARENT128";
  const auto r = level1(quoted(kLevel1Header) + level1_row(kChild) + level1_row(bad) + level1_row(kLone));
  CHECK(r.result.errors == std::vector<std::string>{"t.csv:3: LEI: the check digits of \"529900HKMSTPARENT128\" "
                                                    "do not hold (ISO 17442: mod 97 must be 1)"});
  CHECK(r.result.rows == 2);
  CHECK(r.result.delivered == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].lei == kChild);
}

TEST_CASE("gleif: with max_errors above one more errors are reported but nothing is handed over after the first") {
  const std::string text = quoted(kLevel1Header) + level1_row(kChild) + level1_row("529900HKMSTPARENT128") +
                           level1_row(kLone) + level1_row(kParent, "N", "NLD") +
                           level1_row(kParent, "N", "NL", "NL", "nl") + level1_row(kParent);
  GleifReadOptions options;
  options.max_errors = 10;
  const auto r = level1(text, options);
  REQUIRE(r.result.errors.size() == 3);
  CHECK_THAT(r.result.errors[0], Catch::StartsWith("t.csv:3: LEI: the check digits"));
  CHECK(r.result.errors[1] ==
        "t.csv:5: Entity.LegalAddress.Country: \"NLD\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(r.result.errors[2] ==
        "t.csv:6: Entity.LegalJurisdiction: \"nl\" is not an ISO 3166-1 alpha-2 or ISO 3166-2 code");
  CHECK(r.result.rows == 6);
  CHECK(r.result.delivered == 1);
  CHECK(r.rows.size() == 1);

  options.max_errors = 2;
  const auto two = level1(text, options);
  CHECK(two.result.errors.size() == 2);
  CHECK(two.result.rows == 4);
}

TEST_CASE("gleif: Level 1 values are validated column by column") {
  struct Case {
    std::string row;
    std::string error;  // "" when the row is valid
  };
  const std::vector<Case> cases = {
      {level1_row(kParent, "N", "", "", ""), ""},
      {level1_row(kParent, "N", "XK", "NL", "US-CA"), ""},
      {level1_row(kParent, "N", "NL", "NL", "GB-LND"), ""},
      {level1_row(kParent, "N", "nl"), "Entity.LegalAddress.Country: \"nl\" is not an ISO 3166-1 alpha-2 country code"},
      {level1_row(kParent, "N", "NL", "N"),
       "Entity.HeadquartersAddress.Country: \"N\" is not an ISO 3166-1 alpha-2 country code"},
      {level1_row(kParent, "N", "NL", "NL", "US-"),
       "Entity.LegalJurisdiction: \"US-\" is not an ISO 3166-1 alpha-2 or ISO 3166-2 code"},
      {level1_row(kParent, "N", "NL", "NL", "USA"),
       "Entity.LegalJurisdiction: \"USA\" is not an ISO 3166-1 alpha-2 or ISO 3166-2 code"},
      {level1_row(kParent, ""), "Entity.LegalName: empty"},
      {level1_row(kParent, "Bad \xff name"), "Entity.LegalName: not valid UTF-8"},
      {level1_row(kParent, "N", "NL", "NL", "NL", ""), "Entity.EntityStatus: empty"},
      {level1_row(kParent, "N", "NL", "NL", "NL", "active"),
       "Entity.EntityStatus: \"active\" is not a code word (A-Z 0-9 _ -, at most 64 bytes)"},
      {level1_row(kParent, "N", "NL", "NL", "NL", "ACTIVE", ""), "Registration.RegistrationStatus: empty"},
      {level1_row("529900HKMSTPARENT12"),
       "LEI: \"529900HKMSTPARENT12\" is not an LEI (20 characters A-Z 0-9, the last two digits)"},
      {level1_row("529900hkmstparent129"),
       "LEI: \"529900hkmstparent129\" is not an LEI (20 characters A-Z 0-9, the last two digits)"},
      {level1_row(""), "LEI: \"\" is not an LEI (20 characters A-Z 0-9, the last two digits)"},
  };
  for (const auto& c : cases) {
    INFO(c.row);
    const auto r = level1(quoted(kLevel1Header) + c.row);
    if (c.error.empty()) {
      CHECK(r.result.ok());
      CHECK(r.rows.size() == 1);
    } else {
      CHECK(r.result.errors == std::vector<std::string>{"t.csv:2: " + c.error});
      CHECK(r.rows.empty());
    }
  }
}

TEST_CASE("gleif: the relationship sample reads with types, statuses and relationship periods") {
  std::vector<GleifRelationship> rows;
  const auto result = read_gleif_relationships(kData / "rr-sample.csv", [&](const GleifRelationship& r) {
    rows.push_back(r);
    return true;
  });
  CHECK(result.ok());
  CHECK(result.delivered == 4);
  CHECK(result.skipped == 0);
  REQUIRE(rows.size() == 4);
  // Period 1 is an accounting period, period 2 the relationship's: the dates come from period 2.
  CHECK(rows[0].child_lei == kChild);
  CHECK(rows[0].parent_lei == kParent);
  CHECK(rows[0].type == GleifRelationshipType::direct);
  CHECK(rows[0].type_text == "IS_DIRECTLY_CONSOLIDATED_BY");
  CHECK(rows[0].status == "ACTIVE");
  CHECK(rows[0].start_date == "2017-12-06");
  CHECK(rows[0].end_date.empty());
  CHECK(rows[0].registration_status == "PUBLISHED");
  CHECK(rows[0].line == 2);
  CHECK(rows[1].type == GleifRelationshipType::ultimate);
  CHECK(rows[1].status == "INACTIVE");
  CHECK(rows[1].start_date == "2012-03-01");
  CHECK(rows[1].end_date == "2017-12-05");
  CHECK(rows[1].registration_status == "LAPSED");
  CHECK(rows[2].child_lei == kBranch);
  CHECK(rows[2].type == GleifRelationshipType::branch);
  CHECK(rows[2].start_date.empty());
  CHECK(rows[2].end_date.empty());
  CHECK(rows[3].child_lei == kFund);
  CHECK(rows[3].parent_lei == kManager);
  CHECK(rows[3].type == GleifRelationshipType::other);
  CHECK(rows[3].type_text == "IS_FUND-MANAGED_BY");
  CHECK(rows[3].start_date == "2020-07-01");
  CHECK(rows[3].line == 5);
}

TEST_CASE("gleif: without periodType columns the relationship dates come from period 1") {
  const std::string text =
      quoted({"Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID", "Relationship.RelationshipType",
              "Relationship.RelationshipStatus", "Relationship.Period.2.startDate", "Relationship.Period.1.startDate",
              "Relationship.Period.1.endDate", "Registration.RegistrationStatus"}) +
      quoted({kChild, kParent, "IS_ULTIMATELY_CONSOLIDATED_BY", "ACTIVE", "1999-01-01", "2019-02-03T00:00:00Z",
              "2021-04-05T23:59:59.999-05:00", "PUBLISHED"});
  const auto r = relationships(text);
  CHECK(r.result.ok());
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].start_date == "2019-02-03");
  CHECK(r.rows[0].end_date == "2021-04-05");
}

TEST_CASE("gleif: relationship dates and node LEIs are validated, periods that are not used are not") {
  const std::vector<std::string> header = {
      "Relationship.StartNode.NodeID",   "Relationship.EndNode.NodeID",     "Relationship.RelationshipType",
      "Relationship.RelationshipStatus", "Relationship.Period.1.startDate", "Relationship.Period.1.endDate",
      "Relationship.Period.1.periodType", "Relationship.Period.2.startDate", "Relationship.Period.2.endDate",
      "Relationship.Period.2.periodType", "Registration.RegistrationStatus"};
  const auto row = [&](const std::string& child, const std::string& parent, const std::string& p1_start,
                       const std::string& p1_type, const std::string& p2_start, const std::string& p2_type) {
    return quoted({child, parent, "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", p1_start, "", p1_type, p2_start, "",
                   p2_type, "PUBLISHED"});
  };
  // An accounting period with a date we cannot read does not matter.
  const auto ok = relationships(quoted(header) +
                                row(kChild, kParent, "not a date", "ACCOUNTING_PERIOD", "2016-02-29", "RELATIONSHIP_PERIOD"));
  CHECK(ok.result.ok());
  REQUIRE(ok.rows.size() == 1);
  CHECK(ok.rows[0].start_date == "2016-02-29");

  const auto bad_day = relationships(quoted(header) +
                                     row(kChild, kParent, "2015-02-29T00:00:00Z", "RELATIONSHIP_PERIOD", "", ""));
  CHECK(bad_day.result.errors ==
        std::vector<std::string>{"t.csv:2: Relationship.Period.1.startDate: \"2015-02-29T00:00:00Z\" is not an ISO "
                                 "8601 date (YYYY-MM-DD, optionally with a time)"});
  const auto short_date = relationships(quoted(header) + row(kChild, kParent, "2015-2-01", "RELATIONSHIP_PERIOD", "", ""));
  CHECK(short_date.result.errors.size() == 1);
  const auto junk_time =
      relationships(quoted(header) + row(kChild, kParent, "2015-02-01 noon", "RELATIONSHIP_PERIOD", "", ""));
  CHECK(junk_time.result.errors.size() == 1);

  const auto bad_parent =
      relationships(quoted(header) + row(kChild, "529900HKMSTPARENT130", "", "RELATIONSHIP_PERIOD", "", ""));
  CHECK(bad_parent.result.errors ==
        std::vector<std::string>{"t.csv:2: Relationship.EndNode.NodeID: the check digits of \"529900HKMSTPARENT130\" "
                                 "do not hold (ISO 17442: mod 97 must be 1)"});
  CHECK(bad_parent.rows.empty());
}

TEST_CASE("gleif: relationships whose node is not an LEI are skipped and counted") {
  const std::string text =
      quoted({"Relationship.StartNode.NodeID", "Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeID",
              "Relationship.EndNode.NodeIDType", "Relationship.RelationshipType", "Relationship.RelationshipStatus",
              "Registration.RegistrationStatus"}) +
      quoted({kChild, "LEI", "SOMEPNI01", "PNI", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", "PUBLISHED"}) +
      quoted({kChild, "", kParent, "", "IS_ULTIMATELY_CONSOLIDATED_BY", "ACTIVE", "PUBLISHED"});
  const auto r = relationships(text);
  CHECK(r.result.ok());
  CHECK(r.result.rows == 2);
  CHECK(r.result.skipped == 1);
  CHECK(r.result.delivered == 1);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].type == GleifRelationshipType::ultimate);
  CHECK(r.rows[0].line == 3);
}

TEST_CASE("gleif: a relationship file without a required column names the missing ones") {
  const auto r = relationships(quoted({"Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID",
                                       "Relationship.RelationshipType"}) +
                               quoted({kChild, kParent, "IS_DIRECTLY_CONSOLIDATED_BY"}));
  CHECK(r.result.errors ==
        std::vector<std::string>{"t.csv:1: missing columns Relationship.RelationshipStatus, "
                                 "Registration.RegistrationStatus (columns are found by their header names; is this a "
                                 "GLEIF golden-copy relationship (RR-CDF) file?)"});
}

TEST_CASE("gleif: the reporting exceptions sample reads") {
  std::vector<GleifException> rows;
  const auto result = read_gleif_exceptions(kData / "repex-sample.csv", [&](const GleifException& e) {
    rows.push_back(e);
    return true;
  });
  CHECK(result.ok());
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].lei == kParent);
  CHECK(rows[0].category == "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT");
  CHECK(rows[0].reason == "NATURAL_PERSONS");
  CHECK(rows[1].category == "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT");
  CHECK(rows[2].lei == kLone);
  CHECK(rows[2].reason == "NON_CONSOLIDATING");
  CHECK(rows[3].reason == "NO_KNOWN_PERSON");
  CHECK(rows[3].line == 5);
}

TEST_CASE("gleif: reporting exceptions accept the ExceptionCategory spelling and refuse an empty reason") {
  const auto alias = exceptions(quoted({"LEI", "ExceptionCategory", "ExceptionReason.1"}) +
                                quoted({kLone, "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "NON_PUBLIC"}));
  CHECK(alias.result.ok());
  REQUIRE(alias.rows.size() == 1);
  CHECK(alias.rows[0].reason == "NON_PUBLIC");

  const auto empty = exceptions(quoted({"LEI", "Exception.Category", "Exception.Reason.1"}) +
                                quoted({kLone, "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", ""}));
  CHECK(empty.result.errors == std::vector<std::string>{"t.csv:2: Exception.Reason.1: empty"});

  const auto missing = exceptions(quoted({"LEI", "Exception.Category"}) + quoted({kLone, "X"}));
  REQUIRE(missing.result.errors.size() == 1);
  CHECK_THAT(missing.result.errors[0], Catch::StartsWith("t.csv:1: missing column Exception.Reason.1 ("));
}

TEST_CASE("gleif: the callback stops the read by returning false") {
  int calls = 0;
  const auto result = read_gleif_level1(kData / "lei2-sample.csv", [&](const GleifEntity&) {
    ++calls;
    return calls < 2;
  });
  CHECK(calls == 2);
  CHECK(result.ok());
  CHECK(result.stopped_by_callback);
  CHECK(result.delivered == 2);
  CHECK(result.rows == 2);
}

TEST_CASE("gleif: a truncated file ends in an error naming the line of the open quote") {
  const std::string text = read_file(kData / "lei2-sample.csv");
  const auto cut = text.find("Suite 200");  // inside the quoted two-line address of line 3
  REQUIRE(cut != std::string::npos);
  herkomst::test::TempDir dir{"gleif-test"};
  const auto path = dir.write("truncated.csv", text.substr(0, cut));
  GleifReadResult result;
  const auto rows = read_level1_file(path, result);
  CHECK(rows.size() == 1);  // the caller's import is atomic: it drops this row
  CHECK(result.errors ==
        std::vector<std::string>{path.string() + ":3: unterminated quoted field (the input ends inside it)"});
}

TEST_CASE("gleif: an oversized field is an error") {
  GleifReadOptions options;
  options.limits.max_field_bytes = 40;  // the longest header name has 34 bytes
  const auto r = level1(quoted(kLevel1Header) + level1_row(kParent, "A legal name that is longer than forty bytes"),
                        options);
  CHECK(r.result.errors == std::vector<std::string>{"t.csv:2: field longer than 40 bytes"});
  CHECK(r.rows.empty());
}

TEST_CASE("gleif: a zip archive or a missing file is refused with a clear error") {
  herkomst::test::TempDir dir{"gleif-test"};
  const auto zip = dir.write("lei2.csv.zip", std::string("PK\x03\x04\x14\x00\x08\x00", 8) + "compressed bytes");
  GleifReadResult result;
  read_level1_file(zip, result);
  CHECK(result.errors == std::vector<std::string>{zip.string() + ": this is a zip archive (it starts with PK\\3\\4): "
                                                                 "unzip it first and give the .csv file"});
  const auto missing = dir.path / "rr.csv";
  const auto r = read_gleif_relationships(missing, [](const GleifRelationship&) { return true; });
  CHECK(r.errors == std::vector<std::string>{missing.string() + ": cannot open: No such file or directory"});
}

TEST_CASE("gleif: relationship types have names") {
  CHECK(to_string(GleifRelationshipType::direct) == "direct");
  CHECK(to_string(GleifRelationshipType::ultimate) == "ultimate");
  CHECK(to_string(GleifRelationshipType::branch) == "branch");
  CHECK(to_string(GleifRelationshipType::other) == "other");
}
