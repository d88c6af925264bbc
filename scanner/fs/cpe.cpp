#include "scanner/fs/cpe.hpp"

#include <array>
#include <cctype>

namespace herkomst::fs {

namespace {

// Trailing legal forms removed from a vendor (compared lower-case, after trimming ", " and ".").
constexpr std::array<std::string_view, 22> kCpeLegalForms{
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "gmbh",
    "gmbh & co. kg", "gmbh & co kg", "ag", "se", "sa", "s.a", "kg", "bv", "b.v", "nv", "plc", "ab",
};

std::string lower_ascii(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) out += static_cast<char>(std::tolower(byte));
  }
  return out;
}

std::string_view trim(std::string_view t, std::string_view chars) {
  while (!t.empty() && chars.find(t.front()) != std::string_view::npos) t.remove_prefix(1);
  while (!t.empty() && chars.find(t.back()) != std::string_view::npos) t.remove_suffix(1);
  return t;
}

}  // namespace

std::string cpe_value(std::string_view text) {
  const std::string lowered = lower_ascii(text);
  std::string out;
  bool space = false;
  for (char c : trim(lowered, " \t\r\n")) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isspace(byte) != 0) {
      space = true;
      continue;
    }
    if (byte < 0x21 || byte > 0x7E) continue;  // control characters
    if (space && !out.empty()) out += '_';
    space = false;
    if (std::isalnum(byte) == 0 && c != '_' && c != '.' && c != '-') out += '\\';
    out += c;
  }
  return out;
}

std::string cpe_vendor(std::string_view company) {
  std::string lowered = lower_ascii(company);
  std::string_view rest = trim(lowered, " \t,.");
  for (bool again = true; again;) {
    again = false;
    for (std::string_view form : kCpeLegalForms) {
      if (rest.size() <= form.size() + 1 || rest.substr(rest.size() - form.size()) != form) continue;
      const char before = rest[rest.size() - form.size() - 1];
      if (before != ' ' && before != ',') continue;
      rest = trim(rest.substr(0, rest.size() - form.size()), " \t,.");
      again = true;
      break;
    }
  }
  return cpe_value(rest);
}

std::string cpe23(std::string_view vendor, std::string_view product, std::string_view version, char part) {
  const std::string v = cpe_vendor(vendor);
  const std::string p = cpe_value(product);
  if (v.empty() || p.empty()) return {};
  const std::string version_value = cpe_value(version);
  std::string out = "cpe:2.3:";
  out += part;
  out += ':';
  out += v;
  out += ':';
  out += p;
  out += ':';
  out += version_value.empty() ? std::string_view("*") : std::string_view(version_value);  // '*': ANY
  out += ":*:*:*:*:*:*:*";
  return out;
}

}  // namespace herkomst::fs
