// The PE cataloger over PE32+ files generated at test time (pe_test_support.hpp), signed with
// osslsigncode and a key and self-signed certificate made with the openssl CLI; hostile inputs:
// truncation at every offset, mutation of every byte, lying offsets and counts, a resource loop,
// a bogus certificate table; bounded reads on a 500 MB file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fs_test_support.hpp"
#include "pe_test_support.hpp"
#include "signing_support.hpp"
#include "scanner/fs/authenticode.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/pe_cataloger.hpp"
#include "scanner/fs/pe_file.hpp"
#include "scanner/fs/pe_version_info.hpp"
#include "scanner/fs/to_inventory.hpp"

using namespace herkomst::fs;
using herkomst::test::TempDir;
using herkomst::test::make_pe;
using herkomst::test::PeSpec;
using herkomst::test::Signed;

namespace {

ParseResult parse(std::string_view bytes, const std::string& path = "Program Files/Example/hmirt.exe") {
  MemoryReader reader(bytes);
  return parse_pe(reader, path);
}

std::string errors_of(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.errors) {
    out += e.to_string();
    out += '\n';
  }
  return out;
}

std::string iso(std::string openssl_date) {  // "2026-12-03 10:40:00Z" -> "2026-12-03T10:40:00Z"
  const auto space = openssl_date.find(' ');
  if (space != std::string::npos) openssl_date[space] = 'T';
  return openssl_date;
}

std::string without_leading_zeros(std::string hex) {
  while (hex.size() > 1 && hex[0] == '0') hex.erase(0, 1);
  return hex;
}

}  // namespace

TEST_CASE("PE headers of a generated PE32+ file", "[pe]") {
  const std::string bytes = make_pe();
  MemoryReader reader(bytes);
  auto parsed = read_pe(reader);
  REQUIRE(std::holds_alternative<PeFile>(parsed));
  const PeFile& pe = std::get<PeFile>(parsed);
  CHECK(pe.pe32_plus);
  CHECK(pe.machine == 0x8664);
  CHECK(pe_machine_name(pe.machine) == "amd64");
  CHECK(pe_machine_name(0x014c) == "i386");
  CHECK(pe_machine_name(0x1234) == "0x1234");
  REQUIRE(pe.sections.size() == 2);
  CHECK(pe.sections[1].name == ".rsrc");
  CHECK(pe.resource.address == herkomst::test::kPeRsrcRva);
  CHECK(pe.file_offset(herkomst::test::kPeRsrcRva + 8, 4) == herkomst::test::kPeRsrcRaw + 8);
  CHECK_FALSE(pe.file_offset(0x9000, 4));
  CHECK(pe.security.size == 0);
}

TEST_CASE("PE version info: every string, the fixed numbers, the package", "[pe]") {
  const std::string bytes = make_pe();
  const ParseResult r = parse(bytes);
  INFO(errors_of(r));
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.ecosystem == Ecosystem::generic);
  CHECK(p.name == "Example HMI Studio");
  CHECK(p.version == "3.1 SP2");
  CHECK(p.purl == "pkg:generic/Example%20HMI%20Studio@3.1%20SP2");
  CHECK(p.cpe == "cpe:2.3:a:example_automation:example_hmi_studio:3.1_sp2:*:*:*:*:*:*:*");
  CHECK(p.supplier == "Example Automation GmbH");
  CHECK(p.supplier_field == "CompanyName");
  CHECK(p.more_suppliers.empty());
  CHECK(p.method == kBinaryAnalysis);
  CHECK(p.cataloger == "pe-version-info");
  CHECK(p.confidence == Approx(kPeConfidence));
  CHECK(p.location.path == "Program Files/Example/hmirt.exe");
  CHECK(p.properties.at("pe.CompanyName") == "Example Automation GmbH");
  CHECK(p.properties.at("pe.ProductName") == "Example HMI Studio");
  CHECK(p.properties.at("pe.FileVersion") == "3.1.4.15");
  CHECK(p.properties.at("pe.ProductVersion") == "3.1 SP2");
  CHECK(p.properties.at("pe.OriginalFilename") == "hmirt.exe");
  CHECK(p.properties.at("pe.FileDescription") == "Example HMI Runtime");
  CHECK(p.properties.at("pe.InternalName") == "hmirt");
  CHECK(p.properties.at("pe.LegalCopyright") == "\xC2\xA9 2026 Example Automation GmbH");
  CHECK(p.properties.at("pe.Machine") == "amd64");
  CHECK(p.properties.count("authenticode.subject.O") == 0);

  MemoryReader reader(bytes);
  const PeFile pe = std::get<PeFile>(read_pe(reader));
  auto info = read_version_info(reader, pe);
  REQUIRE(std::holds_alternative<std::optional<PeVersionInfo>>(info));
  const auto& v = std::get<std::optional<PeVersionInfo>>(info);
  REQUIRE(v);
  REQUIRE(v->fixed);
  CHECK(to_string(v->fixed->file) == "3.1.4.15");
  CHECK(to_string(v->fixed->product) == "3.1.0.0");
  CHECK(v->language == "040904b0");
}

