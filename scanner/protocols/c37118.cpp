#include "scanner/protocols/c37118.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/be_reader.hpp"
#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kCommonSize = 14;  // SYNC, FRAMESIZE, IDCODE, SOC, FRACSEC

// CRC-CCITT (polynomial 0x1021, initial 0xFFFF), a byte at a time from a table: every data
// frame of a PMU stream is checked, and a bit-wise loop showed up as a third of a scan's time.
constexpr std::array<std::uint16_t, 256> kCcittTable = [] {
  std::array<std::uint16_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    auto crc = static_cast<std::uint16_t>(i << 8);
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021) : static_cast<std::uint16_t>(crc << 1);
    t[i] = crc;
  }
  return t;
}();

std::uint16_t crc_ccitt(Bytes data) {
  std::uint16_t crc = 0xFFFF;
  for (std::uint8_t b : data) crc = static_cast<std::uint16_t>((crc << 8) ^ kCcittTable[((crc >> 8) ^ b) & 0xFF]);
  return crc;
}

std::string hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[(value >> 4) & 0x0F], kDigits[value & 0x0F]};
}

std::uint16_t be16_at(Bytes b, std::size_t at) { return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]); }

// Checks the part of the frame header present in `rest`; "" when it may be a frame.
std::string check_header(Bytes rest) {
  if (!rest.empty() && rest[0] != 0xAA) return "frame starts with 0x" + hex2(rest[0]) + ", not 0xaa";
  if (rest.size() >= 2) {
    const std::uint8_t b = rest[1];
    const unsigned type = (b >> 4) & 0x07;
    const unsigned version = b & 0x0F;
    if ((b & 0x80) != 0 || type > 5) return "SYNC 0xaa" + hex2(b) + " names no frame type";
    if (version < 1 || version > 3) return "SYNC 0xaa" + hex2(b) + " names version " + std::to_string(version);
  }
  if (rest.size() >= 4 && be16_at(rest, 2) < kC37118MinFrame)
    return "frame size " + std::to_string(be16_at(rest, 2)) + " below " + std::to_string(kC37118MinFrame);
  return {};
}

void add(IdentityResult& result, Identity id) {
  for (const auto& known : result.identities)
    if (known.signal == id.signal && known.fields == id.fields && known.about_sender == id.about_sender) return;
  result.identities.push_back(std::move(id));
}

std::string text16(Bytes name) { return sanitize_text(name, 64); }

// CFG-1 / CFG-2 body (after FRACSEC, before CHK). Returns an error text, or "".
std::string config12(Bytes body, std::int64_t idcode, std::vector<Identity>& pmus, std::int64_t& count_out) {
  wire::Reader r(body);
  std::uint32_t time_base = 0;
  std::uint16_t count = 0;
  if (!r.be32(time_base) || !r.be16(count)) return "configuration frame too short for TIME_BASE and NUM_PMU";
  count_out = count;
  constexpr std::size_t kMinPmu = 16 + 2 * 5 + 4;  // STN, IDCODE..DGNMR, FNOM, CFGCNT
  if (count > kC37118MaxPmus || count * kMinPmu > r.remaining())
    return std::to_string(count) + " PMU blocks exceed the frame (" + std::to_string(r.remaining()) + " bytes)";
  for (unsigned i = 0; i < count; ++i) {
    Bytes station;
    std::uint16_t id = 0, format = 0, phasors = 0, analogs = 0, digitals = 0;
    if (!r.bytes(16, station) || !r.be16(id) || !r.be16(format) || !r.be16(phasors) || !r.be16(analogs) ||
        !r.be16(digitals))
      return "PMU block " + std::to_string(i + 1) + " of " + std::to_string(count) + " exceeds the frame";
    const std::size_t names = std::size_t{phasors} + analogs + 16u * digitals;
    const std::size_t units = 4u * (std::size_t{phasors} + analogs + digitals);
    if (!r.skip(16 * names) || !r.skip(units) || !r.skip(4))
      return "PMU block " + std::to_string(i + 1) + ": " + std::to_string(phasors) + " phasors, " +
             std::to_string(analogs) + " analogs and " + std::to_string(digitals) + " digital words exceed the frame";
    pmus.push_back(make_identity("c37118.pmu", {{"role", std::string("pmu")},
                                                {"idcode", idcode},
                                                {"pmu.idcode", std::int64_t{id}},
                                                {"station", text16(station)}}));
  }
  if (r.remaining() != 2) return "configuration frame has " + std::to_string(r.remaining()) + " bytes after its PMU blocks, not 2 (DATA_RATE)";
  return {};
}

