#include "scanner/protocols/dnp3.hpp"

#include <array>
#include <algorithm>
#include <string>
#include <utility>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kHeaderSize = 10;  // start, LEN, CTRL, DEST, SRC, CRC
constexpr std::size_t kBlockSize = 16;

// The DNP3 CRC (polynomial 0x3D65, reflected: 0xA6BC), a byte at a time from a table.
constexpr std::array<std::uint16_t, 256> kDnp3Table = [] {
  std::array<std::uint16_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    auto crc = static_cast<std::uint16_t>(i);
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA6BC) : crc >> 1;
    t[i] = crc;
  }
  return t;
}();

std::uint16_t crc16(Bytes data) {
  std::uint16_t crc = 0;
  for (std::uint8_t b : data) crc = static_cast<std::uint16_t>((crc >> 8) ^ kDnp3Table[(crc ^ b) & 0xFF]);
  return static_cast<std::uint16_t>(~crc);
}

bool crc_ok(Bytes block, Bytes crc) {
  const std::uint16_t c = crc16(block);
  return crc.size() == 2 && crc[0] == (c & 0xFF) && crc[1] == (c >> 8);
}

std::string hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[(value >> 4) & 0x0F], kDigits[value & 0x0F]};
}

std::uint16_t le16_at(Bytes b, std::size_t at) { return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8)); }

// Bytes of a whole frame with LEN `len` (>= 5).
std::size_t frame_size(std::uint8_t len) {
  const std::size_t user = len - 5u;
  return kHeaderSize + user + 2 * ((user + kBlockSize - 1) / kBlockSize);
}

// Checks the part of a link header present in `rest`; "" when it may be a frame.
std::string check_header(Bytes rest) {
  if (!rest.empty() && rest[0] != 0x05) return "frame starts with 0x" + hex2(rest[0]) + ", not 0x05 0x64";
  if (rest.size() >= 2 && rest[1] != 0x64) return "frame starts with 0x05 0x" + hex2(rest[1]) + ", not 0x05 0x64";
  if (rest.size() >= 3 && rest[2] < 5) return "link length " + std::to_string(rest[2]) + " below 5";
  if (rest.size() >= kHeaderSize && !crc_ok(rest.first(8), rest.subspan(8, 2))) return "link header CRC mismatch";
  return {};
}

struct Frame {
  std::uint8_t control = 0;
  std::uint16_t destination = 0;
  std::uint16_t source = 0;
  std::vector<std::uint8_t> user;  // user data without the block CRCs
};

