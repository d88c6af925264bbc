#include "scanner/fs/package.hpp"

#include <algorithm>
#include <cctype>

namespace herkomst::fs {

namespace {

std::string_view trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view to_string(Ecosystem ecosystem) {
  switch (ecosystem) {
    case Ecosystem::deb: return "deb";
    case Ecosystem::rpm: return "rpm";
    case Ecosystem::apk: return "apk";
    case Ecosystem::pypi: return "pypi";
    case Ecosystem::npm: return "npm";
    case Ecosystem::maven: return "maven";
    case Ecosystem::nuget: return "nuget";
    case Ecosystem::golang: return "golang";
    case Ecosystem::generic: return "generic";
  }
  return "generic";
}

std::string ParseError::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  out += ": ";
  out += message;
  return out;
}

void ParseResult::error(const std::string& file, std::size_t line, std::string message) {
  if (errors.size() >= kMaxErrors) {
    ++errors_dropped;
    return;
  }
  errors.push_back({file, line, std::move(message)});
}

void ParseResult::add(Package package, std::string_view cataloger, double confidence, Location location) {
  package.cataloger = cataloger;
  package.confidence = confidence;
  package.location = std::move(location);
  package.purl = package_url(package);
  packages.push_back(std::move(package));
}

std::string purl_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 && byte < 0x80) {
      out += c;
    } else if (c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string package_url(std::string_view type, std::string_view namespace_, std::string_view name,
                        std::string_view version, const std::map<std::string, std::string>& qualifiers) {
  std::string out = "pkg:";
  out += ascii_lower(type);
  out += '/';
  std::string_view rest = namespace_;
  while (!rest.empty()) {  // each segment on its own; empty segments dropped
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (!segment.empty()) {
      out += purl_encode(segment);
      out += '/';
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  out += purl_encode(name);
  if (!version.empty()) {
    out += '@';
    out += purl_encode(version);
  }
  std::map<std::string, std::string_view> sorted;  // by the lower-cased key
  for (const auto& [key, value] : qualifiers) {
    if (!value.empty()) sorted.emplace(ascii_lower(key), value);
  }
  char separator = '?';
  for (const auto& [key, value] : sorted) {
    out += separator;
    separator = '&';
    out += key;
    out += '=';
    out += purl_encode(value);
  }
  return out;
}

std::string package_url(const Package& package) {
  const std::string_view type = to_string(package.ecosystem);
  switch (package.ecosystem) {
    case Ecosystem::pypi: {
      std::string name = ascii_lower(package.name);
      std::replace(name.begin(), name.end(), '_', '-');
      return package_url(type, "", name, package.version);
    }
    case Ecosystem::npm:
      return package_url(type, ascii_lower(package.namespace_), ascii_lower(package.name), package.version);
    case Ecosystem::deb:
    case Ecosystem::rpm:
    case Ecosystem::apk:
      return package_url(type, ascii_lower(package.namespace_), package.ecosystem == Ecosystem::rpm ? package.name : ascii_lower(package.name),
                         package.version, {{"arch", package.arch}, {"distro", package.distro}});
    case Ecosystem::golang:  // namespace = the module path up to its last '/'; PURL-TYPES: lower-cased
      return package_url(type, ascii_lower(package.namespace_), ascii_lower(package.name), package.version);
    case Ecosystem::nuget:  // case-insensitive names; the PURL spec keeps them as written
    case Ecosystem::maven:  // namespace = groupId, name = artifactId, both case-sensitive
    case Ecosystem::generic:
      break;
  }
  return package_url(type, package.namespace_, package.name, package.version);
}

std::string display_name(std::string_view vendor_text) {
  std::string_view text = trimmed(vendor_text);
  const auto open = text.find('<');
  if (open != std::string_view::npos) {
    std::string_view name = trimmed(text.substr(0, open));
    if (name.empty()) {
      const auto close = text.find('>', open);
      name = trimmed(text.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1));
    }
    text = name;
  } else if (const auto paren = text.find(" ("); paren != std::string_view::npos) {
    text = trimmed(text.substr(0, paren));  // npm "Name (url)"
  }
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    text = trimmed(text.substr(1, text.size() - 2));
  }
  return std::string(text);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool valid_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return false;
  }
  return true;
}

}  // namespace herkomst::fs
