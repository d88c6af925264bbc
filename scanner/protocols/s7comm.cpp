#include "scanner/protocols/s7comm.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/tpkt_cotp.hpp"
#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::uint8_t kS7ProtocolId = 0x32;
constexpr std::uint8_t kS7PlusProtocolId = 0x72;

std::string hex16(std::uint16_t value) {
  const std::uint8_t be[2] = {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value & 0xFF)};
  return "0x" + wire::to_hex(Bytes(be, 2));
}

std::uint16_t be16_at(Bytes data, std::size_t offset) {
  return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

std::string text(Bytes field) { return sanitize_text(wire::until_nul(field)); }

// Versions in SZL 0x0011: Ausbg high byte a letter ('V' firmware) and low byte the first
// number, Ausbe the next two numbers: 0x5603 0x0206 -> "V3.2.6". Otherwise Ausbg is a plain
// number (hardware version of index 0x0006).
std::string version_text(std::uint16_t ausbg, std::uint16_t ausbe) {
  const unsigned letter = ausbg >> 8;
  if ((letter >= 'A' && letter <= 'Z') || (letter >= 'a' && letter <= 'z'))
    return std::string(1, static_cast<char>(letter)) + std::to_string(ausbg & 0xFF) + "." +
           std::to_string(ausbe >> 8) + "." + std::to_string(ausbe & 0xFF);
  return std::to_string(ausbg);
}

struct SzlResult {
  bool has_identity = false;
  Identity identity;
  std::string error;
};

// SZL 0x0011 record (28 bytes): index, MLFB (20 bytes), BGTyp, Ausbg, Ausbe.
void module_record(Bytes record, std::vector<Field>& fields) {
  const std::uint16_t index = be16_at(record, 0);
  const Bytes mlfb = record.subspan(2, 20);
  const std::uint16_t ausbg = be16_at(record, 24);
  const std::uint16_t ausbe = be16_at(record, 26);
  switch (index) {
    case 0x0001:
      fields.push_back({"order.number", text(mlfb)});
      break;
    case 0x0006:
      fields.push_back({"hardware.order.number", text(mlfb)});
      fields.push_back({"hardware.version", std::to_string(ausbg)});
      break;
    case 0x0007:
      fields.push_back({"firmware.version", version_text(ausbg, ausbe)});
      break;
    case 0x0081:
      fields.push_back({"bootloader.version", version_text(ausbg, ausbe)});
      break;
    default:
      break;
  }
}

// SZL 0x001C record (34 bytes): index and 32 bytes, text except for indexes 9 and 0x0a.
void component_record(Bytes record, std::vector<Field>& fields) {
  const std::uint16_t index = be16_at(record, 0);
  const Bytes body = record.subspan(2, 32);
  switch (index) {
    case 0x0001: fields.push_back({"system.name", text(body)}); break;
    case 0x0002: fields.push_back({"module.name", text(body)}); break;
    case 0x0003: fields.push_back({"plant.id", text(body)}); break;
    case 0x0004: fields.push_back({"copyright", text(body)}); break;
    case 0x0005: fields.push_back({"serial", text(body)}); break;
    case 0x0007: fields.push_back({"module.type", text(body)}); break;
    case 0x0008: fields.push_back({"memory.card.serial", text(body)}); break;
    case 0x0009:  // manufacturer id (PROFIBUS/PROFINET vendor id), profile id, profile type
      if (be16_at(body, 0) != 0) fields.push_back({"vendor.id", std::int64_t{be16_at(body, 0)}});
      if (be16_at(body, 2) != 0) fields.push_back({"profile.id", std::int64_t{be16_at(body, 2)}});
      break;
    case 0x000A:  // OEM id, OEM additional id
      if (be16_at(body, 0) != 0) fields.push_back({"oem.id", std::int64_t{be16_at(body, 0)}});
      break;
    case 0x000B: fields.push_back({"location", text(body)}); break;
    default: break;
  }
}

// The SZL data of one answer: SZL-ID, index, record length, record count, records.
// `complete`: all fragments are present (a count beyond the data is then a lie).
SzlResult parse_szl(Bytes szl, bool complete) {
  SzlResult result;
  wire::Reader r(szl);
  std::uint16_t id = 0, index = 0, record_size = 0, count = 0;
  if (!r.be16(id) || !r.be16(index) || !r.be16(record_size) || !r.be16(count)) {
    if (complete) result.error = "s7: SZL answer has " + std::to_string(szl.size()) + " bytes, its header needs 8";
    return result;
  }
  (void)index;
  if (((id >> 8) & 0x0F) == 0x0F) return result;  // "header only" extracts carry no records
  const unsigned list = id & 0xFF;
  if (list != 0x11 && list != 0x1C) return result;
  const std::size_t needed = list == 0x11 ? 28 : 34;
  if (count == 0) return result;
  if (record_size < needed) {
    result.error = "s7: SZL " + hex16(id) + " record length " + std::to_string(record_size) + " below " +
                   std::to_string(needed);
    return result;
  }
  const Bytes records = r.rest();
  if (complete && static_cast<std::size_t>(count) * record_size > records.size()) {
    result.error = "s7: SZL " + hex16(id) + " list count " + std::to_string(count) + " x " +
                   std::to_string(record_size) + " bytes exceeds data (" + std::to_string(records.size()) + " bytes)";
    return result;
  }
  std::vector<Field> fields;
  const std::size_t available = records.size() / record_size;
  const std::size_t n = std::min({static_cast<std::size_t>(count), available, kS7MaxSzlRecords});
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes record = records.subspan(i * record_size, record_size);
    if (list == 0x11) module_record(record, fields);
    else component_record(record, fields);
  }
  Identity identity = make_identity(list == 0x11 ? "s7.module-identification" : "s7.component-identification",
                                    std::move(fields));
  if (identity.fields.empty()) return result;
  result.identity = std::move(identity);
  result.has_identity = true;
  return result;
}

