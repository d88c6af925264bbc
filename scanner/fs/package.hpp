// The one package model every filesystem cataloger produces (scanner/fs/*), and the Package URL
// (PURL) it is known by.
//
// A Package is what a cataloger read about one installed or declared package: its ecosystem,
// name and version, the vendor text the manifest names (Maintainer, Author: resolved to an
// organisation later, by origins/), a declared licence, and the evidence of where it was read.
// Catalogers are pure: bytes in, packages and errors out; they never touch the filesystem.
//
// PURL: https://github.com/package-url/purl-spec (specification.md, "Character encoding", and
// PURL-TYPES for deb, rpm, apk, pypi, npm). Every character but A-Z a-z 0-9 . - _ ~ and ':' is
// percent-encoded as UTF-8 bytes (upper-case hex); namespace segments are encoded one by one, so
// the npm scope "@babel" becomes "%40babel"; qualifiers are sorted by key, empty ones left out.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace herkomst::fs {

// The PURL type a package is known by. `generic` is for software that no package manager names
// (a Windows program from its registry entry or its PE version resource, an OT engineering suite).
enum class Ecosystem { deb, rpm, apk, pypi, npm, maven, nuget, golang, generic };
// The PURL type: "deb", "rpm", "apk", "pypi", "npm", "maven", "nuget", "golang", "generic".
std::string_view to_string(Ecosystem ecosystem);

// How a package was identified: CycloneDX evidence.identity technique names.
inline constexpr std::string_view kManifestAnalysis = "manifest-analysis";
inline constexpr std::string_view kBinaryAnalysis = "binary-analysis";

// Where a package was read. `path` is relative to the scan root ("var/lib/dpkg/status"), with
// '/' separators; `line` the 1-based line its entry starts at (0 when the format has no useful
// line, e.g. JSON); `entry` the key inside the file when there is one ("node_modules/@babel/core"
// in a package-lock.json); `inside` the archive or image the file was found in, empty for a plain
// file. A file inside an archive is named by the chain of archives and the member's path joined
// with "!/" (the notation of Java's jar: URLs): "opt/fw.tar.gz!/lib/app.jar!/META-INF/MANIFEST.MF"
// has path that whole string and inside "opt/fw.tar.gz!/lib/app.jar".
struct Location {
  std::string path;
  std::size_t line = 0;
  std::string entry;
  std::string inside;
  auto operator<=>(const Location&) const = default;
};

// Vendor evidence beyond Package::supplier: a PE file's Authenticode signer (O=) beside its
// CompanyName, a registry entry's Publisher beside the rule that recognised the product.
struct VendorEvidence {
  std::string text;   // as written
  std::string field;  // where: "Authenticode signer O", "Publisher", ...
  double confidence = 0;
  auto operator<=>(const VendorEvidence&) const = default;
};

struct Package {
  Ecosystem ecosystem = Ecosystem::deb;
  std::string namespace_;  // PURL namespace: "debian", "@babel"; empty for pypi and most npm
  std::string name;        // as the manifest spells it
  std::string version;
  std::string arch;        // deb/rpm/apk architecture ("amd64", "all"); empty when unknown
  std::string supplier;    // the vendor text as written: "Debian OpenSSL Team <pkg-openssl-devel@...>"
  std::string supplier_field;  // where it came from: "Maintainer", "Author", "Author-email", ...
  std::string license;     // as declared (an SPDX expression or free text); empty when none
  bool application = false;  // the project itself (a package-lock.json's root), not a dependency
  bool operating_system = false;  // the distribution itself, from os-release
  std::string distro;      // deb/rpm/apk: "debian-12.4", the PURL "distro" qualifier (from os-release)
  std::vector<VendorEvidence> more_suppliers;
  std::string cpe;         // CPE 2.3 formatted string when one can be derived; empty otherwise
  // Cataloger-specific facts kept as evidence: "pe.OriginalFilename", "authenticode.serial", ...
  std::map<std::string, std::string> properties;
  std::string purl;        // package_url(*this), filled by the cataloger
  std::string cataloger;   // "dpkg-status", "python-dist-info", "npm-lock", "npm-package-json", "apk-installed", "rpm-sqlite"
  std::string method{kManifestAnalysis};
  double confidence = 0;   // 0..1: how sure the cataloger is that this package is present as named
  Location location;

  auto operator<=>(const Package&) const = default;
};

// An error as a value: the file, the 1-based line (0 when not known) and what is wrong.
struct ParseError {
  std::string file;
  std::size_t line = 0;
  std::string message;
  std::string to_string() const;  // "var/lib/dpkg/status:12: no Package field"
};

// What a cataloger returns for one file: the packages it could read (a bad entry is skipped, the
// others kept), the errors (bounded: at most kMaxErrors kept, the rest only counted), and how many
// well-formed entries it deliberately left out (a dpkg paragraph whose package is not installed).
struct ParseResult {
  static constexpr std::size_t kMaxErrors = 100;
  std::vector<Package> packages;
  std::vector<ParseError> errors;
  std::uint64_t errors_dropped = 0;
  std::uint64_t skipped = 0;

  void error(const std::string& file, std::size_t line, std::string message);
  // Adds a package a cataloger read at `location`, filling in the cataloger, confidence and PURL.
  void add(Package package, std::string_view cataloger, double confidence, Location location);
};

// Percent-encodes one PURL component (see the header comment).
std::string purl_encode(std::string_view text);

// A Package URL from its parts; qualifiers with an empty value are left out.
std::string package_url(std::string_view type, std::string_view namespace_, std::string_view name,
                        std::string_view version, const std::map<std::string, std::string>& qualifiers = {});

// The PURL of a package, with the per-type rules: pypi names lower-cased with '_' as '-';
// npm names and scopes lower-cased; deb/rpm/apk carry `arch` as the "arch" qualifier.
std::string package_url(const Package& package);

// The person or organisation part of "Name <email>" (or "Name <email> (url)", npm's form):
// "Debian OpenSSL Team"; the address alone when there is no name ("security@example.com");
// surrounding quotes and white space removed.
std::string display_name(std::string_view vendor_text);

// A-Z as a-z, every other byte as it is (Windows names, PURL types).
std::string ascii_lower(std::string_view text);

// A package name or version as package managers write them: not empty, no white space, no
// control characters (UTF-8 allowed).
bool valid_token(std::string_view text);

}  // namespace herkomst::fs
