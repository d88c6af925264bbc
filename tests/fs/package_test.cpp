#include <catch2/catch.hpp>

#include <string>

#include "scanner/fs/package.hpp"

using namespace herkomst::fs;

namespace {

std::string purl_of(Ecosystem ecosystem, std::string namespace_, std::string name, std::string version,
                    std::string arch = {}) {
  Package p;
  p.ecosystem = ecosystem;
  p.namespace_ = std::move(namespace_);
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  return package_url(p);
}

}  // namespace

TEST_CASE("purl: deb with arch qualifier", "[fs][purl]") {
  CHECK(purl_of(Ecosystem::deb, "debian", "openssl", "3.0.11-1", "amd64") == "pkg:deb/debian/openssl@3.0.11-1?arch=amd64");
  // The epoch's ':' stays, '+' is encoded.
  CHECK(purl_of(Ecosystem::deb, "debian", "libc6", "1:2.36-9+deb12u4", "amd64") ==
        "pkg:deb/debian/libc6@1:2.36-9%2Bdeb12u4?arch=amd64");
  CHECK(purl_of(Ecosystem::deb, "debian", "libc6", "2.36") == "pkg:deb/debian/libc6@2.36");
  CHECK(purl_of(Ecosystem::rpm, "redhat", "NetworkManager", "1.42", "x86_64") ==
        "pkg:rpm/redhat/NetworkManager@1.42?arch=x86_64");  // rpm names keep their case
}

TEST_CASE("purl: pypi names lower-cased with dashes", "[fs][purl]") {
  CHECK(purl_of(Ecosystem::pypi, "", "requests", "2.31.0") == "pkg:pypi/requests@2.31.0");
  CHECK(purl_of(Ecosystem::pypi, "", "Django_REST", "1.0+local") == "pkg:pypi/django-rest@1.0%2Blocal");
}

TEST_CASE("purl: npm scope percent-encoded", "[fs][purl]") {
  CHECK(purl_of(Ecosystem::npm, "@scope", "name", "1.0.0") == "pkg:npm/%40scope/name@1.0.0");
  CHECK(purl_of(Ecosystem::npm, "", "lodash", "4.17.21") == "pkg:npm/lodash@4.17.21");
  CHECK(purl_of(Ecosystem::npm, "@Types", "Node", "") == "pkg:npm/%40types/node");
}

TEST_CASE("purl: every reserved and non-ASCII byte is encoded", "[fs][purl]") {
  CHECK(purl_encode("aZ09.-_~:") == "aZ09.-_~:");
  CHECK(purl_encode("a b/c?d#e@f%g&h=i+j") == "a%20b%2Fc%3Fd%23e%40f%25g%26h%3Di%2Bj");
  CHECK(purl_encode("Straße") == "Stra%C3%9Fe");
  CHECK(purl_encode(std::string("a\0b", 3)) == "a%00b");
  CHECK(package_url("generic", "a//b/", "n", "", {{"Z", "1"}, {"a", ""}, {"b", "x y"}}) == "pkg:generic/a/b/n?b=x%20y&z=1");
}

TEST_CASE("display_name takes the person or organisation out of vendor text", "[fs]") {
  CHECK(display_name("Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>") == "Debian OpenSSL Team");
  CHECK(display_name("  <security@example.com>  ") == "security@example.com");
  CHECK(display_name("Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)") == "Isaac Z. Schlueter");
  CHECK(display_name("Sindre Sorhus (https://sindresorhus.com)") == "Sindre Sorhus");
  CHECK(display_name("\"Siemens AG\" <info@siemens.com>") == "Siemens AG");
  CHECK(display_name("Kenneth Reitz") == "Kenneth Reitz");
  CHECK(display_name("<unterminated") == "unterminated");
  CHECK(display_name("") == "");
}

TEST_CASE("parse errors are bounded and name file and line", "[fs]") {
  ParseResult r;
  for (std::size_t i = 0; i < ParseResult::kMaxErrors + 5; ++i) r.error("f", i + 1, "bad");
  CHECK(r.errors.size() == ParseResult::kMaxErrors);
  CHECK(r.errors_dropped == 5);
  CHECK(r.errors[2].to_string() == "f:3: bad");
  CHECK(ParseError{"x.json", 0, "not valid JSON"}.to_string() == "x.json: not valid JSON");
}
