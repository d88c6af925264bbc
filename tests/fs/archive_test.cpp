// Archives read in memory (scanner/fs/archive.hpp) and walked (walker.hpp): fixtures written at
// test time with libarchive's writer API: a tar.gz rootfs with a dpkg status and a nested zip,
// path-traversal names, a truncated archive, a high-ratio member, nesting past the depth limit.
#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

std::set<std::string> names_read(const std::string& bytes, const ArchiveLimits& limits, ArchiveReadResult& result) {
  std::set<std::string> names;
  MemoryReader reader(bytes);
  result = read_archive(reader, limits, [](const ArchiveMember&) { return true; },
                        [&](const ArchiveMember& member, std::string_view) { names.insert(member.name); });
  return names;
}

// `data` as a single gzip stream (no archive inside), written with libarchive's raw format.
std::string gzip_stream(const std::string& data) {
  std::unique_ptr<archive, herkomst::test::WriterDeleter> a(archive_write_new());
  archive_write_set_format_raw(a.get());
  archive_write_add_filter_gzip(a.get());
  std::string out(data.size() + 4096, '\0');
  std::size_t used = 0;
  REQUIRE(archive_write_open_memory(a.get(), out.data(), out.size(), &used) == ARCHIVE_OK);
  std::unique_ptr<archive_entry, herkomst::test::EntryDeleter> e(archive_entry_new());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
  REQUIRE(archive_write_data(a.get(), data.data(), data.size()) == static_cast<la_ssize_t>(data.size()));
  REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
  out.resize(used);
  return out;
}

bool has_note(const ArchiveReadResult& r, std::string_view reason) {
  for (const auto& n : r.notes)
    if (n.reason == reason) return true;
  return false;
}

}  // namespace

TEST_CASE("archive: tar, tar.gz, zip and cpio members are read in memory", "[fs][archive]") {
  for (Kind kind : {Kind::tar, Kind::tar_gz, Kind::zip, Kind::cpio}) {
    const std::string bytes = make_archive(kind, {{"etc/os-release", "ID=debian\n"}, {"./usr/bin/x", "xx"}});
    ArchiveReadResult r;
    std::set<std::string> names = names_read(bytes, {}, r);
    CHECK(r.opened);
    CHECK(names == std::set<std::string>{"etc/os-release", "usr/bin/x"});
    CHECK(r.members == 2);
    CHECK(r.notes.empty());
  }
}

TEST_CASE("archive: path traversal names are sanitised and noted, nothing written", "[fs][archive]") {
  TempDir scratch("fs-arch-trav");
  const std::string bytes =
      make_archive(Kind::tar, {{"../../etc/passwd", "root:x:0:0\n"}, {"/etc/x", "abs"}, {"a/../../b", "b"}});
  ArchiveReadResult r;
  std::set<std::string> names = names_read(bytes, {}, r);
  CHECK(names == std::set<std::string>{"etc/passwd", "etc/x", "a/b"});
  std::size_t traversal = 0;
  for (const auto& n : r.notes) traversal += n.reason == "archive.path-traversal";
  CHECK(traversal == 3);
  bool t = false;
  CHECK(sanitise_member_name("/x/./y//z", t) == "x/y/z");
  CHECK(t);
  CHECK(sanitise_member_name("ok/name", t) == "ok/name");
  CHECK_FALSE(t);
}

TEST_CASE("archive: a truncated archive keeps what was read and names the member", "[fs][archive]") {
  const std::string big(200000, 'q');
  const std::string bytes = make_archive(Kind::tar, {{"first", "1"}, {"second", big}, {"third", "3"}});
  const std::string cut = bytes.substr(0, 1024 + 100000);
  ArchiveReadResult r;
  std::set<std::string> names = names_read(cut, {}, r);
  CHECK(names.count("first") == 1);
  CHECK(names.count("third") == 0);
  REQUIRE(has_note(r, "archive.error"));
  bool named = false;
  for (const auto& n : r.notes) named = named || (n.reason == "archive.error" && n.member == "second");
  CHECK(named);
  std::string garbage(4096, '\x5a');
  ArchiveReadResult g;
  names_read(garbage, {}, g);
  CHECK_FALSE(g.opened);
}

TEST_CASE("archive: a high-ratio member is stopped by the ratio limit in bounded memory", "[fs][archive]") {
  const std::string zeros(64u << 20, '\0');  // 64 MiB of zeros, a few tens of KiB compressed
  const std::string bomb = make_archive(Kind::zip, {{"bomb.bin", zeros}});
  REQUIRE(bomb.size() < (1u << 20));
  ArchiveReadResult r;
  std::set<std::string> names = names_read(bomb, {}, r);
  CHECK(names.empty());
  CHECK((has_note(r, "skipped.archive-ratio") || has_note(r, "skipped.archive-member-size")));
  ArchiveLimits lax;
  lax.max_ratio = 1u << 20;
  lax.max_member_bytes = 1u << 20;
  ArchiveReadResult s;
  names = names_read(bomb, lax, s);
  CHECK(names.empty());
  CHECK(has_note(s, "skipped.archive-member-size"));
  ArchiveLimits total = lax;
  total.max_member_bytes = 1ull << 30;
  total.max_total_bytes = 16u << 20;
  ArchiveReadResult t;
  names_read(bomb, total, t);
  CHECK(has_note(t, "skipped.archive-total"));
  CHECK(t.bytes <= (16u << 20) + (64u << 10));
}

