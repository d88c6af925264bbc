// Go build info: a real binary built with `go build` at test time (a main module with a
// dependency replaced by a local directory, no network), ELF files of our own making (ELF32 and
// ELF64, both byte orders) holding hand-made module information, and hostile variants of them.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/elf_sections.hpp"
#include "scanner/fs/go_buildinfo.hpp"
#include "tests/fs/fs_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::put;
using herkomst::test::TempDir;
using namespace std::string_literals;

namespace {

const Package* find(const ParseResult& r, std::string_view name) {
  const auto it = std::find_if(r.packages.begin(), r.packages.end(), [&](const Package& p) { return p.name == name; });
  return it == r.packages.end() ? nullptr : &*it;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// --- A generator of small ELF files with a .go.buildinfo section. ---

void put_uint(std::string& out, std::size_t at, std::uint64_t value, std::size_t width, bool big) {
  for (std::size_t i = 0; i < width; ++i) {
    out[big ? at + width - 1 - i : at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

std::string varint(std::uint64_t value) {
  std::string out;
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (value != 0);
  return out;
}

// The section's bytes in the Go >= 1.18 form: magic, pointer size, flags, the two strings.
std::string buildinfo(std::string_view version, std::string_view modinfo, unsigned char flags = 2) {
  std::string out("\xff Go buildinf:", 14);
  out += '\x08';
  out += static_cast<char>(flags);
  out.resize(32, '\0');
  std::string framed(16, 'A');
  framed += modinfo;
  framed.append(16, 'B');
  out += varint(version.size());
  out += version;
  out += varint(framed.size());
  out += framed;
  return out;
}

struct Elf {
  std::string bytes;
  std::size_t shoff_field = 0, shnum_field = 0, shoff = 0, entsize = 0, word = 0;
};

// ELF header, `gap` zero bytes, the name table, the build info (16-aligned), the section headers
// (null, .shstrtab, .go.buildinfo).
Elf make_elf(std::string_view section, bool is64, bool big, std::size_t gap = 0) {
  Elf e;
  const std::size_t header = is64 ? 64 : 52;
  e.entsize = is64 ? 64 : 40;
  e.word = is64 ? 8 : 4;
  const std::string names("\0.shstrtab\0.go.buildinfo\0", 25);
  std::string& out = e.bytes;
  out.assign(header, '\0');
  out.replace(0, 4, "\x7f" "ELF");
  out[4] = is64 ? 2 : 1;
  out[5] = big ? 2 : 1;
  out[6] = 1;
  out.append(gap, '\0');
  const std::size_t names_at = out.size();
  out += names;
  out.resize((out.size() + 15) / 16 * 16, '\0');
  const std::size_t info_at = out.size();
  out += section;
  out.resize((out.size() + 7) / 8 * 8, '\0');
  e.shoff = out.size();
  out.append(3 * e.entsize, '\0');
  const auto section_header = [&](std::size_t index, std::uint32_t name, std::uint64_t at, std::uint64_t size) {
    const std::size_t h = e.shoff + index * e.entsize;
    put_uint(out, h, name, 4, big);
    put_uint(out, h + 4, index == 1 ? 3 : 1, 4, big);                    // SHT_STRTAB, SHT_PROGBITS
    put_uint(out, h + (is64 ? 0x18 : 0x10), at, e.word, big);           // sh_offset
    put_uint(out, h + (is64 ? 0x20 : 0x14), size, e.word, big);         // sh_size
  };
  section_header(1, 1, names_at, names.size());
  section_header(2, 11, info_at, section.size());
  e.shoff_field = is64 ? 0x28 : 0x20;
  e.shnum_field = is64 ? 0x3C : 0x30;
  put_uint(out, e.shoff_field, e.shoff, e.word, big);
  put_uint(out, is64 ? 0x3A : 0x2E, e.entsize, 2, big);
  put_uint(out, e.shnum_field, 3, 2, big);
  put_uint(out, is64 ? 0x3E : 0x32, 1, 2, big);
  return e;
}

constexpr std::string_view kModinfo =
    "path\texample.com/plc-bridge/cmd/bridge\n"
    "mod\texample.com/plc-bridge\tv0.4.1\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    "dep\tgithub.com/gopcua/opcua\tv0.5.3\th1:KoSvwT+Ss2WXc1u4dVQsB3CAkpeGHJ3LP4KYr2OXFZ8=\n"
    "=>\tgithub.com/fork/opcua\tv0.5.4\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n"
    "dep\tgolang.org/x/net\tv0.17.0\th1:pVaXccu2ozPjCXewfr1S7xza/zcXTity9cCdXQYSjIM=\n"
    "build\t-compiler=gc\n"
    "build\tGOOS=linux\n"
    "build\tGOARCH=arm\n"
    "build\tvcs.revision=0123456789abcdef\n";

void check_crafted(const ParseResult& r) {
  for (const auto& e : r.errors) INFO(e.to_string());
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 3);
  const Package& main = r.packages[0];
  CHECK(main.application);
  CHECK(main.purl == "pkg:golang/example.com/plc-bridge@v0.4.1");
  CHECK(main.method == kBinaryAnalysis);
  CHECK(main.cataloger == kGoBinaryCataloger);
  CHECK(main.properties.at("go.version") == "go1.21.5");
  CHECK(main.properties.at("go.package") == "example.com/plc-bridge/cmd/bridge");
  CHECK(main.properties.at("go.build.GOARCH") == "arm");
  CHECK(main.properties.at("go.build.vcs.revision") == "0123456789abcdef");
  CHECK(main.properties.at("go.sum") == "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  const Package* fork = find(r, "opcua");
  REQUIRE(fork);
  CHECK(fork->purl == "pkg:golang/github.com/fork/opcua@v0.5.4");
  CHECK(fork->properties.at("go.replaces") == "github.com/gopcua/opcua@v0.5.3");
  CHECK(fork->properties.at("go.sum") == "h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=");
  CHECK(fork->properties.at("go.main-module") == "example.com/plc-bridge");
  CHECK_FALSE(fork->application);
  const Package* net = find(r, "net");
  REQUIRE(net);
  CHECK(net->purl == "pkg:golang/golang.org/x/net@v0.17.0");
  CHECK(net->confidence == Approx(kGoBinaryConfidence));
  CHECK(net->properties.count("go.build.GOOS") == 0);
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Writes the hmi-gateway module (with example.com/modbuslib replaced by a local directory) and
// builds it with `go build` for `goos`, offline, into `output`; returns go's exit code.
int go_build(const TempDir& dir, const std::string& goos, const std::filesystem::path& output) {
  put(dir, "src/go.mod",
      "module example.com/hmi-gateway\n\ngo 1.19\n\nrequire example.com/modbuslib v1.2.3\n\n"
      "replace example.com/modbuslib => ./modbuslib\n");
  put(dir, "src/main.go",
      "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/modbuslib\"\n)\n\n"
      "func main() { fmt.Println(modbuslib.Register(40001)) }\n");
  put(dir, "src/modbuslib/go.mod", "module example.com/modbuslib\n\ngo 1.19\n");
  put(dir, "src/modbuslib/lib.go", "package modbuslib\n\nfunc Register(n int) int { return n - 40001 }\n");
  std::filesystem::create_directories(output.parent_path());
  const std::string t = dir.path.string();
  std::string command = "cd '";
  for (const std::string& part : {t, "/src' && env GOOS="s, goos, " GOARCH=amd64 GOFLAGS=-mod=mod GOPROXY=off GOCACHE='"s,
                                  t, "/cache' GOPATH='"s, t, "/gopath' CGO_ENABLED=0 HOME='"s, t,
                                  "' go build -o '"s, output.string(), "' . > '"s, t, "/build.log' 2>&1"s}) {
    command += part;
  }
  return run(command);
}

}  // namespace

TEST_CASE("Go binary: a binary built by go build gives its main module, dependency and settings", "[fs][go-binary]") {
  TempDir dir("gobin");
  const int rc = go_build(dir, "linux", dir.path / "root/opt/gw/hmi-gateway");
  INFO(file_bytes(dir.path / "build.log"));
  REQUIRE(rc == 0);

  const std::string binary = file_bytes(dir.path / "root/opt/gw/hmi-gateway");
  const MemoryReader reader(binary);
  const ParseResult r = parse_go_binary(reader, "opt/gw/hmi-gateway");
  for (const auto& e : r.errors) INFO(e.to_string());
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 2);
  const Package& main = r.packages[0];
  CHECK(main.application);
  CHECK(main.namespace_ == "example.com");
  CHECK(main.name == "hmi-gateway");
  CHECK(main.version == "(devel)");
  CHECK(main.purl == "pkg:golang/example.com/hmi-gateway@%28devel%29");
  CHECK(main.properties.at("go.version").rfind("go1.", 0) == 0);
  CHECK(main.properties.at("go.package") == "example.com/hmi-gateway");
  CHECK(main.properties.at("go.build.GOOS") == "linux");
  CHECK(main.properties.at("go.build.CGO_ENABLED") == "0");
  CHECK(main.properties.at("go.build.-compiler") == "gc");
  CHECK(main.method == kBinaryAnalysis);
  // Go 1.19 writes "dep\texample.com/modbuslib\tv1.2.3" then "=>\t./modbuslib\t(devel)\t".
  const Package& dep = r.packages[1];
  CHECK(dep.purl == "pkg:golang/example.com/modbuslib@v1.2.3");
  CHECK(dep.properties.at("go.replaced-by-directory") == "./modbuslib");
  CHECK(dep.properties.at("go.main-module") == "example.com/hmi-gateway");
  CHECK(dep.properties.count("go.sum") == 0);
  CHECK(reader.bytes_read() < 200u * 1024);  // headers and the section, not the binary
  CHECK(binary.size() > 1u << 20);

  SECTION("the walk finds it through the default catalogers, executable ELF files only") {
    std::filesystem::copy_file(dir.path / "root/opt/gw/hmi-gateway", dir.path / "root/opt/gw/not-executable");
    std::filesystem::permissions(dir.path / "root/opt/gw/not-executable", std::filesystem::perms::owner_read);
    put(dir, "root/opt/gw/script.sh", "#!/bin/sh\n");
    std::filesystem::permissions(dir.path / "root/opt/gw/script.sh", std::filesystem::perms::owner_all);
    const WalkResult w = walk((dir.path / "root").string(), default_catalogers());
    REQUIRE(w.ok);
    std::vector<std::string> found;
    for (const Package& p : w.packages) {
      if (p.cataloger == kGoBinaryCataloger) found.push_back(p.location.path + ' ' + p.purl);
    }
    CHECK(found == std::vector<std::string>{"opt/gw/hmi-gateway pkg:golang/example.com/hmi-gateway@%28devel%29",
                                            "opt/gw/hmi-gateway pkg:golang/example.com/modbuslib@v1.2.3"});
  }
}

TEST_CASE("Go binary: crafted ELF32 and ELF64 in both byte orders", "[fs][go-binary]") {
  const std::string section = buildinfo("go1.21.5", kModinfo);
  for (const bool is64 : {false, true}) {
    for (const bool big : {false, true}) {
      INFO("64-bit " << is64 << " big-endian " << big);
      const Elf e = make_elf(section, is64, big);
      const ParseResult r = parse_go_binary(MemoryReader(e.bytes), "bin/bridge");
      check_crafted(r);
    }
  }
}

TEST_CASE("Go binary: not a Go binary, old form, and empty modinfo", "[fs][go-binary]") {
  // An ELF without .go.buildinfo: nothing, no error.
  Elf plain = make_elf(buildinfo("go1.21.5", kModinfo), true, false);
  plain.bytes[plain.shoff - 8] = 'x';  // harmless
  std::string renamed = plain.bytes;
  const auto name = renamed.find(".go.buildinfo");
  REQUIRE(name != std::string::npos);
  renamed[name + 1] = 'G';
  const ParseResult none = parse_go_binary(MemoryReader(renamed), "bin/c-tool");
  CHECK(none.packages.empty());
  CHECK(none.errors.empty());
  CHECK(none.skipped == 0);
  // The pre-1.18 pointer form: skipped, not an error.
  const ParseResult old = parse_go_binary(MemoryReader(make_elf(buildinfo("", "", 0), true, false).bytes), "bin/old");
  CHECK(old.packages.empty());
  CHECK(old.errors.empty());
  CHECK(old.skipped == 1);
  // A modinfo line not understood is an error naming the file; the rest is kept.
  const ParseResult odd = parse_go_modinfo("go1.21.5", "mod\ta/b\tv1\nbogus\n=>\tc/d\n", "bin/x");
  REQUIRE(odd.errors.size() == 2);
  CHECK(odd.errors[0].to_string() == "bin/x: Go build info line 2 not understood");
  CHECK(odd.packages.size() == 1);
}

TEST_CASE("Go binary: every truncation of a crafted ELF is an error or nothing, never a crash", "[fs][go-binary]") {
  const Elf e = make_elf(buildinfo("go1.21.5", kModinfo), true, false);
  for (std::size_t n = 0; n < e.bytes.size(); ++n) {
    const ParseResult r = parse_go_binary(MemoryReader(std::string_view(e.bytes).substr(0, n)), "bin/cut");
    CHECK(r.packages.empty());  // the section headers are at the end: every cut loses them
    CHECK(r.errors.size() <= 1);
  }
  // Every truncation of the section contents inside an intact file.
  const std::string full = buildinfo("go1.21.5", kModinfo);
  for (std::size_t n = 0; n < full.size(); ++n) {
    const Elf cut = make_elf(full.substr(0, n), false, true);
    const ParseResult r = parse_go_binary(MemoryReader(cut.bytes), "bin/cut");
    CHECK(r.packages.size() <= 3);
  }
}

TEST_CASE("Go binary: lying offsets, counts and lengths are errors naming the file and place", "[fs][go-binary]") {
  const std::string section = buildinfo("go1.21.5", kModinfo);
  Elf e = make_elf(section, true, false);
  const auto parse = [](const std::string& bytes) { return parse_go_binary(MemoryReader(bytes), "bin/liar"); };

  std::string bad = e.bytes;
  put_uint(bad, e.shoff_field, 0xfffffffffff0ull, 8, false);
  ParseResult r = parse(bad);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "bin/liar: ELF section header table past the end of the file (offset 40)");

  bad = e.bytes;
  put_uint(bad, e.shnum_field, 0xfffe, 2, false);
  r = parse(bad);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("ELF section header table past the end") == 0);

  bad = e.bytes;  // sh_offset of .go.buildinfo far past the end
  put_uint(bad, e.shoff + 2 * e.entsize + 0x18, 1ull << 62, 8, false);
  r = parse(bad);
  REQUIRE(r.errors.size() == 1);
  std::string expected = "ELF section .go.buildinfo past the end of the file (offset ";
  expected += std::to_string(e.shoff + 2 * e.entsize);
  expected += ')';
  CHECK(r.errors[0].message == expected);

  bad = e.bytes;  // sh_size of .go.buildinfo huge
  put_uint(bad, e.shoff + 2 * e.entsize + 0x20, ~0ull, 8, false);
  CHECK(parse(bad).errors.size() == 1);

  bad = e.bytes;  // name table pointing past the end
  put_uint(bad, e.shoff + e.entsize + 0x18, 1ull << 40, 8, false);
  CHECK(parse(bad).errors.at(0).message.find("section name table past the end") != std::string::npos);

  // A varint claiming 2^60 bytes of modinfo.
  std::string lying = section.substr(0, 32) + varint(8) + "go1.21.5" + varint(1ull << 60) + "mod\ta/b\tv1\n";
  r = parse(make_elf(lying, true, false).bytes);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "string length at offset 41 of .go.buildinfo past its end");
  // A varint that never ends.
  lying = section.substr(0, 32) + std::string(40, '\xff');
  CHECK(parse(make_elf(lying, true, false).bytes).errors.size() == 1);
  // No magic in the section.
  std::string nomagic = section;
  nomagic[1] = 'X';
  CHECK(parse(make_elf(nomagic, true, false).bytes).errors.at(0).message.find("no Go build info magic") == 0);
}

TEST_CASE("Go binary: only headers and the build info are read from a large file", "[fs][go-binary]") {
  const Elf e = make_elf(buildinfo("go1.21.5", kModinfo), true, true, 48u << 20);
  const MemoryReader reader(e.bytes);
  const ParseResult r = parse_go_binary(reader, "bin/bridge");
  check_crafted(r);
  CHECK(reader.bytes_read() < 4096);
  CHECK(e.bytes.size() > 48u << 20);
  const Cataloger c = go_binary_cataloger();
  CHECK(c.executable_only);
  CHECK(c.magic == std::vector<std::string>{"\x7f" "ELF"});
  CHECK(c.max_bytes == 4ull << 30);
  const auto all = default_catalogers();  // by name: catalogers registered later follow them
  const auto named = [&](std::string_view name) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const Cataloger& k) { return k.name == name; });
    REQUIRE(it != all.end());
    return *it;
  };
  CHECK(named(kGoBinaryCataloger).executable_only);
  const Cataloger pe = named("go-binary-pe");
  CHECK(pe.magic == std::vector<std::string>{"MZ"});
  CHECK(pe.ignore_case);  // the walk lower-cases the path for its globs
  CHECK(glob_match(pe.globs.at(0), ascii_lower("Program Files/Vendor/GATEWAY.EXE")));
  CHECK(glob_match(pe.globs.at(0), ascii_lower("Program Files/Vendor/gateway.eXe")));
}

