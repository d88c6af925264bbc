// The .NET deps.json cataloger over a deps.json in the shape the .NET 8 SDK writes, and malformed ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/dotnet_deps.hpp"

using namespace herkomst::fs;

namespace {

constexpr std::string_view kDeps = R"({
  "runtimeTarget": { "name": ".NETCoreApp,Version=v8.0", "signature": "" },
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "HmiGateway/2.1.0": {
        "dependencies": { "Newtonsoft.Json": "13.0.3", "Opc.Ua.Core": "1.4.372.56" },
        "runtime": { "HmiGateway.dll": {} }
      },
      "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} } },
      "Opc.Ua.Core/1.4.372.56": { "runtime": { "lib/net8.0/Opc.Ua.Core.dll": {} } }
    }
  },
  "libraries": {
    "HmiGateway/2.1.0": { "type": "project", "serviceable": false, "sha512": "" },
    "Newtonsoft.Json/13.0.3": {
      "type": "package", "serviceable": true,
      "sha512": "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
      "path": "newtonsoft.json/13.0.3", "hashPath": "newtonsoft.json.13.0.3.nupkg.sha512"
    },
    "Opc.Ua.Core/1.4.372.56": { "type": "package", "serviceable": true, "sha512": "sha512-abc=", "path": "opc.ua.core/1.4.372.56" },
    "System.Runtime/4.3.0": { "type": "reference", "serviceable": false, "sha512": "" }
  }
})";

std::map<std::string, const Package*> by_purl(const ParseResult& r) {
  std::map<std::string, const Package*> out;
  for (const auto& p : r.packages) out[p.purl] = &p;
  return out;
}

}  // namespace

TEST_CASE("dotnet deps.json: project and packages, sha512, serviceable, runtime target", "[fs][dotnet]") {
  const auto r = parse_dotnet_deps(kDeps, "srv/hmi/HmiGateway.deps.json");
  CHECK(r.errors.empty());
  CHECK(r.skipped == 1);  // the "reference"
  const auto found = by_purl(r);
  REQUIRE(found.size() == 3);
  REQUIRE(found.count("pkg:nuget/HmiGateway@2.1.0"));
  const Package& app = *found.at("pkg:nuget/HmiGateway@2.1.0");
  CHECK(app.application);
  CHECK(app.ecosystem == Ecosystem::nuget);
  CHECK(app.properties.at("dotnet.type") == "project");
  CHECK(app.properties.count("dotnet.sha512") == 0);
  REQUIRE(found.count("pkg:nuget/Newtonsoft.Json@13.0.3"));
  const Package& nj = *found.at("pkg:nuget/Newtonsoft.Json@13.0.3");
  CHECK_FALSE(nj.application);
  CHECK(nj.name == "Newtonsoft.Json");
  CHECK(nj.version == "13.0.3");
  CHECK(nj.properties.at("dotnet.sha512").rfind("sha512-HrC5", 0) == 0);
  CHECK(nj.properties.at("dotnet.serviceable") == "true");
  CHECK(nj.properties.at("dotnet.path") == "newtonsoft.json/13.0.3");
  CHECK(nj.properties.at("dotnet.target") == ".NETCoreApp,Version=v8.0");
  CHECK(nj.cataloger == "dotnet-deps");
  CHECK(nj.location.path == "srv/hmi/HmiGateway.deps.json");
  CHECK(nj.location.entry == "Newtonsoft.Json/13.0.3");
  CHECK(found.count("pkg:nuget/Opc.Ua.Core@1.4.372.56"));
}

TEST_CASE("dotnet deps.json: a library absent from the runtime target carries no dotnet.target", "[fs][dotnet]") {
  const auto r = parse_dotnet_deps(R"({"libraries":{"A/1.0":{"type":"package"}}})", "a.deps.json");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.count("dotnet.target") == 0);
  CHECK(r.packages[0].purl == "pkg:nuget/A@1.0");
}

TEST_CASE("dotnet deps.json: malformed input gives errors naming the file", "[fs][dotnet]") {
  for (const std::string_view bad : {std::string_view("{"), std::string_view("[]"), std::string_view("{}"),
                                     std::string_view(R"({"libraries":[]})"), std::string_view("")}) {
    const auto r = parse_dotnet_deps(bad, "x.deps.json");
    CHECK(r.packages.empty());
    REQUIRE_FALSE(r.errors.empty());
    CHECK(r.errors[0].file == "x.deps.json");
  }
  const auto r = parse_dotnet_deps(
      R"({"libraries":{"NoVersion":{"type":"package"},"Bad Name/1.0":{"type":"package"},"X/":{"type":"package"},"Y/2":7,"Ok/1.0":{"type":"package"}}})",
      "x.deps.json");
  CHECK(r.errors.size() == 4);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "Ok");
  std::string deep(200, '[');
  deep.insert(0, "{\"libraries\":");
  const auto d = parse_dotnet_deps(deep, "deep.deps.json");
  CHECK(d.packages.empty());
  CHECK_FALSE(d.errors.empty());
  // every truncation of a valid file is an error or a subset, never a crash
  for (std::size_t n = 0; n < kDeps.size(); n += 7) {
    const auto t = parse_dotnet_deps(kDeps.substr(0, n), "t.deps.json");
    CHECK(t.packages.size() <= 3);
  }
}

TEST_CASE("dotnet deps.json: registered, matching *.deps.json", "[fs][dotnet]") {
  const auto all = default_catalogers();
  const auto it = std::find_if(all.begin(), all.end(), [](const Cataloger& c) { return c.name == "dotnet-deps"; });
  REQUIRE(it != all.end());
  CHECK(glob_match(it->globs.at(0), "Program Files/Vendor/HmiGateway.deps.json"));
}
