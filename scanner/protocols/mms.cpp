#include "scanner/protocols/mms.hpp"

#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/tpkt_cotp.hpp"
#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

// ISO 8327-1 SPDU identifiers (SI).
constexpr std::uint8_t kSpduData = 0x01;  // DATA TRANSFER, and GIVE TOKENS (same code, category 0)
constexpr std::uint8_t kSpduFinish = 0x09;
constexpr std::uint8_t kSpduDisconnect = 0x0A;
constexpr std::uint8_t kSpduRefuse = 0x0C;
constexpr std::uint8_t kSpduConnect = 0x0D;
constexpr std::uint8_t kSpduAccept = 0x0E;
constexpr std::uint8_t kSpduAbort = 0x19;
constexpr std::uint8_t kSpduAbortAccept = 0x1A;

bool is_session_spdu(std::uint8_t si) {
  switch (si) {
    case kSpduData: case kSpduFinish: case kSpduDisconnect: case kSpduRefuse:
    case kSpduConnect: case kSpduAccept: case kSpduAbort: case kSpduAbortAccept:
      return true;
    default:
      return false;
  }
}

// A bounded BER reader: identifier (low- or high-tag-number form, up to 4 number bytes),
// definite length (short or long form, up to 4 length bytes; non-minimal long forms are
// accepted, as some MMS stacks send them). Indefinite length is refused.
struct Tlv {
  std::uint8_t cls_constructed = 0;  // identifier octet bits 8-6
  std::uint32_t number = 0;          // tag number
  Bytes value;
  bool constructed() const { return (cls_constructed & 0x20) != 0; }
  bool context(std::uint32_t n) const { return (cls_constructed & 0xC0) == 0x80 && number == n; }
  bool universal(std::uint32_t n) const { return (cls_constructed & 0xC0) == 0x00 && number == n; }
  bool application(std::uint32_t n) const { return (cls_constructed & 0xC0) == 0x40 && number == n; }
};

class BerReader {
 public:
  explicit BerReader(Bytes data) : data_(data) {}
  bool empty() const { return pos_ >= data_.size(); }
  // Returns "" on success, else why the TLV at the current offset is bad.
  std::string next(Tlv& out) {
    wire::Reader r(data_.subspan(pos_));
    std::uint8_t id = 0;
    if (!r.u8(id)) return "no data";
    std::uint32_t number = id & 0x1Fu;
    if (number == 0x1F) {
      number = 0;
      std::uint8_t b = 0x80;
      std::size_t n = 0;
      while (b & 0x80) {
        if (!r.u8(b)) return "tag runs past the data";
        if (++n > 4) return "tag number longer than 4 bytes";
        number = (number << 7) | (b & 0x7Fu);
      }
    }
    std::uint8_t first = 0;
    if (!r.u8(first)) return "length runs past the data";
    std::size_t length = first;
    if (first & 0x80) {
      const std::size_t n = first & 0x7Fu;
      if (n == 0) return "indefinite length";
      if (n > 4) return std::to_string(n) + " length bytes";
      length = 0;
      for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t b = 0;
        if (!r.u8(b)) return "length runs past the data";
        length = (length << 8) | b;
      }
    }
    Bytes value;
    if (!r.bytes(length, value))
      return "length " + std::to_string(length) + " exceeds data (" + std::to_string(r.remaining()) + " bytes)";
    out.cls_constructed = static_cast<std::uint8_t>(id & 0xE0u);
    out.number = number;
    out.value = value;
    pos_ += r.offset();
    return {};
  }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

struct PduResult {
  std::string error;  // set: malformed
  bool has_identity = false;
  Identity identity;
};

// MMS PDU: confirmed-ResponsePDU [1] { invokeID INTEGER, identify [2] { vendorName [0],
// modelName [1], revision [2], listOfAbstractSyntaxes [3] OPTIONAL } }.
PduResult mms_pdu(Bytes pdu) {
  PduResult result;
  BerReader top(pdu);
  Tlv outer;
  if (std::string e = top.next(outer); !e.empty()) {
    result.error = "mms: MMS PDU: " + e;
    return result;
  }
  if (!outer.context(1) || !outer.constructed()) return result;  // not a confirmed response
  BerReader body(outer.value);
  Tlv invoke, service;
  if (std::string e = body.next(invoke); !e.empty()) {
    result.error = "mms: confirmed-ResponsePDU invokeID: " + e;
    return result;
  }
  if (!invoke.universal(2)) {
    result.error = "mms: confirmed-ResponsePDU starts with tag " + std::to_string(invoke.number) + ", not invokeID";
    return result;
  }
  if (body.empty()) return result;
  if (std::string e = body.next(service); !e.empty()) {
    result.error = "mms: confirmed-ResponsePDU service: " + e;
    return result;
  }
  if (!service.context(2) || !service.constructed()) return result;  // another service
  std::vector<Field> fields;
  BerReader items(service.value);
  while (!items.empty()) {
    Tlv item;
    if (std::string e = items.next(item); !e.empty()) {
      result.error = "mms: identify response: " + e;
      return result;
    }
    if (item.constructed()) continue;
    if (item.context(0)) fields.push_back({"vendor", sanitize_text(item.value)});
    else if (item.context(1)) fields.push_back({"model", sanitize_text(item.value)});
    else if (item.context(2)) fields.push_back({"revision", sanitize_text(item.value)});
  }
  Identity identity = make_identity("mms.identify", std::move(fields));
  if (identity.fields.empty()) return result;
  result.identity = std::move(identity);
  result.has_identity = true;
  return result;
}

