#include "scanner/protocols/tpkt_cotp.hpp"

#include <utility>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols::cotp {
namespace {

using wire::Bytes;

bool known_type(std::uint8_t code) {
  switch (code) {
    case kConnectRequest: case kConnectConfirm: case kDisconnectRequest: case kDisconnectConfirm:
    case kData: case kExpeditedData: case kDataAck: case kExpeditedAck: case kReject: case kError:
      return true;
    default:
      return false;
  }
}

// CR/CC: dst-ref (2), src-ref (2), class/options (1), then parameters (code, length, value)
// up to the end of the header. Returns an error text or "".
std::string read_connect(Bytes header, Unit& unit) {
  wire::Reader r(header);
  if (!r.skip(5)) return "COTP connect header has " + std::to_string(header.size()) + " bytes, needs 5";
  while (r.remaining() > 0) {
    std::uint8_t code = 0, length = 0;
    Bytes value;
    if (!r.u8(code) || !r.u8(length) || !r.bytes(length, value))
      return "COTP parameter length exceeds header (" + std::to_string(header.size()) + " bytes)";
    if (value.size() > kMaxTsapSize) continue;
    if (code == 0xC1) unit.calling_tsap.assign(value.begin(), value.end());
    if (code == 0xC2) unit.called_tsap.assign(value.begin(), value.end());
  }
  return {};
}

}  // namespace

bool looks_like_tpkt(std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= 1 && bytes[0] != 3) return false;
  if (bytes.size() >= 2 && bytes[1] != 0) return false;
  if (bytes.size() >= 4 && static_cast<std::size_t>((bytes[2] << 8) | bytes[3]) < kMinTpktLength) return false;
  if (bytes.size() >= 6 && !known_type(static_cast<std::uint8_t>(bytes[5] & 0xF0))) return false;
  return true;
}

Stream read_stream(std::span<const std::uint8_t> bytes, std::string_view protocol) {
  Stream out;
  std::size_t pos = 0;
  Unit pending;  // DT segments without EOT so far
  bool have_pending = false;
  const auto fail = [&](std::string what, std::size_t at, std::size_t skip_to) {
    out.status = StreamStatus::malformed;
    out.error = std::string(protocol) + ": " + what + " at offset " + std::to_string(at);
    out.consumed = skip_to;
    return out;
  };
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (!looks_like_tpkt(rest)) {
      if (pos == 0) {
        out.status = StreamStatus::not_tpkt;
        return out;
      }
      return fail("not a TPKT packet", pos, have_pending ? pending.begin : pos);
    }
    if (rest.size() < kTpktHeaderSize) break;
    const std::size_t length = static_cast<std::size_t>((rest[2] << 8) | rest[3]);
    if (rest.size() < length) break;
    const Bytes cotp = rest.subspan(kTpktHeaderSize, length - kTpktHeaderSize);
    const std::size_t next = pos + length;
    const std::size_t li = cotp[0];
    const std::uint8_t type = static_cast<std::uint8_t>(cotp[1] & 0xF0);
    if (li + 1 > cotp.size())
      return fail("COTP length indicator " + std::to_string(li) + " exceeds TPKT payload (" +
                      std::to_string(cotp.size()) + " bytes)",
                  pos, next);
    if (li == 0) return fail("COTP length indicator 0", pos, next);
    if (type == kData) {
      if (li < 2) return fail("COTP DT length indicator " + std::to_string(li) + " below 2", pos, next);
      const bool eot = (cotp[2] & 0x80) != 0;
      const Bytes user = cotp.subspan(li + 1);
      if (!have_pending) {
        pending = Unit{};
        pending.type = kData;
        pending.begin = pos;
        have_pending = true;
      }
      if (pending.data.size() + user.size() > kMaxReassembledSize)
        return fail("COTP DT sequence exceeds " + std::to_string(kMaxReassembledSize) + " bytes", pos, next);
      pending.data.insert(pending.data.end(), user.begin(), user.end());
      pos = next;
      if (eot) {
        pending.end = pos;
        out.units.push_back(std::move(pending));
        pending = Unit{};
        have_pending = false;
      }
      continue;
    }
    if (!known_type(type)) return fail("unknown COTP TPDU type 0x" + wire::to_hex(cotp.subspan(1, 1)), pos, next);
    Unit unit;
    unit.type = type;
    unit.begin = pos;
    unit.end = next;
    if (type == kConnectRequest || type == kConnectConfirm) {
      if (std::string bad = read_connect(cotp.subspan(2, li - 1), unit); !bad.empty())
        return fail(std::move(bad), pos, next);
    }
    out.units.push_back(std::move(unit));
    pos = next;
  }
  // Stopped at the end or inside a packet. An unfinished DT sequence is handed back whole.
  std::size_t complete = pos;
  if (have_pending) {
    complete = pending.begin;
    std::erase_if(out.units, [&](const Unit& u) { return u.begin >= complete; });
  }
  out.consumed = complete;
  out.status = complete < bytes.size() ? StreamStatus::need_more : StreamStatus::ok;
  return out;
}

}  // namespace herkomst::protocols::cotp
