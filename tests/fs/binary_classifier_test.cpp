// The binary classifier (scanner/fs/binary_classifier.hpp) over its built-in rules
// (fingerprints/software/binary-classifiers.json): the rules' own examples; generated files with a
// banner among random bytes, on disk, past the read cap, inside a tar.gz and a gzip stream; a file
// stuffed with the anchor; rules files with mistakes; and this machine's own BusyBox, libcrypto
// and libpcap (Debian packages busybox, libssl3 and libpcap0.8, pulled in by
// scripts/install-deps.sh), whose versions must be dpkg's upstream versions.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <memory>
#include <random>
#include <string>
#include <variant>

#include "scanner/fs/binary_classifier.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/walker.hpp"
#include "archive_test_support.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::Kind;
using herkomst::test::make_archive;
using herkomst::test::put;
using herkomst::test::TempDir;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

// `banner` at `offset` in `size` random bytes.
std::string binary_with(std::string_view banner, std::size_t offset, std::size_t size) {
  std::string out = random_bytes(size, 7);
  out.replace(offset, banner.size(), banner);
  return out;
}

std::string command_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// dpkg's version without epoch and Debian revision: "1:1.35.0-4+deb12u1+b1" -> "1.35.0".
std::string upstream(std::string version) {
  if (const auto colon = version.find(':'); colon != std::string::npos) version.erase(0, colon + 1);
  return version.substr(0, version.find('-'));
}

std::vector<Package> classified(const std::string& file) {
  const WalkResult r = walk(file, {binary_classifier_cataloger()});
  REQUIRE(r.ok);
  return r.packages;
}

}  // namespace

TEST_CASE("classifier: the built-in rules load and their examples hold", "[fs][classifier]") {
  std::ifstream in(std::string(HERKOMST_SOURCE_DIR) + "/fingerprints/software/binary-classifiers.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto loaded = load_binary_rules(text);
  if (const auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  CHECK(std::get<std::vector<BinaryRule>>(loaded).size() == builtin_binary_rules().size());
  REQUIRE(builtin_binary_rules().size() == 3);
  CHECK(check_binary_examples(builtin_binary_rules()).empty());
  for (const BinaryRule& rule : builtin_binary_rules()) CHECK_FALSE(rule.source.empty());
}

TEST_CASE("classifier: a BusyBox banner among random bytes gives one exact package", "[fs][classifier]") {
  TempDir root("fs-classifier");
  const std::string banner = "BusyBox v1.36.1 (2023-11-07 18:53:09 UTC) multi-call binary.";
  put(root, "rootfs/bin/busybox", binary_with(banner, 1234567, 3u << 20));
  put(root, "rootfs/bin/other", binary_with(banner, 1000, 4096));  // not a name a rule takes
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.purl == "pkg:generic/busybox@1.36.1");
  CHECK(p.cpe == "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*");
  CHECK(p.name == "BusyBox");
  CHECK(p.version == "1.36.1");
  CHECK(p.supplier == "BusyBox");
  CHECK(p.method == kBinaryAnalysis);
  CHECK(p.cataloger == "binary-classifier");
  CHECK(p.location == Location{"rootfs/bin/busybox", 0, "busybox", {}});
  CHECK(p.properties.at("binary.offset") == "1234567");
  CHECK(p.properties.at("binary.match") == "BusyBox v1.36.1 (");
}

TEST_CASE("classifier: the read is capped per rule", "[fs][classifier]") {
  TempDir root("fs-classifier-cap");
  const std::string banner = "BusyBox v1.36.1 (x)";
  put(root, "a/busybox", binary_with(banner, (4u << 20) - banner.size(), 6u << 20));  // ends at the cap
  put(root, "b/busybox", binary_with(banner, (4u << 20) + 10, 6u << 20));            // past it
  const WalkResult r = walk(root.path.string(), {binary_classifier_cataloger()});
  REQUIRE(r.ok);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].location.path == "a/busybox");
  CHECK(r.counters.at("bytes.read") <= 2 * (4u << 20) + 2 * 512);
}

TEST_CASE("classifier: inside a tar.gz and a gzip stream", "[fs][classifier]") {
  TempDir root("fs-classifier-archive");
  const std::string libcrypto = binary_with("OpenSSL 1.1.1w  11 Sep 2023", 5000, 20000);
  put(root, "fw/rootfs.tar.gz", make_archive(Kind::tar_gz, {{"usr/lib/libcrypto.so.1.1", libcrypto}}));
  put(root, "fw/busybox", binary_with("BusyBox v1.31.1 (2020-01-01)", 100, 8000));
  REQUIRE(std::system(("gzip -q '" + (root.path / "fw/busybox").string() + "'").c_str()) == 0);
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::set<std::string> found;
  for (const auto& p : r.packages) found.insert(p.purl + " at " + p.location.path + " in " + p.location.inside);
  CHECK(found == std::set<std::string>{
                     "pkg:generic/busybox@1.31.1 at fw/busybox.gz!/busybox in fw/busybox.gz",
                     "pkg:generic/openssl@1.1.1w at fw/rootfs.tar.gz!/usr/lib/libcrypto.so.1.1 in fw/rootfs.tar.gz"});
}

