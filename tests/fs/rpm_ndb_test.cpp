// The ndb rpm database reader against Packages.db files the test writes the way rpm's
// lib/backend/ndb/rpmpkg.c writes them (Debian 12's rpm is built without ndb, so no real rpm can
// make or read one here): header, slot pages, blobs with their Adler-32 tails.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/rpm_ndb.hpp"
#include "scanner/fs/walker.hpp"
#include "fs_test_support.hpp"
#include "rpm_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::TempDir;

namespace {

void le(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void set_le(std::string& out, std::size_t at, std::uint32_t v) {
  std::string four;
  le(four, v);
  out.replace(at, 4, four);
}

// A Packages.db holding these (package number, header blob) records, one slot page (or more when
// asked), blobs one after another after the slot pages, some slots left free.
std::string ndb(const std::vector<std::pair<std::uint32_t, std::string>>& records, std::uint32_t slot_pages = 1) {
  std::string file(slot_pages * 4096, '\0');
  file.replace(0, 4, "RpmP");
  set_le(file, 4, 0);                 // version
  set_le(file, 8, 7);                 // generation
  set_le(file, 12, slot_pages);
  set_le(file, 16, static_cast<std::uint32_t>(records.size() + 1));  // next package number
  for (std::size_t o = 32; o < file.size(); o += 16) file.replace(o, 4, "Slot");  // all free
  std::size_t slot = 2;  // the first slot after the 32-byte header
  for (const auto& [number, blob] : records) {
    std::string b = "BlbS";
    le(b, number);
    le(b, 7);
    le(b, static_cast<std::uint32_t>(blob.size()));
    b += blob;
    while ((b.size() + 12) % 16) b += '\0';
    const std::uint32_t sum = adler32(b);
    le(b, sum);
    le(b, static_cast<std::uint32_t>(blob.size()));
    b += "BlbE";
    const auto block = static_cast<std::uint32_t>(file.size() / 16);
    set_le(file, slot * 16 + 4, number);
    set_le(file, slot * 16 + 8, block);
    set_le(file, slot * 16 + 12, static_cast<std::uint32_t>(b.size() / 16));
    slot += 2;  // every other slot free, as after removals
    file += b;
  }
  return file;
}

std::vector<std::pair<std::uint32_t, std::string>> sample() {
  using herkomst::test::rpm::package_blob;
  return {{3, package_blob("zypper", "1.14.68", "150500.3.1", "x86_64", "SUSE LLC <https://www.suse.com/>")},
          {1, package_blob("openssl-3", "3.0.8", "150500.5.27.1", "x86_64", "SUSE LLC <https://www.suse.com/>", 0)},
          {2, package_blob("gpg-pubkey", "39db7c82", "5f68629b", "", "")},
          {9, package_blob("plc-gateway", "4.2", "1", "noarch", "")}};
}

}  // namespace

TEST_CASE("ndb: Adler-32 as RFC 1950 defines it", "[fs][rpm][rpm-ndb]") {
  CHECK(adler32("") == 1);
  CHECK(adler32("Wikipedia") == 0x11E60398);  // the worked example of RFC 1950's algorithm
  const std::string big(100000, '\xff');      // past the 5552-byte block
  CHECK(adler32(big) == adler32(big.substr(50000), adler32(big.substr(0, 50000))));
}

TEST_CASE("ndb: packages from a Packages.db laid out as rpm writes it", "[fs][rpm][rpm-ndb]") {
  const std::string bytes = ndb(sample());
  const ParseResult r = parse_rpm_ndb(MemoryReader(bytes), "usr/lib/sysimage/rpm/Packages.db");
  for (const auto& e : r.errors) INFO(e.to_string());
  CHECK(r.errors.empty());
  CHECK(r.skipped == 1);
  REQUIRE(r.packages.size() == 3);
  CHECK(r.packages[0].purl == "pkg:rpm/suse/openssl-3@3.0.8-150500.5.27.1?arch=x86_64&epoch=0");
  CHECK(r.packages[0].location.entry == "1");
  CHECK(r.packages[0].cataloger == "rpm-ndb");
  CHECK(r.packages[0].supplier == "SUSE LLC <https://www.suse.com/>");
  CHECK(r.packages[1].purl == "pkg:rpm/suse/zypper@1.14.68-150500.3.1?arch=x86_64");
  CHECK(r.packages[2].purl == "pkg:rpm/rpm/plc-gateway@4.2-1?arch=noarch");
  CHECK(r.packages[2].location.entry == "9");

  // Two slot pages: the blobs start after both.
  CHECK(parse_rpm_ndb(MemoryReader(ndb(sample(), 2)), "Packages.db").packages.size() == 3);

  // The walk takes it in both places rpm keeps it.
  TempDir dir("fs-rpm-ndb");
  herkomst::test::put(dir, "var/lib/rpm/Packages.db", bytes);
  herkomst::test::put(dir, "usr/lib/sysimage/rpm/Packages.db", bytes);
  const WalkResult w = walk(dir.path.string(), default_catalogers());
  REQUIRE(w.ok);
  CHECK(w.parse_errors.empty());
  REQUIRE(w.packages.size() == 6);
  CHECK(w.packages[0].location.path == "usr/lib/sysimage/rpm/Packages.db");
  CHECK(w.packages[3].location.path == "var/lib/rpm/Packages.db");
}

TEST_CASE("ndb: bad slots and blobs are errors for that package, the others are kept", "[fs][rpm][rpm-ndb]") {
  const std::string good = ndb(sample());
  const std::size_t zypper_slot = 2 * 16, zypper_blob = 4096;  // the first record's slot and blob
  const auto read = [](const std::string& bytes) { return parse_rpm_ndb(MemoryReader(bytes), "Packages.db"); };
  struct Case {
    std::string bytes, error;
  };
  std::vector<Case> cases;
  {
    std::string b = good;
    b[zypper_blob + 100] ^= 0x01;  // a flipped bit inside the header blob
    cases.push_back({b, "Packages.db: slot 2 (package 3): blob checksum (Adler-32) does not match"});
  }
  {
    std::string b = good;
    b.replace(zypper_blob, 4, "BlbX");
    cases.push_back({b, "Packages.db: slot 2 (package 3): no blob start marker"});
  }
  {
    std::string b = good;
    set_le(b, zypper_blob + 4, 5);
    cases.push_back({b, "Packages.db: slot 2 (package 3): blob belongs to another package"});
  }
  {
    std::string b = good;
    set_le(b, zypper_blob + 12, 0xFFFFFF00);
    cases.push_back({b, "Packages.db: slot 2 (package 3): blob length does not match the slot's block count"});
  }
  {
    std::string b = good;
    set_le(b, zypper_slot + 8, 10);  // a blob inside the slot pages
    cases.push_back({b, "Packages.db: slot 2 (package 3): points outside the blob area of the file"});
  }
  {
    std::string b = good;
    set_le(b, zypper_slot + 12, 0x7FFFFFFF);
    cases.push_back({b, "Packages.db: slot 2 (package 3): points outside the blob area of the file"});
  }
  {
    std::string b = good;
    set_le(b, zypper_slot + 4, 1);  // a second slot for package 1
    // rpm's slot for package 1 is now the second one; the blob slot 2 points at is package 3's.
    cases.push_back({b, "Packages.db: slot 4 (package 1): a second slot for this package"});
  }
  for (const Case& c : cases) {
    const ParseResult r = read(c.bytes);
    INFO(c.error);
    REQUIRE(!r.errors.empty());
    CHECK(r.errors[0].to_string() == c.error);
    CHECK(r.errors.size() == (c.error.find("second slot") != std::string::npos ? 2 : 1));
    CHECK(!r.packages.empty());  // the others are kept
  }

  // A corrupt slot marker ends the slot pages: what was read before is kept.
  std::string b = good;
  b.replace(6 * 16, 4, "Slxt");
  const ParseResult cut = read(b);
  REQUIRE(cut.errors.size() == 1);
  CHECK(cut.errors[0].to_string() == "Packages.db: slot 6 (package 2): no slot marker: the slot pages end here");
  CHECK(cut.packages.size() == 2);  // zypper (slot 2) and openssl-3 (slot 4); slots 6 and 8 not reached

  // Not an ndb file at all.
  CHECK(read("").errors.size() == 1);
  CHECK(read("RpmP").errors.size() == 1);
  std::string v1 = good;
  set_le(v1, 4, 1);
  CHECK(read(v1).errors.at(0).to_string() == "Packages.db: ndb version 1 is not version 0");
  std::string pages = good;
  set_le(pages, 12, 1000);
  CHECK(read(pages).errors.at(0).to_string() == "Packages.db: slot page count 0 or past the end of the file");
}

TEST_CASE("ndb: truncated and mutated databases never crash", "[fs][rpm][rpm-ndb]") {
  const std::string good = ndb(sample());
  for (std::size_t cut = 0; cut < good.size(); cut += 37) {
    const ParseResult r = parse_rpm_ndb(MemoryReader(std::string_view(good).substr(0, cut)), "Packages.db");
    CHECK(r.packages.size() <= 3);
    if (cut < good.size() - 16) CHECK(!r.errors.empty());
  }
  std::uint32_t state = 77;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  for (int i = 0; i < 5000; ++i) {
    std::string b = good;
    const int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f) b[next() % b.size()] = static_cast<char>(next() >> 24);
    const ParseResult r = parse_rpm_ndb(MemoryReader(b), "Packages.db");
    CHECK(r.packages.size() <= 3);
  }
}
