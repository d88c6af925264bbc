// OuiRegistry on small registries written by the test: prefix precedence, CSV quoting,
// Private rows, bad rows, address bits, missing files.
#include "fingerprints/oui_registry.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

using namespace herkomst::fingerprints;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("herkomst-oui-" + std::to_string(rd()) + "-" + std::to_string(counter.fetch_add(1)));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  void write(const std::string& name, std::string_view content) const {
    std::ofstream out(path_ / name, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }

 private:
  fs::path path_;
};

constexpr std::string_view kHeader = "Registry,Assignment,Organization Name,Organization Address\r\n";

// A registry with an MA-S inside an MA-M inside an MA-L (0C:AB:12), plus the quirks of the
// real files. Line numbers matter for the bad-row reports.
void write_crafted(const TempDir& dir) {
  dir.write("oui.csv", std::string(kHeader) +
                           /* 2 */ "MA-L,0CAB12,Outer Vendor AG,Hauptstrasse 1 Berlin  DE 10115 \r\n"
                           /* 3 */ "MA-L,001122,\"ACME \"\"Quoted\"\", Inc.\",\"1 Comma Road, Suite 5\r\n"
                           /* 4 */ "Springfield IL US 62701 \"\r\n"
                           /* 5 */ "MA-L,0A1122,Collide Corp,1 Local Road Austin TX US 78701 \r\n"
                           /* 6 */ "MA-L,ZZ1122,Bad Hex Ltd,Nowhere  GB  \r\n"
                           /* 7 */ "MA-L,334455,Only Three Fields\r\n"
                           /* 8 */ "MA-M,3344556,Wrong Registry,Somewhere  FR 75001 \r\n"
                           /* 9 */ "MA-L,445566,Private,\r\n"
                           /* 10 */ "MA-L,080030,First Org,1 First St Oxnard CA US 93010 \r\n"
                           /* 11 */ "MA-L,080030,Second Org,GPO Box Melbourne VIC AU 3001 \r\n"
                           /* 12 */ "MA-L,4C5566,Stray \"quote\" Ltd,addr  JP 100 \r\n"
                           /* 13 */ "MA-L,486677,\"  Padded Org  \"  ,\"Some Road  Oslo  NO 0150 \"\r\n"
                           /* 14 */ "MA-L,778899,\"Unclosed Org,Nowhere\r\n"
                           /* 15 */ "MA-L,8899AA,After Unclosed,Via Roma 1 Milano  IT 20100 \r\n"
                           /* 16 */ "\r\n"
                           /* 17 */ "MA-L,99AABB,,No Organisation  SE 11122 \r\n"
                           /* 18 */ "MA-L,AA0000,Digital Equipment,Littleton MA US 01460 \r\n"
                           /* 19 */ "MA-L,ABCDEF,\"Closed\"x,After quote junk\r\n");
  // LF line endings, no header row.
  dir.write("mam.csv",
            "MA-M,0CAB123,Middle Vendor Sp. z o.o.,ul. Prosta 1 Warszawa  PL 00-001 \n"
            "MA-M,0CAB12F,Private,\n");
  dir.write("oui36.csv", std::string(kHeader) + "MA-S,0CAB1234F,Inner Vendor KK,1-2-3 Chiyoda Tokyo  JP 100-0001 \r\n");
  dir.write("iab.csv", std::string("\xEF\xBB\xBF") + std::string(kHeader) +
                           "IAB,0050C2ABC,Old IAB Holder Oy,Tekniikantie 1 Espoo  FI 02150 \r\n");
}

std::array<std::uint8_t, 6> mac(std::string_view text) {
  const auto m = parse_mac(text);
  REQUIRE(m.has_value());
  return *m;
}

const OuiRegistry& crafted() {
  static const OuiRegistry registry = [] {
    TempDir dir;
    write_crafted(dir);
    auto loaded = OuiRegistry::load(dir.path());
    if (auto* e = std::get_if<RegistryError>(&loaded)) FAIL(e->message);
    return std::get<OuiRegistry>(std::move(loaded));
  }();
  return registry;
}

}  // namespace