// Presentation fully-encoded-data [APPLICATION 1] { PDV-list SEQUENCE { transfer-syntax-name
// OID OPTIONAL, presentation-context-identifier INTEGER, presentation-data-values CHOICE {
// single-ASN1-type [0], octet-aligned [1], arbitrary [2] } } ... }.
void presentation(Bytes data, std::vector<PduResult>& out) {
  BerReader top(data);
  Tlv ppdu;
  if (std::string e = top.next(ppdu); !e.empty()) {
    out.push_back({"mms: presentation PPDU: " + e, false, {}});
    return;
  }
  if (!ppdu.application(1) || !ppdu.constructed()) return;  // other PPDUs carry no MMS data
  BerReader lists(ppdu.value);
  std::size_t count = 0;
  while (!lists.empty() && count++ < 64) {
    Tlv list;
    if (std::string e = lists.next(list); !e.empty()) {
      out.push_back({"mms: presentation PDV list: " + e, false, {}});
      return;
    }
    if (!list.universal(16) || !list.constructed()) continue;
    BerReader items(list.value);
    while (!items.empty()) {
      Tlv item;
      if (std::string e = items.next(item); !e.empty()) {
        out.push_back({"mms: presentation data values: " + e, false, {}});
        return;
      }
      if (item.context(0) || item.context(1)) {  // the MMS PDU (or an ACSE APDU: ignored)
        PduResult r = mms_pdu(item.value);
        const bool bad = !r.error.empty();
        if (bad || r.has_identity) out.push_back(std::move(r));
        if (bad) return;
      }
    }
  }
}

struct SessionResult {
  bool session = false;  // starts with an SPDU identifier
  std::string error;
  std::vector<PduResult> pdus;
};

// Reads one SPDU header: SI, LI (one byte, or 0xFF and two bytes), parameters.
bool spdu(wire::Reader& r, std::uint8_t& si, Bytes& params) {
  std::uint8_t li8 = 0;
  if (!r.u8(si) || !r.u8(li8)) return false;
  std::size_t li = li8;
  if (li8 == 0xFF) {
    std::uint16_t li16 = 0;
    if (!r.be16(li16)) return false;
    li = li16;
  }
  return r.bytes(li, params);
}

SessionResult session(Bytes tsdu) {
  SessionResult result;
  if (tsdu.empty() || !is_session_spdu(tsdu[0])) return result;
  result.session = true;
  wire::Reader r(tsdu);
  std::uint8_t si = 0;
  Bytes params;
  if (!spdu(r, si, params)) {
    result.error = "mms: session SPDU 0x" + wire::to_hex(tsdu.first(1)) + " length exceeds data (" +
                   std::to_string(tsdu.size()) + " bytes)";
    return result;
  }
  if (si != kSpduData) return result;  // connect/accept/finish/...: no identity
  // GIVE TOKENS (category 0) is followed by DATA TRANSFER in the same TSDU.
  if (r.remaining() > 0 && r.rest()[0] == kSpduData) {
    if (!spdu(r, si, params)) {
      result.error = "mms: session DATA TRANSFER length exceeds data (" + std::to_string(r.remaining()) + " bytes)";
      return result;
    }
  }
  if (r.remaining() == 0) return result;
  presentation(r.rest(), result.pdus);
  return result;
}

}  // namespace

IdentityResult decode_mms_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  (void)from_server;
  IdentityResult result;
  const cotp::Stream stream = cotp::read_stream(bytes, "mms");
  if (stream.status == cotp::StreamStatus::not_tpkt) return result;  // not_protocol
  bool seen_data = false, any_message = false;
  for (const cotp::Unit& unit : stream.units) {
    any_message = true;
    if (unit.type != cotp::kData || unit.data.empty()) continue;
    SessionResult s = session(unit.data);
    if (!s.session) {
      if (!seen_data) return IdentityResult{};  // COTP, but another protocol (S7comm, ...)
      result.outcome = DecodeOutcome::malformed;
      result.error = "mms: COTP data starts with 0x" + wire::to_hex(Bytes(unit.data).first(1)) +
                     ", not a session SPDU, at offset " + std::to_string(unit.begin);
      result.consumed = unit.end;
      return result;
    }
    seen_data = true;
    if (s.error.empty()) {
      for (PduResult& p : s.pdus) {
        if (!p.error.empty()) {
          s.error = std::move(p.error);
          break;
        }
        if (p.has_identity) result.identities.push_back(std::move(p.identity));
      }
    }
    if (!s.error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = s.error + " at offset " + std::to_string(unit.begin);
      result.consumed = unit.end;
      return result;
    }
  }
  if (stream.status == cotp::StreamStatus::malformed) {
    result.outcome = DecodeOutcome::malformed;
    result.error = stream.error;
    result.consumed = stream.consumed;
    return result;
  }
  result.consumed = stream.consumed;
  set_stream_outcome(result, any_message && result.consumed > 0);
  return result;
}

}  // namespace herkomst::protocols
