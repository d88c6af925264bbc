// Archives recognised in a directory walk by their magic bytes (not only their names), and single
// compressed streams (x.gz, .xz, .bz2, .zst, .lz4) read as one member through libarchive's raw
// format (scanner/fs/walker.cpp, archive.cpp, gzip_peek.cpp). Fixtures are made at test time with
// libarchive's writer and the gzip, xz, bzip2, zstd and lz4 tools (scripts/install-deps.sh): a
// missing tool fails the test. Hostile input: a gzip bomb, a truncated xz, a tar with a bad
// checksum, a lying gzip header.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>
#include <set>
#include <string>
#include <utility>

#include "scanner/fs/archive.hpp"
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

constexpr std::string_view kGoMod = "module example.com/rtu/agent\n\ngo 1.21\n\nrequire github.com/goburrow/modbus v0.1.0\n";

// Runs a shell command for a fixture; the test fails when it fails (a tool missing included).
void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::set<std::pair<std::string, std::string>> purls_at(const WalkResult& r) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& p : r.packages) out.insert({p.purl, p.location.path});
  return out;
}

bool noted(const WalkResult& r, std::string_view path, std::string_view reason) {
  for (const auto& n : r.notes)
    if (n.path == path && n.reason == reason) return true;
  for (const auto& n : r.notes) UNSCOPED_INFO(n.path << " " << n.reason << " " << n.detail);
  for (const auto& p : r.packages) UNSCOPED_INFO(p.purl << " at " << p.location.path);
  return false;
}