TEST_CASE("longest prefix wins: MA-S over MA-M over MA-L", "[oui]") {
  const OuiRegistry& r = crafted();

  const MacLookup inner = r.lookup(mac("0c:ab:12:34:f0:01"));
  REQUIRE(inner.assignment);
  CHECK(inner.kind() == "universal");
  CHECK(inner.assignment->registry == MacRegistry::ma_s);
  CHECK(inner.assignment->organisation == "Inner Vendor KK");
  CHECK(inner.assignment->prefix == "0C:AB:12:34:F");
  CHECK(inner.assignment->prefix_bits == 36);
  CHECK(inner.assignment->country == "JP");

  const MacLookup middle = r.lookup(mac("0c:ab:12:34:e0:01"));  // beside the MA-S block
  REQUIRE(middle.assignment);
  CHECK(middle.assignment->registry == MacRegistry::ma_m);
  CHECK(middle.assignment->organisation == "Middle Vendor Sp. z o.o.");
  CHECK(middle.assignment->prefix == "0C:AB:12:3");
  CHECK(middle.assignment->prefix_bits == 28);
  CHECK(middle.assignment->country == "PL");

  const MacLookup outer = r.lookup(mac("0c:ab:12:40:00:00"));
  REQUIRE(outer.assignment);
  CHECK(outer.assignment->registry == MacRegistry::ma_l);
  CHECK(outer.assignment->organisation == "Outer Vendor AG");
  CHECK(outer.assignment->prefix == "0C:AB:12");
  CHECK(outer.assignment->prefix_bits == 24);
  CHECK(outer.assignment->country == "DE");

  const MacLookup iab = r.lookup(mac("00:50:c2:ab:c1:23"));
  REQUIRE(iab.assignment);
  CHECK(iab.assignment->registry == MacRegistry::iab);
  CHECK(iab.assignment->prefix == "00:50:C2:AB:C");
  CHECK(iab.assignment->country == "FI");

  CHECK_FALSE(r.lookup(mac("00:50:c2:ab:d1:23")).assignment);  // nothing covers it
  CHECK_FALSE(r.lookup(mac("12:34:56:78:9a:bc")).assignment.has_value());
}

TEST_CASE("CSV quoting: commas and doubled quotes and line breaks and blanks", "[oui]") {
  const OuiRegistry& r = crafted();
  const MacLookup acme = r.lookup(mac("00:11:22:00:00:01"));
  REQUIRE(acme.assignment);
  CHECK(acme.assignment->organisation == "ACME \"Quoted\", Inc.");
  CHECK(acme.assignment->address == "1 Comma Road, Suite 5\r\nSpringfield IL US 62701 ");
  CHECK(acme.assignment->country == "US");

  const MacLookup padded = r.lookup(mac("48:66:77:00:00:01"));
  REQUIRE(padded.assignment);
  CHECK(padded.assignment->organisation == "Padded Org");  // trimmed; blanks after the quote allowed
  CHECK(padded.assignment->country == "NO");

  const MacLookup stray = r.lookup(mac("4c:55:66:00:00:01"));  // a quote inside an unquoted field
  REQUIRE(stray.assignment);
  CHECK(stray.assignment->organisation == "Stray \"quote\" Ltd");

  // The row after an unterminated quote is still read (resynchronised on the next line).
  const MacLookup after = r.lookup(mac("88:99:aa:00:00:01"));
  REQUIRE(after.assignment);
  CHECK(after.assignment->organisation == "After Unclosed");
  CHECK(after.assignment->country == "IT");
}