TEST_CASE("walk: a tar.gz rootfs with a dpkg status and a nested zip", "[fs][archive]") {
  TempDir root("fs-arch-walk");
  const std::string inner = make_archive(Kind::zip, {{"var/lib/dpkg/status", std::string(herkomst::test::kDpkgStatus)}});
  put(root, "fw/rootfs.tar.gz",
      make_archive(Kind::tar_gz, {{"var/lib/dpkg/status", std::string(herkomst::test::kDpkgStatus)},
                                  {"opt/update.zip", inner},
                                  {"../../etc/evil", "x"}}));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::set<std::pair<std::string, std::string>> where;
  for (const auto& p : r.packages) where.insert({p.location.path, p.location.inside});
  CHECK(where == std::set<std::pair<std::string, std::string>>{
                     {"fw/rootfs.tar.gz!/var/lib/dpkg/status", "fw/rootfs.tar.gz"},
                     {"fw/rootfs.tar.gz!/opt/update.zip!/var/lib/dpkg/status", "fw/rootfs.tar.gz!/opt/update.zip"}});
  CHECK(r.packages.size() == 6);  // three installed packages, twice
  CHECK(r.counters.at("archives") == 2);
  CHECK(r.counters.at("archive.members") == 4);
  CHECK(r.counters.at("archive.path-traversal") == 1);
  CHECK_FALSE(std::filesystem::exists(root.path / "etc"));

  WalkOptions off;
  off.archives = false;
  CHECK(walk(root.path.string(), default_catalogers(), off).packages.empty());

  WalkOptions shallow;
  shallow.archive_limits.max_depth = 1;
  const WalkResult s = walk(root.path.string(), default_catalogers(), shallow);
  CHECK(s.packages.size() == 3);
  CHECK(s.counters.at("skipped.archive-depth") == 1);
}

TEST_CASE("walk: nested zips past the depth limit stop at it", "[fs][archive]") {
  TempDir root("fs-arch-deep");
  std::string level = make_archive(Kind::zip, {{"var/lib/dpkg/status", std::string(herkomst::test::kDpkgStatus)}});
  for (int i = 0; i < 6; ++i) level = make_archive(Kind::zip, {{"n.zip", level}});
  put(root, "deep.zip", level);
  const WalkResult r = walk(root.path.string(), default_catalogers());
  CHECK(r.packages.empty());
  CHECK(r.counters.at("archives") == 4);
  CHECK(r.counters.at("skipped.archive-depth") == 1);
}

TEST_CASE("walk: a zipped Python egg is read through its EGG-INFO", "[fs][archive]") {
  TempDir root("fs-arch-egg");
  put(root, "usr/lib/python3/site-packages/pymodbus-3.5.4-py3.11.egg",
      make_archive(Kind::zip, {{"EGG-INFO/PKG-INFO", "Metadata-Version: 2.1\nName: pymodbus\nVersion: 3.5.4\n"},
                               {"pymodbus/__init__.py", ""}}));
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].purl == "pkg:pypi/pymodbus@3.5.4");
  CHECK(r.packages[0].location.inside == "usr/lib/python3/site-packages/pymodbus-3.5.4-py3.11.egg");
}

TEST_CASE("walk: one archive given as the root, recognised by its magic bytes", "[fs][archive]") {
  TempDir root("fs-arch-one");
  const auto image = put(root, "images/rtu-firmware.bin",
                         make_archive(Kind::tar_gz, {{"var/lib/dpkg/status", std::string(herkomst::test::kDpkgStatus)}}));
  const WalkResult r = walk(image.string(), default_catalogers());
  REQUIRE(r.ok);
  REQUIRE(r.packages.size() == 3);
  CHECK(r.packages[0].location.path == "rtu-firmware.bin!/var/lib/dpkg/status");
  CHECK(r.packages[0].location.inside == "rtu-firmware.bin");
  CHECK(r.counters.at("archives") == 1);
  CHECK(r.counters.at("files") == 1);

  const auto text = put(root, "notes.txt", "not an archive");
  const WalkResult plain = walk(text.string(), default_catalogers());
  CHECK(plain.ok);
  CHECK(plain.packages.empty());
  CHECK(plain.counters.at("archives") == 0);
  CHECK_FALSE(walk((root.path / "missing.tar").string(), default_catalogers()).ok);
}

TEST_CASE("walk: an executable-only cataloger sees archive members by their mode", "[fs][archive]") {
  // A program in a tar or zip is a member with an execute bit: a library or data file with ELF
  // magic and mode 0644 is not handed over (nor are its first bytes decompressed for a look); a
  // single compressed stream records no mode and is taken as a possible program.
  TempDir root("fs-arch-mode");
  const std::string elf = std::string("\x7f" "ELF", 4) + std::string(200, 'e');
  using herkomst::test::make_archive_with_modes;
  using herkomst::test::Member;
  put(root, "fw/image.tar", make_archive_with_modes(Kind::tar, {{"bin/tool", elf, 0755}, {"lib/libx.so", elf, 0644}}));
  put(root, "fw/bundle.zip", make_archive_with_modes(Kind::zip, {{"run", elf, 0750}, {"data.bin", elf, 0600}}));
  put(root, "fw/agent.gz", gzip_stream(elf));
  std::set<std::string> seen;
  Cataloger programs{"programs", {"**/*"}, 1u << 20, false, [&seen](std::string_view, const std::string& path) {
                       seen.insert(path);
                       return ParseResult{};
                     }};
  programs.magic = {"\x7f" "ELF"};
  programs.executable_only = true;
  const WalkResult r = walk(root.path.string(), {programs});
  REQUIRE(r.ok);
  CHECK(seen == std::set<std::string>{"fw/image.tar!/bin/tool", "fw/bundle.zip!/run", "fw/agent.gz!/agent"});
  CHECK(r.counters.at("archive.members") == 5);
}