TEST_CASE("PE version info fallbacks for name and version", "[pe]") {
  PeSpec spec;
  spec.tables = {{u"040704b0", {{u"FileDescription", u"Laufzeit"}, {u"FileVersion", u"2.0.1"}}}};
  ParseResult r = parse(make_pe(spec));
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "Laufzeit");
  CHECK(r.packages[0].version == "2.0.1");
  CHECK(r.packages[0].supplier.empty());
  CHECK(r.packages[0].cpe.empty());  // no vendor

  spec.tables = {{u"040704b0", {{u"OriginalFilename", u"tool.dll"}}}};
  r = parse(make_pe(spec));
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "tool.dll");
  CHECK(r.packages[0].version == "3.1.0.0");  // VS_FIXEDFILEINFO product version
}

TEST_CASE("PE StringTable choice: 0409 preferred, else the first", "[pe]") {
  PeSpec spec;
  spec.tables = {{u"040704b0", {{u"ProductName", u"Bediengerät"}, {u"CompanyName", u"Beispiel AG"}}},
                 {u"040904b0", {{u"ProductName", u"Operator Panel"}, {u"CompanyName", u"Example AG"}}}};
  ParseResult r = parse(make_pe(spec));
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "Operator Panel");
  CHECK(r.packages[0].cpe == "cpe:2.3:a:example:operator_panel:3.1.0.0:*:*:*:*:*:*:*");

  spec.tables = {{u"040704b0", {{u"ProductName", u"Bedienger\u00e4t"}}}, {u"040c04b0", {{u"ProductName", u"Panneau"}}}};
  r = parse(make_pe(spec));
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "Bedienger\xC3\xA4t");
}

TEST_CASE("PE without version info and unsigned is skipped", "[pe]") {
  PeSpec spec;
  spec.with_version = false;
  const ParseResult r = parse(make_pe(spec));
  CHECK(r.packages.empty());
  CHECK(r.errors.empty());
  CHECK(r.skipped == 1);
}

TEST_CASE("PE Authenticode signature made by osslsigncode", "[pe]") {
  const Signed s(make_pe());
  const ParseResult r = parse(s.bytes);
  INFO(errors_of(r));
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.name == "Example HMI Studio");
  CHECK(p.properties.at("authenticode.subject.O") == "Example Automation GmbH");
  CHECK(p.properties.at("authenticode.subject.C") == "DE");
  CHECK(p.properties.at("authenticode.subject.CN") == "Example Automation Code Signing");
  CHECK(p.properties.at("authenticode.issuer.CN") == "Example Automation Code Signing");  // self-signed
  CHECK(p.properties.at("authenticode.issuer.O") == "Example Automation GmbH");
  CHECK(without_leading_zeros(p.properties.at("authenticode.serial")) == without_leading_zeros(s.x509("-serial")));
  CHECK(p.properties.at("authenticode.not-before") == iso(s.x509("-startdate")));
  CHECK(p.properties.at("authenticode.not-after") == iso(s.x509("-enddate")));
  REQUIRE(p.more_suppliers.size() == 1);
  CHECK(p.more_suppliers[0].text == "Example Automation GmbH");
  CHECK(p.more_suppliers[0].field == "Authenticode signer O");
  CHECK(p.more_suppliers[0].confidence == Approx(kPeSignerConfidence));
  CHECK(p.more_suppliers[0].confidence > supplier_confidence(p));  // above CompanyName's
  CHECK(supplier_confidence(p) > 0);
}