TEST_CASE("Private rows are returned as Private, never as a vendor", "[oui]") {
  const OuiRegistry& r = crafted();
  const MacLookup p = r.lookup(mac("44:55:66:01:02:03"));
  REQUIRE(p.assignment);
  CHECK(p.assignment->is_private);
  CHECK(p.assignment->organisation == "Private");
  CHECK(p.assignment->country.empty());

  // A Private MA-M block inside a public MA-L: the more specific Private row wins.
  const MacLookup pm = r.lookup(mac("0c:ab:12:f0:00:01"));
  REQUIRE(pm.assignment);
  CHECK(pm.assignment->is_private);
  CHECK(pm.assignment->registry == MacRegistry::ma_m);

  CHECK_FALSE(r.lookup(mac("0c:ab:12:40:00:00")).assignment->is_private);
}

TEST_CASE("a prefix listed twice keeps the first row and names the others", "[oui]") {
  const OuiRegistry& r = crafted();
  const MacLookup d = r.lookup(mac("08:00:30:00:00:01"));
  REQUIRE(d.assignment);
  CHECK(d.assignment->organisation == "First Org");
  REQUIRE(d.assignment->other_organisations.size() == 1);
  CHECK(d.assignment->other_organisations[0] == "Second Org");
  CHECK(r.version().files.at(0).duplicate_rows == 1);
}

TEST_CASE("bad rows are counted and reported with file and line and are not fatal", "[oui]") {
  const OuiRegistry& r = crafted();
  const auto& problems = r.problems();
  REQUIRE(r.bad_rows() == 6);
  REQUIRE(problems.size() == 6);
  CHECK(problems[0].where() == "oui.csv:6: assignment \"ZZ1122\" is not 6 hex digits");
  CHECK(problems[1].where() == "oui.csv:7: expected 4 fields, found 3");
  CHECK(problems[2].where() == "oui.csv:8: registry \"MA-M\" in the MA-L file");
  CHECK(problems[3].where() == "oui.csv:14: unbalanced quotes: a quoted field runs on from line 14 to line 19");
  CHECK(problems[4].where() == "oui.csv:17: empty organisation");
  CHECK(problems[5].where() == "oui.csv:19: unexpected character after a closing quote");

  const auto& files = r.version().files;
  REQUIRE(files.size() == 4);
  CHECK(files[0].registry == MacRegistry::ma_l);
  CHECK(files[0].bad_rows == 6);
  CHECK(files[0].rows == 10);  // good rows incl. Private and the duplicate
  CHECK(files[0].private_rows == 1);
  CHECK(files[1].rows == 2);  // mam.csv: LF endings, no header
  CHECK(files[1].private_rows == 1);
  CHECK(files[2].rows == 1);
  CHECK(files[3].rows == 1);  // iab.csv with a UTF-8 BOM before the header
  CHECK(r.size() == 13);
  for (const auto& f : files) {
    CHECK(f.fnv1a64.size() == 16);
    CHECK(f.modified.size() == 20);
    CHECK(f.bytes > 0);
  }
  CHECK(r.version().last_update.empty());
  CHECK(r.version().summary().find("MA-L 10 rows (oui.csv ") != std::string::npos);
}

TEST_CASE("locally administered and group addresses never get a registrant", "[oui]") {
  const OuiRegistry& r = crafted();
  // 0A:11:22 is in the crafted oui.csv, but 0x0A has the U/L bit: not Collide Corp's.
  const MacLookup local = r.lookup(mac("0a:11:22:33:44:55"));
  CHECK(local.locally_administered);
  CHECK_FALSE(local.multicast);
  CHECK(local.kind() == "locally-administered");
  CHECK_FALSE(local.assignment);
  // The same for 02:.. (a VM) and DECnet's AA:00:00.
  CHECK_FALSE(r.lookup(mac("02:42:ac:11:00:02")).assignment);
  CHECK_FALSE(r.lookup(mac("aa:00:00:01:02:03")).assignment);

  // Multicast with an assigned OUI underneath (0C:AB:12 with the I/G bit is 0D:AB:12).
  const MacLookup group = r.lookup(mac("0d:ab:12:34:f0:01"));
  CHECK(group.multicast);
  CHECK_FALSE(group.broadcast);
  CHECK(group.kind() == "multicast");
  CHECK_FALSE(group.assignment);

  const MacLookup all = r.lookup(mac("ff:ff:ff:ff:ff:ff"));
  CHECK(all.broadcast);
  CHECK(all.multicast);
  CHECK(all.locally_administered);
  CHECK(all.kind() == "broadcast");
  CHECK_FALSE(all.assignment);
}