TEST_CASE("classifier: a file stuffed with the anchor is bounded and matches nothing", "[fs][classifier]") {
  TempDir root("fs-classifier-stuffed");
  std::string stuffed;
  while (stuffed.size() < (4u << 20)) stuffed += "BusyBox v1.";
  put(root, "bin/busybox", stuffed);
  const WalkResult r = walk(root.path.string(), {binary_classifier_cataloger()});
  REQUIRE(r.ok);
  CHECK(r.packages.empty());
  CHECK(r.parse_errors.empty());
}

TEST_CASE("classifier: rules files with mistakes are refused naming the rule", "[fs][classifier]") {
  const auto error = [](const std::string& rule) {
    const auto loaded = load_binary_rules("{\"rules\": [" + rule + "]}");
    REQUIRE(std::holds_alternative<std::string>(loaded));
    return std::get<std::string>(loaded);
  };
  const std::string base = R"j("id": "x", "product": "X", "vendor": "V", "files": ["**/x"], "anchor": "X v",
    "source": "s", "examples": [{"text": "X v1", "version": "1"}])j";
  CHECK(error("{" + base + R"j(, "pattern": "X v(\\d+", "purl": "pkg:generic/x@{version}"})j").rfind("rule x: pattern:", 0) == 0);
  CHECK(error("{" + base + R"j(, "pattern": "X v\\d+", "purl": "pkg:generic/x@{version}"})j") ==
        "rule x: pattern without a version group");
  CHECK(error("{" + base + R"j(, "pattern": "X v(\\d+)", "purl": "pkg:generic/x@1"})j") ==
        "rule x: purl must be a pkg: template with {version}");
  CHECK(error("{" + base + R"j(, "pattern": "X v(\\d+)", "purl": "pkg:generic/x@{version}", "window": 100000})j") ==
        "rule x: window must hold the anchor and be at most 512");
  CHECK(error("{" + base + R"j(, "pattern": "X v(\\d+)", "purl": "pkg:generic/x@{version}", "colour": 1})j") ==
        "rule x: unknown key colour");
  CHECK(std::holds_alternative<std::string>(load_binary_rules("not json")));
  const auto ok = load_binary_rules("{\"rules\": [{" + base + R"j(, "pattern": "X v(\\d+)", "purl": "pkg:generic/x@{version}"}]})j");
  REQUIRE(std::holds_alternative<std::vector<BinaryRule>>(ok));
  CHECK(check_binary_examples(std::get<std::vector<BinaryRule>>(ok)).empty());
}

TEST_CASE("classifier: this machine's BusyBox, libcrypto and libpcap, against dpkg", "[fs][classifier]") {
  const std::string busybox = upstream(command_output("dpkg-query -W -f '${Version}' busybox"));
  REQUIRE_FALSE(busybox.empty());  // scripts/install-deps.sh installs busybox
  const std::vector<Package> bb = classified("/bin/busybox");
  REQUIRE(bb.size() == 1);
  CHECK(bb[0].purl == "pkg:generic/busybox@" + busybox);

  const std::string crypto_path = command_output("dpkg -L libssl3 | grep '/libcrypto\\.so\\.3$' | head -1");
  REQUIRE_FALSE(crypto_path.empty());
  const std::vector<Package> crypto = classified(crypto_path);
  REQUIRE(crypto.size() == 1);
  CHECK(crypto[0].purl == "pkg:generic/openssl@" + upstream(command_output("dpkg-query -W -f '${Version}' libssl3")));
  CHECK(crypto[0].cpe.rfind("cpe:2.3:a:openssl:openssl:3.", 0) == 0);

  const std::string pcap_path = command_output("dpkg -L libpcap0.8 | grep '/libpcap\\.so\\.[0-9.]*$' | grep -v 'so\\.0' | head -1");
  REQUIRE_FALSE(pcap_path.empty());
  const std::vector<Package> pcap = classified(pcap_path);
  REQUIRE(pcap.size() == 1);
  CHECK(pcap[0].purl == "pkg:generic/libpcap@" + upstream(command_output("dpkg-query -W -f '${Version}' libpcap0.8")));
}
