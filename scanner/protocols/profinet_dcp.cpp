// PROFINET DCP decoder. Layout (IEC 61158-6-10, DCP PDUs): frame id u16; service id u8,
// service type u8, xid u32, response delay or reserved u16, DCP data length u16; blocks of
// option u8, suboption u8, block length u16, value (responses: BlockInfo u16 first), padded to
// an even length.
#include "scanner/protocols/profinet_dcp.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "scanner/protocols/be_reader.hpp"

namespace herkomst::protocols {
namespace {

using be::Bytes;

constexpr std::uint16_t kHello = 0xFEFC, kGetSet = 0xFEFD, kIdentifyRequest = 0xFEFE, kIdentifyResponse = 0xFEFF;
constexpr std::uint8_t kGet = 3, kSet = 4, kIdentify = 5, kHelloService = 6;
constexpr std::uint8_t kRequest = 0, kResponseSuccess = 1, kResponseUnsupported = 5;

std::string role_list(std::uint8_t bits) {
  static constexpr std::string_view names[] = {"io-device", "io-controller", "io-multidevice", "pn-supervisor"};
  std::string out;
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if ((bits >> i) & 1u) {
      if (!out.empty()) out.push_back(',');
      out += names[i];
    }
  }
  return out;
}

IdentityResult fail(std::string error) {
  IdentityResult r;
  r.outcome = DecodeOutcome::malformed;
  r.error = std::move(error);
  return r;
}

}  // namespace

IdentityResult decode_profinet_dcp(std::span<const std::uint8_t> payload) {
  IdentityResult result;
  be::Reader r(payload);
  std::uint16_t frame_id = 0;
  std::uint8_t service = 0, type = 0;
  if (!r.u16(frame_id) || frame_id < kHello || !r.u8(service) || !r.u8(type)) return result;  // not_protocol
  // The service must fit the frame id and the service type must be a known one.
  const bool service_fits = (frame_id == kHello && service == kHelloService) ||
                            (frame_id == kGetSet && (service == kGet || service == kSet)) ||
                            ((frame_id == kIdentifyRequest || frame_id == kIdentifyResponse) && service == kIdentify);
  if (!service_fits || (type != kRequest && type != kResponseSuccess && type != kResponseUnsupported)) return result;
  if (frame_id == kIdentifyRequest && type != kRequest) return result;
  if (frame_id == kIdentifyResponse && type == kRequest) return result;

  std::uint32_t xid = 0;
  std::uint16_t reserved = 0, data_length = 0;
  if (!r.u32(xid) || !r.u16(reserved) || !r.u16(data_length))
    return fail("pn-dcp: header cut (" + std::to_string(payload.size()) + " bytes, need 12)");
  Bytes data;
  if (!r.bytes(data_length, data))
    return fail("pn-dcp: DCP data length " + std::to_string(data_length) + " exceeds data (" +
                std::to_string(r.remaining()) + " bytes)");
  result.consumed = r.offset();  // what follows is Ethernet padding

  // Only responses from the device describe it: Identify and Get responses (success).
  const bool describes_sender = type == kResponseSuccess && (service == kIdentify || service == kGet);
  if (!describes_sender) {
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }

  std::vector<Field> fields;
  fields.push_back({"xid", std::int64_t{xid}});
  std::size_t blocks = 0;
  bool identity = false;
  be::Reader b(data);
  while (!b.empty()) {
    const std::size_t at = b.offset();
    std::uint8_t option = 0, suboption = 0;
    std::uint16_t length = 0;
    Bytes block;
    if (!b.u8(option) || !b.u8(suboption) || !b.u16(length) || !b.bytes(length, block))
      return fail("pn-dcp: block at offset " + std::to_string(at) + " (length " + std::to_string(length) +
                  ") exceeds DCP data (" + std::to_string(data.size()) + " bytes)");
    if (length % 2 == 1 && !b.empty()) b.skip(1);  // padding to an even length
    if (++blocks > kPnDcpMaxBlocks)
      return fail("pn-dcp: more than " + std::to_string(kPnDcpMaxBlocks) + " blocks");
    if (block.size() < 2) continue;  // no BlockInfo: nothing to read
    const Bytes value = block.subspan(2);
    if (option == 1 && suboption == 1 && value.size() == 6) {
      fields.push_back({"mac.address", be::mac_text(value)});
    } else if (option == 1 && suboption == 2 && value.size() >= 12) {
      fields.push_back({"ip.address", be::ipv4_text(value.subspan(0, 4))});
      fields.push_back({"ip.netmask", be::ipv4_text(value.subspan(4, 4))});
      fields.push_back({"ip.gateway", be::ipv4_text(value.subspan(8, 4))});
      identity = true;
    } else if (option == 2 && suboption == 1) {
      fields.push_back({"vendor.value", sanitize_text(value)});
      identity = true;
    } else if (option == 2 && suboption == 2) {
      fields.push_back({"station.name", sanitize_text(value, 240)});
      identity = true;
    } else if (option == 2 && suboption == 3 && value.size() >= 4) {
      fields.push_back({"vendor.id", std::int64_t{be::be16_at(value, 0)}});
      fields.push_back({"device.id", std::int64_t{be::be16_at(value, 2)}});
      identity = true;
    } else if (option == 2 && suboption == 4 && !value.empty()) {
      fields.push_back({"role", role_list(value[0])});
    } else if (option == 2 && suboption == 7 && value.size() >= 2) {
      fields.push_back({"device.instance", std::int64_t{be::be16_at(value, 0)}});
    } else if (option == 2 && suboption == 8 && value.size() >= 4) {
      fields.push_back({"oem.vendor.id", std::int64_t{be::be16_at(value, 0)}});
      fields.push_back({"oem.device.id", std::int64_t{be::be16_at(value, 2)}});
      identity = true;
    }
  }
  if (!identity) {
    result.outcome = DecodeOutcome::no_identity;
    return result;
  }
  result.outcome = DecodeOutcome::identified;
  result.identities.push_back(make_identity("pn-dcp.identify", std::move(fields)));
  return result;
}

}  // namespace herkomst::protocols
