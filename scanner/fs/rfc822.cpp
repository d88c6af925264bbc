#include "scanner/fs/rfc822.hpp"

#include <cctype>

namespace herkomst::fs {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool valid_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;  // printable ASCII, no space (RFC 5322 ftext)
  }
  return true;
}

}  // namespace

const HeaderField* HeaderBlock::find(std::string_view name) const {
  for (const auto& f : fields) {
    if (same_name(f.name, name)) return &f;
  }
  return nullptr;
}

std::string HeaderBlock::value(std::string_view name) const {
  const HeaderField* f = find(name);
  return f ? f->value : std::string();
}

std::string HeaderBlock::first_line(std::string_view name) const {
  const HeaderField* f = find(name);
  if (!f) return {};
  return std::string(trim(std::string_view(f->value).substr(0, f->value.find('\n'))));
}

std::vector<const HeaderField*> HeaderBlock::all(std::string_view name) const {
  std::vector<const HeaderField*> out;
  for (const auto& f : fields) {
    if (same_name(f.name, name)) out.push_back(&f);
  }
  return out;
}

std::vector<HeaderBlock> parse_header_blocks(std::string_view text, const std::string& file, bool first_only,
                                             ParseResult& result) {
  std::vector<HeaderBlock> blocks;
  bool in_block = false;
  bool skipping_bad_field = false;  // continuation lines of a line already reported
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (blank(line)) {
      if (in_block && first_only) break;
      in_block = false;
      skipping_bad_field = false;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (skipping_bad_field) continue;
      if (!in_block || blocks.back().fields.empty()) {
        result.error(file, line_no, "continuation line outside a field");
        skipping_bad_field = true;
        continue;
      }
      HeaderField& field = blocks.back().fields.back();
      field.value += '\n';
      field.value += trim(line);
      continue;
    }
    if (!in_block && line.front() == '#') continue;

    const auto colon = line.find(':');
    const std::string_view name = colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
    if (!valid_field_name(name)) {
      result.error(file, line_no, colon == std::string_view::npos ? "not a field (no ':')" : "not a field name");
      skipping_bad_field = true;
      continue;
    }
    skipping_bad_field = false;
    if (!in_block) {
      blocks.push_back({line_no, {}});
      in_block = true;
    }
    blocks.back().fields.push_back({std::string(name), std::string(trim(line.substr(colon + 1))), line_no});
  }
  return blocks;
}

}  // namespace herkomst::fs
