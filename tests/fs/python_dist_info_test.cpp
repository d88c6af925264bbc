#include <catch2/catch.hpp>

#include <string>

#include "scanner/fs/python_dist_info.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;

TEST_CASE("python METADATA: headers read, body ignored", "[fs][python]") {
  const auto r = parse_python_metadata(herkomst::test::kRequestsMetadata,
                                       "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA");
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.name == "requests");
  CHECK(p.version == "2.31.0");
  CHECK(p.purl == "pkg:pypi/requests@2.31.0");
  CHECK(p.supplier == "Kenneth Reitz");
  CHECK(p.supplier_field == "Author");
  CHECK(p.license == "Apache 2.0");
  CHECK(p.location.line == 1);
  CHECK(p.cataloger == "python-dist-info");
}

TEST_CASE("python METADATA: licence from expression, classifiers, never a whole licence text", "[fs][python]") {
  const auto expression = parse_python_metadata(
      "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense-Expression: MIT OR Apache-2.0\n"
      "Author-email: \"ACME, Inc.\" <dev@acme.example>\n",
      "METADATA");
  REQUIRE(expression.packages.size() == 1);
  CHECK(expression.packages[0].license == "MIT OR Apache-2.0");
  CHECK(expression.packages[0].purl == "pkg:pypi/foo-bar@1.0");
  CHECK(expression.packages[0].supplier == "\"ACME, Inc.\" <dev@acme.example>");
  CHECK(expression.packages[0].supplier_field == "Author-email");

  const auto classifiers = parse_python_metadata(
      "Name: six\nVersion: 1.16.0\nAuthor: UNKNOWN\nMaintainer: Benjamin Peterson\n"
      "License: Copyright (c) 2010-2020 Benjamin Peterson\n        Permission is hereby granted...\n"
      "Classifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n",
      "six-1.16.0.egg-info/PKG-INFO");
  REQUIRE(classifiers.packages.size() == 1);
  CHECK(classifiers.packages[0].license == "MIT License");
  CHECK(classifiers.packages[0].supplier == "Benjamin Peterson");
  CHECK(classifiers.packages[0].supplier_field == "Maintainer");
}

TEST_CASE("python METADATA: truncated and hostile input", "[fs][python]") {
  const std::string_view whole = herkomst::test::kRequestsMetadata;
  const auto cut = parse_python_metadata(whole.substr(0, whole.find("\nVersion:")), "METADATA");
  CHECK(cut.packages.empty());
  REQUIRE(cut.errors.size() == 1);
  CHECK(cut.errors[0].to_string() == "METADATA:1: no Version header for requests");

  CHECK(parse_python_metadata("", "M").errors.at(0).to_string() == "M: no metadata headers");
  CHECK(parse_python_metadata("\n\nName: x\nVersion: 1\n", "M").packages.size() == 1);  // leading blank lines tolerated
  const auto spaced = parse_python_metadata("Name: a b\nVersion: 1\n", "M");
  CHECK(spaced.packages.empty());
  CHECK(spaced.errors.at(0).message == "not a distribution name");
  const auto control = parse_python_metadata(std::string("Name: a\nVersion: 1\x01\n"), "M");
  CHECK(control.packages.empty());
  std::string huge = "Name: big\nVersion: 1\nAuthor: ";
  huge.append(1u << 20, 'x');
  const auto big = parse_python_metadata(huge, "M");
  REQUIRE(big.packages.size() == 1);  // a long header is data, not a reason to fail
}
