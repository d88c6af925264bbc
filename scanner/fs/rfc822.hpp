// Header blocks in the RFC 822 style shared by dpkg's status file (deb822 paragraphs, Debian
// Policy 5.1) and Python's core metadata (METADATA, PKG-INFO: email headers, RFC 822/5322):
//
//   Name: value
//    continuation (a line starting with a space or a tab)
//
// Blocks are separated by blank lines (a line of only white space counts as blank). Field names
// compare case-insensitively. A '\r' before '\n' is dropped. Lines starting with '#' outside a
// block are comments (deb822). Errors name the file and line; a bad line is skipped, not fatal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/fs/package.hpp"

namespace herkomst::fs {

struct HeaderField {
  std::string name;
  std::string value;  // first line trimmed; each continuation line added after '\n', left-trimmed
  std::size_t line = 0;
};

struct HeaderBlock {
  std::size_t line = 0;  // where the block starts
  std::vector<HeaderField> fields;

  // The first field of that name (case-insensitive), nullptr when absent.
  const HeaderField* find(std::string_view name) const;
  // Its value, "" when absent.
  std::string value(std::string_view name) const;
  // The first line of its value, trimmed ("" when absent).
  std::string first_line(std::string_view name) const;
  // Every field of that name, in order (Classifier, Requires-Dist, ...).
  std::vector<const HeaderField*> all(std::string_view name) const;
};

// Splits `text` into header blocks. `first_only`: stop after the first block (what follows the
// first blank line is a message body, e.g. a METADATA long description). Errors go to `result`.
std::vector<HeaderBlock> parse_header_blocks(std::string_view text, const std::string& file, bool first_only,
                                             ParseResult& result);

}  // namespace herkomst::fs
