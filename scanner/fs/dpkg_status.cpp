#include "scanner/fs/dpkg_status.hpp"

#include <sstream>
#include <vector>

#include "scanner/fs/rfc822.hpp"

namespace herkomst::fs {

namespace {

// Debian Policy 5.6.1: lower-case letters, digits, '+', '-', '.'; at least two characters,
// starting with a letter or digit.
bool valid_package_name(std::string_view name) {
  if (name.size() < 2) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '+' && c != '-' && c != '.'))) return false;
  }
  return true;
}

// Debian Policy 5.6.12 in spirit: printable ASCII, no white space.
bool valid_version(std::string_view version) {
  if (version.empty()) return false;
  for (char c : version) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
  }
  return true;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

ParseResult parse_dpkg_status(std::string_view text, const std::string& file, const DpkgOptions& options) {
  ParseResult result;
  for (const HeaderBlock& block : parse_header_blocks(text, file, false, result)) {
    const std::string name = block.first_line("Package");
    if (name.empty()) {
      result.error(file, block.line, "paragraph without a Package field");
      continue;
    }
    if (!valid_package_name(name)) {
      std::string message = "not a Debian package name: ";
      message += name.substr(0, 80);
      result.error(file, block.line, std::move(message));
      continue;
    }
    if (const HeaderField* status = block.find("Status")) {
      const auto w = words(status->value);
      if (w.size() != 3) {
        std::string message = "Status of ";
        message += name;
        message += " is not three words (want flag state)";
        result.error(file, status->line, std::move(message));
        continue;
      }
      if (w[2] != "installed") {
        ++result.skipped;
        continue;
      }
    } else if (options.require_status) {
      std::string message = "no Status field for ";
      message += name;
      result.error(file, block.line, std::move(message));
      continue;
    }
    const std::string version = block.first_line("Version");
    if (!valid_version(version)) {
      std::string message = version.empty() ? "no Version for " : "not a version for ";
      message += name;
      result.error(file, block.line, std::move(message));
      continue;
    }
    Package p;
    p.ecosystem = Ecosystem::deb;
    p.namespace_ = options.vendor;
    p.name = name;
    p.version = version;
    p.arch = block.first_line("Architecture");
    p.supplier = block.first_line("Maintainer");
    if (!p.supplier.empty()) p.supplier_field = "Maintainer";
    result.add(std::move(p), kDpkgStatusCataloger, kDpkgConfidence, {file, block.line, {}, {}});
  }
  return result;
}

}  // namespace herkomst::fs
