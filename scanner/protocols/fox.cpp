#include "scanner/protocols/fox.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::protocols {
namespace {

using Bytes = std::span<const std::uint8_t>;

std::string_view view(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

enum class Step { ok, incomplete, bad };

struct Message {
  Step step = Step::ok;
  std::size_t size = 0;  // bytes of the whole message
  std::string command;
  std::vector<std::pair<std::string_view, std::string_view>> values;  // top-level "key=type:value"
  std::string error;
};

class Cursor {
 public:
  explicit Cursor(Bytes data) : data_(data) {}
  std::size_t offset() const { return pos_; }
  // The next line without its "\n" (and a trailing "\r").
  Step line(std::string_view& out) {
    const std::size_t limit = std::min(data_.size(), pos_ + kFoxMaxLineSize + 1);
    for (std::size_t i = pos_; i < limit; ++i) {
      if (data_[i] != '\n') continue;
      out = view(data_.subspan(pos_, i - pos_));
      if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
      pos_ = i + 1;
      return Step::ok;
    }
    return limit == data_.size() && data_.size() - pos_ <= kFoxMaxLineSize ? Step::incomplete : Step::bad;
  }
  // Continues at `offset` (inside the last line read), skips `count` bytes, then wants "]" and
  // the end of the line.
  Step blob(std::size_t offset, std::size_t count) {
    if (offset > data_.size() || count > data_.size() - offset)
      return data_.size() < kFoxMaxMessageSize ? Step::incomplete : Step::bad;
    pos_ = offset + count;
    std::string_view tail;
    const Step s = line(tail);
    if (s != Step::ok) return s;
    return tail == "]" ? Step::ok : Step::bad;
  }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

// In a blob/object value "<type>:[<name> ]<digits>[<data>...": the length and where "[" is, or
// length -1 when the value is not of that form.
struct BlobStart {
  long length = -1;
  std::size_t bracket = 0;  // index of "[" in the value
};
BlobStart blob_start(std::string_view value) {
  BlobStart b;
  const std::size_t bracket = value.find('[');
  if (bracket == std::string_view::npos || bracket < 3) return b;
  std::size_t digits = 0;
  while (digits < bracket - 2 && value[bracket - 1 - digits] >= '0' && value[bracket - 1 - digits] <= '9') ++digits;
  if (digits == 0 || digits > 7) return b;
  const char before = value[bracket - 1 - digits];
  if (before != ' ' && before != ':') return b;
  long n = 0;
  for (char ch : value.substr(bracket - digits, digits)) n = n * 10 + (ch - '0');
  b.length = n;
  b.bracket = bracket;
  return b;
}

Message read_message(Bytes data) {
  Message m;
  Cursor c(data);
  auto stop = [&](Step s, std::string error) {
    m.step = s;
    if (s == Step::bad) m.error = std::move(error);
    return m;
  };
  std::string_view header;
  if (Step s = c.line(header); s != Step::ok) return stop(s, "fox: header line longer than " + std::to_string(kFoxMaxLineSize) + " bytes");
  // "fox a <id> -1 fox <command>"
  const std::size_t last_space = header.rfind(' ');
  if (!header.starts_with("fox ") || last_space == std::string_view::npos || last_space + 1 >= header.size())
    return stop(Step::bad, "fox: bad header line");
  m.command = sanitize_text(header.substr(last_space + 1), 64);
  std::string_view open;
  if (Step s = c.line(open); s != Step::ok) return stop(s, "fox: line after header too long");
  if (open != "{") return stop(Step::bad, "fox: header not followed by \"{\"");
  std::size_t depth = 0;
  for (;;) {
    if (c.offset() > kFoxMaxMessageSize)
      return stop(Step::bad, "fox: message longer than " + std::to_string(kFoxMaxMessageSize) + " bytes");
    std::string_view line;
    const std::size_t line_start = c.offset();
    if (Step s = c.line(line); s != Step::ok)
      return stop(s, "fox: line longer than " + std::to_string(kFoxMaxLineSize) + " bytes");
    if (depth == 0 && line == "};;") break;
    if (line == "}" || line == "};") {
      if (depth == 0) return stop(Step::bad, "fox: \"}\" without an open block");
      --depth;
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) return stop(Step::bad, "fox: line without \"key=\"");
    const std::string_view key = line.substr(0, eq);
    const std::string_view value = line.substr(eq + 1);
    if (value == "{") {
      if (++depth > kFoxMaxDepth) return stop(Step::bad, "fox: blocks nested deeper than " + std::to_string(kFoxMaxDepth));
      continue;
    }
    if (value.size() >= 2 && value[1] == ':' && (value[0] == 'b' || value[0] == 'o')) {
      const BlobStart blob = blob_start(value);
      const long n = blob.length;
      if (n >= 0) {
        if (static_cast<std::size_t>(n) > kFoxMaxMessageSize)
          return stop(Step::bad, "fox: blob length " + std::to_string(n) + " exceeds " + std::to_string(kFoxMaxMessageSize));
        if (Step s = c.blob(line_start + eq + 1 + blob.bracket + 1, static_cast<std::size_t>(n)); s != Step::ok)
          return stop(s, "fox: blob \"" + sanitize_text(key, 64) + "\" of " + std::to_string(n) + " bytes not followed by \"]\"");
        continue;
      }
    }
    if (depth == 0) m.values.emplace_back(key, value);
  }
  m.size = c.offset();
  return m;
}

std::string_view field_name(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"app.name", "app.name"},       {"app.version", "app.version"},   {"os.name", "os.name"},
      {"os.version", "os.version"},   {"vm.name", "vm.name"},           {"vm.version", "vm.version"},
      {"hostId", "host.id"},          {"hostName", "host.name"},        {"hostAddress", "host.address"},
      {"station.name", "station.name"}, {"brandId", "brand.id"},       {"fox.version", "fox.version"},
  };
  for (const auto& [wire_key, name] : kNames)
    if (key == wire_key) return name;
  return {};
}

}  // namespace

IdentityResult decode_fox_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  static constexpr std::string_view kMagic = "fox ";
  const std::size_t n = std::min(bytes.size(), kMagic.size());
  if (view(bytes.first(n)) != kMagic.substr(0, n)) return result;  // not_protocol
  std::size_t pos = 0;
  bool any_message = false;
  while (pos < bytes.size()) {
    Message m = read_message(bytes.subspan(pos));
    if (m.step == Step::incomplete) break;
    if (m.step == Step::bad) {
      result.outcome = DecodeOutcome::malformed;
      result.error = m.error + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    any_message = true;
    if (m.command == "hello") {
      std::vector<Field> fields;
      for (const auto& [key, value] : m.values) {
        const std::string_view name = field_name(key);
        if (name.empty() || value.size() < 2 || value[0] != 's' || value[1] != ':') continue;
        fields.push_back({std::string(name), sanitize_text(value.substr(2))});
      }
      Identity id = make_identity("fox.hello", std::move(fields));
      if (!id.fields.empty()) {
        id.fields.push_back({"role", from_server ? "server" : "client"});
        id = make_identity("fox.hello", std::move(id.fields));
        result.identities.push_back(std::move(id));
      }
    }
    pos += m.size;
  }
  result.consumed = pos;
  set_stream_outcome(result, any_message);
  return result;
}

}  // namespace herkomst::protocols
