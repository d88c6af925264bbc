#include <catch2/catch.hpp>

#include <algorithm>

#include "scanner/fs/go_mod.hpp"

using namespace herkomst::fs;

namespace {

constexpr std::string_view kGoMod = R"(module github.com/Example/scada-gateway

go 1.21

require github.com/spf13/cobra v1.8.0

require (
	golang.org/x/net v0.0.0-20230214200805-d99f623d45a4
	github.com/gopcua/opcua v0.5.3 // indirect
	example.com/local v1.0.0
	"example.com/quoted" v2.0.0+incompatible
)

replace github.com/gopcua/opcua => github.com/fork/opcua v0.5.4
replace example.com/local v1.0.0 => ../local

exclude golang.org/x/net v0.1.0
)";

const Package* find(const ParseResult& r, std::string_view name) {
  const auto it = std::find_if(r.packages.begin(), r.packages.end(), [&](const Package& p) { return p.name == name; });
  return it == r.packages.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("go.mod: main module, requires in and out of blocks, replacements", "[fs][go-mod]") {
  const ParseResult r = parse_go_mod(kGoMod, "src/gw/go.mod");
  for (const auto& e : r.errors) INFO(e.to_string());
  REQUIRE(r.errors.empty());
  REQUIRE(r.packages.size() == 6);
  const Package& main = r.packages[0];
  CHECK(main.application);
  CHECK(main.purl == "pkg:golang/github.com/example/scada-gateway");
  CHECK(main.location.line == 1);
  CHECK(find(r, "cobra")->purl == "pkg:golang/github.com/spf13/cobra@v1.8.0");
  CHECK(find(r, "net")->purl == "pkg:golang/golang.org/x/net@v0.0.0-20230214200805-d99f623d45a4");
  const Package* fork = find(r, "opcua");
  REQUIRE(fork);
  CHECK(fork->purl == "pkg:golang/github.com/fork/opcua@v0.5.4");
  CHECK(fork->properties.at("go.replaces") == "github.com/gopcua/opcua@v0.5.3");
  CHECK(fork->properties.at("go.indirect") == "true");
  const Package* local = find(r, "local");
  REQUIRE(local);
  CHECK(local->version == "v1.0.0");
  CHECK(local->properties.at("go.replaced-by-directory") == "../local");
  CHECK(find(r, "quoted")->purl == "pkg:golang/example.com/quoted@v2.0.0%2Bincompatible");
  CHECK(find(r, "cobra")->location.line == 5);
}

TEST_CASE("go.mod: malformed directives are errors naming the line, the rest is kept", "[fs][go-mod]") {
  const ParseResult r = parse_go_mod("module a/b\nrequire x\nrequire (\n c/d v1\n", "go.mod");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].to_string() == "go.mod:2: require without a module path and version");
  CHECK(r.errors[1].message == "unterminated require block");
  CHECK(r.packages.size() == 2);
  CHECK(parse_go_mod("go 1.20\n", "go.mod").errors.at(0).message == "no module directive");
  CHECK(parse_go_mod("", "go.mod").packages.empty());
}

TEST_CASE("go.mod: every truncation parses without a crash", "[fs][go-mod]") {
  for (std::size_t n = 0; n <= kGoMod.size(); ++n) {
    const ParseResult r = parse_go_mod(kGoMod.substr(0, n), "go.mod");
    CHECK(r.packages.size() <= 6);
  }
}
