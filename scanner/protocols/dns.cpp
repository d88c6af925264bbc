#include "scanner/protocols/dns.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kMaxNameBytes = 255;
constexpr std::size_t kMaxLabels = 128;
constexpr std::size_t kMaxJumps = 64;

using Labels = std::vector<std::string>;  // raw label bytes

// Reads a (possibly compressed) name at `pos` of the message; `pos` moves past it in the
// message (past the first pointer, if any). Pointers must point before themselves; name length,
// label count and jumps are bounded, so a loop ends in an error.
bool read_name(Bytes msg, std::size_t& pos, Labels& labels, std::string& error) {
  std::size_t p = pos, total = 1, jumps = 0;
  bool jumped = false;
  labels.clear();
  while (true) {
    if (p >= msg.size()) {
      error = "dns: name at offset " + std::to_string(pos) + " runs past the data (" + std::to_string(msg.size()) + " bytes)";
      return false;
    }
    const std::uint8_t length = msg[p];
    if ((length & 0xC0) == 0xC0) {
      if (p + 1 >= msg.size()) {
        error = "dns: compression pointer at offset " + std::to_string(p) + " runs past the data";
        return false;
      }
      const std::size_t target = (static_cast<std::size_t>(length & 0x3F) << 8) | msg[p + 1];
      if (target >= p || ++jumps > kMaxJumps) {
        error = "dns: compression pointer at offset " + std::to_string(p) + " to offset " + std::to_string(target) +
                " does not point backwards";
        return false;
      }
      if (!jumped) pos = p + 2;
      jumped = true;
      p = target;
      continue;
    }
    if ((length & 0xC0) != 0) {
      error = "dns: label type 0x" + wire::to_hex(msg.subspan(p, 1)) + " at offset " + std::to_string(p);
      return false;
    }
    if (length == 0) {
      if (!jumped) pos = p + 1;
      return true;
    }
    if (msg.size() - p - 1 < length) {
      error = "dns: label of " + std::to_string(length) + " bytes at offset " + std::to_string(p) + " runs past the data";
      return false;
    }
    total += length + 1u;
    if (total > kMaxNameBytes || labels.size() >= kMaxLabels) {
      error = "dns: name at offset " + std::to_string(pos) + " exceeds " + std::to_string(kMaxNameBytes) + " bytes or " +
              std::to_string(kMaxLabels) + " labels";
      return false;
    }
    labels.emplace_back(reinterpret_cast<const char*>(msg.data() + p + 1), length);
    p += 1u + length;
  }
}

std::string label_text(const std::string& label) { return sanitize_text(label, 255); }

std::string name_text(const Labels& labels, std::size_t from = 0, std::size_t to = static_cast<std::size_t>(-1)) {
  std::string out;
  for (std::size_t i = from; i < labels.size() && i < to; ++i) {
    if (!out.empty()) out.push_back('.');
    out += label_text(labels[i]);
  }
  return out;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

std::string type_name(unsigned type) {
  switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 13: return "HINFO";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 33: return "SRV";
    case 47: return "NSEC";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return std::to_string(type);
  }
}

struct Header {
  std::uint16_t flags = 0, qd = 0, an = 0, ns = 0, ar = 0;
  bool response() const { return (flags & 0x8000) != 0; }
};

bool plausible_header(Bytes payload, Header& h) {
  if (payload.size() < kHeaderSize) return false;
  wire::Reader r(payload);
  std::uint16_t id = 0;
  r.be16(id);
  r.be16(h.flags);
  r.be16(h.qd);
  r.be16(h.an);
  r.be16(h.ns);
  r.be16(h.ar);
  const unsigned opcode = (h.flags >> 11) & 0x0F;
  if (opcode == 3 || opcode > 5) return false;
  if ((h.flags & 0x0040) != 0) return false;                 // Z
  if (!h.response() && (h.flags & 0x000F) != 0) return false;  // a query with an RCODE
  const std::size_t records = std::size_t{h.an} + h.ns + h.ar;
  if (std::size_t{h.qd} + records == 0) return false;
  return std::size_t{h.qd} * 5 + records * 11 <= payload.size() - kHeaderSize;
}

struct Question {
  Labels name;
  std::uint16_t type = 0;
};

