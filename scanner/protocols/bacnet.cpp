// BACnet decoder. Layouts (ANSI/ASHRAE 135): BVLC Annex J.2 (type 0x81, function u8, length
// u16); NPDU clause 6.2 (version 1, control: bit7 network message, bit5 DNET present, bit3 SNET
// present, bits 6 and 4 reserved; DNET u16, DLEN u8, DADR; SNET u16, SLEN u8, SADR; hop count
// when DNET is present; message type for network messages); APDU clause 20.1 (type in the high
// nibble: 0 confirmed request, 1 unconfirmed request, 2 simple ACK, 3 complex ACK, 4 segment ACK,
// 5 error, 6 reject, 7 abort); tags clause 20.2.1 (tag number nibble or extended byte, class bit,
// length/value/type: 0..4, 5 = extended length, context 6/7 = opening/closing).
#include "scanner/protocols/bacnet.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/be_reader.hpp"

namespace herkomst::protocols {
namespace {

using be::Bytes;

IdentityResult fail(std::string error) {
  IdentityResult r;
  r.outcome = DecodeOutcome::malformed;
  r.error = "bacnet: " + std::move(error);
  return r;
}

IdentityResult no_identity() {
  IdentityResult r;
  r.outcome = DecodeOutcome::no_identity;
  return r;
}

struct Tag {
  std::uint8_t number = 0;
  bool context = false;
  bool opening = false;
  bool closing = false;
  Bytes value;  // primitive contents (empty for opening/closing and application booleans)
};

enum class TagStatus { ok, end, bad };

// Reads one tag; `bad` when it runs past the data or has an impossible form.
TagStatus read_tag(be::Reader& r, Tag& t) {
  if (r.empty()) return TagStatus::end;
  std::uint8_t b = 0;
  r.u8(b);
  t = Tag{};
  t.number = static_cast<std::uint8_t>(b >> 4);
  t.context = (b & 0x08) != 0;
  const std::uint8_t lvt = b & 0x07u;
  if (t.number == 15 && !r.u8(t.number)) return TagStatus::bad;
  if (t.context && lvt == 6) {
    t.opening = true;
    return TagStatus::ok;
  }
  if (t.context && lvt == 7) {
    t.closing = true;
    return TagStatus::ok;
  }
  if (!t.context && t.number == 1) return lvt <= 1 ? TagStatus::ok : TagStatus::bad;  // BOOLEAN: value in lvt
  std::uint32_t length = lvt;
  if (lvt > 5) return TagStatus::bad;
  if (lvt == 5) {
    std::uint8_t ext = 0;
    if (!r.u8(ext)) return TagStatus::bad;
    length = ext;
    if (ext == 254) {
      std::uint16_t l16 = 0;
      if (!r.u16(l16)) return TagStatus::bad;
      length = l16;
    } else if (ext == 255) {
      if (!r.u32(length)) return TagStatus::bad;
    }
  }
  return r.bytes(length, t.value) ? TagStatus::ok : TagStatus::bad;
}

std::optional<std::uint32_t> unsigned_value(Bytes v) {
  if (v.empty() || v.size() > 4) return std::nullopt;
  std::uint32_t out = 0;
  for (const std::uint8_t b : v) out = (out << 8) | b;
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// CharacterString contents: character set byte, then the characters. Returns sanitized UTF-8,
// empty for the character sets not converted (1 DBCS, 2 JIS X 0208, unknown).
std::string character_string(Bytes v) {
  if (v.empty()) return {};
  const std::uint8_t charset = v[0];
  const Bytes text = v.subspan(1);
  std::string utf8;
  switch (charset) {
    case 0: return sanitize_text(text);  // ANSI X3.4 / UTF-8
    case 3:                              // UCS-4, big-endian
      for (std::size_t i = 0; i + 4 <= text.size() && utf8.size() < 1024; i += 4)
        append_utf8(utf8, (std::uint32_t{text[i]} << 24) | (std::uint32_t{text[i + 1]} << 16) |
                              (std::uint32_t{text[i + 2]} << 8) | text[i + 3]);
      break;
    case 4:  // UCS-2, big-endian
      for (std::size_t i = 0; i + 2 <= text.size() && utf8.size() < 1024; i += 2)
        append_utf8(utf8, be::be16_at(text, i));
      break;
    case 5:  // ISO 8859-1
      for (std::size_t i = 0; i < text.size() && utf8.size() < 1024; ++i) append_utf8(utf8, text[i]);
      break;
    default: return {};
  }
  return sanitize_text(std::string_view(utf8));
}

// Device object properties that identify it (clause 12.11).
struct PropertyField {
  std::uint32_t id;
  std::string_view field;
  bool is_text;
};
constexpr std::array<PropertyField, 9> kDeviceProperties{{
    {12, "software.version", true},  // application-software-version
    {28, "description", true},
    {44, "firmware.version", true},  // firmware-revision
    {58, "location", true},
    {70, "model.name", true},
    {77, "object.name", true},
    {120, "vendor.id", false},  // vendor-identifier
    {121, "vendor.name", true},
    {372, "serial", true},  // serial-number
}};

struct Collected {
  std::vector<Field> fields;
  bool identity = false;
  bool has(std::string_view name) const {
    for (const auto& f : fields) {
      if (f.name == name) return true;
    }
    return false;
  }
};

void property_value(std::uint32_t property, const Tag& value, Collected& c) {
  for (const auto& p : kDeviceProperties) {
    if (p.id != property || c.has(p.field)) continue;
    if (p.is_text && !value.context && value.number == 7) {
      std::string text = character_string(value.value);
      if (!text.empty()) {
        c.fields.push_back({std::string(p.field), std::move(text)});
        c.identity = true;
      }
    } else if (!p.is_text && !value.context && value.number == 2) {
      if (const auto v = unsigned_value(value.value)) {
        c.fields.push_back({std::string(p.field), std::int64_t{*v}});
        c.identity = true;
      }
    }
  }
}

// Reads the property value list up to the closing tag `closing_number` (the opening tag has
// been read). The first primitive value is offered to property_value. Returns false when the
// tags lie; `cut` (segmented data) ends quietly when the data runs out.
bool value_list(be::Reader& r, std::uint8_t closing_number, std::uint32_t property, bool is_device, Collected& c,
                std::size_t& tags, bool cut, bool& ended_early, std::string& error) {
  std::size_t depth = 0;
  bool first = true;
  for (;;) {
    Tag t;
    const TagStatus s = read_tag(r, t);
    if (s != TagStatus::ok) {
      if (cut) {
        ended_early = true;
        return true;
      }
      error = "property " + std::to_string(property) + " value runs past the data";
      return false;
    }
    if (++tags > kBacnetMaxTags) {
      error = "more than " + std::to_string(kBacnetMaxTags) + " tags";
      return false;
    }
    if (t.opening) {
      if (++depth > kBacnetMaxTagDepth) {
        error = "opening tags nested deeper than " + std::to_string(kBacnetMaxTagDepth);
        return false;
      }
      first = false;
      continue;
    }
    if (t.closing) {
      if (depth == 0) {
        if (t.number != closing_number) {
          error = "closing tag " + std::to_string(t.number) + " where " + std::to_string(closing_number) + " expected";
          return false;
        }
        return true;
      }
      --depth;
      continue;
    }
    if (first && depth == 0 && is_device) property_value(property, t, c);
    first = false;
  }
}

// Context tag `number` with a primitive value, or false.
bool expect_context(be::Reader& r, std::uint8_t number, Tag& t) {
  return read_tag(r, t) == TagStatus::ok && t.context && !t.opening && !t.closing && t.number == number;
}

constexpr std::uint32_t kDeviceType = 8;

IdentityResult finish(Collected& c, std::uint32_t instance) {
  if (!c.identity) return no_identity();
  c.fields.push_back({"device.instance", std::int64_t{instance}});
  IdentityResult r;
  r.outcome = DecodeOutcome::identified;
  r.identities.push_back(make_identity("bacnet.device-properties", std::move(c.fields)));
  return r;
}

// ReadProperty-ACK (clause 15.5.1.3): [0] object id, [1] property id, [2] array index
// (optional), [3] { value }.
IdentityResult read_property_ack(Bytes data, bool cut) {
  be::Reader r(data);
  Tag t;
  if (!expect_context(r, 0, t) || t.value.size() != 4) return fail("ReadProperty-ACK object identifier");
  const std::uint32_t object = *unsigned_value(t.value);
  if (!expect_context(r, 1, t)) return fail("ReadProperty-ACK property identifier");
  const auto property = unsigned_value(t.value);
  if (!property) return fail("ReadProperty-ACK property identifier length " + std::to_string(t.value.size()));
  if (read_tag(r, t) != TagStatus::ok) return cut ? no_identity() : fail("ReadProperty-ACK value missing");
  if (t.context && !t.opening && t.number == 2 && read_tag(r, t) != TagStatus::ok)
    return cut ? no_identity() : fail("ReadProperty-ACK value missing");
  if (!t.opening || t.number != 3) return fail("ReadProperty-ACK value is not in [3]");
  Collected c;
  std::size_t tags = 0;
  bool ended_early = false;
  std::string error;
  const bool device = (object >> 22) == kDeviceType;
  if (!value_list(r, 3, *property, device, c, tags, cut, ended_early, error)) return fail(error);
  if (!device) return no_identity();
  return finish(c, object & 0x3FFFFFu);
}

// ReadPropertyMultiple-ACK (clause 15.7.1.3): per object [0] object id, [1] { per property
// [2] property id, [3] array index (optional), [4] { value } or [5] { error } }.
IdentityResult read_property_multiple_ack(Bytes data, bool cut) {
  be::Reader r(data);
  Collected c;
  std::size_t tags = 0;
  std::optional<std::uint32_t> device_instance;
  std::string error;
  while (!r.empty()) {
    Tag t;
    if (!expect_context(r, 0, t) || t.value.size() != 4) {
      if (cut) break;
      return fail("ReadPropertyMultiple-ACK object identifier");
    }
    const std::uint32_t object = *unsigned_value(t.value);
    const bool device = (object >> 22) == kDeviceType && (!device_instance || *device_instance == (object & 0x3FFFFFu));
    if (device) device_instance = object & 0x3FFFFFu;
    if (read_tag(r, t) != TagStatus::ok || !t.opening || t.number != 1) {
      if (cut) break;
      return fail("ReadPropertyMultiple-ACK list of results is not in [1]");
    }
    bool ended_early = false;
    for (;;) {
      if (read_tag(r, t) != TagStatus::ok) {
        if (cut) {
          ended_early = true;
          break;
        }
        return fail("ReadPropertyMultiple-ACK results run past the data");
      }
      if (++tags > kBacnetMaxTags) return fail("more than " + std::to_string(kBacnetMaxTags) + " tags");
      if (t.closing && t.number == 1) break;
      if (!t.context || t.opening || t.closing || t.number != 2)
        return fail("ReadPropertyMultiple-ACK property identifier expected, tag " + std::to_string(t.number));
      const auto property = unsigned_value(t.value);
      if (!property) return fail("ReadPropertyMultiple-ACK property identifier length");
      if (read_tag(r, t) != TagStatus::ok) {
        if (cut) {
          ended_early = true;
          break;
        }
        return fail("ReadPropertyMultiple-ACK result missing");
      }
      if (t.context && !t.opening && !t.closing && t.number == 3 && read_tag(r, t) != TagStatus::ok) {
        if (cut) {
          ended_early = true;
          break;
        }
        return fail("ReadPropertyMultiple-ACK result missing");
      }
      if (!t.opening || (t.number != 4 && t.number != 5))
        return fail("ReadPropertyMultiple-ACK result is not in [4] or [5]");
      if (!value_list(r, t.number, *property, device && t.number == 4, c, tags, cut, ended_early, error))
        return fail(error);
      if (ended_early) break;
    }
    if (ended_early) break;
  }
  if (!device_instance) return no_identity();
  return finish(c, *device_instance);
}

// I-Am-Request (clause 16.10.3): object id, max APDU, segmentation, vendor id (application tags).
IdentityResult i_am(Bytes data) {
  be::Reader r(data);
  Tag object, max_apdu, segmentation, vendor;
  if (read_tag(r, object) != TagStatus::ok || object.context || object.number != 12 || object.value.size() != 4)
    return fail("I-Am device identifier is not an object identifier");
  if (read_tag(r, max_apdu) != TagStatus::ok || max_apdu.context || max_apdu.number != 2 ||
      read_tag(r, segmentation) != TagStatus::ok || segmentation.context || segmentation.number != 9 ||
      read_tag(r, vendor) != TagStatus::ok || vendor.context || vendor.number != 2)
    return fail("I-Am max-APDU, segmentation or vendor id missing or mistyped");
  const std::uint32_t id = *unsigned_value(object.value);
  if ((id >> 22) != kDeviceType) return fail("I-Am object type " + std::to_string(id >> 22) + " is not device (8)");
  const auto apdu = unsigned_value(max_apdu.value);
  const auto seg = unsigned_value(segmentation.value);
  const auto vid = unsigned_value(vendor.value);
  if (!apdu || !seg || !vid) return fail("I-Am value lengths");
  static constexpr std::string_view segmentation_names[] = {"both", "transmit", "receive", "none"};
  std::vector<Field> fields{
      {"device.instance", std::int64_t{id & 0x3FFFFFu}},
      {"max.apdu", std::int64_t{*apdu}},
      {"vendor.id", std::int64_t{*vid}},
  };
  if (*seg < 4) fields.push_back({"segmentation", std::string(segmentation_names[*seg])});
  IdentityResult result;
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(make_identity("bacnet.i-am", std::move(fields)));
  return result;
}

IdentityResult apdu(Bytes data) {
  if (data.empty()) return fail("APDU missing");
  const std::uint8_t type = data[0] >> 4;
  switch (type) {
    case 1: {  // Unconfirmed-Request: service choice, then the service request
      if (data.size() < 2) return fail("Unconfirmed-Request without service choice");
      if (data[1] != 0) return no_identity();  // Who-Is (8), Who-Has, COV, time sync, ...
      return i_am(data.subspan(2));
    }
    case 3: {  // Complex-ACK: flags (SEG, MOR), invoke id, [sequence, window], service choice
      const bool segmented = (data[0] & 0x08) != 0;
      const std::size_t header = segmented ? 5 : 3;
      if (data.size() < header) return fail("Complex-ACK header cut (" + std::to_string(data.size()) + " bytes)");
      if (segmented && data[2] != 0) return no_identity();  // later segments: no context to decode them
      const std::uint8_t service = data[header - 1];
      const bool more = segmented && (data[0] & 0x04) != 0;
      if (service == 12) return read_property_ack(data.subspan(header), more);
      if (service == 14) return read_property_multiple_ack(data.subspan(header), more);
      return no_identity();
    }
    case 0: case 2: case 4: case 5: case 6: case 7: return no_identity();
    default: return fail("APDU type " + std::to_string(type) + " is reserved");
  }
}

}  // namespace

IdentityResult decode_bacnet_npdu(std::span<const std::uint8_t> npdu) {
  IdentityResult result;
  be::Reader r(npdu);
  std::uint8_t version = 0, control = 0;
  if (!r.u8(version) || version != 1 || !r.u8(control) || (control & 0x50) != 0) return result;  // not_protocol
  if (control & 0x20) {  // DNET, DLEN, DADR
    std::uint16_t dnet = 0;
    std::uint8_t dlen = 0;
    if (!r.u16(dnet) || !r.u8(dlen) || !r.skip(dlen))
      return fail("NPDU destination address (DLEN " + std::to_string(dlen) + ") exceeds data (" +
                  std::to_string(npdu.size()) + " bytes)");
  }
  std::vector<Field> routed;  // the device sits behind a BACnet router: say where
  if (control & 0x08) {  // SNET, SLEN, SADR
    std::uint16_t snet = 0;
    std::uint8_t slen = 0;
    Bytes sadr;
    if (!r.u16(snet) || !r.u8(slen) || slen == 0 || !r.bytes(slen, sadr))
      return fail("NPDU source address (SLEN " + std::to_string(slen) + ") invalid or exceeds data (" +
                  std::to_string(npdu.size()) + " bytes)");
    routed.push_back({"source.network", std::int64_t{snet}});
    routed.push_back({"source.address", be::hex_text(sadr)});
  }
  if ((control & 0x20) && !r.skip(1)) return fail("NPDU hop count missing");
  if (control & 0x80) {  // network-layer message (Who-Is-Router, I-Am-Router, ...)
    if (r.empty()) return fail("NPDU network message type missing");
    result = no_identity();
    result.consumed = npdu.size();
    return result;
  }
  result = apdu(r.rest());
  if (result.outcome != DecodeOutcome::malformed) result.consumed = npdu.size();
  for (auto& identity : result.identities) {
    std::vector<Field> fields = identity.fields;
    fields.insert(fields.end(), routed.begin(), routed.end());
    identity = make_identity(identity.signal, std::move(fields), identity.about_sender);
  }
  return result;
}

IdentityResult decode_bacnet_ip(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  be::Reader r(payload);
  std::uint8_t type = 0, function = 0;
  std::uint16_t length = 0;
  if (!r.u8(type) || type != 0x81 || !r.u8(function) || function > 0x0c) return result;  // not_protocol
  if (!r.u16(length)) return result;
  if (length != payload.size())
    return fail("BVLC length " + std::to_string(length) + " does not match the datagram (" +
                std::to_string(payload.size()) + " bytes)");
  switch (function) {
    case 0x04:  // Forwarded-NPDU: the original source's B/IP address (6 bytes) comes first
      if (!r.skip(6)) return fail("Forwarded-NPDU address cut");
      [[fallthrough]];
    case 0x09:  // Distribute-Broadcast-To-Network
    case 0x0a:  // Original-Unicast-NPDU
    case 0x0b: {  // Original-Broadcast-NPDU
      const Bytes origin = function == 0x04 ? payload.subspan(4, 6) : Bytes{};
      result = decode_bacnet_npdu(r.rest());
      if (result.outcome == DecodeOutcome::not_protocol) return fail("NPDU version or control byte invalid");
      for (auto& identity : result.identities) {  // forwarded by a BBMD: the original sender
        if (origin.empty()) break;
        std::vector<Field> fields = identity.fields;
        fields.push_back({"origin.address", be::ipv4_text(origin.first(4))});
        fields.push_back({"origin.port", std::int64_t{be::be16_at(origin, 4)}});
        identity = make_identity(identity.signal, std::move(fields), identity.about_sender);
      }
      if (result.outcome != DecodeOutcome::malformed) result.consumed = payload.size();
      return result;
    }
    default:  // BVLC-Result, BDT/FDT management, Secure-BVLL
      result = no_identity();
      result.consumed = payload.size();
      return result;
  }
}

}  // namespace herkomst::protocols
