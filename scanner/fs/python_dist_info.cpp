#include "scanner/fs/python_dist_info.hpp"

#include "scanner/fs/rfc822.hpp"

namespace herkomst::fs {

namespace {

constexpr std::size_t kMaxLicenseLength = 200;  // longer "License" values are whole licence texts

bool printable_token(std::string_view text) {
  if (text.empty() || text.size() > 200) return false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  return true;
}

std::string declared_license(const HeaderBlock& block) {
  if (std::string e = block.first_line("License-Expression"); !e.empty()) return e;
  if (const HeaderField* l = block.find("License")) {
    if (l->value.find('\n') == std::string::npos && l->value.size() <= kMaxLicenseLength && l->value != "UNKNOWN")
      return l->value;
  }
  std::string out;
  constexpr std::string_view kPrefix = "License :: OSI Approved :: ";
  for (const HeaderField* c : block.all("Classifier")) {
    if (c->value.rfind(kPrefix, 0) != 0) continue;
    if (!out.empty()) out += " OR ";
    out += c->value.substr(kPrefix.size());
  }
  return out;
}

}  // namespace

ParseResult parse_python_metadata(std::string_view text, const std::string& file) {
  ParseResult result;
  const auto blocks = parse_header_blocks(text, file, true, result);
  if (blocks.empty()) {
    result.error(file, 0, "no metadata headers");
    return result;
  }
  const HeaderBlock& block = blocks.front();
  const std::string name = block.first_line("Name");
  const std::string version = block.first_line("Version");
  if (!printable_token(name) || name.find(' ') != std::string::npos) {
    result.error(file, block.line, name.empty() ? "no Name header" : "not a distribution name");
    return result;
  }
  if (!printable_token(version) || version.find(' ') != std::string::npos) {
    std::string message = version.empty() ? "no Version header for " : "not a version for ";
    message += name;
    result.error(file, block.line, std::move(message));
    return result;
  }
  Package p;
  p.ecosystem = Ecosystem::pypi;
  p.name = name;
  p.version = version;
  for (const char* field : {"Author", "Author-email", "Maintainer", "Maintainer-email"}) {
    std::string value = block.first_line(field);
    if (value.empty() || value == "UNKNOWN") continue;
    p.supplier = std::move(value);
    p.supplier_field = field;
    break;
  }
  p.license = declared_license(block);
  result.add(std::move(p), kPythonCataloger, kPythonConfidence, {file, block.line, {}, {}});
  return result;
}

}  // namespace herkomst::fs
