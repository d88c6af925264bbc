// Go modules declared in source trees: **/go.mod (https://go.dev/ref/mod#go-mod-file). The
// `module` directive names the main module (reported as the application; its `go` directive kept
// as the property "go.directive", which go_sum.hpp needs), every `require`
// (single-line or in a block, direct and "// indirect") a dependency at the version the module
// requires. `replace` directives that point a module at another module and version are applied
// (one pointing at a local directory, "=> ../x", keeps the required version and records the
// directory); `exclude` and `retract` are read past. Versions are kept as Go writes them ("v1.2.3",
// pseudo-versions "v0.0.0-2022...-403b01795ae8"). PURL pkg:golang/<path up to its last '/'>/
// <last element>@<version>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kGoModCataloger = "go-mod";
inline constexpr double kGoModConfidence = 0.8;  // declared, not proof of a build that uses it
inline constexpr std::uint64_t kGoModMaxBytes = 4ull << 20;

ParseResult parse_go_mod(std::string_view text, const std::string& file);

// Splits a Go module path for its PURL: "golang.org/x/net" -> namespace "golang.org/x", name "net".
void set_go_module(Package& package, std::string_view module_path);

}  // namespace herkomst::fs
