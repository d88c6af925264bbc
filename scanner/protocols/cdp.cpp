// CDP decoder. Layout (Cisco "CDP frame format" documentation): LLC/SNAP AA AA 03 00 00 0C
// 20 00; version u8, ttl u8, checksum u16; TLVs type u16, length u16 (includes the 4-byte
// header), value. Addresses: count u32, then per address protocol type u8 (1 NLPID, 2 802.2),
// protocol length u8, protocol, address length u16, address.
#include "scanner/protocols/cdp.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/be_reader.hpp"

namespace herkomst::protocols {
namespace {

using be::Bytes;

constexpr std::uint8_t kSnapHeader[] = {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00};

std::string capability_list(std::uint32_t bits) {
  static constexpr std::string_view names[] = {"router", "trans-bridge", "source-route-bridge", "switch",
                                               "host",   "igmp",         "repeater",            "phone",
                                               "remotely-managed", "cvta", "mac-relay"};
  std::string out;
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if ((bits >> i) & 1u) {
      if (!out.empty()) out.push_back(',');
      out += names[i];
    }
  }
  return out;
}

// "..., Version 12.2(44)SE, RELEASE ..." -> "12.2(44)SE". Empty when there is no such token.
std::string version_token(std::string_view text) {
  const std::size_t at = text.find("Version ");
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + 8);
  const std::size_t end = rest.find_first_of(", \n\r\t");
  return std::string(rest.substr(0, end));
}

// Reads the address list; the first IPv4 or IPv6 address goes to `out`. false when it lies.
bool first_address(Bytes value, std::string& out, std::string& error) {
  be::Reader r(value);
  std::uint32_t count = 0;
  if (!r.u32(count)) {
    error = "cdp: address TLV too short (" + std::to_string(value.size()) + " bytes)";
    return false;
  }
  // The smallest address entry is 5 bytes (type, protocol length 0, address length 0).
  if (count > kCdpMaxAddresses || count * 5ull > r.remaining()) {
    error = "cdp: address count " + std::to_string(count) + " exceeds data (" + std::to_string(r.remaining()) +
            " bytes)";
    return false;
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t type = 0, plen = 0;
    std::uint16_t alen = 0;
    Bytes protocol, address;
    if (!r.u8(type) || !r.u8(plen) || !r.bytes(plen, protocol) || !r.u16(alen) || !r.bytes(alen, address)) {
      error = "cdp: address " + std::to_string(i) + " of " + std::to_string(count) + " runs past the TLV";
      return false;
    }
    if (!out.empty() || std::all_of(address.begin(), address.end(), [](std::uint8_t b) { return b == 0; }))
      continue;  // keep the first one; 0.0.0.0 / :: say nothing
    if (type == 1 && plen == 1 && protocol[0] == 0xCC && alen == 4) out = be::ipv4_text(address);
    if (type == 2 && plen == 8 && protocol[6] == 0x86 && protocol[7] == 0xDD && alen == 16)
      out = be::ipv6_text(address);
  }
  return true;
}

}  // namespace

IdentityResult decode_cdp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  be::Reader r(payload);
  Bytes snap;
  std::uint8_t version = 0, ttl = 0;
  std::uint16_t checksum = 0;
  if (!r.bytes(sizeof kSnapHeader, snap) || !std::equal(snap.begin(), snap.end(), std::begin(kSnapHeader)) ||
      !r.u8(version) || (version != 1 && version != 2) || !r.u8(ttl) || !r.u16(checksum)) {
    return result;  // not_protocol
  }
  std::vector<Field> fields;
  fields.push_back({"cdp.version", std::int64_t{version}});
  fields.push_back({"ttl", std::int64_t{ttl}});
  std::string address, mgmt_address;
  std::size_t count = 0;
  bool identity = false;
  while (!r.empty()) {
    const std::size_t at = r.offset();
    std::uint16_t type = 0, length = 0;
    Bytes value;
    if (!r.u16(type) || !r.u16(length) || length < 4 || !r.bytes(length - 4u, value)) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "cdp: TLV at offset " + std::to_string(at) + " (type " + std::to_string(type) + ", length " +
                     std::to_string(length) + ") runs past the data (" + std::to_string(payload.size() - at) +
                     " bytes)";
      return result;
    }
    if (++count > kCdpMaxTlvs) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "cdp: more than " + std::to_string(kCdpMaxTlvs) + " TLVs";
      return result;
    }
    switch (type) {
      case 0x0001: fields.push_back({"system.name", sanitize_text(value)}); identity = true; break;
      case 0x0002:
      case 0x0016: {
        std::string& target = type == 0x0002 ? address : mgmt_address;
        if (!first_address(value, target, result.error)) {
          result.outcome = DecodeOutcome::malformed;
          return result;
        }
        break;
      }
      case 0x0003: fields.push_back({"port.id", sanitize_text(value)}); break;
      case 0x0004:
        if (value.size() == 4)
          fields.push_back({"capabilities", capability_list((std::uint32_t{be::be16_at(value, 0)} << 16) |
                                                            be::be16_at(value, 2))});
        break;
      case 0x0005: {
        std::string text = be::multiline_text(value);
        std::string version_text = version_token(text);
        if (version_text.empty()) {  // no "Version x": the first line
          std::size_t end = 0;
          while (end < value.size() && value[end] != '\n' && value[end] != '\r') ++end;
          version_text = sanitize_text(value.first(end));
        }
        fields.push_back({"software.version", std::move(version_text)});
        fields.push_back({"system.description", std::move(text)});
        identity = true;
        break;
      }
      case 0x0006: fields.push_back({"platform", sanitize_text(value)}); identity = true; break;
      case 0x0009: fields.push_back({"vtp.domain", sanitize_text(value)}); break;
      case 0x000a:
        if (value.size() == 2) fields.push_back({"native.vlan", std::int64_t{be::be16_at(value, 0)}});
        break;
      default: break;
    }
  }
  if (!address.empty() || !mgmt_address.empty()) {
    fields.push_back({"management.address", address.empty() ? mgmt_address : address});
    identity = true;
  }
  result.consumed = r.offset();
  if (!identity) {
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(make_identity("cdp.advertisement", std::move(fields)));
  return result;
}

}  // namespace herkomst::protocols
