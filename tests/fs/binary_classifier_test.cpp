// The binary classifier (scanner/fs/binary_classifier.hpp) over its built-in rules
// (fingerprints/software/binary-classifiers.json): the rules' own examples; generated files with a
// banner among random bytes, on disk, past the read cap, inside a tar.gz and a gzip stream; a file
// stuffed with the anchor; rules files with mistakes; and this machine's own binaries from Debian
// packages that scripts/install-deps.sh installs or pulls in (busybox, libssl3, libpcap0.8, libc6,
// zlib1g, libexpat1, libcurl4, curl, openssh-client, dropbear-bin, dnsmasq-base, u-boot-qemu),
// whose versions must be dpkg's upstream versions. nginx and lighttpd are checked by their rules'
// examples only: their Debian packages start a server when installed.
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

// The upstream version without Debian's repack marks: "1:1.2.13.dfsg-1" -> "1.2.13",
// "2023.01+dfsg-2+deb12u3" -> "2023.01", "2.90-4~deb12u2" -> "2.90".
std::string upstream_release(const std::string& version) {
  std::string v = upstream(version);
  v = v.substr(0, v.find_first_of("+~"));
  if (v.size() > 5 && v.compare(v.size() - 5, 5, ".dfsg") == 0) v.erase(v.size() - 5);
  return v;
}

std::string dpkg_version(const std::string& package) {
  return command_output("dpkg-query -W -f '${Version}' " + package + " 2>/dev/null");
}

// The first file of `package` whose path matches the extended regex `path_regex`.
std::string dpkg_file(const std::string& package, const std::string& path_regex) {
  return command_output("dpkg -L " + package + " | grep -E '" + path_regex + "' | head -1");
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
  REQUIRE(builtin_binary_rules().size() == 14);
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

TEST_CASE("classifier: this machine's binaries from Debian packages give dpkg's upstream versions", "[fs][classifier]") {
  struct Case {
    const char* package;     // the Debian package holding the binary
    const char* path_regex;  // which of its files
    const char* purl_name;   // pkg:generic/<name>@
    const char* cpe_prefix;
  };
  const Case cases[] = {
      {"busybox", "/bin/busybox$", "busybox", "cpe:2.3:a:busybox:busybox:"},
      {"libssl3", "/libcrypto\\.so\\.3$", "openssl", "cpe:2.3:a:openssl:openssl:"},
      {"libpcap0.8", "/libpcap\\.so\\.1\\.[0-9.]+$", "libpcap", "cpe:2.3:a:tcpdump:libpcap:"},
      {"libc6", "/libc\\.so\\.6$", "glibc", "cpe:2.3:a:gnu:glibc:"},
      {"zlib1g", "/libz\\.so\\.1\\.[0-9.]+$", "zlib", "cpe:2.3:a:zlib:zlib:"},
      {"libexpat1", "/libexpat\\.so\\.1\\.[0-9.]+$", "expat", "cpe:2.3:a:libexpat_project:libexpat:"},
      {"libcurl4", "/libcurl\\.so\\.4\\.[0-9.]+$", "libcurl", "cpe:2.3:a:haxx:libcurl:"},
      {"curl", "/bin/curl$", "curl", "cpe:2.3:a:haxx:curl:"},
      {"openssh-client", "/bin/ssh$", "openssh", "cpe:2.3:a:openbsd:openssh:"},
      {"dropbear-bin", "/sbin/dropbear$", "dropbear", "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:"},
      {"dnsmasq-base", "/sbin/dnsmasq$", "dnsmasq", "cpe:2.3:a:thekelleys:dnsmasq:"},
  };
  for (const Case& c : cases) {
    INFO(c.package);
    const std::string version = dpkg_version(c.package);
    REQUIRE_FALSE(version.empty());  // installed by scripts/install-deps.sh, or a dependency of what it installs
    const std::string path = dpkg_file(c.package, c.path_regex);
    REQUIRE_FALSE(path.empty());
    INFO(path);
    const std::vector<Package> found = classified(path);
    REQUIRE(found.size() == 1);
    CHECK(found[0].purl == std::string("pkg:generic/") + c.purl_name + "@" + upstream_release(version));
    CHECK(found[0].cpe.rfind(std::string(c.cpe_prefix) + upstream_release(version) + ":", 0) == 0);
    CHECK(found[0].cataloger == "binary-classifier");
  }
}

TEST_CASE("classifier: U-Boot images for six architectures from u-boot-qemu, against dpkg", "[fs][classifier]") {
  const std::string version = upstream_release(dpkg_version("u-boot-qemu"));
  REQUIRE_FALSE(version.empty());  // scripts/install-deps.sh installs u-boot-qemu
  const std::string images = command_output("dpkg -L u-boot-qemu | grep -E '/u-boot\\.(bin|rom)$' | sort");
  std::vector<std::string> paths;
  for (std::size_t at = 0; at < images.size();) {
    const std::size_t end = std::min(images.find('\n', at), images.size());
    paths.push_back(images.substr(at, end - at));
    at = end + 1;
  }
  REQUIRE(paths.size() >= 6);  // ARM, ARM64, MIPS, PowerPC, RISC-V, x86 in Debian 12
  for (const std::string& path : paths) {
    INFO(path);
    const std::vector<Package> found = classified(path);
    REQUIRE(found.size() == 1);
    CHECK(found[0].purl == "pkg:generic/u-boot@" + version);
  }
}
