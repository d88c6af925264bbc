#include "scanner/protocols/identity.hpp"

#include <algorithm>

namespace herkomst::protocols {

std::string sanitize_text(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  std::size_t end = bytes.size();
  while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) --end;
  std::string out;
  out.reserve(std::min(end, max_bytes));
  const std::string_view replacement = "\xEF\xBF\xBD";
  std::size_t i = 0;
  while (i < end) {
    const std::uint8_t b = bytes[i];
    std::size_t len = 0;
    if (b < 0x80) len = 1;
    else if ((b & 0xE0) == 0xC0 && b >= 0xC2) len = 2;
    else if ((b & 0xF0) == 0xE0) len = 3;
    else if ((b & 0xF8) == 0xF0 && b <= 0xF4) len = 4;
    bool valid = len > 0 && i + len <= end;
    for (std::size_t k = 1; valid && k < len; ++k) valid = (bytes[i + k] & 0xC0) == 0x80;
    if (valid && len == 3) {  // no overlongs, no surrogates
      const std::uint8_t b1 = bytes[i + 1];
      valid = !(b == 0xE0 && b1 < 0xA0) && !(b == 0xED && b1 >= 0xA0);
    }
    if (valid && len == 4) {
      const std::uint8_t b1 = bytes[i + 1];
      valid = !(b == 0xF0 && b1 < 0x90) && !(b == 0xF4 && b1 >= 0x90);
    }
    const bool control = valid && len == 1 && (b < 0x20 || b == 0x7F);
    const std::size_t add = (valid && !control) ? len : replacement.size();
    if (out.size() + add > max_bytes) break;
    if (valid && !control)
      out.append(reinterpret_cast<const char*>(bytes.data() + i), len);
    else
      out.append(replacement);
    i += valid ? len : 1;
  }
  return out;
}

std::string sanitize_text(std::string_view text, std::size_t max_bytes) {
  return sanitize_text(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                       max_bytes);
}

Identity make_identity(std::string signal, std::vector<Field> fields, bool about_sender) {
  Identity id;
  id.signal = std::move(signal);
  id.about_sender = about_sender;
  fields.erase(std::remove_if(fields.begin(), fields.end(),
                              [](const Field& f) {
                                const auto* s = std::get_if<std::string>(&f.value);
                                return s && s->empty();
                              }),
               fields.end());
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.name == b.name; }),
               fields.end());
  id.fields = std::move(fields);
  return id;
}

void set_stream_outcome(IdentityResult& result, bool any_message) {
  if (!result.identities.empty()) result.outcome = DecodeOutcome::identified;
  else if (any_message) result.outcome = DecodeOutcome::no_identity;
  else result.outcome = DecodeOutcome::need_more;
}

}  // namespace herkomst::protocols
