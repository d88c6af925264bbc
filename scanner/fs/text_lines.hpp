// Line-by-line reading of a text file held in memory, for the catalogers' parsers.
#pragma once

#include <string_view>

namespace herkomst::fs {

// Removes the first line of `text` (up to and including '\n', or all of it when there is none)
// and returns it without the '\n'; a '\r' before it is kept, for the caller to treat.
inline std::string_view pop_line(std::string_view& text) {
  const auto newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  return line;
}

}  // namespace herkomst::fs
