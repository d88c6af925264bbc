// Vendor SBOM import: format detection, bounded JSON parsing, dispatch to the readers. See
// sbom_import.hpp; specs https://cyclonedx.org/docs/1.6/json/ and
// https://spdx.github.io/spdx-spec/v2.3/
#include "scanner/fs/sbom_import.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "scanner/fs/cyclonedx_import.hpp"
#include "scanner/fs/sbom_json.hpp"
#include "scanner/fs/spdx_import.hpp"

namespace herkomst::fs {

namespace {

using nlohmann::json;

struct TooDeep {};

constexpr std::array<std::pair<std::string_view, Ecosystem>, 8> kPurlTypes{{
    {"deb", Ecosystem::deb},
    {"rpm", Ecosystem::rpm},
    {"apk", Ecosystem::apk},
    {"pypi", Ecosystem::pypi},
    {"npm", Ecosystem::npm},
    {"maven", Ecosystem::maven},
    {"nuget", Ecosystem::nuget},
    {"golang", Ecosystem::golang},
}};

void refuse(SbomImport& out, const std::string& file, std::string message) {
  out.ok = false;
  out.result.error(file, 0, std::move(message));
}

// Parses with the nesting bounded (nlohmann's parser is iterative; the callback stops it before
// a deep document costs memory).
std::optional<json> parse_bounded(std::string_view bytes, const std::string& file, SbomImport& out) {
  try {
    json::parser_callback_t bound = [](int depth, json::parse_event_t, json&) {
      if (depth > kMaxSbomDepth) throw TooDeep{};
      return true;
    };
    return json::parse(bytes.begin(), bytes.end(), bound);
  } catch (const TooDeep&) {
    std::string message = "JSON nested deeper than ";
    message += std::to_string(kMaxSbomDepth);
    refuse(out, file, std::move(message));
  } catch (const json::parse_error& e) {
    std::string message = "not valid JSON (byte ";
    message += std::to_string(std::min<std::size_t>(e.byte, bytes.size()));
    message += ")";
    refuse(out, file, std::move(message));
  }
  return std::nullopt;
}

}  // namespace

Ecosystem ecosystem_of_purl(std::string_view purl) {
  if (purl.substr(0, 4) != "pkg:") return Ecosystem::generic;
  std::string_view type = purl.substr(4);
  type = type.substr(0, type.find('/'));
  std::string lower;
  for (char c : type) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const auto& [name, ecosystem] : kPurlTypes)
    if (lower == name) return ecosystem;
  return Ecosystem::generic;
}

SbomImport import_sbom(std::string_view bytes, const std::string& file) {
  SbomImport out;
  if (bytes.size() > kMaxSbomBytes) {
    refuse(out, file, "larger than 256 MiB");
    return out;
  }
  const auto first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string_view::npos && bytes[first] == '<') {
    refuse(out, file, "XML SBOMs are not read (CycloneDX JSON 1.4-1.6 and SPDX 2.3 JSON are)");
    return out;
  }
  std::optional<json> doc = parse_bounded(bytes, file, out);
  if (!doc) return out;
  if (!doc->is_object()) {
    refuse(out, file, "/: not a JSON object");
    return out;
  }
  if (doc->contains("bomFormat")) {
    read_cyclonedx(*doc, file, out);
  } else if (doc->contains("spdxVersion")) {
    read_spdx(*doc, file, out);
  } else {
    refuse(out, file, "neither a CycloneDX (bomFormat) nor an SPDX (spdxVersion) JSON document");
  }
  return out;
}

}  // namespace herkomst::fs