// A gzip member (RFC 1952) written by hand: a comment of `comment_bytes` before the data, which is
// one stored deflate block (RFC 1951 3.2.4), so the first 512 bytes of content lie past the first
// KiB of the file.
std::string gzip_with_comment(std::string_view data, std::size_t comment_bytes) {
  const auto crc32 = [](std::string_view bytes) {
    std::uint32_t crc = 0xffffffffu;
    for (const char c : bytes) {
      crc ^= static_cast<unsigned char>(c);
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
  };
  const auto le = [](std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  std::string out("\x1f\x8b\x08\x10\0\0\0\0\0\x03", 10);  // FLG.FCOMMENT, OS Unix
  out.append(comment_bytes, 'c');
  out += '\0';
  out += '\x01';  // BFINAL, stored
  le(out, static_cast<std::uint32_t>(data.size()), 2);
  le(out, static_cast<std::uint32_t>(~data.size() & 0xffff), 2);
  out += data;
  le(out, crc32(data), 4);
  le(out, static_cast<std::uint32_t>(data.size()), 4);
  return out;
}

}  // namespace

TEST_CASE("walk-magic: a tar.gz, a zip and a plain tar under other names are opened by their magic bytes",
          "[fs][walk-magic]") {
  TempDir root("fs-magic");
  const std::string status(herkomst::test::kDpkgStatus);
  put(root, "fw/update.bin", make_archive(Kind::tar_gz, {{"var/lib/dpkg/status", status}}));
  put(root, "fw/blob.dat", make_archive(Kind::zip, {{"src/go.mod", std::string(kGoMod)}}));
  put(root, "fw/image.img", make_archive(Kind::tar, {{"app/go.mod", std::string(kGoMod)}}));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  const auto found = purls_at(r);
  CHECK(found.count({"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64", "fw/update.bin!/var/lib/dpkg/status"}) == 1);
  CHECK(found.count({"pkg:golang/github.com/goburrow/modbus@v0.1.0", "fw/blob.dat!/src/go.mod"}) == 1);
  CHECK(found.count({"pkg:golang/github.com/goburrow/modbus@v0.1.0", "fw/image.img!/app/go.mod"}) == 1);
  CHECK(r.packages.size() == 3 + 2 + 2);
  CHECK(r.counters.at("archives.by-magic") == 3);
  CHECK(r.counters.at("archives") == 3);
  for (const auto& p : r.packages) CHECK(p.location.inside == p.location.path.substr(0, p.location.path.find("!/")));

  WalkOptions off;
  off.archives = false;
  CHECK(walk(root.path.string(), default_catalogers(), off).packages.empty());
}

TEST_CASE("walk-magic: an archive member that is a zip under another name is opened by its magic bytes",
          "[fs][walk-magic]") {
  TempDir root("fs-magic-member");
  const std::string inner = make_archive(Kind::zip, {{"src/go.mod", std::string(kGoMod)}});
  std::string man(3000, 'm');  // a gzipped man page in the tar: peeked at in memory, not opened
  {
    TempDir scratch("fs-magic-man");
    const auto page = put(scratch, "ls.1", man);
    run("gzip -q " + quoted(page));
    std::ifstream in(page.string() + ".gz", std::ios::binary);
    man.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  put(root, "fw.tar", make_archive(Kind::tar, {{"opt/payload.bin", inner}, {"opt/readme", "text"},
                                               {"usr/share/man/man1/ls.1.gz", man}}));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::set<std::string> where;
  for (const auto& p : r.packages) where.insert(p.location.path + " in " + p.location.inside);
  CHECK(where == std::set<std::string>{"fw.tar!/opt/payload.bin!/src/go.mod in fw.tar!/opt/payload.bin"});
  CHECK(r.counters.at("archives") == 2);
  CHECK(r.counters.at("compressed.not-opened") == 1);
}

TEST_CASE("walk-magic: files no cataloger takes are probed by their first 512 bytes only", "[fs][walk-magic]") {
  TempDir root("fs-magic-cost");
  std::string big(1 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
  put(root, "data/big.bin", big);                   // probed: 512 bytes read of 1 MiB
  put(root, "data/tiny", "\x1f\x8b\x08");           // below the size worth probing
  put(root, "src/module.py", std::string(4096, 'x'));  // a name never probed
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.counters.at("files") == 3);
  CHECK(r.counters.at("bytes.read") == kArchiveProbeBytes);
  CHECK(r.counters.at("archives") == 0);
  CHECK(r.notes.empty());
}

TEST_CASE("walk-magic: a jar stays with the Java cataloger, under its own name", "[fs][walk-magic]") {
  TempDir root("fs-magic-jar");
  put(root, "opt/hmi/lib/modbus.jar",
      make_archive(Kind::zip, {{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Title: modbus\r\n"
                                                         "Implementation-Version: 2.1.0\r\nImplementation-Vendor: Acme\r\n"},
                               {"src/go.mod", std::string(kGoMod)}}));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.counters.at("archives") == 0);  // not opened as a generic zip: its go.mod is not catalogued
  CHECK(r.counters.at("archives.by-magic") == 0);
  for (const auto& p : r.packages) CHECK(p.cataloger == "java-archive");
}

TEST_CASE("walk-magic: a tar with a bad checksum is an error note, not a crash", "[fs][walk-magic]") {
  TempDir root("fs-magic-badtar");
  std::string tar = make_archive(Kind::tar, {{"app/go.mod", std::string(kGoMod)}});
  tar[148] = static_cast<char>(tar[148] == '7' ? '1' : '7');  // the header checksum's first digit
  put(root, "fw/rootfs.bin", tar);
  put(root, "fw/rootfs.tar", tar);
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.packages.empty());
  CHECK(noted(r, "fw/rootfs.bin", "archive.error"));
  CHECK(noted(r, "fw/rootfs.tar", "archive.error"));
}

TEST_CASE("compressed: gz, xz, bz2, zst and lz4 streams are read as their one member", "[fs][compressed]") {
  TempDir root("fs-compressed");
  TempDir plain("fs-compressed-src");
  const auto source = put(plain, "go.mod", kGoMod);
  for (const auto& [tool, ending] : std::vector<std::pair<std::string, std::string>>{
           {"gzip", ".gz"}, {"xz", ".xz"}, {"bzip2", ".bz2"}, {"zstd", ".zst"}, {"lz4", ".lz4"}}) {
    std::filesystem::create_directories(root.path / "src" / tool);
    run(tool + " -c -q " + quoted(source) + " > " + quoted(root.path / "src" / tool / ("go.mod" + ending)));
  }
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::set<std::string> where;
  for (const auto& p : r.packages)
    if (p.name == "modbus") where.insert(p.location.path);
  CHECK(where == std::set<std::string>{"src/bzip2/go.mod.bz2!/go.mod", "src/gzip/go.mod.gz!/go.mod",
                                       "src/lz4/go.mod.lz4!/go.mod", "src/xz/go.mod.xz!/go.mod",
                                       "src/zstd/go.mod.zst!/go.mod"});
  CHECK(r.packages.size() == 10);
  CHECK(r.counters.at("archives.compressed-stream") == 5);
  for (const auto& p : r.packages) CHECK(p.location.inside + "!/go.mod" == p.location.path);
}

