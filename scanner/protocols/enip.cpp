#include "scanner/protocols/enip.hpp"

#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::uint16_t kNop = 0x0000;
constexpr std::uint16_t kListServices = 0x0004;
constexpr std::uint16_t kListIdentity = 0x0063;
constexpr std::uint16_t kListInterfaces = 0x0064;
constexpr std::uint16_t kRegisterSession = 0x0065;
constexpr std::uint16_t kUnRegisterSession = 0x0066;
constexpr std::uint16_t kSendRRData = 0x006F;
constexpr std::uint16_t kSendUnitData = 0x0070;
constexpr std::uint16_t kIndicateStatus = 0x0072;
constexpr std::uint16_t kCancel = 0x0073;

constexpr std::uint16_t kItemIdentity = 0x000C;
constexpr std::uint16_t kItemConnectedData = 0x00B1;
constexpr std::uint16_t kItemUnconnectedData = 0x00B2;

constexpr std::uint16_t kCommands[] = {kNop,           kListServices, kListIdentity, kListInterfaces,
                                       kRegisterSession, kUnRegisterSession, kSendRRData, kSendUnitData,
                                       kIndicateStatus,  kCancel};

// All commands are below 0x100: the low byte alone tells a known command.
bool known_command_low(std::uint8_t low) {
  for (std::uint16_t command : kCommands)
    if (command == low) return true;
  return false;
}

bool known_status(std::uint32_t status) {
  switch (status) {
    case 0x0000: case 0x0001: case 0x0002: case 0x0003: case 0x0064: case 0x0065: case 0x0069:
      return true;
    default:
      return false;
  }
}

std::uint16_t le16_at(Bytes data, std::size_t offset) {
  return static_cast<std::uint16_t>(data[offset] | (data[offset + 1] << 8));
}
std::uint32_t le32_at(Bytes data, std::size_t offset) {
  return static_cast<std::uint32_t>(data[offset]) | (static_cast<std::uint32_t>(data[offset + 1]) << 8) |
         (static_cast<std::uint32_t>(data[offset + 2]) << 16) | (static_cast<std::uint32_t>(data[offset + 3]) << 24);
}

std::string hex32(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(value >> shift) & 0x0F]);
  return out;
}

// Checks the header bytes present in `rest`; returns an error text or "".
std::string check_header(Bytes rest) {
  if (rest.size() >= 1 && !known_command_low(rest[0])) return "unknown command";
  if (rest.size() >= 2 && rest[1] != 0) return "unknown command";
  if (rest.size() < kEnipHeaderSize) return {};
  const std::uint16_t command = le16_at(rest, 0);
  const std::uint16_t length = le16_at(rest, 2);
  const std::uint32_t status = le32_at(rest, 8);
  const std::uint32_t options = le32_at(rest, 20);
  if (length > kEnipMaxLength) return "length " + std::to_string(length) + " above " + std::to_string(kEnipMaxLength);
  if (options != 0) return "options " + hex32(options) + " not 0";
  if (!known_status(status)) return "unknown status " + hex32(status);
  bool consistent = true;
  switch (command) {
    case kRegisterSession: consistent = length == 0 || length == 4; break;
    case kUnRegisterSession: consistent = length == 0; break;
    case kListIdentity: case kListServices: case kListInterfaces: consistent = length == 0 || length >= 2; break;
    case kSendRRData: case kSendUnitData: consistent = length == 0 || length >= 8; break;
    default: break;
  }
  if (!consistent) return "length " + std::to_string(length) + " inconsistent with command " + hex32(command);
  return {};
}

struct MessageResult {
  std::vector<Identity> identities;
  std::string error;
};

// Fields shared by both identity layouts: vendor, device type, product code, revision, status,
// serial, product name (short string). `data` starts at the vendor id; returns false when the
// name does not fit.
bool identity_core(Bytes data, std::vector<Field>& fields, std::size_t& after) {
  if (data.size() < 15) return false;
  const std::size_t name_length = data[14];
  if (15 + name_length > data.size()) return false;
  fields.push_back({"vendor.id", std::int64_t{le16_at(data, 0)}});
  fields.push_back({"device.type", std::int64_t{le16_at(data, 2)}});
  fields.push_back({"product.code", std::int64_t{le16_at(data, 4)}});
  fields.push_back({"revision", std::to_string(data[6]) + "." + std::to_string(data[7])});
  fields.push_back({"device.status", std::int64_t{le16_at(data, 8)}});
  fields.push_back({"serial", hex32(le32_at(data, 10))});
  fields.push_back({"product.name", sanitize_text(data.subspan(15, name_length))});
  after = 15 + name_length;
  return true;
}