TEST_CASE("PE signed without version info: one package named by the file", "[pe]") {
  PeSpec spec;
  spec.with_version = false;
  const Signed s(make_pe(spec));
  const ParseResult r = parse(s.bytes, "Windows/System32/drivers/exdrv.sys");
  INFO(errors_of(r));
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.name == "exdrv.sys");
  CHECK(p.version.empty());
  CHECK(p.purl == "pkg:generic/exdrv.sys");
  CHECK(p.supplier.empty());
  REQUIRE(p.more_suppliers.size() == 1);
  CHECK(p.more_suppliers[0].text == "Example Automation GmbH");
  CHECK(p.cpe == "cpe:2.3:a:example_automation:exdrv.sys:*:*:*:*:*:*:*:*");
}

TEST_CASE("PE hostile: truncation at every offset and mutation of every byte", "[pe]") {
  const Signed s(make_pe());
  for (std::size_t cut = 0; cut < s.bytes.size(); ++cut) {
    const ParseResult r = parse(std::string_view(s.bytes).substr(0, cut));
    INFO("cut at " << cut);
    // Cut before the end, the certificate table no longer fits: never a clean signed package.
    const bool clean_signed = r.errors.empty() && r.packages.size() == 1 && r.packages[0].properties.count("authenticode.serial");
    CHECK_FALSE(clean_signed);
    CHECK(r.packages.size() + r.errors.size() + r.skipped >= 1);
  }
  std::string mutated = s.bytes;
  for (std::size_t at = 0; at < mutated.size(); ++at) {
    mutated[at] = static_cast<char>(mutated[at] ^ 0xFF);
    const ParseResult r = parse(mutated);
    CHECK(r.packages.size() <= 1);
    mutated[at] = s.bytes[at];
  }
}

TEST_CASE("PE hostile headers give errors with offsets", "[pe]") {
  using namespace herkomst::test;
  std::string f = make_pe();
  put32(f, 0x3C, 0x7FFFFFF0);
  ParseResult r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("offset 0x3c: e_lfanew") != std::string::npos);

  f = make_pe();
  put16(f, kPeLfanew + 6, 0xFFFF);
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("65535 sections") != std::string::npos);

  f = make_pe().substr(0, kPeSectionTableAt + 20);
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("section table beyond the end") != std::string::npos);

  f = make_pe();
  put16(f, kPeLfanew + 20, 0xFFFF);  // SizeOfOptionalHeader
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("SizeOfOptionalHeader") != std::string::npos);

  f = make_pe();
  f[kPeLfanew] = 'X';
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "offset 0x80: no PE signature");
}

