#include "scanner/protocols/http.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::protocols {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::array<std::string_view, 13> kMethods = {"GET",      "POST",      "HEAD",        "PUT",   "DELETE",
                                                        "OPTIONS",  "PATCH",     "CONNECT",     "TRACE", "PROPFIND",
                                                        "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY"};
constexpr std::size_t kMaxHeaders = 128;
constexpr std::size_t kMaxChunkLine = 1024;
constexpr std::uint64_t kMaxLength = std::uint64_t{1} << 40;

std::string_view as_text(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Whether `rest` can be the start of a message from this side.
bool plausible_start(std::string_view rest, bool from_server) {
  if (from_server) {
    constexpr std::string_view kPrefix = "HTTP/1.";
    const std::size_t n = rest.size() < kPrefix.size() ? rest.size() : kPrefix.size();
    return rest.substr(0, n) == kPrefix.substr(0, n);
  }
  for (std::string_view method : kMethods) {
    const std::string candidate = std::string(method) + " ";
    const std::size_t n = rest.size() < candidate.size() ? rest.size() : candidate.size();
    if (rest.substr(0, n) == std::string_view(candidate).substr(0, n)) return true;
  }
  return false;
}

// Collapses whitespace runs (CR, LF, TAB, blanks) to one blank.
std::string collapse(std::string_view s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

std::string title_of(std::string_view body) {
  const std::size_t open = ifind(body, "<title");
  if (open == std::string_view::npos) return {};
  const std::size_t gt = body.find('>', open);
  if (gt == std::string_view::npos) return {};
  std::size_t close = ifind(body, "</title", gt + 1);
  if (close == std::string_view::npos) close = body.size();
  std::string_view inner = body.substr(gt + 1, close - gt - 1);
  if (inner.size() > 1024) inner = inner.substr(0, 1024);
  return sanitize_text(collapse(inner));
}

// realm="..." (quoted-string, backslash escapes) or realm=token, in a WWW-Authenticate value.
std::string realm_of(std::string_view value) {
  const std::size_t at = ifind(value, "realm=");
  if (at == std::string_view::npos) return {};
  std::string_view rest = value.substr(at + 6);
  std::string out;
  if (!rest.empty() && rest.front() == '"') {
    for (std::size_t i = 1; i < rest.size() && out.size() < 512; ++i) {
      if (rest[i] == '"') break;
      if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
      out.push_back(rest[i]);
    }
  } else {
    for (char c : rest) {
      if (c == ',' || c == ' ' || c == '\t') break;
      out.push_back(c);
    }
  }
  return sanitize_text(out);
}

struct Head {
  bool ok = false;
  std::string error;
  std::size_t size = 0;  // start line + headers + empty line
  int status = 0;
  std::string method;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Parses the start line and header fields of the header block `block` (without the empty line).
Head parse_head(std::string_view block, bool from_server) {
  Head head;
  std::size_t line_end = block.find('\n');
  std::string_view start = trim(block.substr(0, line_end));
  if (from_server) {
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (start.size() < 12 || start.substr(0, 7) != "HTTP/1." || start[7] < '0' || start[7] > '9' || start[8] != ' ' ||
        !all_digits(start.substr(9, 3)) || (start.size() > 12 && start[12] != ' ')) {
      head.error = "http: status line \"" + sanitize_text(start, 64) + "\" is not HTTP/1.x SP code";
      return head;
    }
    head.status = (start[9] - '0') * 100 + (start[10] - '0') * 10 + (start[11] - '0');
  } else {
    const std::size_t sp1 = start.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : start.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp2 == sp1 + 1 || start.substr(sp2 + 1, 7) != "HTTP/1." ||
        start.size() != sp2 + 9) {
      head.error = "http: request line \"" + sanitize_text(start, 64) + "\" is not METHOD SP target SP HTTP/1.x";
      return head;
    }
    head.method = std::string(start.substr(0, sp1));
  }
  while (line_end != std::string_view::npos && line_end + 1 < block.size()) {
    const std::size_t from = line_end + 1;
    line_end = block.find('\n', from);
    const std::string_view line = block.substr(from, line_end == std::string_view::npos ? line_end : line_end - from);
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;  // obs-fold: ignored
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    if (head.headers.size() >= kMaxHeaders) break;
    head.headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  head.ok = true;
  return head;
}

enum class Framing { none, length, chunked, close };

struct Body {
  enum class State { complete, incomplete, error } state = State::incomplete;
  std::size_t size = 0;  // encoded size when complete
  std::string window;    // decoded body bytes, at most kHttpTitleWindow
  std::string error;
};

void add_window(std::string& window, std::string_view data) {
  const std::size_t room = kHttpTitleWindow - window.size();
  window.append(data.substr(0, data.size() < room ? data.size() : room));
}

Body chunked_body(std::string_view data) {
  Body body;
  std::size_t p = 0;
  while (true) {
    const std::size_t eol = data.find('\n', p);
    if (eol == std::string_view::npos) {
      if (data.size() - p > kMaxChunkLine) {
        body.state = Body::State::error;
        body.error = "http: chunk size line longer than " + std::to_string(kMaxChunkLine) + " bytes";
      }
      return body;
    }
    std::string_view line = trim(data.substr(p, eol - p));
    if (const std::size_t semi = line.find(';'); semi != std::string_view::npos) line = trim(line.substr(0, semi));
    std::uint64_t size = 0;
    bool ok = !line.empty() && line.size() <= 10;
    for (char c : line) {
      const int d = (c >= '0' && c <= '9') ? c - '0' : (lower(c) >= 'a' && lower(c) <= 'f') ? lower(c) - 'a' + 10 : -1;
      if (d < 0) ok = false;
      else size = size * 16 + static_cast<std::uint64_t>(d);
    }
    if (!ok || size > kMaxLength) {
      body.state = Body::State::error;
      body.error = "http: chunk size \"" + sanitize_text(line, 32) + "\" at body offset " + std::to_string(p) +
                   " is not a hex number below 2^40";
      return body;
    }
    p = eol + 1;
    if (size == 0) {  // trailer section up to an empty line
      while (true) {
        const std::size_t end = data.find('\n', p);
        if (end == std::string_view::npos) return body;
        const std::string_view trailer = trim(data.substr(p, end - p));
        p = end + 1;
        if (trailer.empty()) {
          body.state = Body::State::complete;
          body.size = p;
          return body;
        }
      }
    }
    if (data.size() - p < size + 2) {
      add_window(body.window, data.substr(p));
      return body;
    }
    add_window(body.window, data.substr(p, static_cast<std::size_t>(size)));
    p += static_cast<std::size_t>(size);
    if (data[p] == '\r') ++p;
    if (p >= data.size()) return body;
    if (data[p] != '\n') {
      body.state = Body::State::error;
      body.error = "http: chunk data of " + std::to_string(size) + " bytes not followed by CRLF";
      return body;
    }
    ++p;
  }
}

std::optional<Identity> identity_of(const Head& head, std::string_view window, bool from_server) {
  std::vector<Field> fields;
  auto header = [&](std::string_view name) -> std::string_view {
    for (const auto& [n, v] : head.headers)
      if (iequals(n, name)) return v;
    return {};
  };
  if (!from_server) {
    const std::string_view agent = header("User-Agent");
    if (agent.empty()) return std::nullopt;
    fields.push_back({"user.agent", sanitize_text(agent, 512)});
    fields.push_back({"host", sanitize_text(header("Host"))});
    fields.push_back({"method", sanitize_text(head.method)});
    return make_identity("http.client", std::move(fields));
  }
  fields.push_back({"server", sanitize_text(header("Server"))});
  fields.push_back({"powered.by", sanitize_text(header("X-Powered-By"))});
  for (const auto& [n, v] : head.headers) {
    if (!iequals(n, "WWW-Authenticate")) continue;
    std::string realm = realm_of(v);
    if (realm.empty()) continue;
    fields.push_back({"realm", std::move(realm)});
    fields.push_back({"auth.scheme", sanitize_text(v.substr(0, v.find(' ')), 32)});
    break;
  }
  const std::string_view encoding = trim(header("Content-Encoding"));
  if (encoding.empty() || iequals(encoding, "identity")) fields.push_back({"title", title_of(window)});
  Identity id = make_identity("http.server", std::move(fields));
  if (id.fields.empty()) return std::nullopt;
  id.fields.push_back({"status", std::int64_t{head.status}});
  return make_identity(std::move(id.signal), std::move(id.fields));
}

}  // namespace

IdentityResult decode_http_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  std::size_t pos = 0;
  bool any_message = false;
  auto finish = [&]() {
    set_stream_outcome(result, any_message);
    return result;
  };
  auto fail = [&](std::string error) {
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(error);
    result.consumed = pos;
    return result;
  };
  while (pos < bytes.size()) {
    const std::string_view rest = as_text(bytes.subspan(pos));
    if (!plausible_start(rest, from_server)) {
      if (pos == 0) return IdentityResult{};
      return fail("http: message at offset " + std::to_string(pos) + " does not start with a " +
                  (from_server ? "status line" : "request line"));
    }
    const std::string_view window = rest.substr(0, rest.size() < kHttpMaxHeaderBlock ? rest.size() : kHttpMaxHeaderBlock);
    std::size_t block_end = window.find("\r\n\r\n");
    std::size_t head_size = block_end == std::string_view::npos ? block_end : block_end + 4;
    if (const std::size_t lf = window.find("\n\n"); lf != std::string_view::npos && lf + 2 < head_size) {
      block_end = lf;
      head_size = lf + 2;
    }
    if (head_size == std::string_view::npos) {
      if (rest.size() >= kHttpMaxHeaderBlock)
        return fail("http: header block at offset " + std::to_string(pos) + " exceeds " +
                    std::to_string(kHttpMaxHeaderBlock) + " bytes");
      break;
    }
    Head head = parse_head(rest.substr(0, block_end), from_server);
    if (!head.ok) return fail(std::move(head.error));

    // Message body length (RFC 9112 section 6.3).
    std::uint64_t length = 0;
    bool chunked = false, have_length = false;
    for (const auto& [name, value] : head.headers) {
      if (iequals(name, "Transfer-Encoding")) {
        const std::string_view v = trim(value);
        chunked = v.size() >= 7 && iequals(v.substr(v.size() - 7), "chunked");
      } else if (iequals(name, "Content-Length")) {
        const std::string_view v = trim(value);
        if (!all_digits(v) || v.size() > 13) return fail("http: Content-Length \"" + sanitize_text(v, 32) + "\" is not a number");
        std::uint64_t n = 0;
        for (char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
        if (n > kMaxLength) return fail("http: Content-Length " + std::to_string(n) + " exceeds 2^40");
        if (have_length && n != length)
          return fail("http: conflicting Content-Length " + std::to_string(length) + " and " + std::to_string(n));
        length = n;
        have_length = true;
      }
    }
    Framing framing = from_server ? Framing::close : Framing::none;
    if (from_server && (head.status < 200 || head.status == 204 || head.status == 304)) framing = Framing::none;
    else if (chunked) framing = Framing::chunked;
    else if (have_length) framing = Framing::length;

    const std::string_view body_bytes = rest.substr(head_size);
    Body body;
    switch (framing) {
      case Framing::none:
        body.state = Body::State::complete;
        break;
      case Framing::length:
        add_window(body.window, body_bytes.substr(0, static_cast<std::size_t>(length < body_bytes.size() ? length : body_bytes.size())));
        if (body_bytes.size() >= length) {
          body.state = Body::State::complete;
          body.size = static_cast<std::size_t>(length);
        }
        break;
      case Framing::chunked:
        body = chunked_body(body_bytes);
        if (body.state == Body::State::error) return fail(std::move(body.error));
        break;
      case Framing::close:
        add_window(body.window, body_bytes);
        break;
    }
    if (body.state == Body::State::incomplete && framing != Framing::close && body_bytes.size() < kHttpMaxBodyWait)
      break;  // wait for the rest of the body
    any_message = true;
    if (auto id = identity_of(head, body.window, from_server)) result.identities.push_back(std::move(*id));
    if (body.state != Body::State::complete) {  // end unknown within bounds: the rest is body
      pos = bytes.size();
      break;
    }
    pos += head_size + body.size;
  }
  result.consumed = pos;
  return finish();
}

}  // namespace herkomst::protocols
