#include "scanner/protocols/dhcp.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::size_t kHeaderSize = 236;  // op .. file
constexpr std::size_t kChaddrOffset = 28;
constexpr std::size_t kMaxOptionBytes = 1024;  // per option code, after RFC 3396 concatenation

std::string ipv4_text(Bytes b) {
  return std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." + std::to_string(b[3]);
}

bool all_zero(Bytes b) {
  for (std::uint8_t x : b)
    if (x != 0) return false;
  return true;
}

std::string mac_text(Bytes b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kDigits[b[i] >> 4]);
    out.push_back(kDigits[b[i] & 0x0F]);
  }
  return out;
}

const char* message_type_name(unsigned type) {
  switch (type) {
    case 1: return "discover";
    case 2: return "offer";
    case 3: return "request";
    case 4: return "decline";
    case 5: return "ack";
    case 6: return "nak";
    case 7: return "release";
    case 8: return "inform";
    default: return nullptr;
  }
}

}  // namespace

IdentityResult decode_dhcp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  if (payload.size() < kHeaderSize + 4) return result;
  const std::uint8_t op = payload[0], htype = payload[1], hlen = payload[2];
  if ((op != 1 && op != 2) || hlen > 16) return result;
  if (payload[236] != 99 || payload[237] != 130 || payload[238] != 83 || payload[239] != 99) return result;

  // Options, concatenated per code (RFC 3396), each capped.
  std::array<std::vector<std::uint8_t>, 256> options;
  std::array<bool, 256> present{};
  wire::Reader r(payload.subspan(kHeaderSize + 4));
  while (r.remaining() > 0) {
    std::uint8_t code = 0, length = 0;
    r.u8(code);
    if (code == 0) continue;     // pad
    if (code == 255) break;      // end (what follows is padding)
    Bytes value;
    if (!r.u8(length) || !r.bytes(length, value)) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "dhcp: option " + std::to_string(code) + " at offset " +
                     std::to_string(kHeaderSize + 4 + r.offset()) + " runs past the data (" +
                     std::to_string(payload.size()) + " bytes)";
      return result;
    }
    present[code] = true;
    auto& buffer = options[code];
    const std::size_t room = kMaxOptionBytes - buffer.size();
    buffer.insert(buffer.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(value.size() < room ? value.size() : room));
  }
  auto opt = [&](unsigned code) { return Bytes(options[code]); };

  std::vector<Field> fields;
  const Bytes chaddr = payload.subspan(kChaddrOffset, hlen);
  const bool ethernet = htype == 1 && hlen == 6;
  if (ethernet) fields.push_back({"client.mac", mac_text(chaddr)});
  else if (hlen > 0) fields.push_back({"client.hardware.address", wire::to_hex(chaddr)});

  int type = 0;  // 0: no option 53 (plain BOOTP)
  if (present[53]) {
    if (opt(53).size() != 1) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "dhcp: message type option length " + std::to_string(opt(53).size()) + ", expected 1";
      return result;
    }
    type = opt(53)[0];
  }
  if (const char* name = message_type_name(static_cast<unsigned>(type))) fields.push_back({"message.type", std::string(name)});
  else if (type == 0) fields.push_back({"message.type", std::string("bootp")});
  else fields.push_back({"message.type", std::to_string(type)});

  const Bytes ciaddr = payload.subspan(12, 4), yiaddr = payload.subspan(16, 4);
  if (!all_zero(ciaddr)) fields.push_back({"client.ip", ipv4_text(ciaddr)});
  if (present[12] && !opt(12).empty()) fields.push_back({"hostname", sanitize_text(opt(12))});

  if (op == 1) {
    if (present[60] && !opt(60).empty()) fields.push_back({"vendor.class", sanitize_text(opt(60))});
    if (present[55] && !opt(55).empty()) {
      std::string list;
      for (std::uint8_t code : opt(55)) {
        if (list.size() > 1000) break;  // field bound (a concatenated list can hold 1024 codes)
        if (!list.empty()) list.push_back(',');
        list += std::to_string(code);
      }
      fields.push_back({"parameter.list", std::move(list)});
    }
    if (present[61] && !opt(61).empty()) fields.push_back({"client.id", wire::to_hex(opt(61))});
    if (present[50] && opt(50).size() == 4) fields.push_back({"requested.ip", ipv4_text(opt(50))});
    if (present[57] && opt(57).size() == 2)
      fields.push_back({"max.message.size", std::int64_t{(opt(57)[0] << 8) | opt(57)[1]}});
    result.outcome = DecodeOutcome::identified;
    result.identities.push_back(make_identity("dhcp.request", std::move(fields), true));
    return result;
  }

  // BOOTREPLY: OFFER, ACK (and plain BOOTP replies) name the client's address.
  if ((type == 2 || type == 5 || type == 0) && !all_zero(yiaddr)) {
    fields.push_back({"your.ip", ipv4_text(yiaddr)});
    if (present[54] && opt(54).size() == 4) fields.push_back({"server.id", ipv4_text(opt(54))});
    result.outcome = DecodeOutcome::identified;
    result.identities.push_back(make_identity("dhcp.offer", std::move(fields), false));
    return result;
  }
  result.outcome = DecodeOutcome::no_identity;
  return result;
}

}  // namespace herkomst::protocols
