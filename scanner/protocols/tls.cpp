#include "scanner/protocols/tls.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/ber.hpp"
#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kRecordHeader = 5;

std::string hex4(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kDigits[(value >> shift) & 0x0F]);
  return out;
}

std::string version_text(unsigned version) {
  switch (version) {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return hex4(version);
  }
}

// Checks the part of a record header present in `rest`; returns an error text or "".
std::string check_record_header(Bytes rest) {
  if (!rest.empty() && (rest[0] < 20 || rest[0] > 24)) return "record content type " + std::to_string(rest[0]);
  if (rest.size() >= 2 && rest[1] != 3) return "record version major " + std::to_string(rest[1]);
  if (rest.size() >= 3 && rest[2] > 4) return "record version minor " + std::to_string(rest[2]);
  if (rest.size() >= 5) {
    const std::size_t length = static_cast<std::size_t>((rest[3] << 8) | rest[4]);
    if (length > kTlsMaxRecord)
      return "record length " + std::to_string(length) + " exceeds " + std::to_string(kTlsMaxRecord);
  }
  return {};
}

bool known_handshake_type(std::uint8_t type) {
  switch (type) {
    case 1: case 2: case 4: case 8: case 11: case 12: case 13: case 14: case 15: case 16: case 20: case 22:
    case 24: case 25:
      return true;
    default:
      return false;  // 0 (HelloRequest, empty) included: encrypted records often start with 00
  }
}

bool be24(wire::Reader& r, std::size_t& out) {
  std::uint8_t a = 0, b = 0, c = 0;
  if (!r.u8(a) || !r.u8(b) || !r.u8(c)) return false;
  out = (static_cast<std::size_t>(a) << 16) | (static_cast<std::size_t>(b) << 8) | c;
  return true;
}

// ---- X.509 (RFC 5280 4.1) ----

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
  if (cp > 0x10FFFF) cp = 0xFFFD;
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

// DirectoryString and friends to sanitized UTF-8 text.
std::string string_value(const ber::Tlv& tlv) {
  const Bytes v = tlv.value.size() > 1024 ? tlv.value.first(1024) : tlv.value;
  std::string text;
  switch (tlv.tag) {
    case 0x1E:  // BMPString: UTF-16BE code units
      for (std::size_t i = 0; i + 1 < v.size(); i += 2) append_utf8(text, static_cast<std::uint32_t>((v[i] << 8) | v[i + 1]));
      return sanitize_text(text);
    case 0x1C:  // UniversalString: UCS-4 big endian
      for (std::size_t i = 0; i + 3 < v.size(); i += 4)
        append_utf8(text, (static_cast<std::uint32_t>(v[i]) << 24) | (static_cast<std::uint32_t>(v[i + 1]) << 16) |
                              (static_cast<std::uint32_t>(v[i + 2]) << 8) | v[i + 3]);
      return sanitize_text(text);
    case 0x14:  // TeletexString: taken as ISO 8859-1 (what certificates in practice put there)
      for (std::uint8_t b : v) append_utf8(text, b);
      return sanitize_text(text);
    default:  // UTF8String, PrintableString, IA5String, VisibleString, anything else as bytes
      return sanitize_text(v);
  }
}

// Attribute types 2.5.4.x (id-at): 3 CN, 6 C, 10 O, 11 OU.
const char* attribute_suffix(Bytes oid) {
  if (oid.size() != 3 || oid[0] != 0x55 || oid[1] != 0x04) return nullptr;
  switch (oid[2]) {
    case 3: return "cn";
    case 6: return "c";
    case 10: return "o";
    case 11: return "ou";
    default: return nullptr;
  }
}

// Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). Several values
// of one attribute are joined with ", " in the order they appear.
bool parse_name(const ber::Reader& parent, const ber::Tlv& name, const std::string& prefix,
                std::vector<Field>& fields, std::string& error) {
  auto rdns = parent.enter(name);
  if (!rdns) {
    error = prefix + " name nested too deep";
    return false;
  }
  std::string values[4];  // cn, c, o, ou
  static constexpr const char* kOrder[4] = {"cn", "c", "o", "ou"};
  ber::Tlv set;
  ber::Status s;
  while ((s = rdns->next(set)) == ber::Status::ok) {
    auto atvs = set.tag == 0x31 ? rdns->enter(set) : std::nullopt;
    if (!atvs) {
      error = prefix + " name element tag " + std::to_string(set.tag) + ", expected SET (49)";
      return false;
    }
    ber::Tlv atv;
    ber::Status s2;
    while ((s2 = atvs->next(atv)) == ber::Status::ok) {
      auto parts = atv.tag == 0x30 ? atvs->enter(atv) : std::nullopt;
      ber::Tlv oid, value;
      if (!parts || parts->next(oid) != ber::Status::ok || oid.tag != 0x06 || parts->next(value) != ber::Status::ok) {
        error = prefix + " name attribute is not (OID, value)";
        return false;
      }
      if (const char* suffix = attribute_suffix(oid.value)) {
        for (int i = 0; i < 4; ++i) {
          if (std::string_view(kOrder[i]) != suffix) continue;
          std::string text = string_value(value);
          if (text.empty()) break;
          if (!values[i].empty()) values[i] += ", ";
          if (values[i].size() < 512) values[i] += text;
          break;
        }
      }
    }
    if (s2 != ber::Status::end) {
      error = prefix + " name attribute: " + ber::to_string(s2);
      return false;
    }
  }
  if (s != ber::Status::end) {
    error = prefix + " name: " + ber::to_string(s);
    return false;
  }
  for (int i = 0; i < 4; ++i)
    if (!values[i].empty()) fields.push_back({prefix + "." + kOrder[i], sanitize_text(values[i], 1024)});
  return true;
}

// UTCTime YYMMDDHHMMSSZ / GeneralizedTime YYYYMMDDHHMMSSZ to "YYYY-MM-DDTHH:MM:SSZ"; other
// forms as they are.
std::string time_text(const ber::Tlv& tlv) {
  const std::string raw = sanitize_text(tlv.value, 64);
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i)
      if (raw[i] < '0' || raw[i] > '9') return false;
    return true;
  };
  std::string year, rest;
  if (tlv.tag == 0x17 && raw.size() == 13 && raw[12] == 'Z' && digits(0, 12)) {
    year = (raw[0] < '5' ? "20" : "19") + raw.substr(0, 2);
    rest = raw.substr(2, 10);
  } else if (tlv.tag == 0x18 && raw.size() == 15 && raw[14] == 'Z' && digits(0, 14)) {
    year = raw.substr(0, 4);
    rest = raw.substr(4, 10);
  } else {
    return raw;
  }
  return year + "-" + rest.substr(0, 2) + "-" + rest.substr(2, 2) + "T" + rest.substr(4, 2) + ":" + rest.substr(6, 2) +
         ":" + rest.substr(8, 2) + "Z";
}

bool parse_certificate(Bytes der, std::vector<Field>& fields, std::string& error) {
  ber::Reader top(der);
  ber::Tlv cert, tbs, t;
  ber::Status s = top.next(cert);
  if (s != ber::Status::ok || cert.tag != 0x30) {
    error = "certificate is not a SEQUENCE (" + std::string(ber::to_string(s)) + ")";
    return false;
  }
  auto cert_r = top.enter(cert);
  if (!cert_r || (s = cert_r->next(tbs)) != ber::Status::ok || tbs.tag != 0x30) {
    error = "certificate has no tbsCertificate SEQUENCE";
    return false;
  }
  auto tbs_r = cert_r->enter(tbs);
  if (!tbs_r) {
    error = "tbsCertificate nested too deep";
    return false;
  }
  auto expect = [&](std::uint8_t tag, const char* what) {
    const ber::Status st = tbs_r->next(t);
    if (st != ber::Status::ok || t.tag != tag) {
      error = std::string("tbsCertificate ") + what + ": " +
              (st != ber::Status::ok ? std::string(ber::to_string(st)) : "tag " + std::to_string(t.tag));
      return false;
    }
    return true;
  };
  s = tbs_r->next(t);
  if (s == ber::Status::ok && t.tag == 0xA0) s = tbs_r->next(t);  // [0] EXPLICIT version
  if (s != ber::Status::ok || t.tag != 0x02 || t.value.empty()) {
    error = "tbsCertificate serialNumber missing";
    return false;
  }
  Bytes serial = t.value;
  if (serial.size() > 1 && serial[0] == 0) serial = serial.subspan(1);
  fields.push_back({"serial", wire::to_hex(serial, 64)});
  if (!expect(0x30, "signature")) return false;
  if (!expect(0x30, "issuer")) return false;
  const ber::Tlv issuer = t;
  if (!parse_name(*tbs_r, issuer, "issuer", fields, error)) return false;
  if (!expect(0x30, "validity")) return false;
  {
    auto validity = tbs_r->enter(t);
    ber::Tlv nb, na;
    if (!validity || validity->next(nb) != ber::Status::ok || validity->next(na) != ber::Status::ok ||
        (nb.tag != 0x17 && nb.tag != 0x18) || (na.tag != 0x17 && na.tag != 0x18)) {
      error = "validity is not (Time, Time)";
      return false;
    }
    fields.push_back({"not.before", time_text(nb)});
    fields.push_back({"not.after", time_text(na)});
  }
  if (!expect(0x30, "subject")) return false;
  const ber::Tlv subject = t;
  if (!parse_name(*tbs_r, subject, "subject", fields, error)) return false;
  const bool self_issued = issuer.value.size() == subject.value.size() &&
                           std::equal(issuer.value.begin(), issuer.value.end(), subject.value.begin());
  fields.push_back({"self.issued", self_issued});
  return true;
}