struct Record {
  Labels name;
  std::uint16_t type = 0;
  std::size_t rdata_offset = 0;  // in the message (names inside rdata may be compressed)
  Bytes rdata;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> records;
};

bool parse(Bytes payload, const Header& header, bool want_records, Message& m, std::string& error) {
  m.header = header;
  std::size_t pos = kHeaderSize;
  for (unsigned i = 0; i < header.qd; ++i) {
    Question q;
    if (!read_name(payload, pos, q.name, error)) return false;
    wire::Reader r(payload.subspan(pos));
    std::uint16_t qclass = 0;
    if (!r.be16(q.type) || !r.be16(qclass)) {
      error = "dns: question " + std::to_string(i + 1) + " of " + std::to_string(header.qd) + " runs past the data (" +
              std::to_string(payload.size()) + " bytes)";
      return false;
    }
    pos += 4;
    if (m.questions.size() < kDnsMaxQueries) m.questions.push_back(std::move(q));
  }
  if (!want_records) return true;
  const std::size_t records = std::size_t{header.an} + header.ns + header.ar;
  for (std::size_t i = 0; i < records && i < kDnsMaxRecords; ++i) {
    Record rec;
    if (!read_name(payload, pos, rec.name, error)) return false;
    wire::Reader r(payload.subspan(pos));
    std::uint16_t rclass = 0, rdlength = 0;
    std::uint32_t ttl = 0;
    if (!r.be16(rec.type) || !r.be16(rclass) || !r.be32(ttl) || !r.be16(rdlength) || !r.bytes(rdlength, rec.rdata)) {
      error = "dns: record " + std::to_string(i + 1) + " of " + std::to_string(records) + " at offset " +
              std::to_string(pos) + " runs past the data (" + std::to_string(payload.size()) + " bytes)";
      return false;
    }
    rec.rdata_offset = pos + 10;
    pos += 10u + rdlength;
    m.records.push_back(std::move(rec));
  }
  return true;
}

IdentityResult queries(const Message& m, bool mdns) {
  IdentityResult result;
  for (const Question& q : m.questions) {
    std::vector<Field> fields;
    fields.push_back({"name", name_text(q.name)});
    fields.push_back({"type", type_name(q.type)});
    if (mdns) fields.push_back({"mdns", true});
    if (q.name.empty()) fields[0].value = std::string(".");
    result.identities.push_back(make_identity("dns.query", std::move(fields)));
  }
  result.outcome = result.identities.empty() ? DecodeOutcome::no_identity : DecodeOutcome::identified;
  return result;
}

struct Service {
  std::string key;  // lower-case full instance name
  Labels name;
  std::string host;
  std::int64_t port = -1;
  std::vector<Field> txt;
};

Service& service_for(std::vector<Service>& services, const Labels& name, bool& full) {
  const std::string key = lower_ascii(name_text(name));
  for (Service& s : services)
    if (s.key == key) return s;
  if (services.size() >= kMdnsMaxServices) {
    full = true;
    return services.back();
  }
  services.push_back(Service{key, name, {}, -1, {}});
  return services.back();
}

bool is_proto_label(const std::string& label) {
  return lower_ascii(label) == "_tcp" || lower_ascii(label) == "_udp";
}

// TXT key to a field name part: lower case, [a-z0-9._-] kept, other bytes as '_'.
std::string txt_key(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, key.size() < 64 ? key.size() : 64)) {
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    out.push_back(((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '-' || l == '_') ? l : '_');
  }
  return out;
}

