#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>

#include "scanner/fs/apk_installed.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/walker.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;

namespace {

// Three packages in the shape of Alpine 3.19's lib/apk/db/installed, file lists included.
constexpr std::string_view kApkInstalled = R"(C:Q1Qm4ekvDtWeGD8tSTLgNMkFA/KHA=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705008585
c:5f5e1c1d0d0a6c6e4d5e1b8a5c2a3d4e5f6a7b8c
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1Z0sZLxvHmQ2hR4YyXkL0n3xHHo0=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1tgPZ0x8ZM+0J8rmu0BbdZbqCx2Y=
P:busybox
V:1.36.1-r15
A:x86_64
S:507831
I:962560
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1702542093
D:so:libc.musl-x86_64.so.1
F:bin
R:busybox
a:0:0:755

C:Q1pyRqL4QGzeC1RZpb4KLUpdmFV8w=
P:ca-certificates-bundle
V:20230506-r0
A:x86_64
L:MPL-2.0 AND MIT
o:ca-certificates
m:Natanael Copa <ncopa@alpinelinux.org>
F:etc/ssl/certs
R:ca-certificates.crt
)";

}  // namespace

TEST_CASE("apk installed: a database with several packages", "[fs][apk]") {
  const auto r = parse_apk_installed(kApkInstalled, "lib/apk/db/installed");
  for (const auto& e : r.errors) INFO(e.to_string());
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 3);

  const Package& musl = r.packages[0];
  CHECK(musl.ecosystem == Ecosystem::apk);
  CHECK(musl.name == "musl");
  CHECK(musl.version == "1.2.4_git20230717-r4");
  CHECK(musl.arch == "x86_64");
  CHECK(musl.license == "MIT");
  CHECK(musl.supplier == "Timo Teräs <timo.teras@iki.fi>");
  CHECK(musl.supplier_field == "maintainer");
  CHECK(musl.purl == "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64");
  CHECK(musl.cataloger == "apk-installed");
  CHECK(musl.method == "manifest-analysis");
  CHECK(musl.confidence == Approx(kApkConfidence));
  CHECK(musl.location.path == "lib/apk/db/installed");
  CHECK(musl.location.line == 1);

  CHECK(r.packages[1].purl == "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64");
  CHECK(r.packages[1].location.line == 22);
  CHECK(r.packages[1].license == "GPL-2.0-only");
  CHECK(r.packages[2].name == "ca-certificates-bundle");
  CHECK(r.packages[2].license == "MPL-2.0 AND MIT");
  CHECK(r.packages[2].purl == "pkg:apk/alpine/ca-certificates-bundle@20230506-r0?arch=x86_64");

  ApkOptions options;
  options.vendor = "wolfi";
  CHECK(parse_apk_installed("P:zlib\nV:1.3-r0\n", "installed", options).packages.at(0).purl == "pkg:apk/wolfi/zlib@1.3-r0");
}

TEST_CASE("apk installed: CRLF line ends and many blank lines", "[fs][apk]") {
  const std::string text = "\r\n\r\nP:zlib\r\nV:1.3.1-r0\r\nA:aarch64\r\nm:Natanael Copa <ncopa@alpinelinux.org>\r\n"
                           "\r\n\r\n\r\nP:libcrypto3\r\nV:3.1.4-r5\r\nA:aarch64\r\n\r\n";
  const auto r = parse_apk_installed(text, "installed");
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].purl == "pkg:apk/alpine/zlib@1.3.1-r0?arch=aarch64");
  CHECK(r.packages[0].supplier == "Natanael Copa <ncopa@alpinelinux.org>");
  CHECK(r.packages[0].location.line == 3);
  CHECK(r.packages[1].purl == "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=aarch64");
  CHECK(r.packages[1].location.line == 10);
}

TEST_CASE("apk installed: a package without P is an error naming its line", "[fs][apk]") {
  const std::string text = "P:good\nV:1-r0\n\nC:Q1abc=\nV:2-r0\nA:x86_64\n\nP:noversion\nA:x86_64\n\nP:last\nV:3-r0\n";
  const auto r = parse_apk_installed(text, "lib/apk/db/installed");
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].name == "good");
  CHECK(r.packages[1].name == "last");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].to_string() == "lib/apk/db/installed:4: paragraph without a P (name) field");
  CHECK(r.errors[1].to_string() == "lib/apk/db/installed:8: no V (version) field for noversion");
}

TEST_CASE("apk installed: truncated file keeps what is complete", "[fs][apk]") {
  const std::string_view whole = kApkInstalled;
  // Cut inside the busybox paragraph, before its V line.
  const std::string cut(whole.substr(0, whole.find("V:1.36.1")));
  const auto r = parse_apk_installed(cut, "installed");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "musl");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "installed:22: no V (version) field for busybox");
  // Cut inside a field name: the last line is not X:value.
  const auto r2 = parse_apk_installed("P:a\nV:1-r0\nA", "installed");
  CHECK(r2.packages.size() == 1);
  REQUIRE(r2.errors.size() == 1);
  CHECK(r2.errors[0].line == 3);
  // Nothing at all.
  CHECK(parse_apk_installed("", "installed").packages.empty());
  CHECK(parse_apk_installed("", "installed").errors.empty());
}

TEST_CASE("apk installed: a huge line is an error, the package is kept", "[fs][apk]") {
  std::string text = "P:big\nV:1-r0\nT:";
  text.append(4u << 20, 'x');  // a 4 MiB description, no new line
  text += "\nA:x86_64\n\nP:";
  text.append(kApkMaxLineBytes + 1, 'n');  // a name longer than any line may be
  text += "\nV:1-r0\n";
  const auto r = parse_apk_installed(text, "installed");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "big");
  CHECK(r.packages[0].arch == "x86_64");
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].line == 3);
  CHECK(r.errors[0].message == "line longer than 65536 bytes, ignored");
  CHECK(r.errors[1].line == 6);
  CHECK(r.errors[2].to_string() == "installed:6: paragraph without a P (name) field");
}

TEST_CASE("apk installed: hostile values are reported, never trusted", "[fs][apk]") {
  using namespace std::string_literals;
  const std::string text = "P:has space\nV:1\n\nP:ok\nV:1 2\n\nP:nul\0byte\nV:1\n\nP:x\nP:y\nV:1\n\n::::\n\nP:good\nV:2\n"s;
  const auto r = parse_apk_installed(text, "installed");
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].name == "x");  // the repeated P is an error, the first kept
  CHECK(r.packages[1].name == "good");
  CHECK(r.errors.size() == 5);  // name, version, NUL, repeated P, the "::::" paragraph without P
  for (const auto& e : r.errors) CHECK(e.line > 0);

  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage += "garbage line\n";
  const auto g = parse_apk_installed(garbage, "installed");
  CHECK(g.packages.empty());
  CHECK(g.errors.size() == ParseResult::kMaxErrors);
}

TEST_CASE("apk installed: the walk finds an Alpine rootfs", "[fs][apk][walker]") {
  herkomst::test::TempDir root("fs-alpine");
  herkomst::test::put(root, "lib/apk/db/installed", kApkInstalled);
  herkomst::test::put(root, "lib/apk/db/installed.old", "P:stale\nV:1\n");
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.parse_errors.empty());
  REQUIRE(r.packages.size() == 3);
  CHECK(std::all_of(r.packages.begin(), r.packages.end(), [](const Package& p) { return p.cataloger == "apk-installed"; }));
  CHECK(r.packages[0].location.path == "lib/apk/db/installed");
}