TEST_CASE("MAC text forms", "[oui]") {
  const std::array<std::uint8_t, 6> expected{0x00, 0x1b, 0x1b, 0x12, 0x34, 0x56};
  CHECK(parse_mac("00:1b:1b:12:34:56") == expected);
  CHECK(parse_mac("00-1B-1B-12-34-56") == expected);
  CHECK(parse_mac("001B1B123456") == expected);
  CHECK_FALSE(parse_mac("00:1b:1b:12:34"));
  CHECK_FALSE(parse_mac("00:1b-1b:12:34:56"));
  CHECK_FALSE(parse_mac("00:1b:1g:12:34:56"));
  CHECK_FALSE(parse_mac(""));
  const OuiRegistry& r = crafted();
  REQUIRE(r.lookup(std::string_view("0C:AB:12:34:F0:01")));
  CHECK(r.lookup(std::string_view("0C:AB:12:34:F0:01"))->assignment->registry == MacRegistry::ma_s);
  CHECK_FALSE(r.lookup(std::string_view("not a mac")));
}

TEST_CASE("a missing folder or file is an error naming it", "[oui]") {
  TempDir dir;
  auto missing_dir = OuiRegistry::load(dir.path() / "nope");
  REQUIRE(std::holds_alternative<RegistryError>(missing_dir));
  CHECK(std::get<RegistryError>(missing_dir).message.find("nope") != std::string::npos);

  write_crafted(dir);
  fs::remove(dir.path() / "oui36.csv");
  auto missing_file = OuiRegistry::load(dir.path());
  REQUIRE(std::holds_alternative<RegistryError>(missing_file));
  const std::string& message = std::get<RegistryError>(missing_file).message;
  CHECK(message.find("oui36.csv") != std::string::npos);
  CHECK(message.find(dir.path().string()) != std::string::npos);

  fs::create_directory(dir.path() / "oui36.csv");
  auto not_a_file = OuiRegistry::load(dir.path());
  REQUIRE(std::holds_alternative<RegistryError>(not_a_file));
  CHECK(std::get<RegistryError>(not_a_file).message.find("oui36.csv: not a regular file") != std::string::npos);
}

TEST_CASE("ieee-data's .lastupdate is recorded", "[oui]") {
  TempDir dir;
  write_crafted(dir);
  dir.write(".lastupdate", "1661630937");
  auto loaded = OuiRegistry::load(dir.path());
  REQUIRE(std::holds_alternative<OuiRegistry>(loaded));
  const auto& version = std::get<OuiRegistry>(loaded).version();
  CHECK(version.last_update == "2022-08-27T20:08:57Z");
  CHECK(version.summary().rfind("ieee-data 2022-08-27T20:08:57Z: MA-L 10 rows", 0) == 0);
}

TEST_CASE("an empty file or a file of garbage loads with its rows reported", "[oui]") {
  TempDir dir;
  write_crafted(dir);
  dir.write("iab.csv", "");
  dir.write("oui36.csv", std::string("\"\x00\x01\x02", 4));
  auto loaded = OuiRegistry::load(dir.path());
  REQUIRE(std::holds_alternative<OuiRegistry>(loaded));
  const auto& r = std::get<OuiRegistry>(loaded);
  CHECK(r.version().files[3].rows == 0);
  CHECK(r.version().files[2].rows == 0);
  CHECK(r.version().files[2].bad_rows == 1);
  CHECK(r.problems().back().where() == "oui36.csv:1: unterminated quoted field");
}
