#include "scanner/protocols/pcworx.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kTypeAt = 30;
constexpr std::size_t kVersionAt = 66;
constexpr std::size_t kDateAt = 79;
constexpr std::size_t kTimeAt = 91;
constexpr std::size_t kModelAt = 152;
constexpr std::size_t kModelMax = 32;

std::string hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[(value >> 4) & 0x0F], kDigits[value & 0x0F]};
}

// The NUL-terminated string at [from, to) of `reply` (cut at its end).
Bytes string_at(Bytes reply, std::size_t from, std::size_t to) {
  if (from >= reply.size()) return {};
  return wire::until_nul(reply.subspan(from, std::min(to, reply.size()) - from));
}

bool printable(Bytes text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](std::uint8_t b) { return b >= 0x20 && b < 0x7F; });
}

void info(Bytes reply, IdentityResult& result) {
  const Bytes type = string_at(reply, kTypeAt, kVersionAt);
  const Bytes version = string_at(reply, kVersionAt, kDateAt);
  if (!printable(type) || !printable(version)) return;
  std::vector<Field> fields{{"plc.type", sanitize_text(type, 64)}, {"firmware.version", sanitize_text(version, 64)}};
  if (const Bytes date = string_at(reply, kDateAt, kTimeAt); printable(date))
    fields.push_back({"firmware.date", sanitize_text(date, 64)});
  if (const Bytes time = string_at(reply, kTimeAt, kTimeAt + 9); printable(time))
    fields.push_back({"firmware.time", sanitize_text(time, 64)});
  if (const Bytes model = string_at(reply, kModelAt, kModelAt + kModelMax); printable(model))
    fields.push_back({"model.number", sanitize_text(model, 64)});
  Identity id = make_identity("pcworx.info", std::move(fields));
  for (const auto& known : result.identities)
    if (known.fields == id.fields) return;
  result.identities.push_back(std::move(id));
}

}  // namespace

IdentityResult decode_pcworx_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  const std::uint8_t lead = from_server ? 0x81 : 0x01;
  std::size_t pos = 0;
  bool any_message = false;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    std::string bad;
    if (rest[0] != lead) bad = "message starts with 0x" + hex2(rest[0]) + ", not 0x" + hex2(lead);
    std::size_t size = 0;
    if (bad.empty() && rest.size() >= 4) {
      size = static_cast<std::size_t>((rest[2] << 8) | rest[3]);
      if (size < 4 || size > kPcworxMaxMessage) {
        if (from_server) size = rest.size();  // reply length not as assumed: the rest is one reply
        else bad = "request length " + std::to_string(size) + " outside 4.." + std::to_string(kPcworxMaxMessage);
      }
    }
    if (!bad.empty()) {
      if (pos == 0) return IdentityResult{};  // not_protocol
      result.outcome = DecodeOutcome::malformed;
      result.error = "pcworx: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    if (rest.size() < 4 || rest.size() < size) break;
    if (from_server) info(rest.first(size), result);
    pos += size;
    any_message = true;
  }
  result.consumed = pos;
  set_stream_outcome(result, any_message);
  return result;
}

}  // namespace herkomst::protocols