// ListIdentity item 0x0C: protocol version, sockaddr_in (big endian), identity core, state.
std::string list_identity_item(Bytes item, std::vector<Identity>& out) {
  if (item.size() < 2 + 16 + 15)
    return "enip: ListIdentity item of " + std::to_string(item.size()) + " bytes, needs at least 33";
  std::vector<Field> fields;
  const Bytes address = item.subspan(6, 4);
  if (address[0] != 0 || address[1] != 0 || address[2] != 0 || address[3] != 0)
    fields.push_back({"device.ip", std::to_string(address[0]) + "." + std::to_string(address[1]) + "." +
                                       std::to_string(address[2]) + "." + std::to_string(address[3])});
  std::size_t after = 0;
  const Bytes core = item.subspan(18);
  if (!identity_core(core, fields, after))
    return "enip: ListIdentity product name length " + std::to_string(core[14]) + " exceeds item (" +
           std::to_string(core.size() - 15) + " bytes left)";
  if (after < core.size()) fields.push_back({"device.state", std::int64_t{core[after]}});
  out.push_back(make_identity("enip.list-identity", std::move(fields)));
  return {};
}

// A Get_Attribute_All reply does not repeat the class it was asked for, so the Identity object
// is recognised by the reply's shape alone: vendor u16, device type u16, product code u16,
// revision u8.u8 (major 1..127), status u16, serial u32, a product name of 1..32 printable
// ASCII characters, and then nothing but the optional attributes 8-10 (state u8, configuration
// consistency value u16, heartbeat interval u8), i.e. exactly 0, 1, 3 or 4 more bytes. Another
// class's reply has to get the name length byte at offset 14 right to the last byte and carry
// only printable text behind it: in the OpenICS ControlLogix capture the Get_Attribute_All
// replies of class 0x64 (program names) all fail this test while all Identity replies pass.
// It remains a heuristic: a vendor-specific class with a coinciding layout would be read as an
// identity; correlating with the request's path (other direction) would make it certain.
bool identity_shape(Bytes data, std::vector<Field>& fields) {
  if (data.size() < 16) return false;
  const std::size_t name_length = data[14];
  if (name_length < 1 || name_length > 32 || 15 + name_length > data.size()) return false;
  const std::size_t extra = data.size() - 15 - name_length;
  if (extra != 0 && extra != 1 && extra != 3 && extra != 4) return false;
  if (le16_at(data, 0) == 0 || data[6] < 1 || data[6] > 127) return false;
  for (std::uint8_t b : data.subspan(15, name_length))
    if (b < 0x20 || b > 0x7E) return false;
  std::size_t after = 0;
  if (!identity_core(data, fields, after)) return false;
  if (extra >= 1) fields.push_back({"device.state", std::int64_t{data[after]}});
  return true;
}

// A CIP message router reply: service | 0x80, reserved, general status, additional status
// size (16-bit words), additional status, reply data. `depth` limits Multiple Service Packet
// nesting.
std::string cip_message(Bytes message, std::vector<Identity>& out, int depth) {
  wire::Reader r(message);
  std::uint8_t service = 0, reserved = 0, status = 0, extra_words = 0;
  if (!r.u8(service)) return {};
  if ((service & 0x80) == 0) return {};  // a request (Unconnected Send 0x52 and others): no identity
  if (!r.u8(reserved) || !r.u8(status) || !r.u8(extra_words) || !r.skip(2u * extra_words))
    return "cip: reply header of service " + hex32(service) + " exceeds data (" + std::to_string(message.size()) +
           " bytes)";
  const Bytes data = r.rest();
  if (service == 0x81 && status == 0) {  // Get_Attribute_All
    std::vector<Field> fields;
    if (identity_shape(data, fields)) out.push_back(make_identity("cip.identity", std::move(fields)));
    return {};
  }
  if (service == 0x8A && (status == 0 || status == 0x1E) && depth == 0) {  // Multiple Service Packet
    wire::Reader m(data);
    std::uint16_t count = 0;
    if (!m.le16(count)) return "cip: Multiple Service Packet reply without count";
    if (2u + 2u * count > data.size())
      return "cip: Multiple Service Packet count " + std::to_string(count) + " exceeds data (" +
             std::to_string(data.size()) + " bytes)";
    const std::size_t n = count < kCipMaxEmbedded ? count : kCipMaxEmbedded;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t begin = le16_at(data, 2 + 2 * i);
      const std::size_t end = i + 1 < count ? le16_at(data, 2 + 2 * (i + 1)) : data.size();
      if (begin < 2u + 2u * count || begin > end || end > data.size())
        return "cip: Multiple Service Packet offset " + std::to_string(begin) + " outside data (" +
               std::to_string(data.size()) + " bytes)";
      if (std::string bad = cip_message(data.subspan(begin, end - begin), out, depth + 1); !bad.empty()) return bad;
    }
  }
  // 0xD2: Unconnected Send failed (a successful Unconnected Send returns the embedded reply
  // as it is); other services and error replies carry no identity.
  return {};
}

