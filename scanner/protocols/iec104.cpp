#include "scanner/protocols/iec104.hpp"

#include <string>
#include <utility>
#include <vector>

namespace herkomst::protocols {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint8_t kStart = 0x68;
constexpr std::size_t kControlSize = 4;
constexpr std::size_t kAsduHeaderSize = 6;  // type id, VSQ, cause, originator, common address (2)
constexpr std::size_t kMaxLength = 253;

std::string hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[(value >> 4) & 0x0F], kDigits[value & 0x0F]};
}

enum class Format { i, s, u };

bool valid_u(std::uint8_t octet) {
  switch (octet) {
    case 0x07: case 0x0B: case 0x13: case 0x23: case 0x43: case 0x83: return true;
    default: return false;
  }
}

// Checks the part of an APCI present in `rest`; "" when it may be an APDU.
std::string check_header(Bytes rest) {
  if (!rest.empty() && rest[0] != kStart) return "APDU starts with 0x" + hex2(rest[0]) + ", not 0x68";
  if (rest.size() < 2) return {};
  const std::size_t length = rest[1];
  if (length < kControlSize || length > kMaxLength) return "APDU length " + std::to_string(length) + " outside 4..253";
  if (rest.size() < 2 + kControlSize) return {};
  const std::uint8_t c1 = rest[2], c2 = rest[3], c3 = rest[4], c4 = rest[5];
  if ((c1 & 0x01) == 0) {  // I format
    if ((c3 & 0x01) != 0) return "I format control field with receive sequence bit 0 set";
    if (length < kControlSize + kAsduHeaderSize)
      return "I format APDU length " + std::to_string(length) + " leaves no room for an ASDU header";
    return {};
  }
  if ((c1 & 0x03) == 0x01) {  // S format
    if (c1 != 0x01 || c2 != 0 || (c3 & 0x01) != 0) return "S format control field 0x" + hex2(c1) + hex2(c2) + hex2(c3);
  } else if (!valid_u(c1) || c2 != 0 || c3 != 0 || c4 != 0) {
    return "U format control field 0x" + hex2(c1) + hex2(c2) + hex2(c3) + hex2(c4);
  }
  if (length != kControlSize) return "S/U format APDU length " + std::to_string(length) + ", not 4";
  return {};
}

void add(IdentityResult& result, Identity id) {
  for (const auto& known : result.identities)
    if (known.signal == id.signal && known.fields == id.fields && known.about_sender == id.about_sender) return;
  result.identities.push_back(std::move(id));
}

// One whole, checked APDU. Returns an error text, or "".
std::string apdu(Bytes bytes, bool from_server, IdentityResult& result) {
  const std::string side_role = from_server ? "outstation" : "master";
  const std::uint8_t c1 = bytes[2];
  if ((c1 & 0x01) != 0) {  // S or U format
    std::string role = side_role;
    if (c1 == 0x07 || c1 == 0x13) role = "master";          // STARTDT / STOPDT act
    else if (c1 == 0x0B || c1 == 0x23) role = "outstation";  // STARTDT / STOPDT con
    add(result, make_identity("iec104.link", {{"role", role}}));
    return {};
  }
  const Bytes asdu = bytes.subspan(2 + kControlSize);
  const std::uint8_t type = asdu[0];
  const std::uint8_t cause = asdu[2] & 0x3F;
  if (type == 0) return "ASDU type id 0";
  if (cause == 0) return "ASDU cause of transmission 0";
  const auto common = static_cast<std::uint16_t>(asdu[4] | (asdu[5] << 8));
  const bool addressable = common != 0 && common != 0xFFFF;
  if (from_server) {
    std::vector<Field> fields{{"role", std::string("outstation")}};
    if (addressable) fields.push_back({"common.address", std::int64_t{common}});
    add(result, make_identity("iec104.asdu", std::move(fields)));
    return {};
  }
  add(result, make_identity("iec104.asdu", {{"role", std::string("master")}}));
  if (addressable)
    add(result, make_identity("iec104.asdu",
                              {{"role", std::string("outstation")}, {"common.address", std::int64_t{common}}},
                              /*about_sender=*/false));
  return {};
}

}  // namespace

IdentityResult decode_iec104_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  std::size_t pos = 0;
  bool any_apdu = false;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (const std::string bad = check_header(rest); !bad.empty()) {
      if (pos == 0) return IdentityResult{};  // not_protocol
      result.outcome = DecodeOutcome::malformed;
      result.error = "iec104: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    if (rest.size() < 2 + kControlSize) break;
    const std::size_t size = 2 + static_cast<std::size_t>(rest[1]);
    if (rest.size() < size) break;
    if (std::string error = apdu(rest.first(size), from_server, result); !error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "iec104: " + error + " at offset " + std::to_string(pos);
      result.consumed = pos + size;  // its length is known: the stream goes on after it
      return result;
    }
    pos += size;
    any_apdu = true;
  }
  result.consumed = pos;
  set_stream_outcome(result, any_apdu);
  return result;
}

}  // namespace herkomst::protocols
