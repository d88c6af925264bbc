#include "fingerprints/country_codes.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace herkomst::fingerprints;

TEST_CASE("the embedded ISO 3166-1 table is complete and well formed", "[country]") {
  const auto countries = iso3166_countries();
  REQUIRE(countries.size() == 249);  // officially assigned alpha-2 codes
  std::set<std::string_view> seen;
  std::string_view previous;
  for (const Country& c : countries) {
    INFO(c.code);
    REQUIRE(c.code.size() == 2);
    REQUIRE(c.code[0] >= 'A');
    REQUIRE(c.code[0] <= 'Z');
    REQUIRE(c.code[1] >= 'A');
    REQUIRE(c.code[1] <= 'Z');
    REQUIRE(!c.name.empty());
    REQUIRE(c.name.find('\t') == std::string_view::npos);
    REQUIRE(c.code > previous);  // sorted, unique
    previous = c.code;
    seen.insert(c.code);
  }
  REQUIRE(seen.size() == 249);
}

TEST_CASE("the code list names its source and date", "[country]") {
  const std::string_view source = iso3166_source();
  CHECK(source.find("https://www.iso.org/") != std::string_view::npos);
  CHECK(source.find("2026-11-28") != std::string_view::npos);
}

TEST_CASE("country codes and names", "[country]") {
  CHECK(country_name("DE") == std::optional<std::string_view>("Germany"));
  CHECK(country_name("US") == std::optional<std::string_view>("United States"));
  CHECK(country_name("TW") == std::optional<std::string_view>("Taiwan, Province of China"));
  CHECK(country_name("CI") == std::optional<std::string_view>("C\xC3\xB4te d'Ivoire"));
  CHECK(is_iso3166_alpha2("SS"));
  // Not officially assigned: transitionally, exceptionally or user-assigned.
  for (std::string_view code : {"YU", "UK", "EU", "XK", "ZZ", "AN", "SU"}) {
    INFO(code);
    CHECK_FALSE(is_iso3166_alpha2(code));
  }
  CHECK_FALSE(is_iso3166_alpha2("de"));
  CHECK_FALSE(is_iso3166_alpha2("D"));
  CHECK_FALSE(is_iso3166_alpha2("DEU"));
  CHECK_FALSE(is_iso3166_alpha2(""));
}

namespace {
std::string country(std::string_view address) {
  const auto c = country_from_ieee_address(address);
  return c ? std::string(*c) : std::string("-");
}
}  // namespace

TEST_CASE("country from IEEE address columns", "[country]") {
  // The brief's examples, as the files spell them.
  CHECK(country("2181 Buchanan Loop Ferndale WA US 98248 ") == "US");
  CHECK(country("Polbina st., 3/1 Moscow  RU 109388 ") == "RU");
  CHECK(country("300 Applewood Crescent Concord Ontario CA L4K 5C7 ") == "CA");
  CHECK(country("Paffrather Strasse 140 Bergisch-Gladbach NRW DE 51465 ") == "DE");
  // US state codes that are also country codes, before the country.
  CHECK(country("170 West Tasman Drive San Jose CA US 95134 ") == "US");
  CHECK(country("2533 Centennial Blvd., Suite B Jeffersonville IN US 47130 ") == "US");
  CHECK(country("100 Main St Wilmington DE US 19801 ") == "US");
  // No postcode (the field ends in two blanks).
  CHECK(country("I IA SC MF-K PE 3 76187 Karlsruhe  Baden Wuerttemberg DE  ") == "DE");
  CHECK(country(" Goleta CA US  ") == "US");
  CHECK(country("PO Box 165, Goodwood SA 5034  AU  ") == "AU");
  // Postcodes and placeholders after the country that look like codes.
  CHECK(country("High Tech Campus 27 Eindhoven NB NL 5656 AE ") == "NL");
  CHECK(country("Postbus 2112 Emmen Drenthe NL 7801 CC ") == "NL");
  CHECK(country("5/F, Yat Chau Building, 262 Des Voeux Road Central Hong Kong  HK NA ") == "HK");
  CHECK(country("Meierseggstrasse 40 Flawil 9230 CH SG ") == "CH");
  CHECK(country("Via Leini l/b San Maurizio Canavese IT 10077 TO ") == "IT");
  // Multi-line (quoted) addresses.
  CHECK(country("Room 701~703,\r\nVanke Huamao Plaza\r\nShenzhen Guangdong CN 518000 ") == "CN");
  // Nothing that is an assigned code.
  CHECK(country("Bulevar Zorana Djindjica 8a Belgrade Serbia YU 11070 ") == "-");
  CHECK(country("     ") == "-");
  CHECK(country("") == "-");
  CHECK(country("7280 RIVER ROAD CANADA V6X  1X5 ") == "-");
  CHECK(country("lower case us 12345") == "-");
}
