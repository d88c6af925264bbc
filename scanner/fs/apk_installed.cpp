#include "scanner/fs/apk_installed.hpp"

#include <optional>

namespace herkomst::fs {

namespace {


struct Paragraph {
  std::size_t line = 0;  // of its first line
  std::optional<std::string> name, version, arch, license, maintainer, origin, url;
};

void finish(Paragraph& paragraph, const std::string& file, const ApkOptions& options, ParseResult& result) {
  if (paragraph.line == 0) return;
  const std::size_t line = paragraph.line;
  Paragraph p = std::move(paragraph);
  paragraph = {};
  if (!p.name) {
    result.error(file, line, "paragraph without a P (name) field");
    return;
  }
  if (!valid_token(*p.name)) {
    std::string message = "not an apk package name: ";
    message += p.name->substr(0, 80);
    result.error(file, line, std::move(message));
    return;
  }
  if (!p.version || !valid_token(*p.version)) {
    std::string message = p.version ? "not a version for " : "no V (version) field for ";
    message += *p.name;
    result.error(file, line, std::move(message));
    return;
  }
  Package package;
  package.ecosystem = Ecosystem::apk;
  package.namespace_ = options.vendor;
  package.name = *p.name;
  package.version = *p.version;
  package.arch = p.arch.value_or("");
  package.license = p.license.value_or("");
  package.supplier = p.maintainer.value_or("");
  if (!package.supplier.empty()) package.supplier_field = "maintainer";
  result.add(std::move(package), kApkInstalledCataloger, kApkConfidence, {file, line, {}, {}});
}

}  // namespace

ParseResult parse_apk_installed(std::string_view text, const std::string& file, const ApkOptions& options) {
  ParseResult result;
  Paragraph paragraph;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      finish(paragraph, file, options, result);
      continue;
    }
    if (paragraph.line == 0) paragraph.line = line_number;
    if (line.size() > kApkMaxLineBytes) {
      std::string message = "line longer than ";
      message += std::to_string(kApkMaxLineBytes);
      message += " bytes, ignored";
      result.error(file, line_number, std::move(message));
      continue;
    }
    if (line.size() < 2 || line[1] != ':') {
      result.error(file, line_number, "not an X:value line");
      continue;
    }
    std::string value(line.substr(2));
    std::optional<std::string>* field = nullptr;
    switch (line[0]) {
      case 'P': field = &paragraph.name; break;
      case 'V': field = &paragraph.version; break;
      case 'A': field = &paragraph.arch; break;
      case 'L': field = &paragraph.license; break;
      case 'm': field = &paragraph.maintainer; break;
      case 'o': field = &paragraph.origin; break;
      case 'U': field = &paragraph.url; break;
      default: break;
    }
    if (!field) continue;
    if (*field) {
      std::string message = "repeated field ";
      message += line[0];
      message += ", the first kept";
      result.error(file, line_number, std::move(message));
      continue;
    }
    *field = std::move(value);
  }
  finish(paragraph, file, options, result);
  return result;
}

}  // namespace herkomst::fs
