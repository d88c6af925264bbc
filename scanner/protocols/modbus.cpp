#include "scanner/protocols/modbus.hpp"

#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kMbapSize = 7;  // transaction id, protocol id, length, unit id

std::string hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.push_back(kDigits[(value >> 4) & 0x0F]);
  out.push_back(kDigits[value & 0x0F]);
  return out;
}

std::string object_field_name(std::uint8_t id) {
  switch (id) {
    case 0x00: return "vendor";
    case 0x01: return "product.code";
    case 0x02: return "revision";
    case 0x03: return "vendor.url";
    case 0x04: return "product.name";
    case 0x05: return "model.name";
    case 0x06: return "application.name";
    default: return "object." + hex2(id);  // 0x07..0x7F reserved, 0x80..0xFF private
  }
}

// Share of bytes that look like text (printable ASCII or part of a multi-byte character).
bool looks_like_text(Bytes data) {
  const Bytes trimmed = wire::until_nul(data);
  if (trimmed.size() < 2) return false;
  std::size_t printable = 0;
  for (std::uint8_t b : trimmed)
    if ((b >= 0x20 && b < 0x7F) || b >= 0x80) ++printable;
  return printable * 4 >= trimmed.size() * 3;
}

struct MessageResult {
  bool has_identity = false;
  Identity identity;
  std::string error;  // set: the message lies
};

// FC 0x2B / MEI 0x0E response: MEI type, read device id code, conformity level, more follows,
// next object id, number of objects, then (object id, length, value) triples.
MessageResult device_identification(std::uint8_t unit, Bytes data) {
  MessageResult result;
  wire::Reader r(data);
  std::uint8_t mei = 0, code = 0, conformity = 0, more = 0, next = 0, count = 0;
  if (!r.u8(mei)) {
    result.error = "modbus: FC 0x2b response without MEI type";
    return result;
  }
  if (mei != 0x0E) return result;  // 0x0D: CANopen general reference, no identity
  if (!r.u8(code) || !r.u8(conformity) || !r.u8(more) || !r.u8(next) || !r.u8(count)) {
    result.error = "modbus: device identification response has " + std::to_string(data.size()) +
                   " bytes, its header needs 6";
    return result;
  }
  std::vector<Field> fields;
  for (unsigned i = 0; i < count; ++i) {
    std::uint8_t id = 0, length = 0;
    Bytes value;
    if (!r.u8(id) || !r.u8(length) || !r.bytes(length, value)) {
      result.error = "modbus: device identification object " + std::to_string(i + 1) + " of " +
                     std::to_string(count) + " exceeds data (" + std::to_string(data.size()) + " bytes)";
      return result;
    }
    fields.push_back({object_field_name(id), sanitize_text(value)});
  }
  const bool any_object = !make_identity("", fields).fields.empty();
  if (!any_object) return result;
  fields.push_back({"unit.id", std::int64_t{unit}});
  fields.push_back({"conformity.level", std::int64_t{conformity}});
  result.identity = make_identity("modbus.device-identification", std::move(fields));
  result.has_identity = true;
  return result;
}

// FC 0x11 response: byte count, server id (device specific length), run indicator status
// (0x00 off, 0xFF on), additional data. Where the id ends is not on the wire: the run
// indicator is taken to be the first 0x00/0xFF byte after the first byte.
MessageResult report_server_id(std::uint8_t unit, Bytes data) {
  MessageResult result;
  if (data.empty()) {
    result.error = "modbus: report server id response without byte count";
    return result;
  }
  const std::size_t count = data[0];
  if (count != data.size() - 1) {
    result.error = "modbus: report server id byte count " + std::to_string(count) + " but " +
                   std::to_string(data.size() - 1) + " bytes follow";
    return result;
  }
  if (count == 0) return result;
  const Bytes payload = data.subspan(1);
  std::vector<Field> fields;
  fields.push_back({"server.id.hex", wire::to_hex(payload)});
  fields.push_back({"unit.id", std::int64_t{unit}});
  std::size_t run_at = payload.size();
  for (std::size_t i = 1; i < payload.size(); ++i) {
    if (payload[i] == 0x00 || payload[i] == 0xFF) {
      run_at = i;
      break;
    }
  }
  Bytes id = payload.first(run_at);
  Bytes extra;
  if (run_at < payload.size()) {
    fields.push_back({"run.indicator", payload[run_at] == 0xFF});
    extra = payload.subspan(run_at + 1);
  }
  // The text: the additional data when it is text (e.g. "Wingpath Limited" after id 0x00 and
  // run indicator 0xFF), else the id bytes when they are text.
  if (looks_like_text(extra))
    fields.push_back({"server.id", sanitize_text(wire::until_nul(extra))});
  else if (looks_like_text(id))
    fields.push_back({"server.id", sanitize_text(wire::until_nul(id))});
  result.identity = make_identity("modbus.report-server-id", std::move(fields));
  result.has_identity = true;
  return result;
}

MessageResult decode_message(Bytes message, bool from_server) {
  // message: the whole MBAP frame, length already checked (>= 8 bytes).
  const std::uint8_t unit = message[6];
  const std::uint8_t function = message[7];
  const Bytes data = message.subspan(8);
  if (!from_server || (function & 0x80) != 0) return {};  // requests and exception responses
  if (function == 0x2B) return device_identification(unit, data);
  if (function == 0x11) return report_server_id(unit, data);
  return {};
}

// Checks the MBAP header prefix present in `rest`; returns an error text or "".
std::string check_header(Bytes rest) {
  if (rest.size() >= 3 && rest[2] != 0) return "protocol id byte 0x" + hex2(rest[2]);
  if (rest.size() >= 4 && rest[3] != 0) return "protocol id 0x00" + hex2(rest[3]);
  if (rest.size() >= 6) {
    const unsigned length = static_cast<unsigned>((rest[4] << 8) | rest[5]);
    if (length < 2 || length > kModbusMaxMbapLength)
      return "MBAP length " + std::to_string(length) + " outside 2.." + std::to_string(kModbusMaxMbapLength);
  }
  return {};
}

}  // namespace

IdentityResult decode_modbus_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  std::size_t pos = 0;
  bool any_message = false;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (const std::string bad = check_header(rest); !bad.empty()) {
      if (pos == 0) {
        result.outcome = DecodeOutcome::not_protocol;
        return result;
      }
      result.outcome = DecodeOutcome::malformed;
      result.error = "modbus: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    if (rest.size() < kMbapSize - 1) break;
    const std::size_t size = 6 + static_cast<std::size_t>((rest[4] << 8) | rest[5]);
    if (rest.size() < size) break;
    MessageResult message = decode_message(rest.first(size), from_server);
    pos += size;
    any_message = true;
    if (!message.error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = std::move(message.error);
      result.consumed = pos;
      return result;
    }
    if (message.has_identity) result.identities.push_back(std::move(message.identity));
  }
  result.consumed = pos;
  set_stream_outcome(result, any_message);
  return result;
}

}  // namespace herkomst::protocols
