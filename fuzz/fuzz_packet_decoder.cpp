// libFuzzer target for decode_packet(). Input: byte 0 picks the link type from
// kSupportedLinktypes (low 3 bits) and whether original_length is passed (bit 3: the frame is
// then claimed to be captured whole); the rest is the frame. Checks, besides ASan/UBSan: the
// payload lies inside the frame, ok packets have no stopped_at, ports come in pairs.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "scanner/capture/packet.hpp"

using namespace herkomst::capture;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int linktype = kSupportedLinktypes[data[0] % kSupportedLinktypes.size()];
  const bool whole = (data[0] & 0x08) != 0;
  const std::span<const std::uint8_t> frame(data + 1, size - 1);
  const DecodedPacket packet = whole ? decode_packet(linktype, frame, static_cast<std::uint32_t>(frame.size()))
                                     : decode_packet(linktype, frame);
  if (!packet.payload.empty() &&
      (packet.payload.data() < frame.data() || packet.payload.data() + packet.payload.size() > frame.data() + frame.size())) {
    std::abort();
  }
  if ((packet.status == DecodeStatus::ok) != packet.stopped_at.empty()) std::abort();
  if (packet.src_port.has_value() != packet.dst_port.has_value()) std::abort();
  if (packet.vlan_ids.size() > kMaxVlanTags) std::abort();
  // Exercise the text forms too.
  if (packet.ip_src && packet.ip_src->str().empty()) std::abort();
  if (packet.eth_src && packet.eth_src->str().size() != 17) std::abort();
  if (packet.arp && packet.arp->target_ip.str().empty()) std::abort();
  return 0;
}