IdentityResult services(Bytes payload, const Message& m) {
  IdentityResult result;
  std::vector<Service> found;
  std::string error;
  std::string host_only;
  for (const Record& rec : m.records) {
    bool full = false;
    if (rec.type == 12) {  // PTR <service>.<domain> -> <instance>.<service>.<domain>
      if (name_text(rec.name).starts_with("_services._dns-sd.")) continue;
      if (rec.name.empty() || rec.name[0].empty() || rec.name[0][0] != '_') continue;  // reverse lookups etc.
      std::size_t at = rec.rdata_offset;
      Labels target;
      if (!read_name(payload, at, target, error) || at > rec.rdata_offset + rec.rdata.size()) {
        result.outcome = DecodeOutcome::malformed;
        result.error = error.empty() ? "dns: PTR target runs past its record data" : error;
        return result;
      }
      if (target.size() > rec.name.size()) service_for(found, target, full);
    } else if (rec.type == 33) {  // SRV priority, weight, port, target
      wire::Reader r(rec.rdata);
      std::uint16_t priority = 0, weight = 0, port = 0;
      if (!r.be16(priority) || !r.be16(weight) || !r.be16(port)) {
        result.outcome = DecodeOutcome::malformed;
        result.error = "dns: SRV record data of " + std::to_string(rec.rdata.size()) + " bytes, needs at least 7";
        return result;
      }
      std::size_t at = rec.rdata_offset + 6;
      Labels target;
      if (!read_name(payload, at, target, error) || at > rec.rdata_offset + rec.rdata.size()) {
        result.outcome = DecodeOutcome::malformed;
        result.error = error.empty() ? "dns: SRV target runs past its record data" : error;
        return result;
      }
      Service& s = service_for(found, rec.name, full);
      if (full) continue;
      s.port = port;
      s.host = name_text(target);
    } else if (rec.type == 16) {  // TXT: <length><key[=value]> strings
      Service& s = service_for(found, rec.name, full);
      if (full) continue;
      wire::Reader r(rec.rdata);
      while (r.remaining() > 0) {
        std::uint8_t length = 0;
        Bytes entry;
        if (!r.u8(length) || !r.bytes(length, entry)) {
          result.outcome = DecodeOutcome::malformed;
          result.error = "dns: TXT string of " + std::to_string(length) + " bytes runs past its record data (" +
                         std::to_string(rec.rdata.size()) + " bytes)";
          return result;
        }
        const std::string_view text(reinterpret_cast<const char*>(entry.data()), entry.size());
        const std::size_t eq = text.find('=');
        if (eq == 0 || eq == std::string_view::npos) continue;  // no key, or a boolean attribute
        const std::string name = "txt." + txt_key(text.substr(0, eq));
        bool seen = false;
        for (const Field& f : s.txt) seen = seen || f.name == name;
        if (seen || s.txt.size() >= kMdnsMaxTxtKeys) continue;
        std::string value = sanitize_text(text.substr(eq + 1));
        if (!value.empty()) s.txt.push_back({name, std::move(value)});
      }
    } else if ((rec.type == 1 && rec.rdata.size() == 4) || (rec.type == 28 && rec.rdata.size() == 16)) {
      if (host_only.empty()) host_only = name_text(rec.name);
    }
  }
  for (Service& s : found) {
    std::vector<Field> fields;
    // <instance labels>.<_service>.<_tcp|_udp>.<domain>
    std::size_t proto = 0;
    for (std::size_t i = 2; i < s.name.size(); ++i)
      if (is_proto_label(s.name[i])) {
        proto = i;
        break;
      }
    if (proto >= 2) {
      fields.push_back({"instance", name_text(s.name, 0, proto - 1)});
      fields.push_back({"service", name_text(s.name, proto - 1, proto + 1)});
      fields.push_back({"domain", name_text(s.name, proto + 1)});
    } else {
      fields.push_back({"instance", name_text(s.name, 0, 1)});
      fields.push_back({"service", name_text(s.name, 1)});
    }
    fields.push_back({"host", s.host});
    if (s.port >= 0) fields.push_back({"port", s.port});
    for (Field& f : s.txt) fields.push_back(std::move(f));
    result.identities.push_back(make_identity("mdns.service", std::move(fields)));
  }
  if (result.identities.empty() && !host_only.empty())
    result.identities.push_back(make_identity("mdns.host", {{"host", host_only}}));
  result.outcome = result.identities.empty() ? DecodeOutcome::no_identity : DecodeOutcome::identified;
  return result;
}

IdentityResult decode(Bytes payload, bool mdns) {
  Header header;
  if (!plausible_header(payload, header)) return {};
  Message m;
  std::string error;
  const bool want_records = mdns && header.response();
  if (!parse(payload, header, want_records, m, error)) {
    IdentityResult result;
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(error);
    return result;
  }
  if (!header.response()) return queries(m, mdns);
  if (!mdns) {
    IdentityResult result;
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  return services(payload, m);
}

}  // namespace

IdentityResult decode_dns(std::span<const std::uint8_t> payload) { return decode(payload, false); }
IdentityResult decode_mdns(std::span<const std::uint8_t> payload) { return decode(payload, true); }

}  // namespace herkomst::protocols
