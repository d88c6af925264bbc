// .NET dependency manifests: <app>.deps.json, written by the .NET SDK beside every application and
// read by the host to resolve assemblies (spec: https://github.com/dotnet/sdk/blob/main/
// documentation/specs/runtime-configuration-file.md, "deps.json").
//
// Read: "runtimeTarget" {"name"} names the target framework (".NETCoreApp,Version=v8.0");
// "targets"[that name] lists what the application resolves at run time, keyed "Name/Version";
// "libraries" describes each "Name/Version": type ("package" from NuGet, "project" the application
// or a project it references, "reference" and others skipped and counted), sha512, serviceable,
// path. A package is reported for every "package" and "project" library; "project" libraries are
// marked application. Properties: dotnet.type, dotnet.sha512, dotnet.serviceable, dotnet.path,
// dotnet.target (the runtime target when the library is listed in it), dotnet.runtime-target.
// PURL pkg:nuget/<Name>@<Version> (name as written). JSON deeper than kMaxDotnetJsonDepth refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kDotnetDepsCataloger = "dotnet-deps";
inline constexpr double kDotnetDepsConfidence = 0.85;  // what the build resolved; the files ship with it
inline constexpr std::uint64_t kDotnetDepsMaxBytes = 32ull << 20;
inline constexpr int kMaxDotnetJsonDepth = 64;

ParseResult parse_dotnet_deps(std::string_view text, const std::string& file);

}  // namespace herkomst::fs
