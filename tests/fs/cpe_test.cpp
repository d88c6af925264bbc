// CPE 2.3 formatted-string derivation (NISTIR 7695 6.2): lower case, '_' for spaces, quoting of
// special characters, legal forms dropped from the vendor.
#include <catch2/catch.hpp>

#include "scanner/fs/cpe.hpp"

using namespace herkomst::fs;

TEST_CASE("CPE values: lower case, spaces, quoting", "[pe][cpe]") {
  CHECK(cpe_value("Example HMI Studio") == "example_hmi_studio");
  CHECK(cpe_value("  Two   Spaces\t") == "two_spaces");
  CHECK(cpe_value("C++ Tools") == "c\\+\\+_tools");
  CHECK(cpe_value("v1.2-beta_3") == "v1.2-beta_3");
  CHECK(cpe_value("a:b*c?d\\e/f!") == "a\\:b\\*c\\?d\\\\e\\/f\\!");
  CHECK(cpe_value("Microsoft\xC2\xAE Windows\xC2\xAE") == "microsoft_windows");
  CHECK(cpe_value("\xC2\xAE").empty());
}

TEST_CASE("CPE vendor without its legal form", "[pe][cpe]") {
  CHECK(cpe_vendor("Microsoft Corporation") == "microsoft");
  CHECK(cpe_vendor("Siemens AG") == "siemens");
  CHECK(cpe_vendor("Example Automation GmbH") == "example_automation");
  CHECK(cpe_vendor("Rockwell Automation, Inc.") == "rockwell_automation");
  CHECK(cpe_vendor("Beispiel GmbH & Co. KG") == "beispiel");
  CHECK(cpe_vendor("Bag") == "bag");        // not a legal form: no space before "ag"
  CHECK(cpe_vendor("GmbH") == "gmbh");      // nothing would be left
}

TEST_CASE("CPE 2.3 formatted string", "[pe][cpe]") {
  CHECK(cpe23("Siemens AG", "SIMATIC WinCC", "7.5 SP2") == "cpe:2.3:a:siemens:simatic_wincc:7.5_sp2:*:*:*:*:*:*:*");
  CHECK(cpe23("Example", "Tool", "") == "cpe:2.3:a:example:tool:*:*:*:*:*:*:*:*");
  CHECK(cpe23("Example", "Firmware", "1.0", 'o') == "cpe:2.3:o:example:firmware:1.0:*:*:*:*:*:*:*");
  CHECK(cpe23("", "Tool", "1.0").empty());
  CHECK(cpe23("Example", "\xE2\x84\xA2", "1.0").empty());
}