// ---- handshake messages ----

struct MessageResult {
  bool has_identity = false;
  Identity identity;
  std::string error;
  bool tls13 = false;  // a ServerHello selecting TLS 1.3: what follows is encrypted
};

MessageResult client_hello(Bytes body) {
  MessageResult m;
  wire::Reader r(body);
  std::uint16_t version = 0, cipher_length = 0, ext_length = 0;
  std::uint8_t sid_length = 0, comp_length = 0;
  if (!r.be16(version) || !r.skip(32) || !r.u8(sid_length) || !r.skip(sid_length) || !r.be16(cipher_length) ||
      !r.skip(cipher_length) || !r.u8(comp_length) || !r.skip(comp_length)) {
    m.error = "tls: ClientHello fields run past its length " + std::to_string(body.size());
    return m;
  }
  if (r.remaining() == 0) return m;  // no extensions
  Bytes extensions;
  if (!r.be16(ext_length) || !r.bytes(ext_length, extensions)) {
    m.error = "tls: ClientHello extensions length " + std::to_string(ext_length) + " exceeds " +
              std::to_string(r.remaining()) + " bytes";
    return m;
  }
  wire::Reader e(extensions);
  while (e.remaining() > 0) {
    std::uint16_t type = 0, length = 0;
    Bytes data;
    if (!e.be16(type) || !e.be16(length) || !e.bytes(length, data)) {
      m.error = "tls: ClientHello extension " + std::to_string(type) + " length " + std::to_string(length) +
                " exceeds the extensions block (" + std::to_string(extensions.size()) + " bytes)";
      return m;
    }
    if (type != 0) continue;  // server_name
    wire::Reader s(data);
    std::uint16_t list_length = 0;
    Bytes list;
    if (!s.be16(list_length) || !s.bytes(list_length, list)) {
      m.error = "tls: server_name list length " + std::to_string(list_length) + " exceeds " +
                std::to_string(data.size()) + " bytes";
      return m;
    }
    wire::Reader l(list);
    while (l.remaining() > 0) {
      std::uint8_t name_type = 0;
      std::uint16_t name_length = 0;
      Bytes name;
      if (!l.u8(name_type) || !l.be16(name_length) || !l.bytes(name_length, name)) {
        m.error = "tls: server_name entry length " + std::to_string(name_length) + " exceeds the list (" +
                  std::to_string(list.size()) + " bytes)";
        return m;
      }
      if (name_type != 0 || name.empty()) continue;  // host_name
      std::vector<Field> fields;
      fields.push_back({"sni", sanitize_text(name)});
      fields.push_back({"client.version", version_text(version)});
      m.identity = make_identity("tls.client-hello", std::move(fields), false);
      m.has_identity = !m.identity.fields.empty();
      return m;
    }
  }
  return m;
}

MessageResult server_hello(Bytes body) {
  MessageResult m;
  wire::Reader r(body);
  std::uint16_t version = 0, cipher = 0, ext_length = 0;
  std::uint8_t sid_length = 0, compression = 0;
  if (!r.be16(version) || !r.skip(32) || !r.u8(sid_length) || !r.skip(sid_length) || !r.be16(cipher) ||
      !r.u8(compression)) {
    m.error = "tls: ServerHello fields run past its length " + std::to_string(body.size());
    return m;
  }
  unsigned selected = version;
  if (r.remaining() > 0) {
    Bytes extensions;
    if (!r.be16(ext_length) || !r.bytes(ext_length, extensions)) {
      m.error = "tls: ServerHello extensions length " + std::to_string(ext_length) + " exceeds " +
                std::to_string(r.remaining()) + " bytes";
      return m;
    }
    wire::Reader e(extensions);
    while (e.remaining() > 0) {
      std::uint16_t type = 0, length = 0;
      Bytes data;
      if (!e.be16(type) || !e.be16(length) || !e.bytes(length, data)) {
        m.error = "tls: ServerHello extension " + std::to_string(type) + " length " + std::to_string(length) +
                  " exceeds the extensions block (" + std::to_string(extensions.size()) + " bytes)";
        return m;
      }
      if (type == 43 && data.size() == 2) selected = static_cast<unsigned>((data[0] << 8) | data[1]);
    }
  }
  m.tls13 = selected == 0x0304;
  m.identity = make_identity("tls.server-hello", {{"version", version_text(selected)}, {"cipher.suite", hex4(cipher)}});
  m.has_identity = true;
  return m;
}

