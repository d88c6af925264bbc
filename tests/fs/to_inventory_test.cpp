#include <catch2/catch.hpp>

#include <string>

#include "scanner/fs/dpkg_status.hpp"
#include "scanner/fs/npm_lock.hpp"
#include "scanner/fs/to_inventory.hpp"
#include "fs_test_support.hpp"

using namespace herkomst;
using namespace herkomst::fs;

TEST_CASE("to_inventory: dpkg packages become components with claims and path evidence", "[fs][inventory]") {
  const auto parsed = parse_dpkg_status(test::kDpkgStatus, "var/lib/dpkg/status");
  const FsInventory inv = to_inventory(parsed.packages, "/mnt/hmi01", 41);
  REQUIRE(inv.observations.size() == 3);
  REQUIRE(inv.components.size() == 3);

  const Observation& o = inv.observations[0];
  CHECK(o.id == 41);
  CHECK(o.source == SourceKind::filesystem);
  CHECK(o.signal == "fs.package");
  CHECK(o.subjects == std::vector<SubjectKey>{{KeyKind::path, "/mnt/hmi01"}});
  CHECK(o.evidence.input == "var/lib/dpkg/status");
  CHECK(o.evidence.count == 1);
  CHECK(o.field_text("purl") == "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64");
  CHECK(o.field_text("method") == "manifest-analysis");
  CHECK(o.field_text("supplier.field") == "Maintainer");
  REQUIRE(o.field("location.line"));
  CHECK(std::get<std::int64_t>(*o.field("location.line")) == 1);
  CHECK(std::is_sorted(o.fields.begin(), o.fields.end()));

  // Sorted by ref (the PURL): libc6, openssl, tzdata.
  const Component& libc = inv.components[0];
  CHECK(libc.ref == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64");
  CHECK(libc.type == ComponentType::library);
  const Component& openssl = inv.components[1];
  CHECK(openssl.type == ComponentType::application);
  CHECK(openssl.observation_ids == std::vector<std::uint64_t>{41});
  REQUIRE(openssl.best("name"));
  CHECK(openssl.best("name")->value == "openssl");
  CHECK(openssl.best("name")->rule == "fs.dpkg-status");
  CHECK(openssl.best("name")->confidence == Approx(kDpkgConfidence));
  CHECK(openssl.best("version")->value == "3.0.11-1~deb12u2");
  CHECK(openssl.best("purl")->value == openssl.ref);
  REQUIRE(openssl.best("manufacturer.name"));
  CHECK(openssl.best("manufacturer.name")->value == "Debian OpenSSL Team");
  CHECK(openssl.best("manufacturer.name")->confidence == Approx(0.4));
  CHECK(openssl.best("manufacturer.name")->observation_id == 41);
  CHECK_FALSE(openssl.best("license"));  // dpkg status declares none
}

TEST_CASE("to_inventory: the same package in two places is one component", "[fs][inventory]") {
  auto lock = parse_npm_lock(test::kPackageLock, "srv/hmi/package-lock.json").packages;
  const auto installed = parse_npm_package_json(
      R"({"name": "lodash", "version": "4.17.21", "license": "MIT", "author": "John-David Dalton <jdd@example.com>"})",
      "srv/hmi/node_modules/lodash/package.json");
  lock.insert(lock.end(), installed.packages.begin(), installed.packages.end());
  const FsInventory inv = to_inventory(lock, "/srv");
  CHECK(inv.observations.size() == 7);
  CHECK(inv.components.size() == 6);
  const auto lodash = std::find_if(inv.components.begin(), inv.components.end(),
                                   [](const Component& c) { return c.ref == "pkg:npm/lodash@4.17.21"; });
  REQUIRE(lodash != inv.components.end());
  CHECK(lodash->observation_ids.size() == 2);
  CHECK(lodash->all("name").size() == 1);  // one value, two supporting claims
  CHECK(lodash->best("license")->value == "MIT");
  CHECK(lodash->best("license")->confidence == Approx(kNpmPackageConfidence));  // the installed manifest wins
  CHECK(lodash->best("manufacturer.name")->value == "John-David Dalton");
  CHECK(lodash->best("manufacturer.name")->rule == "fs.npm-package-json");

  const auto root = std::find_if(inv.components.begin(), inv.components.end(),
                                 [](const Component& c) { return c.ref == "pkg:npm/hmi-dashboard@1.4.0"; });
  REQUIRE(root != inv.components.end());
  CHECK(root->type == ComponentType::application);
  const auto babel = std::find_if(inv.components.begin(), inv.components.end(),
                                  [](const Component& c) { return c.ref == "pkg:npm/%40babel/core@7.23.2"; });
  REQUIRE(babel != inv.components.end());
  CHECK(babel->type == ComponentType::library);
  CHECK(babel->best("name")->value == "@babel/core");
}

TEST_CASE("to_inventory: supplier confidence by field", "[fs][inventory]") {
  const auto with = [](Ecosystem ecosystem, std::string supplier, std::string field) {
    Package p;
    p.ecosystem = ecosystem;
    p.supplier = std::move(supplier);
    p.supplier_field = std::move(field);
    return supplier_confidence(p);
  };
  CHECK(with(Ecosystem::pypi, {}, {}) == 0);
  CHECK(with(Ecosystem::pypi, std::string(1, 'x'), std::string("Author")) == Approx(0.7));
  CHECK(with(Ecosystem::npm, std::string(1, 'x'), std::string("author")) == Approx(0.7));
  CHECK(with(Ecosystem::pypi, std::string(1, 'x'), std::string("Author-email")) == Approx(0.6));
  CHECK(with(Ecosystem::pypi, std::string(1, 'x'), std::string("Maintainer")) == Approx(0.5));
  CHECK(with(Ecosystem::pypi, std::string(1, 'x'), std::string("Maintainer-email")) == Approx(0.4));
  CHECK(with(Ecosystem::deb, std::string(1, 'x'), std::string("Maintainer")) == Approx(0.4));
  CHECK(to_inventory({}, "/").components.empty());
}
