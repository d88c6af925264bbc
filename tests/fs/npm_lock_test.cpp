#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "scanner/fs/npm_lock.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;

namespace {

std::map<std::string, const Package*> by_purl(const ParseResult& r) {
  std::map<std::string, const Package*> out;
  for (const auto& p : r.packages) out[p.purl] = &p;
  return out;
}

}  // namespace

TEST_CASE("npm lock v3: packages map, scopes, nesting, aliases, links", "[fs][npm]") {
  const auto r = parse_npm_lock(herkomst::test::kPackageLock, "srv/hmi/package-lock.json");
  CHECK(r.errors.empty());
  const auto found = by_purl(r);
  CHECK(found.size() == r.packages.size());
  CHECK(r.packages.size() == 6);
  CHECK(r.skipped == 1);  // the link
  REQUIRE(found.count("pkg:npm/hmi-dashboard@1.4.0"));
  CHECK(found.at("pkg:npm/hmi-dashboard@1.4.0")->application);
  CHECK(found.at("pkg:npm/hmi-dashboard@1.4.0")->license == "UNLICENSED");
  REQUIRE(found.count("pkg:npm/%40babel/core@7.23.2"));
  const Package& babel = *found.at("pkg:npm/%40babel/core@7.23.2");
  CHECK(babel.namespace_ == "@babel");
  CHECK(babel.name == "core");
  CHECK(babel.license == "MIT");
  CHECK(babel.location.entry == "node_modules/@babel/core");
  CHECK(babel.location.path == "srv/hmi/package-lock.json");
  CHECK_FALSE(babel.application);
  CHECK(found.count("pkg:npm/lodash@4.17.21"));
  CHECK(found.count("pkg:npm/ms@2.1.3"));
  CHECK(found.count("pkg:npm/string-width@4.2.3"));  // alias: the real name
  CHECK(found.count("pkg:npm/my-lib@0.1.0"));        // workspace folder that names itself
}

TEST_CASE("npm lock v1: nested dependencies", "[fs][npm]") {
  const auto r = parse_npm_lock(R"({"lockfileVersion": 1, "dependencies": {
      "express": {"version": "4.18.2", "dependencies": {"debug": {"version": "2.6.9"}}},
      "@types/node": {"version": "20.8.0"}}})",
                                "package-lock.json");
  CHECK(r.errors.empty());
  const auto found = by_purl(r);
  CHECK(found.size() == 3);
  REQUIRE(found.count("pkg:npm/debug@2.6.9"));
  CHECK(found.at("pkg:npm/debug@2.6.9")->location.entry == "express > debug");
  CHECK(found.count("pkg:npm/%40types/node@20.8.0"));
}

TEST_CASE("npm package.json: author forms and licence forms", "[fs][npm]") {
  const auto a = parse_npm_package_json(
      R"j({"name": "ms", "version": "2.1.3", "license": "MIT", "author": "Guillermo Rauch <rauchg@gmail.com> (https://rauchg.com)"})j",
      "node_modules/ms/package.json");
  REQUIRE(a.packages.size() == 1);
  CHECK(a.packages[0].purl == "pkg:npm/ms@2.1.3");
  CHECK(a.packages[0].supplier == "Guillermo Rauch <rauchg@gmail.com> (https://rauchg.com)");
  CHECK(a.packages[0].supplier_field == "author");
  CHECK(a.packages[0].cataloger == "npm-package-json");

  const auto b = parse_npm_package_json(
      R"({"name": "@Scope/Thing", "version": "1.0.0", "author": {"name": "ACME GmbH", "email": "npm@acme.example"},
          "licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]})",
      "node_modules/@scope/thing/package.json");
  REQUIRE(b.packages.size() == 1);
  CHECK(b.packages[0].purl == "pkg:npm/%40scope/thing@1.0.0");
  CHECK(b.packages[0].supplier == "ACME GmbH <npm@acme.example>");
  CHECK(b.packages[0].license == "MIT OR GPL-2.0");
  const auto c = parse_npm_package_json(R"({"name": "x", "version": "1.0.0", "license": {"type": "ISC"}})", "p");
  CHECK(c.packages.at(0).license == "ISC");
}

TEST_CASE("npm: truncated and hostile JSON", "[fs][npm]") {
  const std::string_view whole = herkomst::test::kPackageLock;
  const auto cut = parse_npm_lock(whole.substr(0, whole.size() / 2), "package-lock.json");
  CHECK(cut.packages.empty());
  REQUIRE(cut.errors.size() == 1);
  CHECK(cut.errors[0].message == "not valid JSON");
  CHECK(cut.errors[0].line > 1);

  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto nested = parse_npm_lock(deep, "package-lock.json");
  REQUIRE(nested.errors.size() == 1);
  CHECK(nested.errors[0].message == "JSON nested deeper than 64");

  CHECK(parse_npm_lock("[1,2]", "l").errors.at(0).message == "not a JSON object");
  CHECK(parse_npm_lock("{}", "l").errors.at(0).message == "no lockfileVersion, packages or dependencies");
  CHECK(parse_npm_lock(R"({"packages": []})", "l").errors.at(0).message == "\"packages\" is not an object");

  const auto bad = parse_npm_lock(R"({"lockfileVersion": 3, "packages": {
      "node_modules/a": 5,
      "node_modules/b": {"version": 7},
      "node_modules/c d": {"version": "1.0.0"},
      "node_modules/e": {"version": "1.0.0 beta"},
      "node_modules/@x/": {"version": "1.0.0"},
      "node_modules/ok": {"version": "1.0.0"}}})",
                                  "l");
  REQUIRE(bad.packages.size() == 1);
  CHECK(bad.packages[0].name == "ok");
  CHECK(bad.errors.size() == 5);
  // In key order (nlohmann::json objects are sorted).
  CHECK(bad.errors[0].to_string() == "l: node_modules/@x/: not an npm package name");
  CHECK(bad.errors[1].to_string() == "l: node_modules/a: not an object");
  CHECK(bad.errors[2].to_string() == "l: node_modules/b: no version");

  CHECK(parse_npm_package_json(R"({"name": "../../etc", "version": "1"})", "p").packages.empty());
  CHECK(parse_npm_package_json(R"({"version": "1"})", "p").errors.at(0).message == "package: not an npm package name");
  CHECK(parse_npm_package_json("\xff\xfe{", "p").errors.size() == 1);
}