// `bytes` is one whole frame (header checked). Returns an error text, or "".
std::string read_frame(Bytes bytes, Frame& frame) {
  frame.control = bytes[3];
  frame.destination = le16_at(bytes, 4);
  frame.source = le16_at(bytes, 6);
  std::size_t left = bytes[2] - 5u;
  std::size_t pos = kHeaderSize;
  frame.user.clear();
  for (std::size_t block = 0; left > 0; ++block) {
    const std::size_t n = std::min(left, kBlockSize);
    if (!crc_ok(bytes.subspan(pos, n), bytes.subspan(pos + n, 2)))
      return "data block " + std::to_string(block + 1) + " CRC mismatch";
    frame.user.insert(frame.user.end(), bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                      bytes.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n + 2;
    left -= n;
  }
  return {};
}

bool broadcast(std::uint16_t address) { return address >= 0xFFFD; }

// The Group 0 variations read, and their field names.
const char* attribute_name(std::uint8_t variation) {
  switch (variation) {
    case 242: return "software.version";
    case 243: return "hardware.version";
    case 245: return "location";
    case 246: return "id.code";
    case 247: return "device.name";
    case 248: return "serial";
    case 250: return "product.name";
    case 252: return "vendor";
    default: return nullptr;
  }
}

// The Group 0 device attributes at the start of a response fragment's objects. Stops quietly
// at the first object header of another group or of a qualifier it does not read (the sizes of
// other objects are not known here). Returns an error text when an attribute lies.
std::string read_attributes(Bytes objects, std::vector<Field>& fields) {
  wire::Reader r(objects);
  while (r.remaining() >= 3) {
    std::uint8_t group = 0, variation = 0, qualifier = 0;
    r.u8(group);
    r.u8(variation);
    r.u8(qualifier);
    if (group != 0 || variation < 196 || variation == 254) return {};
    const unsigned prefix = (qualifier >> 4) & 0x07;
    const unsigned range = qualifier & 0x0F;
    if (prefix > 2) return {};
    std::size_t count = 0;
    if (range == 0 || range == 1) {  // start and stop index, 8 or 16 bits
      std::uint16_t start = 0, stop = 0;
      bool ok = true;
      if (range == 0) {
        std::uint8_t a = 0, b = 0;
        ok = r.u8(a) && r.u8(b);
        start = a;
        stop = b;
      } else {
        ok = r.le16(start) && r.le16(stop);
      }
      if (!ok) return "dnp3: device attribute g0v" + std::to_string(variation) + " range exceeds the fragment";
      if (stop < start)
        return "dnp3: device attribute g0v" + std::to_string(variation) + " range " + std::to_string(start) + ".." +
               std::to_string(stop) + " runs backwards";
      count = static_cast<std::size_t>(stop - start) + 1;
    } else if (range == 7 || range == 8) {  // object count, 8 or 16 bits
      std::uint16_t n = 0;
      if (range == 7) {
        std::uint8_t a = 0;
        if (!r.u8(a)) return "dnp3: device attribute count exceeds the fragment";
        n = a;
      } else if (!r.le16(n)) {
        return "dnp3: device attribute count exceeds the fragment";
      }
      count = n;
    } else {
      return {};
    }
    // An attribute is at least 2 octets (data type, length) plus its prefix.
    if (count > kDnp3MaxObjects || count * (2 + prefix) > r.remaining())
      return "dnp3: " + std::to_string(count) + " device attributes g0v" + std::to_string(variation) + " exceed the fragment (" +
             std::to_string(r.remaining()) + " bytes left)";
    for (std::size_t i = 0; i < count; ++i) {
      std::uint8_t type = 0, length = 0;
      Bytes value;
      if (!r.skip(prefix) || !r.u8(type) || !r.u8(length) || !r.bytes(length, value))
        return "dnp3: device attribute g0v" + std::to_string(variation) + " of " + std::to_string(length) +
               " bytes exceeds the fragment";
      const char* name = attribute_name(variation);
      if (name != nullptr && type == 1) fields.push_back({name, sanitize_text(value)});
    }
  }
  return {};
}

class Decoder {
 public:
  Decoder(IdentityResult& result, Dnp3Reassembly& memory) : result_(result), memory_(memory) {}

  // A whole, checked frame. Returns an error text, or "".
  std::string frame(const Frame& f) {
    const bool from_master = (f.control & 0x80) != 0;
    const std::string role = from_master ? "master" : "outstation";
    std::vector<Field> fields{{"role", role}, {"address", std::int64_t{f.source}}};
    if (!broadcast(f.destination)) fields.push_back({"peer.address", std::int64_t{f.destination}});
    add(make_identity("dnp3.link", std::move(fields)));

    const bool primary = (f.control & 0x40) != 0;
    const unsigned function = f.control & 0x0F;
    if (!primary || (function != 3 && function != 4) || f.user.empty()) return {};
    const std::uint8_t transport = f.user[0];
    const bool fin = (transport & 0x80) != 0;
    const bool fir = (transport & 0x40) != 0;
    const std::uint8_t sequence = transport & 0x3F;
    const Bytes segment = Bytes(f.user).subspan(1);

    auto it = std::find_if(memory_.pending.begin(), memory_.pending.end(), [&](const auto& p) {
      return p.source == f.source && p.destination == f.destination;
    });
    if (fir && fin) {
      if (it != memory_.pending.end()) memory_.pending.erase(it);
      return application(segment, from_master, f.source);
    }
    if (fir) {
      if (it == memory_.pending.end()) {
        if (memory_.pending.size() >= kDnp3MaxPending) memory_.pending.erase(memory_.pending.begin());
        memory_.pending.push_back({f.source, f.destination, 0, {}});
        it = memory_.pending.end() - 1;
      }
      it->data.assign(segment.begin(), segment.end());
      it->next_sequence = static_cast<std::uint8_t>((sequence + 1) & 0x3F);
      return {};
    }
    if (it == memory_.pending.end()) return {};  // a middle segment of a fragment begun before the capture
    if (sequence != it->next_sequence || it->data.size() + segment.size() > kDnp3MaxFragment) {
      memory_.pending.erase(it);  // lost a segment, or too large: give up this fragment
      return {};
    }
    it->data.insert(it->data.end(), segment.begin(), segment.end());
    it->next_sequence = static_cast<std::uint8_t>((sequence + 1) & 0x3F);
    if (!fin) return {};
    const std::vector<std::uint8_t> fragment = std::move(it->data);
    memory_.pending.erase(it);
    return application(fragment, from_master, f.source);
  }

 private:
  void add(Identity id) {
    for (const auto& known : result_.identities)
      if (known.signal == id.signal && known.fields == id.fields && known.about_sender == id.about_sender) return;
    result_.identities.push_back(std::move(id));
  }

  // A complete application fragment. Only outstation responses carry device attributes.
  std::string application(Bytes fragment, bool from_master, std::uint16_t source) {
    if (from_master || fragment.size() < 4) return {};
    const std::uint8_t function = fragment[1];
    if (function != 0x81 && function != 0x82) return {};
    std::vector<Field> fields;
    std::string error = read_attributes(fragment.subspan(4), fields);
    if (!fields.empty()) {
      fields.push_back({"role", std::string("outstation")});
      fields.push_back({"address", std::int64_t{source}});
      add(make_identity("dnp3.device-attributes", std::move(fields)));
    }
    return error;
  }

  IdentityResult& result_;
  Dnp3Reassembly& memory_;
};

IdentityResult decode(Bytes bytes, Dnp3Reassembly& memory, bool datagram) {
  IdentityResult result;
  Decoder decoder(result, memory);
  std::size_t pos = 0;
  bool any_frame = false;
  Frame frame;
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (const std::string bad = check_header(rest); !bad.empty()) {
      if (pos == 0) return IdentityResult{};  // not_protocol
      result.outcome = DecodeOutcome::malformed;
      result.error = "dnp3: " + bad + " at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    const std::size_t size = rest.size() >= 3 ? frame_size(rest[2]) : kHeaderSize;
    if (rest.size() < kHeaderSize || rest.size() < size) {
      if (!datagram) break;
      result.outcome = DecodeOutcome::malformed;
      result.error = "dnp3: datagram ends inside a frame (" + std::to_string(rest.size()) + " of " +
                     std::to_string(size) + " bytes) at offset " + std::to_string(pos);
      result.consumed = pos;
      return result;
    }
    std::string error = read_frame(rest.first(size), frame);
    if (error.empty()) error = decoder.frame(frame);
    else error = "dnp3: " + error;
    pos += size;
    any_frame = true;
    if (!error.empty()) {
      result.outcome = DecodeOutcome::malformed;
      result.error = std::move(error) + " (frame at offset " + std::to_string(pos - size) + ")";
      result.consumed = pos;
      return result;
    }
  }
  result.consumed = pos;
  set_stream_outcome(result, any_frame);
  return result;
}

}  // namespace

IdentityResult decode_dnp3_stream(std::span<const std::uint8_t> bytes, Dnp3Reassembly& memory) {
  return decode(bytes, memory, false);
}

IdentityResult decode_dnp3_stream(std::span<const std::uint8_t> bytes) {
  Dnp3Reassembly memory;
  return decode(bytes, memory, false);
}

IdentityResult decode_dnp3_datagram(std::span<const std::uint8_t> bytes) {
  Dnp3Reassembly memory;
  if (bytes.empty()) return {};
  return decode(bytes, memory, true);
}

}  // namespace herkomst::protocols