Identity connect_identity(const cotp::Unit& unit) {
  std::vector<Field> fields;
  fields.push_back({"tsap.src", wire::to_hex(unit.calling_tsap)});
  fields.push_back({"tsap.dst", wire::to_hex(unit.called_tsap)});
  // S7 TSAPs: first byte the connection type (1 PG, 2 OP, 3 S7 basic), second rack * 32 + slot.
  if (unit.called_tsap.size() == 2 && unit.called_tsap[0] >= 1 && unit.called_tsap[0] <= 3) {
    fields.push_back({"rack", std::int64_t{unit.called_tsap[1] >> 5}});
    fields.push_back({"slot", std::int64_t{unit.called_tsap[1] & 0x1F}});
  }
  // CR names the station it calls (the receiver); CC comes from it.
  return make_identity("cotp.connect", std::move(fields), unit.type == cotp::kConnectConfirm);
}

// One S7 userdata answer of "read SZL" split over several PDUs (same data unit reference).
struct SzlChain {
  bool active = false;
  std::uint8_t reference = 0;
  std::size_t begin = 0;       // stream offset of its first PDU
  std::size_t identities = 0;  // identities found before it
  std::size_t fragments = 0;
  std::vector<std::uint8_t> data;
};

struct Decoder {
  IdentityResult result;
  SzlChain chain;
  bool any_message = false;

  void add(SzlResult szl) {
    if (szl.has_identity) result.identities.push_back(std::move(szl.identity));
  }
  bool fail(std::string error, std::size_t consumed) {
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(error);
    result.consumed = consumed;
    return false;
  }
  void flush_partial() {
    if (!chain.active) return;
    add(parse_szl(chain.data, false));
    chain = SzlChain{};
  }