TEST_CASE("PE hostile resource tree: loop, huge counts, lying sizes", "[pe]") {
  using namespace herkomst::test;
  std::string f = make_pe();
  put32(f, kPeRsrcRaw + 16 + 4, 0x80000000u);  // RT_VERSION -> the root again
  ParseResult r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("resource directory loop") != std::string::npos);
  CHECK(r.packages.empty());

  f = make_pe();
  put32(f, kPeRsrcRaw + 24 + 16 + 4, 0x80000000u);  // name level -> the root: loop
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("resource directory loop") != std::string::npos);

  f = make_pe();
  put32(f, kPeRsrcRaw + 48 + 16 + 4, 0x80000000u | 24);  // language level -> a directory
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("resource directory where a data entry must be") != std::string::npos);

  f = make_pe();
  put16(f, kPeRsrcRaw + 12, 0xFFFF);  // 65535 named + 65535 id entries claimed at the root
  put16(f, kPeRsrcRaw + 14, 0xFFFF);
  MemoryReader reader(f);
  r = parse_pe(reader, "a.exe");
  CHECK(r.packages.empty());  // the entries read are the ones that fit, all "named" now: no RT_VERSION
  CHECK(reader.bytes_read() < 4096);

  f = make_pe();
  put32(f, kPeRsrcRaw + 72 + 4, 0x7FFFFFFF);  // version resource size
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("version resource of 2147483647 bytes") != std::string::npos);

  f = make_pe();
  put32(f, kPeRsrcRaw + 72, 0x00F00000);  // version resource RVA nowhere
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("not in the file") != std::string::npos);

  f = make_pe();
  put16(f, kPeRsrcRaw + 88, 0xFFFF);  // VS_VERSIONINFO wLength beyond the resource
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("version block length 65535") != std::string::npos);
}

TEST_CASE("PE hostile certificate table", "[pe]") {
  using namespace herkomst::test;
  const std::size_t security = kPeOptionalAt + 112 + 4 * 8;
  std::string f = make_pe();
  put32(f, security, 0x7FFFFFF0);
  put32(f, security + 4, 0x100);
  ParseResult r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("certificate table outside the file") != std::string::npos);
  REQUIRE(r.packages.size() == 1);  // the version info is still read

  f = make_pe();
  put32(f, security, 0x200);  // points at .text: garbage with a forged header
  put32(f, security + 4, 0x100);
  put32(f, 0x200, 0x100);
  put16(f, 0x204, 0x0200);
  put16(f, 0x206, 0x0002);
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("not a DER PKCS#7") != std::string::npos);

  put16(f, 0x206, 0x0001);  // X.509 type: not supported
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("not PKCS#7 SignedData") != std::string::npos);

  put16(f, 0x206, 0x0002);
  put32(f, 0x200, 0xFFFFFFFF);  // dwLength beyond the table
  r = parse(f);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("dwLength") != std::string::npos);
}

TEST_CASE("PE cataloger in the walk: globs, magic, bounded reads of a 500 MB file", "[pe]") {
  TempDir dir("pe-walk");
  const std::string pe = make_pe();
  herkomst::test::put(dir, "Program Files/Example/HMIRT.EXE", pe);
  herkomst::test::put(dir, "Program Files/Example/Tool.Dll", pe);
  herkomst::test::put(dir, "Program Files/Example/notes.exe", "not a PE file at all");
  const auto big = herkomst::test::put(dir, "Downloads/setup.exe", pe);
  std::filesystem::resize_file(big, 500ull << 20);  // sparse overlay, as an installer's payload

  const WalkResult w = walk(dir.path.string(), default_catalogers());
  REQUIRE(w.ok);
  CHECK(w.packages.size() == 3);
  CHECK(w.counters.at("files.matched") == 3);  // notes.exe has no MZ
  CHECK(w.counters.at("bytes.read") < 3 * 2048 + 64);  // about 1.3 KB per PE file, 16 bytes for notes.exe
  for (const Package& p : w.packages) CHECK(p.cataloger == "pe-version-info");
  CHECK(w.packages[0].location.path == "Downloads/setup.exe");

  const Cataloger c = pe_cataloger();
  CHECK(glob_match(c.globs[0], "a/b.exe"));
  CHECK(c.ignore_case);  // the walk lower-cases the path for these globs (walker_test)
  const auto matches = [&](std::string path) {
    for (char& ch : path) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return std::any_of(c.globs.begin(), c.globs.end(), [&](const std::string& g) { return glob_match(g, path); });
  };
  for (const char* path : {"x.exe", "X.EXE", "x.Exe", "y.dll", "y.DLL", "x.dLl", "d.sys", "c.ocx", "c.cpl", "s.scr",
                           "d.drv", "b.efi", "B.EFI"})
    CHECK(matches(path));
  CHECK_FALSE(matches("x.exe.txt"));
}
