// The Berkeley DB rpm database reader against databases made by Berkeley DB itself (db5.3_load
// from Debian's db5.3-util) and read back by rpm itself (Debian's rpm, whose bdb_ro backend reads
// them): what herkomst lists must be what rpm lists.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/rpm_bdb.hpp"
#include "scanner/fs/walker.hpp"
#include "fs_test_support.hpp"
#include "rpm_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::TempDir;
using namespace herkomst::test::rpm;

namespace {

std::string hex_escaped(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += '\\';
    out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
    out += kHex[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

std::string le_int(std::uint32_t v) {
  std::string s = be_int(v);
  std::reverse(s.begin(), s.end());
  return s;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes `dir`/var/lib/rpm/Packages with db5.3_load from these (package number, blob) records,
// keys in the byte order the database is made in (`options`: db_load -c settings such as
// "db_lorder=4321", "db_pagesize=512", "chksum=1"), and returns its path.
std::filesystem::path make_packages(const TempDir& dir, const std::vector<std::pair<std::uint32_t, std::string>>& records,
                                    const std::vector<std::string>& options = {}) {
  const bool big_endian = std::find(options.begin(), options.end(), "db_lorder=4321") != options.end();
  std::string text;
  for (const auto& [number, blob] : records) {
    text += hex_escaped(big_endian ? be_int(number) : le_int(number));
    text += '\n';
    text += hex_escaped(blob);
    text += '\n';
  }
  const auto input = herkomst::test::put(dir, "db_load.txt", text);
  const std::filesystem::path db = dir.path / "var/lib/rpm/Packages";
  std::filesystem::create_directories(db.parent_path());
  std::string command = "db5.3_load -T -t hash";
  for (const std::string& o : options) {
    command += " -c ";
    command += o;
  }
  command += " -f '" + input.string() + "' '" + db.string() + "' 2>&1";
  const auto [ok, out] = command_output(command);
  INFO(command << "\n" << out);
  REQUIRE(ok);  // db5.3-util is installed by scripts/install-deps.sh
  std::filesystem::remove(input);
  return db;
}

// "name version-release" lines as rpm itself lists the database, sorted; gpg-pubkey left out
// as herkomst leaves it out.
std::vector<std::string> rpm_lists(const std::filesystem::path& dbdir) {
  const std::string command = "rpm -qa --dbpath '" + dbdir.string() +
                              "' --define '_db_backend bdb_ro' --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' 2>/dev/null";
  const auto [ok, out] = command_output(command);
  INFO(command);
  REQUIRE(ok);  // rpm is installed by scripts/install-deps.sh
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("gpg-pubkey ", 0) != 0) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The package numbers (keys other than 0) and blob sizes Berkeley DB's own db5.3_dump reads
// from the file, in key order.
std::vector<std::pair<std::uint32_t, std::size_t>> db_dump_lists(const std::filesystem::path& db, bool big_endian) {
  const auto [ok, out] = command_output("db5.3_dump '" + db.string() + "' 2>/dev/null");
  REQUIRE(ok);
  std::vector<std::pair<std::uint32_t, std::size_t>> records;
  std::istringstream in(out);
  bool body = false;
  for (std::string key, data; std::getline(in, key);) {
    if (key == "HEADER=END") {
      body = true;
      continue;
    }
    if (!body || key == "DATA=END" || !std::getline(in, data)) continue;
    REQUIRE(key.size() == 9);  // " " and 4 bytes in hex
    std::uint32_t number = 0;
    for (int i = 0; i < 4; ++i) {
      const auto byte = static_cast<std::uint32_t>(std::stoul(key.substr(1 + 2 * i, 2), nullptr, 16));
      number |= big_endian ? byte << (8 * (3 - i)) : byte << (8 * i);
    }
    if (number != 0) records.emplace_back(number, (data.size() - 1) / 2);
  }
  std::sort(records.begin(), records.end());
  return records;
}

std::vector<std::string> herkomst_lists(const ParseResult& r) {
  std::vector<std::string> lines;
  for (const Package& p : r.packages) lines.push_back(p.name + " " + p.version);
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Three packages, a signing key, one header larger than several 512-byte pages (an overflow
// chain), and rpm's counter record under key 0.
std::vector<std::pair<std::uint32_t, std::string>> sample_records() {
  return {{0, le_int(6)},
          {1, package_blob("openssl-libs", "3.0.7", "27.el9", "x86_64", "Red Hat, Inc.", 1)},
          {2, package_blob("bash", "5.1.8", "9.el9", "x86_64", "Red Hat, Inc.")},
          {3, package_blob("gpg-pubkey", "fd431d51", "4ae0493b", "", "")},
          {4, package_blob("kernel-core", "5.14.0", "362.8.1.el9_3", "x86_64", "Red Hat, Inc." + std::string(3000, ' '))},
          {5, package_blob("vendor-agent", "2.4", "1", "noarch", "")}};
}

}  // namespace

TEST_CASE("rpm bdb: a Packages database made by Berkeley DB, as rpm itself lists it", "[fs][rpm][rpm-bdb]") {
  // Little- and big-endian files, small pages (long overflow chains) and page checksums.
  const std::vector<std::vector<std::string>> variants = {
      {}, {"db_lorder=4321"}, {"db_pagesize=512"}, {"chksum=1"}, {"db_lorder=4321", "db_pagesize=1024", "chksum=1"}};
  for (const auto& options : variants) {
    std::string label;
    for (const auto& o : options) label += o + " ";
    INFO("db_load options: " << label);
    TempDir dir("fs-rpm-bdb");
    const auto db = make_packages(dir, sample_records(), options);
    const std::string bytes = read_all(db);
    const ParseResult r = parse_rpm_bdb(MemoryReader(bytes), "var/lib/rpm/Packages");
    for (const auto& e : r.errors) INFO(e.to_string());
    CHECK(r.errors.empty());
    CHECK(r.skipped == 1);  // gpg-pubkey
    REQUIRE(r.packages.size() == 4);
    // In package-number order, whatever the hash put where.
    CHECK(r.packages[0].purl == "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1");
    CHECK(r.packages[0].cataloger == "rpm-bdb");
    CHECK(r.packages[0].location.path == "var/lib/rpm/Packages");
    CHECK(r.packages[0].location.entry == "1");
    CHECK(r.packages[0].supplier == "Red Hat, Inc.");
    CHECK(r.packages[0].confidence == Approx(kRpmConfidence));
    CHECK(r.packages[1].purl == "pkg:rpm/redhat/bash@5.1.8-9.el9?arch=x86_64");
    CHECK(r.packages[2].name == "kernel-core");
    CHECK(r.packages[2].location.entry == "4");
    CHECK(r.packages[3].purl == "pkg:rpm/rpm/vendor-agent@2.4-1?arch=noarch");
    CHECK(r.packages[3].supplier_field == "Packager");
    // Berkeley DB's own dump holds the same records (gpg-pubkey's is number 3).
    const bool big_endian = label.find("db_lorder=4321") != std::string::npos;
    std::vector<std::pair<std::uint32_t, std::size_t>> ours;
    for (const auto& [number, blob] : sample_records()) {
      if (number != 0) ours.emplace_back(number, blob.size());
    }
    CHECK(db_dump_lists(db, big_endian) == ours);
    // rpm reads the same file and lists the same packages (its bdb_ro reader does not take
    // checksummed pages, so those files are compared with db5.3_dump only).
    if (label.find("chksum") == std::string::npos) CHECK(herkomst_lists(r) == rpm_lists(db.parent_path()));
  }
}

TEST_CASE("rpm bdb: hundreds of packages over many hash pages match rpm's own listing", "[fs][rpm][rpm-bdb]") {
  TempDir dir("fs-rpm-bdb-many");
  std::vector<std::pair<std::uint32_t, std::string>> records = {{0, le_int(401)}};
  for (std::uint32_t i = 1; i <= 400; ++i) {
    const std::string n = std::to_string(i);
    records.emplace_back(i, package_blob("pkg" + n, "1." + n, std::to_string(i % 7) + ".el8", "x86_64",
                                         i % 3 ? "CentOS" : "Red Hat, Inc." + std::string(i % 5 * 700, '.')));
  }
  const auto db = make_packages(dir, records, {"db_pagesize=1024"});
  const ParseResult r = parse_rpm_bdb(MemoryReader(read_all(db)), "Packages");
  CHECK(r.errors.empty());
  REQUIRE(r.packages.size() == 400);
  for (std::size_t i = 0; i < r.packages.size(); ++i) CHECK(r.packages[i].location.entry == std::to_string(i + 1));
  CHECK(herkomst_lists(r) == rpm_lists(db.parent_path()));
}

TEST_CASE("rpm bdb: the walk finds Packages in both rpm locations and writes nothing", "[fs][rpm][rpm-bdb]") {
  TempDir dir("fs-rpm-bdb-walk");
  make_packages(dir, sample_records());
  std::filesystem::create_directories(dir.path / "image/usr/lib/sysimage/rpm");
  std::filesystem::copy_file(dir.path / "var/lib/rpm/Packages", dir.path / "image/usr/lib/sysimage/rpm/Packages");
  std::set<std::string> before;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path)) before.insert(e.path().string());
  const WalkResult w = walk(dir.path.string(), default_catalogers());
  REQUIRE(w.ok);
  CHECK(w.parse_errors.empty());
  REQUIRE(w.packages.size() == 8);
  CHECK(w.packages[0].location.path == "image/usr/lib/sysimage/rpm/Packages");
  CHECK(w.packages[4].location.path == "var/lib/rpm/Packages");
  std::set<std::string> after;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path)) after.insert(e.path().string());
  CHECK(after == before);  // no lock, region or environment files
}

TEST_CASE("rpm bdb: files that are not a hash database are errors", "[fs][rpm][rpm-bdb]") {
  const auto error_of = [](const std::string& bytes) {
    const ParseResult r = parse_rpm_bdb(MemoryReader(bytes), "Packages");
    CHECK(r.packages.empty());
    REQUIRE(r.errors.size() == 1);
    return r.errors[0].to_string();
  };
  CHECK(error_of("") == "Packages: shorter than a Berkeley DB meta page");
  CHECK(error_of(std::string(4096, 'x')) == "Packages: not a Berkeley DB hash database (magic at offset 12)");
  TempDir dir("fs-rpm-bdb-not");
  const std::string good = read_all(make_packages(dir, sample_records()));
  std::string b = good;
  b[20] = 0x03;  // page size 0x1003
  CHECK(error_of(b) == "Packages: page size is not a power of two from 512 to 65536");
  b = good;
  b[24] = 1;
  CHECK(error_of(b) == "Packages: encrypted Berkeley DB database: not read");
  b = good;
  b[25] = 9;  // a B-tree meta page
  CHECK(error_of(b) == "Packages: page 0 is not a hash meta page");
}

TEST_CASE("rpm bdb: truncated, looping and mutated databases never crash", "[fs][rpm][rpm-bdb]") {
  TempDir dir("fs-rpm-bdb-bad");
  const std::string good = read_all(make_packages(dir, sample_records(), {"db_pagesize=512"}));
  REQUIRE(good.size() % 512 == 0);

  // Cut short: every package either read whole or reported, the meta page's claim noted.
  for (std::size_t cut = 0; cut < good.size(); cut += 61) {
    const ParseResult r = parse_rpm_bdb(MemoryReader(std::string_view(good).substr(0, cut)), "Packages");
    INFO("cut at " << cut);
    CHECK(r.packages.size() <= 4);
    CHECK(!r.errors.empty());
  }

  // An overflow page pointing back at itself: the chain loops, the package is an error, the
  // others are kept. Find the kernel-core chain's pages (type 7) and make the first one's next
  // page itself.
  std::string looped = good;
  std::size_t patched = 0;
  for (std::size_t page = 1; page < good.size() / 512; ++page) {
    const std::size_t at = page * 512;
    if (static_cast<unsigned char>(good[at + 25]) == 7 && good[at + 16] != 0) {  // overflow, with a next page
      looped.replace(at + 16, 4, le_int(static_cast<std::uint32_t>(page)));
      ++patched;
      break;
    }
  }
  REQUIRE(patched == 1);
  const ParseResult loop = parse_rpm_bdb(MemoryReader(looped), "Packages");
  CHECK(loop.packages.size() == 3);
  REQUIRE(loop.errors.size() == 1);
  const std::string message = loop.errors[0].to_string();
  CHECK(message.find("Packages hnum 4: page ") != std::string::npos);
  CHECK(message.find("overflow chain loops or is broken") != std::string::npos);

  // Random byte flips: never a crash, never more packages than there are.
  std::uint32_t state = 2024;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  std::size_t kept = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string b = good;
    const int flips = 1 + static_cast<int>(next() % 6);
    for (int f = 0; f < flips; ++f) b[next() % b.size()] = static_cast<char>(next() >> 24);
    const ParseResult r = parse_rpm_bdb(MemoryReader(b), "Packages");
    CHECK(r.packages.size() <= 5);  // a flip in gpg-pubkey's name makes it a package
    kept += r.packages.size();
  }
  CHECK(kept > 0);
}
