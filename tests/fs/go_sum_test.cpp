// go.sum (scanner/fs/go_sum.hpp): lines in the shape `go mod tidy` writes (module, version or
// version/go.mod, h1: hash, sorted by module and version), garbage lines, every truncation, and the
// reconciliation with a go.mod in the same folder after a walk (Go 1.17+, older, none).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/go_sum.hpp"
#include "scanner/fs/walker.hpp"
#include "fs_test_support.hpp"

using namespace herkomst::fs;
using herkomst::test::put;
using herkomst::test::TempDir;

namespace {

constexpr std::string_view kGoSum =
    "github.com/goburrow/modbus v0.1.0 h1:DejRZY73nEM6+bt5JSP6IsFolJ9dVcqxsYbpLbeW/ro=\n"
    "github.com/goburrow/modbus v0.1.0/go.mod h1:Kx552D5rLIS8E7TyUwQ/UdHEqvX5T8tyiGBTlzMcZBg=\n"
    "github.com/goburrow/serial v0.1.0 h1:v2T1SQa/dlUqQiYIT8+Cu7YolfqAi3K96UmhwYyuSrA=\n"
    "github.com/goburrow/serial v0.1.0/go.mod h1:sAiqG0nRVswsm1C97xsttiYCzSLBmUZ/VSlVLZJ8haA=\n"
    "golang.org/x/sys v0.0.0-20190215142949-d0b11bdaac8a/go.mod h1:STP8DvDyc/dI5b8T5hshtkjS+E42TnysNCUPdjciGhY=\n"
    "golang.org/x/sys v0.12.0 h1:CM0HF96J0hcLAwsHPJZjfdNzs0gftsLfgKt57wWHJ0o=\n"
    "golang.org/x/sys v0.13.0 h1:Af8nKPmuFypiUBjVoU9V20FiaFXOcuZI21p0ycVYYGE=\n"
    "golang.org/x/sys v0.13.0/go.mod h1:oPkhp1MJrh7nUepCBck5+mAzfO9JrbApNNgaTdGDITg=\n"
    "gopkg.in/yaml.v3 v3.0.1/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM=\n";

std::map<std::string, Package> by_purl(const std::vector<Package>& packages) {
  std::map<std::string, Package> out;
  for (const auto& p : packages) out[p.purl] = p;
  return out;
}

}  // namespace

TEST_CASE("go.sum: one package per module, the last full line's version, go.mod-only lines left out", "[fs][gosum]") {
  const ParseResult r = parse_go_sum(kGoSum, "src/gw/go.sum");
  CHECK(r.errors.empty());
  const auto found = by_purl(r.packages);
  CHECK(found.size() == 3);
  REQUIRE(found.count("pkg:golang/github.com/goburrow/modbus@v0.1.0") == 1);
  CHECK(found.count("pkg:golang/github.com/goburrow/serial@v0.1.0") == 1);
  REQUIRE(found.count("pkg:golang/golang.org/x/sys@v0.13.0") == 1);  // v0.12.0 was only considered
  CHECK(r.skipped == 1);
  const Package& sys = found.at("pkg:golang/golang.org/x/sys@v0.13.0");
  CHECK(sys.location == Location{"src/gw/go.sum", 7, "golang.org/x/sys", {}});
  CHECK(sys.cataloger == "go-sum");
  CHECK(sys.confidence == kGoSumAloneConfidence);
  CHECK(found.at("pkg:golang/github.com/goburrow/modbus@v0.1.0").namespace_ == "github.com/goburrow");
}

TEST_CASE("go.sum: garbage lines are errors naming the line, the rest is kept", "[fs][gosum]") {
  const std::string text = std::string("not a go.sum line\n") +
                           "example.com/a v1.0.0\n"
                           "example.com/b 1.0.0 h1:abc=\n"
                           "example.com/c v1.0.0 sha256:abc\n"
                           "\x01\x02 v1.0.0 h1:x=\n"
                           "\n   \n"
                           "example.com/ok v1.2.3 h1:Zm9v\n"
                           "example.com/d v1.0.0 h1:a= extra\n";
  const ParseResult r = parse_go_sum(text, "go.sum");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].purl == "pkg:golang/example.com/ok@v1.2.3");
  REQUIRE(r.errors.size() == 6);
  CHECK(r.errors[0].to_string() == "go.sum:1: not \"<module> <version> h1:<hash>\"");
  std::set<std::size_t> lines;
  for (const auto& e : r.errors) lines.insert(e.line);
  CHECK(lines == std::set<std::size_t>{1, 2, 3, 4, 5, 9});
}

TEST_CASE("go.sum: every truncation and a huge file of errors parse without a crash", "[fs][gosum]") {
  const std::string text(kGoSum);
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const ParseResult r = parse_go_sum(std::string_view(text).substr(0, n), "go.sum");
    CHECK(r.packages.size() <= 3);
  }
  std::string junk;
  for (int i = 0; i < 20000; ++i) junk += "x\n";
  const ParseResult r = parse_go_sum(junk, "go.sum");
  CHECK(r.errors.size() == ParseResult::kMaxErrors);
  CHECK(r.errors_dropped == 20000 - ParseResult::kMaxErrors);
}

TEST_CASE("go.sum: reconciled with the go.mod beside it as trivy does", "[fs][gosum]") {
  TempDir root("fs-gosum");
  const std::string requires_modbus = "\nrequire github.com/goburrow/modbus v0.1.0\n";
  put(root, "new/go.mod", "module example.com/new\n\ngo 1.21\n" + requires_modbus);
  put(root, "new/go.sum", kGoSum);
  put(root, "old/go.mod", "module example.com/old\n\ngo 1.16\n" + requires_modbus);
  put(root, "old/go.sum", kGoSum);
  put(root, "bare/go.mod", "module example.com/bare\n" + requires_modbus);  // no go directive: before 1.17
  put(root, "bare/go.sum", kGoSum);
  put(root, "alone/go.sum", kGoSum);
  const WalkResult r = walk(root.path.string(), default_catalogers());
  REQUIRE(r.ok);
  std::map<std::string, std::set<std::string>> sums;  // folder -> go-sum purls kept
  for (const auto& p : r.packages) {
    if (p.cataloger != "go-sum") continue;
    const std::string folder = p.location.path.substr(0, p.location.path.find('/'));
    sums[folder].insert(p.purl);
    if (folder == "alone") {
      CHECK(p.properties.at("go.sum-only") == "true");
      CHECK(p.confidence == kGoSumAloneConfidence);
    } else {
      CHECK(p.properties.at("go.indirect") == "true");
      CHECK(p.confidence == kGoSumConfidence);
    }
  }
  const std::set<std::string> indirect{"pkg:golang/github.com/goburrow/serial@v0.1.0",
                                       "pkg:golang/golang.org/x/sys@v0.13.0"};
  CHECK(sums == std::map<std::string, std::set<std::string>>{
                    {"alone", {"pkg:golang/github.com/goburrow/modbus@v0.1.0", "pkg:golang/github.com/goburrow/serial@v0.1.0",
                               "pkg:golang/golang.org/x/sys@v0.13.0"}},
                    {"bare", indirect},
                    {"old", indirect}});
  CHECK(r.counters.at("packages.reconciled") == 3 + 1 + 1);  // new: all three; old and bare: modbus
  std::size_t mods = 0;
  for (const auto& p : r.packages) mods += p.cataloger == "go-mod";
  CHECK(mods == 3 * 2);  // each go.mod: the main module and modbus
}
