#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "scanner/fs/dpkg_status.hpp"
#include "scanner/fs/os_release.hpp"

using namespace herkomst::fs;

namespace {

constexpr std::string_view kDebian = R"x(PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
)x";

}  // namespace

TEST_CASE("os-release: Debian's file gives the operating system", "[fs][os-release]") {
  const ParseResult r = parse_os_release(kDebian, "usr/lib/os-release");
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 1);
  const Package& os = r.packages[0];
  CHECK(os.operating_system);
  CHECK(os.name == "debian");
  CHECK(os.version == "12");
  CHECK(os.purl == "pkg:generic/debian@12");
  CHECK(os.properties.at("os.PRETTY_NAME") == "Debian GNU/Linux 12 (bookworm)");
  CHECK(os.properties.at("os.VERSION_CODENAME") == "bookworm");
  CHECK(os.cataloger == "os-release");
}

TEST_CASE("os-release: quoting, escapes, comments and bad lines", "[fs][os-release]") {
  ParseResult r;
  const auto f = parse_os_release_fields("# comment\n\nID='alpine'\nNAME=\"A \\\"quoted\\\" name\"\nbad line\n"
                                         "lower=x\nVERSION_ID=\"3.19\n",
                                         "etc/os-release", r);
  CHECK(f.at("ID") == "alpine");
  CHECK(f.at("NAME") == "A \"quoted\" name");
  CHECK(f.count("VERSION_ID") == 0);
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].to_string() == "etc/os-release:5: not a KEY=value line");
  CHECK(r.errors[2].message == "unbalanced quotes");
  CHECK(parse_os_release("NAME=x\n", "f").errors.at(0).message == "no ID");
  CHECK(parse_os_release("ID=\"has space\"\n", "f").packages.empty());
}

TEST_CASE("os-release: every truncation of a real file parses without a crash", "[fs][os-release]") {
  for (std::size_t n = 0; n <= kDebian.size(); ++n) {
    const ParseResult r = parse_os_release(kDebian.substr(0, n), "f");
    CHECK(r.packages.size() <= 1);
  }
}

TEST_CASE("os-release: the distribution names the packages of its own root", "[fs][os-release]") {
  std::vector<Package> all;
  auto add = [&all](const ParseResult& r) { all.insert(all.end(), r.packages.begin(), r.packages.end()); };
  add(parse_os_release("ID=ubuntu\nVERSION_ID=\"22.04\"\n", "images/hmi/usr/lib/os-release"));
  add(parse_dpkg_status("Package: bash\nStatus: install ok installed\nVersion: 5.1-6ubuntu1\nArchitecture: amd64\n",
                        "images/hmi/var/lib/dpkg/status"));
  add(parse_dpkg_status("Package: zsh\nStatus: install ok installed\nVersion: 5.9\nArchitecture: amd64\n",
                        "other/var/lib/dpkg/status"));
  apply_distro(all);
  REQUIRE(all.size() == 3);
  CHECK(all[1].purl == "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04");
  CHECK(all[2].purl == "pkg:deb/debian/zsh@5.9?arch=amd64");  // no os-release in its root: unchanged

  std::string root;
  CHECK(system_root_of("var/lib/dpkg/status", root));
  CHECK(root.empty());
  CHECK(system_root_of("a/b/lib/apk/db/installed", root));
  CHECK(root == "a/b/");
  CHECK_FALSE(system_root_of("a/notvar/lib/dpkg/statusx", root));
  CHECK_FALSE(system_root_of("xvar/lib/dpkg/status", root));
}

TEST_CASE("os-release: this machine's file", "[fs][os-release]") {
  std::ifstream in("/usr/lib/os-release");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const ParseResult r = parse_os_release(text.str(), "usr/lib/os-release");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "debian");  // the project builds and tests on Debian 12
  CHECK(r.packages[0].version == "12");
}
