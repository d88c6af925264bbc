#include "scanner/protocols/ssdp.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::protocols {
namespace {

constexpr std::size_t kMaxBlock = 8192;
constexpr std::size_t kMaxHeaders = 64;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

enum class Kind { none, notify, search, response };

Kind kind_of(std::string_view start) {
  if (start == "NOTIFY * HTTP/1.1") return Kind::notify;
  if (start == "M-SEARCH * HTTP/1.1") return Kind::search;
  if (start.size() >= 12 && start.substr(0, 7) == "HTTP/1." && start.substr(8, 4) == " 200" &&
      (start.size() == 12 || start[12] == ' '))
    return Kind::response;
  return Kind::none;
}

}  // namespace

IdentityResult decode_ssdp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  // Content check on the first bytes, before any line end is known.
  constexpr std::string_view kStarts[] = {"NOTIFY * ", "M-SEARCH * ", "HTTP/1."};
  bool plausible = false;
  for (std::string_view s : kStarts)
    if (text.substr(0, s.size()) == s) plausible = true;
  if (!plausible) return result;
  const std::size_t eol = text.find('\n');
  if (eol == std::string_view::npos) {
    result.outcome = DecodeOutcome::malformed;
    result.error = "ssdp: start line without line end (" + std::to_string(payload.size()) + " bytes)";
    return result;
  }
  const Kind kind = kind_of(trim(text.substr(0, eol)));
  if (kind == Kind::none) return result;

  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::size_t p = eol + 1;
  while (p < text.size()) {
    if (p > kMaxBlock) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "ssdp: header block exceeds " + std::to_string(kMaxBlock) + " bytes";
      return result;
    }
    std::size_t end = text.find('\n', p);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(p, end - p));
    p = end + 1;
    if (line.empty()) break;  // end of headers (a body, if any, is ignored)
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    if (headers.size() < kMaxHeaders) headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  auto header = [&](std::string_view name) -> std::string_view {
    for (const auto& [n, v] : headers)
      if (iequals(n, name)) return v;
    return {};
  };
  std::vector<Field> fields;
  if (kind == Kind::search) {
    std::string_view agent = header("USER-AGENT");
    if (agent.empty()) agent = header("X-User-Agent");
    if (agent.empty()) {
      result.outcome = DecodeOutcome::no_identity;
      return result;
    }
    fields.push_back({"user.agent", sanitize_text(agent, 512)});
    fields.push_back({"st", sanitize_text(header("ST"), 512)});
    result.outcome = DecodeOutcome::identified;
    result.identities.push_back(make_identity("ssdp.search", std::move(fields)));
    return result;
  }
  fields.push_back({"server", sanitize_text(header("SERVER"), 512)});
  fields.push_back({"location", sanitize_text(header("LOCATION"), 512)});
  fields.push_back({"usn", sanitize_text(header("USN"), 512)});
  fields.push_back({"nt", sanitize_text(header("NT"), 512)});
  fields.push_back({"st", sanitize_text(header("ST"), 512)});
  fields.push_back({"nts", sanitize_text(header("NTS"), 64)});
  fields.push_back({"cache.control", sanitize_text(header("CACHE-CONTROL"), 64)});
  Identity id = make_identity("ssdp.advertisement", std::move(fields));
  if (id.fields.empty()) {
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(std::move(id));
  return result;
}

}  // namespace herkomst::protocols
