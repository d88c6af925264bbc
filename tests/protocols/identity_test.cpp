// The shared helpers every decoder uses to turn wire bytes into safe text.
#include <catch2/catch.hpp>

#include "scanner/protocols/identity.hpp"

using namespace herkomst;
using namespace herkomst::protocols;

TEST_CASE("sanitize_text keeps UTF-8, replaces control bytes and broken sequences, trims padding") {
  CHECK(sanitize_text(std::string_view("Siemens AG\0\0\0  ", 15)) == "Siemens AG");
  CHECK(sanitize_text(std::string_view("Stra\xC3\x9F" "e")) == "Stra\xC3\x9F" "e");
  CHECK(sanitize_text(std::string_view("a\x1b[31mb")) == "a\xEF\xBF\xBD[31mb");
  CHECK(sanitize_text(std::string_view("\xC3")) == "\xEF\xBF\xBD");
  CHECK(sanitize_text(std::string_view("\xED\xA0\x80")) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_text(std::string_view("%s%n%x")) == "%s%n%x");  // format strings are just text
  CHECK(sanitize_text(std::string_view("abcdef"), 4) == "abcd");
  CHECK(sanitize_text(std::string_view("ab\xC3\x9F"), 3) == "ab");  // never cut inside a character
}

TEST_CASE("make_identity sorts fields and drops empty strings and duplicates") {
  auto id = make_identity("x.y", {{"vendor", std::string("A")}, {"model", std::string("")},
                                  {"revision", std::int64_t{3}}, {"vendor", std::string("B")}});
  REQUIRE(id.fields.size() == 2);
  CHECK(id.fields[0].name == "revision");
  CHECK(id.fields[1].name == "vendor");
  CHECK(id.about_sender);
}
