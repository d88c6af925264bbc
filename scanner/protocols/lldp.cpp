// LLDP decoder. TLV layout (IEEE 802.1AB-2016 clause 8; LLDP-MED ANSI/TIA-1057 clause 10.2.6;
// PROFINET org TLVs IEC 61158-6-10): 7-bit type, 9-bit length, value.
#include "scanner/protocols/lldp.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/be_reader.hpp"

namespace herkomst::protocols {
namespace {

using be::Bytes;

constexpr std::uint8_t kEnd = 0, kChassis = 1, kPort = 2, kTtl = 3, kPortDesc = 4, kSysName = 5, kSysDesc = 6,
                       kCaps = 7, kMgmt = 8, kOrg = 127;

std::string_view chassis_subtype_name(std::uint8_t s) {
  switch (s) {
    case 1: return "chassis-component";
    case 2: return "interface-alias";
    case 3: return "port-component";
    case 4: return "mac-address";
    case 5: return "network-address";
    case 6: return "interface-name";
    case 7: return "local";
    default: return "reserved";
  }
}

std::string_view port_subtype_name(std::uint8_t s) {
  switch (s) {
    case 1: return "interface-alias";
    case 2: return "port-component";
    case 3: return "mac-address";
    case 4: return "network-address";
    case 5: return "interface-name";
    case 6: return "agent-circuit-id";
    case 7: return "local";
    default: return "reserved";
  }
}

// Network address as in the management address TLV and id subtypes: IANA address family
// (1 IPv4, 2 IPv6) then the address. Empty when it is neither.
std::string network_address_text(Bytes value) {
  bool all_zero = true;
  for (std::size_t i = 1; i < value.size(); ++i) all_zero = all_zero && value[i] == 0;
  if (all_zero) return {};  // 0.0.0.0 / :: say nothing
  if (value.size() == 5 && value[0] == 1) return be::ipv4_text(value.subspan(1));
  if (value.size() == 17 && value[0] == 2) return be::ipv6_text(value.subspan(1));
  return {};
}

// Chassis or port id: MAC and network addresses as canonical text, names as sanitized text.
std::string id_text(Bytes id, bool is_mac, bool is_network) {
  if (is_mac) return id.size() == 6 ? be::mac_text(id) : be::hex_text(id);
  if (is_network) {
    std::string text = network_address_text(id);
    return text.empty() ? be::hex_text(id) : text;
  }
  return sanitize_text(id);
}

std::string capability_list(std::uint16_t bits) {
  static constexpr std::string_view names[] = {"other",   "repeater", "bridge", "wlan-ap", "router", "telephone",
                                               "docsis",  "station",  "c-vlan", "s-vlan",  "tpmr"};
  std::string out;
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if ((bits >> i) & 1u) {
      if (!out.empty()) out.push_back(',');
      out += names[i];
    }
  }
  return out;
}

struct Collected {
  std::vector<Field> fields;
  bool have_mgmt = false;
  void add(std::string name, std::string value) { fields.push_back({std::move(name), std::move(value)}); }
};

void org_specific(Bytes value, Collected& c) {
  if (value.size() < 4) return;
  const Bytes oui = value.first(3);
  const std::uint8_t subtype = value[3];
  const Bytes info = value.subspan(4);
  if (oui[0] == 0x00 && oui[1] == 0x0e && oui[2] == 0xcf) {  // PROFIBUS & PROFINET International
    if (subtype == 5 && info.size() == 6) c.add("profinet.chassis.mac", be::mac_text(info));
    return;
  }
  if (oui[0] == 0x00 && oui[1] == 0x12 && oui[2] == 0xbb) {  // TIA TR-41 (LLDP-MED) inventory
    static constexpr std::string_view names[] = {"hardware.version", "firmware.version", "software.version",
                                                 "serial",           "manufacturer",     "model.name",
                                                 "asset.id"};
    if (subtype >= 5 && subtype <= 11) c.add(std::string(names[subtype - 5]), sanitize_text(info));
  }
}

}  // namespace

IdentityResult decode_lldp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  be::Reader r(payload);
  Collected c;
  std::size_t count = 0;
  while (!r.empty()) {
    const std::size_t at = r.offset();
    std::uint16_t header = 0;
    if (!r.u16(header)) {
      if (count < 3) return result;  // not_protocol: not even the mandatory TLVs
      result.outcome = DecodeOutcome::malformed;
      result.error = "lldp: TLV header cut at offset " + std::to_string(at);
      return result;
    }
    const std::uint8_t type = static_cast<std::uint8_t>(header >> 9);
    const std::size_t length = header & 0x01FFu;
    // The first three TLVs must be Chassis ID, Port ID, TTL (802.1AB 8.2): the content check.
    if (count < 3) {
      const bool ok = (count == 0 && type == kChassis && length >= 2 && length <= 256) ||
                      (count == 1 && type == kPort && length >= 2 && length <= 256) ||
                      (count == 2 && type == kTtl && length == 2);
      if (!ok) return result;  // not_protocol
    }
    Bytes value;
    if (!r.bytes(length, value)) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "lldp: TLV " + std::to_string(type) + " length " + std::to_string(length) + " exceeds data (" +
                     std::to_string(r.remaining()) + " bytes) at offset " + std::to_string(at);
      return result;
    }
    if (++count > kLldpMaxTlvs) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "lldp: more than " + std::to_string(kLldpMaxTlvs) + " TLVs";
      return result;
    }
    if (type == kEnd) break;  // what follows is Ethernet padding (a missing End TLV is tolerated)
    switch (type) {
      case kChassis:
      case kPort: {
        if (count > 2) break;  // a second chassis or port id: ignore
        const std::uint8_t subtype = value[0];
        const Bytes id = value.subspan(1);
        const bool chassis = type == kChassis;
        const bool is_mac = chassis ? subtype == 4 : subtype == 3;
        const bool is_net = chassis ? subtype == 5 : subtype == 4;
        const std::string prefix = chassis ? "chassis.id" : "port.id";
        c.add(prefix, id_text(id, is_mac, is_net));
        c.add(prefix + ".subtype", std::string(chassis ? chassis_subtype_name(subtype) : port_subtype_name(subtype)));
        break;
      }
      case kTtl:
        if (count == 3) c.fields.push_back({"ttl", std::int64_t{be::be16_at(value, 0)}});
        break;
      case kPortDesc: c.add("port.description", be::multiline_text(value)); break;
      case kSysName: c.add("system.name", sanitize_text(value)); break;
      case kSysDesc: c.add("system.description", be::multiline_text(value)); break;
      case kCaps:
        if (value.size() == 4) {
          c.add("capabilities", capability_list(be::be16_at(value, 0)));
          c.add("capabilities.enabled", capability_list(be::be16_at(value, 2)));
        }
        break;
      case kMgmt:
        // address string length (subtype + address, 2..32), subtype, address, ...
        if (!c.have_mgmt && value.size() >= 2 && value[0] >= 2 && value[0] <= 32 && value.size() >= 1u + value[0]) {
          const std::string text = network_address_text(value.subspan(1, value[0]));
          if (!text.empty()) {
            c.add("management.address", text);
            c.have_mgmt = true;
          }
        }
        break;
      case kOrg: org_specific(value, c); break;
      default: break;  // reserved types 9..126: skip
    }
  }
  if (count < 3) return result;  // not_protocol: the mandatory TLVs are not all there
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(make_identity("lldp.advertisement", std::move(c.fields)));
  result.consumed = r.offset();
  return result;
}

}  // namespace herkomst::protocols