  // Returns false when the PDU lies (result set to malformed).
  bool pdu(Bytes data, const cotp::Unit& unit) {
    wire::Reader r(data);
    std::uint8_t protocol = 0, rosctr = 0;
    std::uint16_t redundancy = 0, reference = 0, param_length = 0, data_length = 0;
    r.u8(protocol);
    if (protocol == kS7PlusProtocolId) {
      flush_partial();
      return true;
    }
    if (!r.u8(rosctr) || !r.be16(redundancy) || !r.be16(reference) || !r.be16(param_length) || !r.be16(data_length))
      return fail("s7: PDU of " + std::to_string(data.size()) + " bytes is shorter than its header", unit.end);
    if (rosctr == 2 || rosctr == 3) r.skip(2);  // error class, error code
    if (r.failed() || (rosctr != 1 && rosctr != 2 && rosctr != 3 && rosctr != 7))
      return fail("s7: bad header (ROSCTR " + std::to_string(rosctr) + ")", unit.end);
    Bytes params, payload;
    if (!r.bytes(param_length, params) || !r.bytes(data_length, payload))
      return fail("s7: parameter length " + std::to_string(param_length) + " + data length " +
                      std::to_string(data_length) + " exceed PDU (" + std::to_string(data.size()) + " bytes)",
                  unit.end);
    if (rosctr != 7) {  // job / ack: setup communication, read/write variables, ...
      flush_partial();
      return true;
    }
    // Userdata parameter: 00 01 12, length, method, type|group, subfunction, sequence number,
    // then (responses) data unit reference, last data unit, error code.
    wire::Reader p(params);
    std::uint8_t head[3] = {}, plen = 0, method = 0, type_group = 0, subfunction = 0, sequence = 0;
    std::uint8_t dur = 0, last = 0;
    for (auto& b : head) p.u8(b);
    p.u8(plen);
    p.u8(method);
    p.u8(type_group);
    p.u8(subfunction);
    p.u8(sequence);
    if (plen >= 8) {
      p.u8(dur);
      p.u8(last);
    }
    const bool szl_response = !p.failed() && (type_group >> 4) == 8 && (type_group & 0x0F) == 4 && subfunction == 1;
    if (!szl_response) {
      flush_partial();
      return true;
    }
    // Data: return code, transport size, length, then the SZL bytes.
    wire::Reader d(payload);
    std::uint8_t return_code = 0, transport = 0;
    std::uint16_t length = 0;
    Bytes szl;
    if (!d.u8(return_code) || !d.u8(transport) || !d.be16(length)) {
      flush_partial();
      return true;  // error answers may carry a shorter data part
    }
    if (!d.bytes(length, szl))
      return fail("s7: SZL data length " + std::to_string(length) + " exceeds data (" +
                      std::to_string(payload.size() - 4) + " bytes)",
                  unit.end);
    if (return_code != 0xFF) {
      flush_partial();
      return true;
    }
    const bool continuation = chain.active && chain.reference == dur;
    if (chain.active && !continuation) flush_partial();
    if (!chain.active && last != 0) {  // first of several fragments
      chain.active = true;
      chain.reference = dur;
      chain.begin = unit.begin;
      chain.identities = result.identities.size();
    }
    if (chain.active) {
      chain.data.insert(chain.data.end(), szl.begin(), szl.end());
      ++chain.fragments;
      if (last == 0) {  // the final fragment: the answer is complete
        SzlResult szl_result = parse_szl(chain.data, true);
        chain = SzlChain{};
        if (!szl_result.error.empty()) return fail(std::move(szl_result.error), unit.end);
        add(std::move(szl_result));
      } else if (chain.fragments >= kS7MaxSzlFragments || chain.data.size() >= kS7MaxSzlBytes) {
        flush_partial();  // too long: keep what the records so far say
      }
      return true;
    }
    SzlResult szl_result = parse_szl(szl, true);
    if (!szl_result.error.empty()) return fail(std::move(szl_result.error), unit.end);
    add(std::move(szl_result));
    return true;
  }
};

}  // namespace

IdentityResult decode_s7_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  (void)from_server;
  Decoder dec;
  const cotp::Stream stream = cotp::read_stream(bytes, "s7");
  if (stream.status == cotp::StreamStatus::not_tpkt) {
    dec.result.outcome = DecodeOutcome::not_protocol;
    return dec.result;
  }
  bool seen_data = false;
  for (const cotp::Unit& unit : stream.units) {
    if (unit.type == cotp::kConnectRequest || unit.type == cotp::kConnectConfirm) {
      dec.result.identities.push_back(connect_identity(unit));
      dec.any_message = true;
      continue;
    }
    if (unit.type != cotp::kData) {
      dec.any_message = true;
      continue;
    }
    if (unit.data.empty()) {  // an empty DT (clients send one before some requests)
      dec.any_message = true;
      continue;
    }
    const std::uint8_t protocol = unit.data[0];
    if (protocol != kS7ProtocolId && protocol != kS7PlusProtocolId) {
      if (!seen_data) {  // COTP, but another protocol on top (MMS, ...)
        dec.result = IdentityResult{};
        dec.result.outcome = DecodeOutcome::not_protocol;
        return dec.result;
      }
      dec.flush_partial();
      dec.fail("s7: COTP data starts with protocol id 0x" + wire::to_hex(Bytes(unit.data).first(1)) +
                   " at offset " + std::to_string(unit.begin),
               unit.end);
      return dec.result;
    }
    seen_data = true;
    dec.any_message = true;
    if (!dec.pdu(unit.data, unit)) {
      dec.flush_partial();
      dec.result.error += " at offset " + std::to_string(unit.begin);
      return dec.result;
    }
  }
  IdentityResult& result = dec.result;
  if (stream.status == cotp::StreamStatus::malformed) {
    dec.flush_partial();
    result.outcome = DecodeOutcome::malformed;
    result.error = stream.error;
    result.consumed = stream.consumed;
    return result;
  }
  result.consumed = stream.consumed;
  if (dec.chain.active) {  // an answer still waiting for fragments: hand it back whole
    result.consumed = dec.chain.begin;
    result.identities.erase(result.identities.begin() + static_cast<std::ptrdiff_t>(dec.chain.identities),
                            result.identities.end());
  }
  set_stream_outcome(result, dec.any_message && result.consumed > 0);
  return result;
}

}  // namespace herkomst::protocols
