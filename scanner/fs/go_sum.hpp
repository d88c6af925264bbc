// Go module checksums: **/go.sum (https://go.dev/ref/mod#go-sum-files). Each line is
// "<module> <version>[/go.mod] <hash>"; a version with only a "/go.mod" line had its go.mod read
// for minimal version selection and its code never downloaded, so it is not a package here. A
// go.sum keeps the versions of every module the build graph ever considered, not only the one
// selected: per module the last full line is kept (the go command writes go.sum sorted by module
// and semantic version, so that is the highest), as trivy's go.sum parser keeps the last.
//
// How it combines with the go.mod beside it (combine_go_sum, run after the walk), as trivy's
// gomod analyzer does (https://trivy.dev/docs/latest/guide/coverage/language/golang/ "Go
// Modules": Go 1.17+ go.mod lists every module needed, direct and indirect; before 1.17, go.mod
// the direct ones and go.sum the indirect, "even not needed for compiling"):
//  - go.mod with `go 1.17` or later: go.sum adds nothing (its entries are dropped);
//  - go.mod older or without a `go` directive: go.sum's modules that go.mod does not require are
//    kept as indirect dependencies ("go.indirect"), at kGoSumConfidence;
//  - no go.mod in the folder (trivy reports nothing then): every entry is kept at
//    kGoSumAloneConfidence with the property "go.sum-only", weak evidence rather than none.
// PURL pkg:golang/<module>@<version>, as go-mod's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kGoSumCataloger = "go-sum";
inline constexpr double kGoSumConfidence = 0.5;       // an indirect dependency of a pre-1.17 module
inline constexpr double kGoSumAloneConfidence = 0.3;  // a go.sum without its go.mod
inline constexpr std::uint64_t kGoSumMaxBytes = 16ull << 20;

ParseResult parse_go_sum(std::string_view text, const std::string& file);

// Reconciles go-sum packages with the go-mod packages of the same folder (see above); the other
// packages are left as they are, in their order.
void combine_go_sum(std::vector<Package>& packages);

}  // namespace herkomst::fs
