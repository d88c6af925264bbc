// SNMP v1/v2c decoder. Message ::= SEQUENCE { version INTEGER, community OCTET STRING, PDU }
// (RFC 1157 clause 4, RFC 3416 clause 3). PDUs: [0] Get, [1] GetNext, [2] Response, [3] Set,
// [4] Trap (v1: enterprise, agent-addr, generic-trap, specific-trap, time-stamp, varbinds),
// [5] GetBulk, [6] Inform, [7] SNMPv2-Trap, [8] Report; the others carry request-id,
// error-status, error-index, varbinds.
#include "scanner/protocols/snmp.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/be_reader.hpp"
#include "scanner/protocols/ber.hpp"

namespace herkomst::protocols {
namespace {

using ber::Bytes;
using Arcs = std::vector<std::uint64_t>;

IdentityResult fail(std::string error) {
  IdentityResult r;
  r.outcome = DecodeOutcome::malformed;
  r.error = "snmp: " + std::move(error);
  return r;
}

bool starts_with(const Arcs& arcs, std::initializer_list<std::uint64_t> prefix) {
  if (arcs.size() < prefix.size()) return false;
  std::size_t i = 0;
  for (const std::uint64_t a : prefix) {
    if (arcs[i++] != a) return false;
  }
  return true;
}

// The arc after 1.3.6.1.4.1 (iso.org.dod.internet.private.enterprises), or -1.
std::int64_t enterprise_number(const Arcs& arcs) {
  if (arcs.size() >= 7 && starts_with(arcs, {1, 3, 6, 1, 4, 1}) && arcs[6] <= 0x7FFFFFFFu)
    return static_cast<std::int64_t>(arcs[6]);
  return -1;
}

struct Collected {
  std::vector<Field> fields;
  Arcs object_id, trap_enterprise, trap_oid;
  bool identity = false;
  bool has(std::string_view name) const {
    for (const auto& f : fields) {
      if (f.name == name) return true;
    }
    return false;
  }
  void text(std::string_view name, std::string value) {
    if (value.empty() || has(name)) return;  // the first non-empty value wins (e.g. entity 1)
    fields.push_back({std::string(name), std::move(value)});
    identity = true;
  }
};

// One varbind's name and value: keeps what identifies the agent.
void varbind(const Arcs& name, const ber::Tlv& value, Collected& c) {
  const bool is_string = value.tag == ber::tag::octet_string;
  const bool is_oid = value.tag == ber::tag::oid;
  // system group scalars: 1.3.6.1.2.1.1.<n>.0
  if (name.size() == 9 && starts_with(name, {1, 3, 6, 1, 2, 1, 1}) && name[8] == 0) {
    switch (name[7]) {
      case 1: if (is_string) c.text("system.description", be::multiline_text(value.value)); break;
      case 2:
        if (is_oid && c.object_id.empty()) {
          if (auto arcs = ber::oid_arcs(value.value)) {
            c.object_id = std::move(*arcs);
            c.text("system.object.id", ber::oid_text(c.object_id));
          }
        }
        break;
      case 4: if (is_string) c.text("contact", sanitize_text(value.value)); break;
      case 5: if (is_string) c.text("system.name", sanitize_text(value.value)); break;
      case 6: if (is_string) c.text("location", sanitize_text(value.value)); break;
      default: break;
    }
    return;
  }
  // entPhysicalTable columns: 1.3.6.1.2.1.47.1.1.1.1.<column>.<index>
  if (name.size() == 13 && starts_with(name, {1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1}) && is_string) {
    static constexpr std::array<std::pair<std::uint64_t, std::string_view>, 7> columns{{
        {2, "entity.description"},
        {8, "hardware.version"},
        {9, "firmware.version"},
        {10, "software.version"},
        {11, "serial"},
        {12, "manufacturer"},
        {13, "model.name"},
    }};
    for (const auto& [column, field] : columns) {
      if (name[11] == column) c.text(field, sanitize_text(value.value));
    }
    return;
  }
  // SNMPv2-Trap / Inform: snmpTrapOID.0 and snmpTrapEnterprise.0 (RFC 3418)
  if (is_oid && name.size() == 11 && starts_with(name, {1, 3, 6, 1, 6, 3, 1, 1, 4}) && name[10] == 0) {
    auto arcs = ber::oid_arcs(value.value);
    if (!arcs) return;
    if (name[9] == 1 && c.trap_oid.empty()) {
      c.trap_oid = std::move(*arcs);
      c.text("trap.oid", ber::oid_text(c.trap_oid));
    } else if (name[9] == 3 && c.trap_enterprise.empty()) {
      c.trap_enterprise = std::move(*arcs);
      c.text("trap.enterprise", ber::oid_text(c.trap_enterprise));
    }
  }
}

std::optional<std::int64_t> read_integer(ber::Reader& r) {
  ber::Tlv t;
  if (r.next(t) != ber::Status::ok || t.tag != ber::tag::integer) return std::nullopt;
  return ber::integer(t.value);
}

}  // namespace

IdentityResult decode_snmp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  // Content check: SEQUENCE header, then INTEGER version 0 (v1), 1 (v2c) or 3 (v3).
  if (payload.size() < 2 || payload[0] != ber::tag::sequence) return result;
  std::size_t header = 2;
  if (payload[1] & 0x80) {
    const std::size_t n = payload[1] & 0x7Fu;
    if (n == 0 || n > 4) return result;
    header += n;
  }
  if (payload.size() < header + 3 || payload[header] != ber::tag::integer || payload[header + 1] != 1 ||
      (payload[header + 2] != 0 && payload[header + 2] != 1 && payload[header + 2] != 3)) {
    return result;  // not_protocol
  }
  const std::uint8_t version = payload[header + 2];

