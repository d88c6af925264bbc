# Embeds a text data file into the binary, so herkomst works from any folder.
#
#   cmake -DINPUT=file.tsv -DOUTPUT=file.cpp -DNAMESPACE=herkomst::fingerprints::embedded
#         -DFUNCTION=iso3166_1_alpha2_tsv -P embed_text.cmake
#
# writes OUTPUT defining `std::string_view NAMESPACE::FUNCTION()` that returns the bytes of INPUT
# unchanged. Every byte becomes a \xHH escape, so any content (quotes, backslashes, UTF-8) is
# safe. The data file stays the source of truth: the generated file is never committed.
# OUTPUT is only rewritten when its content changes (no needless rebuilds).
foreach(var INPUT OUTPUT NAMESPACE FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_text.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
set(body "")
set(chunk 64)  # hex digits per generated line (32 bytes)
set(pos 0)
while(pos LESS hex_length)
  string(SUBSTRING "${hex}" ${pos} ${chunk} piece)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" piece "${piece}")
  string(APPEND body "    \"${piece}\"\n")
  math(EXPR pos "${pos} + ${chunk}")
endwhile()
if(body STREQUAL "")
  set(body "    \"\"\n")
endif()
math(EXPR byte_count "${hex_length} / 2")
get_filename_component(input_name "${INPUT}" NAME)

set(text "// Generated from ${input_name} by embed_text.cmake: do not edit.
#include <string_view>

namespace ${NAMESPACE} {

std::string_view ${FUNCTION}() {
  static constexpr char kData[] =
${body}  ;
  static_assert(sizeof kData == ${byte_count} + 1);
  return std::string_view(kData, sizeof kData - 1);
}

}  // namespace ${NAMESPACE}
")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