TEST_CASE("compressed: a compressed tar stays a tar, a compressed zip a zip, a man page is not opened", "[fs][compressed]") {
  TempDir root("fs-compressed-kinds");
  put(root, "fw/rootfs", make_archive(Kind::tar, {{"app/go.mod", std::string(kGoMod)}}));
  run("gzip -q " + quoted(root.path / "fw/rootfs"));  // fw/rootfs.gz: a tar.gz by content
  put(root, "fw/bundle.img", make_archive(Kind::zip, {{"cfg/go.mod", std::string(kGoMod)}}));
  run("gzip -q " + quoted(root.path / "fw/bundle.img"));
  put(root, "usr/share/man/man1/ls.1", std::string(2000, 'm'));
  run("gzip -q " + quoted(root.path / "usr/share/man/man1/ls.1"));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::set<std::string> where;
  for (const auto& p : r.packages) where.insert(p.location.path);
  // libarchive reads a zip streamed through gzip as a zip, as it reads a tar.gz as a tar
  CHECK(where == std::set<std::string>{"fw/rootfs.gz!/app/go.mod", "fw/bundle.img.gz!/cfg/go.mod"});
  CHECK(r.counters.at("compressed.not-opened") == 1);  // the man page: peeked at, not opened
  CHECK(r.counters.at("archives.compressed-stream") == 0);
  CHECK(r.counters.at("archives") == 2);
}

TEST_CASE("compressed: a gzip bomb is stopped by the ratio limit", "[fs][compressed]") {
  TempDir root("fs-compressed-bomb");
  std::filesystem::create_directories(root.path / "src");
  // Not zeros: 512 zero bytes are a tar's end, so a bomb of zeros reads as an empty tar.
  run("head -c 300000000 /dev/zero | tr '\\0' a | gzip -1 > " + quoted(root.path / "src/go.mod.gz"));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.packages.empty());
  CHECK(noted(r, "src/go.mod.gz!/go.mod", "skipped.archive-ratio"));
}

TEST_CASE("compressed: a truncated xz and a corrupt gzip are error notes naming the file", "[fs][compressed]") {
  TempDir root("fs-compressed-trunc");
  std::string mod(kGoMod);
  for (int i = 0; i < 200; ++i) mod += "require example.com/m" + std::to_string(i) + " v1.0." + std::to_string(i) + "\n";
  put(root, "a/go.mod", mod);
  run("xz -q " + quoted(root.path / "a/go.mod"));
  std::filesystem::resize_file(root.path / "a/go.mod.xz", std::filesystem::file_size(root.path / "a/go.mod.xz") / 2);
  put(root, "b/go.mod", mod);
  run("gzip -q " + quoted(root.path / "b/go.mod"));
  {
    std::fstream f(root.path / "b/go.mod.gz", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.write("\xff\xff\xff\xff\xff\xff\xff\xff", 8);  // the deflate data, past the header
  }
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(noted(r, "a/go.mod.xz", "archive.error"));
  CHECK(noted(r, "b/go.mod.gz", "archive.error"));
  for (const auto& n : r.notes) CHECK(n.detail != "not an archive that can be read");  // libarchive's reason
  CHECK(r.packages.empty());
}

TEST_CASE("compressed: a gzip stream whose data starts past its first KiB is still peeked at", "[fs][compressed]") {
  TempDir root("fs-compressed-comment");
  put(root, "doc/notes.gz", gzip_with_comment(std::string(3000, 'n'), 3000));
  put(root, "fw/update.bin", gzip_with_comment(make_archive(Kind::tar, {{"app/go.mod", std::string(kGoMod)}}), 3000));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  CHECK(r.counters.at("compressed.not-opened") == 1);  // the text: read 16 KiB deep, not opened
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].location.path == "fw/update.bin!/app/go.mod");
}
