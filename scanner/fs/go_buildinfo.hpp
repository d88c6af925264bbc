// Go binaries: the build information the Go linker embeds in every executable built with module
// support (Go >= 1.18 form), the data `go version -m` prints. In an ELF file it is the section
// ".go.buildinfo" (found by elf_sections.hpp, reading only the headers); of it at most
// kGoBuildinfoReadBytes are read. At a 16-byte aligned offset it starts with the 14-byte magic
// "\xff Go buildinf:", then the pointer size and a flags byte; when flags & 2, two strings, each
// prefixed by its length as an unsigned varint, follow at offset 32: the Go toolchain version and
// the module information, framed by 16 bytes at each end. The module information is lines of
// tab-separated fields (https://pkg.go.dev/runtime/debug#BuildInfo, and the layout read by Go's
// src/debug/buildinfo/buildinfo.go):
//   path  <main package>            mod <path> <version> <sum>     dep <path> <version> [<sum>]
//   =>    <path> <version> [<sum>]  (replaces the mod/dep line before it)
//   build <key>=<value>             (-compiler, CGO_ENABLED, GOOS, GOARCH, vcs.revision, ...)
// The main module is reported as the application, every dep as a package; a dep replaced by
// another module is reported as the replacement (go.replaces = the original path@version), one
// replaced by a local directory keeps its required version and records the directory
// (go.replaced-by-directory), as the go-mod cataloger does. The Go standard library is not
// reported. The older pointer-based form (before Go 1.18, flags & 2 == 0) is not read: such a
// file is counted as skipped. Windows PE files (.exe) built by Go are read too: the build info is
// searched in the first kGoBuildinfoReadBytes of their .data section (headers by pe_file.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kGoBinaryCataloger = "go-binary";
inline constexpr double kGoBinaryConfidence = 0.9;  // written by the linker that built it
inline constexpr std::uint64_t kGoBinaryMaxBytes = 4ull << 30;
inline constexpr std::size_t kGoBuildinfoReadBytes = 64u << 10;

// The packages of an ELF or PE file's embedded Go build information; none (and no error) for a
// file that is not a Go binary. Broken PE headers give nothing here (pe-version-info reports them).
ParseResult parse_go_binary(const FileReader& file, const std::string& path);

// The packages of the module information text (the frame already removed), built by `go_version`.
ParseResult parse_go_modinfo(std::string_view go_version, std::string_view modinfo, const std::string& path);

}  // namespace herkomst::fs