// Common packet format: item count, then (type, length, data) items.
std::string cpf(Bytes data, std::uint16_t command, std::vector<Identity>& out) {
  wire::Reader r(data);
  std::uint16_t count = 0;
  if (!r.le16(count)) return "enip: no CPF item count";
  const std::size_t n = count < kEnipMaxItems ? count : kEnipMaxItems;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint16_t type = 0, length = 0;
    Bytes item;
    if (!r.le16(type) || !r.le16(length) || !r.bytes(length, item))
      return "enip: CPF item " + std::to_string(i + 1) + " of " + std::to_string(count) + " exceeds data (" +
             std::to_string(data.size()) + " bytes)";
    if (command == kListIdentity && type == kItemIdentity) {
      if (std::string bad = list_identity_item(item, out); !bad.empty()) return bad;
    } else if ((command == kSendRRData || command == kSendUnitData) && type == kItemUnconnectedData) {
      if (std::string bad = cip_message(item, out, 0); !bad.empty()) return bad;
    } else if ((command == kSendRRData || command == kSendUnitData) && type == kItemConnectedData) {
      if (item.size() < 2) return "enip: connected data item of " + std::to_string(item.size()) + " bytes";
      if (std::string bad = cip_message(item.subspan(2), out, 0); !bad.empty()) return bad;
    }
  }
  return {};
}

// One whole message (header + data, sizes already checked).
MessageResult decode_message(Bytes message) {
  MessageResult result;
  const std::uint16_t command = le16_at(message, 0);
  const std::uint32_t status = le32_at(message, 8);
  const Bytes data = message.subspan(kEnipHeaderSize);
  if (status != 0 || data.empty()) return result;  // requests of List*, errors
  if (command == kListIdentity) {
    result.error = cpf(data, command, result.identities);
  } else if (command == kSendRRData || command == kSendUnitData) {
    // interface handle (4), timeout (2), then the CPF
    result.error = cpf(data.subspan(6), command, result.identities);
  }
  // ListServices, ListInterfaces, RegisterSession, NOP, ...: no identity
  return result;
}

IdentityResult finish(IdentityResult result, bool any_message) {
  set_stream_outcome(result, any_message);
  return result;
}

}  // namespace

IdentityResult decode_enip_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  (void)from_server;
  IdentityResult result;
  std::size_t pos = 0;
  bool any_message = false;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (std::string bad = check_header(rest); !bad.empty()) {
      if (pos == 0) {
        result.outcome = DecodeOutcome::not_protocol;
        return result;
      }
      result.outcome = DecodeOutcome::malformed;
      result.error = "enip: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    if (rest.size() < kEnipHeaderSize) break;
    const std::size_t size = kEnipHeaderSize + le16_at(rest, 2);
    if (rest.size() < size) break;
    MessageResult message = decode_message(rest.first(size));
    for (Identity& identity : message.identities) result.identities.push_back(std::move(identity));
    pos += size;
    any_message = true;
    if (!message.error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = std::move(message.error) + " at offset " + std::to_string(pos - size);
      result.consumed = pos;
      return result;
    }
  }
  result.consumed = pos;
  return finish(std::move(result), any_message);
}

IdentityResult decode_enip_datagram(std::span<const std::uint8_t> datagram) {
  IdentityResult result;
  if (std::string bad = check_header(datagram); !bad.empty()) {
    result.outcome = DecodeOutcome::not_protocol;
    return result;
  }
  if (datagram.size() < kEnipHeaderSize || datagram.size() != kEnipHeaderSize + le16_at(datagram, 2)) {
    result.outcome = datagram.empty() ? DecodeOutcome::not_protocol : DecodeOutcome::malformed;
    if (!datagram.empty())
      result.error = "enip: datagram of " + std::to_string(datagram.size()) + " bytes, header says " +
                     (datagram.size() < kEnipHeaderSize ? std::string("(incomplete header)")
                                                        : std::to_string(kEnipHeaderSize + le16_at(datagram, 2)));
    result.consumed = datagram.size();
    return result;
  }
  MessageResult message = decode_message(datagram);
  result.identities = std::move(message.identities);
  result.consumed = datagram.size();
  if (!message.error.empty()) {
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(message.error);
    return result;
  }
  return finish(std::move(result), true);
}

}  // namespace herkomst::protocols