MessageResult certificate(Bytes body) {
  MessageResult m;
  wire::Reader r(body);
  std::size_t total = 0, first = 0;
  Bytes list, der;
  if (!be24(r, total) || !r.bytes(total, list)) {
    m.error = "tls: Certificate list length " + std::to_string(total) + " exceeds the message (" +
              std::to_string(body.size()) + " bytes)";
    return m;
  }
  if (list.empty()) return m;  // a client without certificate
  wire::Reader l(list);
  if (!be24(l, first) || !l.bytes(first, der)) {
    m.error = "tls: certificate length " + std::to_string(first) + " exceeds the list (" + std::to_string(list.size()) +
              " bytes)";
    return m;
  }
  std::vector<Field> fields;
  std::string error;
  if (!parse_certificate(der, fields, error)) {
    m.error = "tls: " + error;
    return m;
  }
  std::int64_t count = 0;
  wire::Reader c(list);
  std::size_t length = 0;
  while (c.remaining() > 0 && be24(c, length) && c.skip(length)) ++count;
  fields.push_back({"chain.length", count});
  m.identity = make_identity("tls.certificate", std::move(fields));
  m.has_identity = true;
  return m;
}

MessageResult handshake_message(std::uint8_t type, Bytes body) {
  switch (type) {
    case 1: return client_hello(body);
    case 2: return server_hello(body);
    case 11: return certificate(body);
    default: return {};
  }
}

}  // namespace

IdentityResult decode_tls_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  (void)from_server;  // every message says which side sent it
  IdentityResult result;
  std::size_t pos = 0, safe = 0;
  std::vector<std::uint8_t> handshake;  // reassembly buffer
  std::vector<Identity> pending;        // identities from messages not yet before `safe`
  bool encrypted = false, any_record = false;
  auto fail = [&](std::string error, std::size_t consumed) {
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(error);
    result.consumed = consumed;
    return result;
  };
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (const std::string bad = check_record_header(rest); !bad.empty()) {
      if (pos == 0) return IdentityResult{};
      return fail("tls: " + bad + " at offset " + std::to_string(pos), safe);
    }
    if (rest.size() < kRecordHeader) break;
    const std::uint8_t type = rest[0];
    const std::size_t length = static_cast<std::size_t>((rest[3] << 8) | rest[4]);
    if (rest.size() < kRecordHeader + length) break;
    const Bytes fragment = rest.subspan(kRecordHeader, length);
    pos += kRecordHeader + length;
    any_record = true;
    if (type == 22 && !encrypted) {
      handshake.insert(handshake.end(), fragment.begin(), fragment.end());
      std::size_t hp = 0;
      while (handshake.size() - hp >= 4) {
        const std::uint8_t msg_type = handshake[hp];
        const std::size_t msg_length = (static_cast<std::size_t>(handshake[hp + 1]) << 16) |
                                       (static_cast<std::size_t>(handshake[hp + 2]) << 8) | handshake[hp + 3];
        if (!known_handshake_type(msg_type)) {
          encrypted = true;  // an encrypted Finished (TLS <= 1.2) after a ChangeCipherSpec we did not see
          break;
        }
        if (msg_length > kTlsMaxHandshakeMessage)
          return fail("tls: handshake message type " + std::to_string(msg_type) + " length " +
                          std::to_string(msg_length) + " exceeds " + std::to_string(kTlsMaxHandshakeMessage),
                      pos);
        if (handshake.size() - hp - 4 < msg_length) break;
        MessageResult m = handshake_message(msg_type, Bytes(handshake).subspan(hp + 4, msg_length));
        hp += 4 + msg_length;
        if (!m.error.empty()) {
          for (auto& id : pending) result.identities.push_back(std::move(id));
          return fail(std::move(m.error), pos);
        }
        if (m.has_identity) pending.push_back(std::move(m.identity));
        if (m.tls13) encrypted = true;
      }
      if (encrypted) handshake.clear();
      else handshake.erase(handshake.begin(), handshake.begin() + static_cast<std::ptrdiff_t>(hp));
    } else if (type == 20 || type == 23) {
      encrypted = true;  // ChangeCipherSpec or application data: the rest is encrypted
      handshake.clear();
    }
    if (handshake.empty()) {
      safe = pos;
      for (auto& id : pending) result.identities.push_back(std::move(id));
      pending.clear();
    }
  }
  result.consumed = safe;
  set_stream_outcome(result, any_record && safe > 0);
  return result;
}

}  // namespace herkomst::protocols