TEST_CASE("Go binary: a Windows .exe built by go build is read from its .data section", "[fs][go-binary]") {
  TempDir dir("gobin-pe");
  const int rc = go_build(dir, "windows", dir.path / "root/Program Files/Gw/hmi-gateway.exe");
  INFO(file_bytes(dir.path / "build.log"));
  REQUIRE(rc == 0);
  const std::string binary = file_bytes(dir.path / "root/Program Files/Gw/hmi-gateway.exe");
  REQUIRE(binary.rfind("MZ", 0) == 0);
  const MemoryReader reader(binary);
  const ParseResult r = parse_go_binary(reader, "Program Files/Gw/hmi-gateway.exe");
  for (const auto& e : r.errors) INFO(e.to_string());
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].purl == "pkg:golang/example.com/hmi-gateway@%28devel%29");
  CHECK(r.packages[0].properties.at("go.build.GOOS") == "windows");
  CHECK(r.packages[1].purl == "pkg:golang/example.com/modbuslib@v1.2.3");
  CHECK(reader.bytes_read() < 200u * 1024);

  const WalkResult w = walk((dir.path / "root").string(), default_catalogers());
  REQUIRE(w.ok);
  std::size_t go = 0;
  for (const Package& p : w.packages) go += p.cataloger == kGoBinaryCataloger ? 1 : 0;
  CHECK(go == 2);

  // A PE file that is not a Go binary, and broken PE headers: nothing (pe-version-info reports those).
  std::string other = binary;
  const auto magic = other.find("\xff Go buildinf:");
  REQUIRE(magic != std::string::npos);
  other[magic + 1] = 'X';
  const ParseResult none = parse_go_binary(MemoryReader(other), "c.exe");
  CHECK(none.packages.empty());
  CHECK(none.errors.empty());
  for (std::size_t n = 2; n < 4096; n += 61) {  // from 2: "MZ" kept
    const ParseResult cut = parse_go_binary(MemoryReader(std::string_view(binary).substr(0, n)), "cut.exe");
    CHECK(cut.packages.empty());
    CHECK(cut.errors.empty());
  }
}