// CFG-3 body. Reads what a first (or only) frame holds; stops quietly where a continued one ends.
std::string config3(Bytes body, std::int64_t idcode, std::vector<Identity>& pmus, std::int64_t& count_out) {
  wire::Reader r(body);
  std::uint16_t continuation = 0, count = 0;
  std::uint32_t time_base = 0;
  if (!r.be16(continuation) || !r.be32(time_base) || !r.be16(count))
    return "CFG-3 frame too short for CONT_IDX, TIME_BASE and NUM_PMU";
  if (continuation != 0 && continuation != 1) return {};  // a later part of a continued configuration
  const bool whole = continuation == 0;
  count_out = count;
  constexpr std::size_t kMinPmu = 1 + 2 + 16 + 2 * 4 + 12 + 1 + 8 + 4;  // empty names, no channels
  if (count > kC37118MaxPmus || (whole && count * kMinPmu > r.remaining()))
    return std::to_string(count) + " PMU blocks exceed the CFG-3 frame (" + std::to_string(r.remaining()) + " bytes)";
  for (unsigned i = 0; i < count; ++i) {
    std::uint8_t name_length = 0;
    Bytes station;
    std::uint16_t id = 0, format = 0, phasors = 0, analogs = 0, digitals = 0;
    bool ok = r.u8(name_length) && r.bytes(name_length, station) && r.be16(id);
    if (ok)
      pmus.push_back(make_identity("c37118.pmu", {{"role", std::string("pmu")},
                                                  {"idcode", idcode},
                                                  {"pmu.idcode", std::int64_t{id}},
                                                  {"station", sanitize_text(station, 255)}}));
    ok = ok && r.skip(16) && r.be16(format) && r.be16(phasors) && r.be16(analogs) && r.be16(digitals);
    const std::size_t names = ok ? std::size_t{phasors} + analogs + 16u * digitals : 0;
    for (std::size_t n = 0; ok && n < names; ++n) {
      std::uint8_t length = 0;
      ok = r.u8(length) && r.skip(length);
    }
    ok = ok && r.skip(12u * phasors + 8u * analogs + 4u * digitals) && r.skip(4 + 4 + 4 + 1 + 4 + 4 + 2 + 2);
    if (!ok) {
      if (!whole) return {};  // the rest is in the next frame
      return "CFG-3 PMU block " + std::to_string(i + 1) + " of " + std::to_string(count) + " exceeds the frame";
    }
  }
  if (whole && r.remaining() != 2)
    return "CFG-3 frame has " + std::to_string(r.remaining()) + " bytes after its PMU blocks, not 2 (DATA_RATE)";
  return {};
}

// One whole frame with a valid CRC. Returns an error text, or "".
std::string frame(Bytes bytes, IdentityResult& result) {
  const unsigned type = (bytes[1] >> 4) & 0x07;
  const std::int64_t version = bytes[1] & 0x0F;
  const std::int64_t idcode = be16_at(bytes, 4);
  const Bytes body = bytes.subspan(kCommonSize, bytes.size() - kCommonSize - 2);
  const std::string pmu = "pmu";
  switch (type) {
    case 0:
      add(result, make_identity("c37118.data", {{"role", pmu}, {"idcode", idcode}, {"version", version}}));
      return {};
    case 1:
      add(result, make_identity("c37118.header", {{"role", pmu},
                                                  {"idcode", idcode},
                                                  {"version", version},
                                                  {"header.text", be::multiline_text(body, 512)}}));
      return {};
    case 4:
      add(result, make_identity("c37118.command", {{"role", std::string("client")}, {"target.idcode", idcode}}));
      return {};
    default: break;
  }
  std::vector<Identity> pmus;
  std::int64_t count = -1;  // not read (a later part of a continued CFG-3)
  const std::string error = type == 5 ? config3(body, idcode, pmus, count) : config12(body, idcode, pmus, count);
  const char* name = type == 2 ? "cfg-1" : type == 3 ? "cfg-2" : "cfg-3";
  std::vector<Field> fields{{"role", pmu}, {"idcode", idcode}, {"version", version}, {"config", std::string(name)}};
  if (count >= 0) fields.push_back({"pmu.count", count});
  add(result, make_identity("c37118.config", std::move(fields)));
  for (auto& id : pmus) add(result, std::move(id));
  return error;
}

IdentityResult decode(Bytes bytes, bool datagram) {
  IdentityResult result;
  std::size_t pos = 0;
  bool any_frame = false;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    std::string bad = check_header(rest);
    std::size_t size = rest.size() >= 4 ? be16_at(rest, 2) : kC37118MinFrame;
    const bool complete = bad.empty() && rest.size() >= 4 && rest.size() >= size;
    if (bad.empty() && complete) {
      const std::uint16_t crc = crc_ccitt(rest.first(size - 2));
      if (be16_at(rest, size - 2) != crc) bad = "frame CRC mismatch";
    }
    if (bad.empty() && !complete) {
      if (!datagram) break;
      bad = "datagram ends inside a frame (" + std::to_string(rest.size()) + " of " + std::to_string(size) + " bytes)";
    }
    if (!bad.empty()) {
      if (pos == 0) return IdentityResult{};  // not_protocol
      result.outcome = DecodeOutcome::malformed;
      result.error = "c37118: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    const std::string error = frame(rest.first(size), result);
    pos += size;
    any_frame = true;
    if (!error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "c37118: " + error + " (frame at offset " + std::to_string(pos - size) + ")";
      result.consumed = pos;
      return result;
    }
  }
  result.consumed = pos;
  set_stream_outcome(result, any_frame);
  return result;
}

}  // namespace

IdentityResult decode_c37118_stream(std::span<const std::uint8_t> bytes, bool /*from_server*/) {
  return decode(bytes, false);
}

IdentityResult decode_c37118_datagram(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return {};  // not_protocol
  return decode(bytes, true);
}

}  // namespace herkomst::protocols