  ber::Reader top(payload);
  ber::Tlv message;
  if (const auto s = top.next(message); s != ber::Status::ok)
    return fail(std::string("message header: ") + ber::to_string(s) + " (" + std::to_string(payload.size()) +
                " bytes)");
  if (!top.empty())
    return fail("message length " + std::to_string(message.value.size()) + " leaves " +
                std::to_string(payload.size() - top.offset()) + " trailing bytes");
  if (std::string error; !ber::well_formed(message.value, ber::kMaxDepth - 1, error)) return fail(error);
  result.consumed = payload.size();
  if (version == 3) {  // SNMPv3: USM/encrypted PDUs are not decoded
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }

  auto m = top.enter(message);
  if (!m) return fail("nesting too deep");
  ber::Tlv version_tlv, community, pdu;
  if (m->next(version_tlv) != ber::Status::ok) return fail("version missing");
  if (m->next(community) != ber::Status::ok || community.tag != ber::tag::octet_string)
    return fail("community is not an OCTET STRING");
  if (m->next(pdu) != ber::Status::ok || pdu.tag < 0xA0 || pdu.tag > 0xA8)
    return fail("PDU tag " + std::to_string(pdu.tag) + " is not 0xa0..0xa8");
  if (!m->empty()) return fail("data after the PDU");

  const std::uint8_t pdu_type = pdu.tag & 0x0Fu;
  if (pdu_type == 0 || pdu_type == 1 || pdu_type == 3 || pdu_type == 5) {  // Get, GetNext, Set, GetBulk
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  const bool trap = pdu_type == 4 || pdu_type == 6 || pdu_type == 7;

  auto p = m->enter(pdu);
  if (!p) return fail("nesting too deep");
  Collected c;
  c.fields.push_back({"snmp.version", std::string(version == 0 ? "v1" : "v2c")});
  c.fields.push_back({"community.length", static_cast<std::int64_t>(community.value.size())});
  if (pdu_type == 4) {  // Trap-PDU (v1)
    ber::Tlv enterprise, agent, stamp;
    if (p->next(enterprise) != ber::Status::ok || enterprise.tag != ber::tag::oid) return fail("trap enterprise");
    auto arcs = ber::oid_arcs(enterprise.value);
    if (!arcs) return fail("trap enterprise is not a valid OID");
    c.trap_enterprise = std::move(*arcs);
    c.text("trap.enterprise", ber::oid_text(c.trap_enterprise));
    if (p->next(agent) != ber::Status::ok || agent.tag != ber::tag::ip_address || agent.value.size() != 4)
      return fail("trap agent-addr is not a 4-byte IpAddress");
    c.text("agent.address", be::ipv4_text(agent.value));
    const auto generic = read_integer(*p);
    const auto specific = read_integer(*p);
    if (!generic || !specific) return fail("trap generic/specific");
    c.fields.push_back({"trap.generic", *generic});
    c.fields.push_back({"trap.specific", *specific});
    if (p->next(stamp) != ber::Status::ok || stamp.tag != ber::tag::time_ticks) return fail("trap time-stamp");
  } else {
    if (!read_integer(*p) || !read_integer(*p) || !read_integer(*p))
      return fail("request-id, error-status, error-index must be INTEGERs");
  }
  ber::Tlv list;
  if (p->next(list) != ber::Status::ok || list.tag != ber::tag::sequence)
    return fail("variable-bindings is not a SEQUENCE");
  auto l = p->enter(list);
  if (!l) return fail("nesting too deep");
  std::size_t count = 0;
  ber::Tlv vb;
  while (l->next(vb) == ber::Status::ok) {
    if (++count > kSnmpMaxVarbinds) return fail("more than " + std::to_string(kSnmpMaxVarbinds) + " varbinds");
    if (vb.tag != ber::tag::sequence) return fail("varbind " + std::to_string(count) + " is not a SEQUENCE");
    auto v = l->enter(vb);
    if (!v) return fail("nesting too deep");
    ber::Tlv name, value;
    if (v->next(name) != ber::Status::ok || name.tag != ber::tag::oid || v->next(value) != ber::Status::ok)
      return fail("varbind " + std::to_string(count) + " is not { OID, value }");
    auto arcs = ber::oid_arcs(name.value);
    if (!arcs) return fail("varbind " + std::to_string(count) + " name is not a valid OID");
    varbind(*arcs, value, c);
  }

  std::int64_t enterprise = enterprise_number(c.object_id);
  if (enterprise < 0) enterprise = enterprise_number(c.trap_enterprise);
  if (enterprise < 0) enterprise = enterprise_number(c.trap_oid);
  if (enterprise >= 0) c.fields.push_back({"enterprise.number", enterprise});

  if (!c.identity && !trap) {
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(make_identity(trap ? "snmp.trap" : "snmp.response", std::move(c.fields)));
  return result;
}

}  // namespace herkomst::protocols
