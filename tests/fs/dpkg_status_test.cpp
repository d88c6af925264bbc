#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include "scanner/fs/dpkg_status.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;

TEST_CASE("dpkg status: installed paragraphs with continuation lines", "[fs][dpkg]") {
  const auto r = parse_dpkg_status(herkomst::test::kDpkgStatus, "var/lib/dpkg/status");
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 3);
  CHECK(r.skipped == 1);  // telnet: config-files only

  const Package& openssl = r.packages[0];
  CHECK(openssl.name == "openssl");
  CHECK(openssl.version == "3.0.11-1~deb12u2");
  CHECK(openssl.arch == "amd64");
  CHECK(openssl.supplier == "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>");
  CHECK(openssl.supplier_field == "Maintainer");
  CHECK(openssl.purl == "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64");
  CHECK(openssl.location.path == "var/lib/dpkg/status");
  CHECK(openssl.location.line == 1);
  CHECK(openssl.method == "manifest-analysis");
  CHECK(openssl.cataloger == "dpkg-status");
  CHECK(openssl.confidence == Approx(kDpkgConfidence));

  CHECK(r.packages[1].name == "libc6");  // "hold ok installed" is installed
  CHECK(r.packages[1].purl == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64");
  CHECK(r.packages[1].location.line == 23);
  CHECK(r.packages[2].purl == "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all");
}

TEST_CASE("dpkg status: CRLF line ends, many blank lines and a vendor namespace", "[fs][dpkg]") {
  const std::string text = "\r\n\r\nPackage: curl\r\nStatus: install ok installed\r\nVersion: 7.88.1-10\r\n"
                           "Architecture: arm64\r\n \r\n\t\r\n\r\nPackage: git\r\nStatus: install ok installed\r\n"
                           "Version: 1:2.39.2-1.1\r\n";
  DpkgOptions options;
  options.vendor = "ubuntu";
  const auto r = parse_dpkg_status(text, "status", options);
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].purl == "pkg:deb/ubuntu/curl@7.88.1-10?arch=arm64");
  CHECK(r.packages[1].purl == "pkg:deb/ubuntu/git@1:2.39.2-1.1");
  CHECK(r.packages[1].location.line == 10);
}

TEST_CASE("dpkg status.d: paragraphs without Status are installed", "[fs][dpkg]") {
  const std::string text = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"
                           "Maintainer: Santiago Vila <sanvila@debian.org>\n";
  CHECK(parse_dpkg_status(text, "var/lib/dpkg/status").packages.empty());
  CHECK(parse_dpkg_status(text, "var/lib/dpkg/status").errors.size() == 1);
  DpkgOptions options;
  options.require_status = false;
  const auto r = parse_dpkg_status(text, "var/lib/dpkg/status.d/base", options);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "base-files");
}

TEST_CASE("dpkg status: truncated file keeps what is complete", "[fs][dpkg]") {
  const std::string_view whole = herkomst::test::kDpkgStatus;
  // Cut in the middle of the libc6 paragraph, before its Version field.
  const std::string cut(whole.substr(0, whole.find("Version: 2.36")));
  const auto r = parse_dpkg_status(cut, "status");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "openssl");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "status:23: no Version for libc6");
  // Cut inside a field name: that last line is not a field.
  const auto r2 = parse_dpkg_status("Package: a1\nStatus: install ok installed\nVersion: 1\nArchi", "status");
  CHECK(r2.packages.size() == 1);
  REQUIRE(r2.errors.size() == 1);
  CHECK(r2.errors[0].line == 4);
}

TEST_CASE("dpkg status: hostile input is reported, never trusted", "[fs][dpkg]") {
  using namespace std::string_literals;
  const std::string text = " leading continuation\n"
                                       "Package: ../../etc/passwd\nStatus: install ok installed\nVersion: 1\n\n"
                                       "Package: ok-pkg\nStatus: install ok\nVersion: 1\n\n"
                                       "Package: spaced\nStatus: install ok installed\nVersion: 1 2\n\n"
                                       "Status: install ok installed\nVersion: 1\n\n"
                                       "no colon here\n\n"
                                       "Package: nul\0byte\nStatus: install ok installed\nVersion: 1\n\n"
                                       "Package: good\nStatus: install ok installed\nVersion: 2.0\n"s;
  const auto r = parse_dpkg_status(text, "status");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "good");
  CHECK(r.errors.size() == 7);
  for (const auto& e : r.errors) CHECK(e.line > 0);
  CHECK(r.errors[0].to_string() == "status:1: continuation line outside a field");
}

TEST_CASE("dpkg status: errors stay bounded on a file of garbage", "[fs][dpkg]") {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage += "garbage line\n";
  const auto r = parse_dpkg_status(garbage, "status");
  CHECK(r.packages.empty());
  CHECK(r.errors.size() == ParseResult::kMaxErrors);
  CHECK(r.errors_dropped == 100000 - ParseResult::kMaxErrors);
  CHECK(parse_dpkg_status("", "status").packages.empty());
  CHECK(parse_dpkg_status("", "status").errors.empty());
}

namespace {

std::string run(const char* command) {
  std::string out;
  FILE* pipe = ::popen(command, "r");
  if (!pipe) return out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("dpkg status: this machine's status file matches dpkg-query", "[fs][dpkg][host]") {
  const std::filesystem::path status = "/var/lib/dpkg/status";
  // herkomst targets Debian: a machine without a dpkg database cannot run this check, and the
  // case fails rather than pass untested.
  REQUIRE(std::filesystem::exists(status));
  std::ifstream in(status, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto r = parse_dpkg_status(text, "var/lib/dpkg/status");
  CHECK(r.errors.empty());
  for (const auto& e : r.errors) INFO(e.to_string());

  std::set<std::string> ours;
  for (const auto& p : r.packages) ours.insert(p.name + ' ' + p.arch + ' ' + p.version);
  CHECK(ours.size() == r.packages.size());

  const std::string listed =
      run("dpkg-query -W -f='${db:Status-Status} ${Package} ${Architecture} ${Version}\\n' 2>/dev/null");
  REQUIRE_FALSE(listed.empty());
  std::set<std::string> theirs;
  std::istringstream lines(listed);
  for (std::string line; std::getline(lines, line);) {
    constexpr std::string_view kInstalled = "installed ";
    if (line.rfind(kInstalled, 0) == 0) theirs.insert(line.substr(kInstalled.size()));
  }
  CHECK(r.packages.size() == theirs.size());
  CHECK(ours == theirs);
}
