// Internal interface between the link-layer decoder (packet_decoder.cpp) and the network /
// transport decoders (network_decoder.cpp). Not part of the public API.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "scanner/capture/packet.hpp"

namespace herkomst::capture::detail {

using Bytes = std::span<const std::uint8_t>;

struct DecodeContext {
  // True when the frame is known to be captured whole (original_length given and not larger
  // than the captured bytes): a length field reaching past the end is then a lie, not a cut.
  bool whole = false;
};

// Records why decoding stopped at `layer`; payload becomes the bytes from that layer's start.
inline void stop(DecodedPacket& packet, DecodeStatus status, std::string_view layer, Bytes rest) {
  packet.status = status;
  packet.stopped_at = layer;
  packet.payload = rest;
}

// Marks a packet whose innermost layer was decoded but whose captured bytes end early.
inline void mark_truncated(DecodedPacket& packet, std::string_view layer) {
  packet.status = DecodeStatus::truncated;
  packet.stopped_at = layer;
}

void decode_arp(DecodedPacket& packet, Bytes data);
void decode_ipv4(DecodedPacket& packet, Bytes data, const DecodeContext& context);
void decode_ipv6(DecodedPacket& packet, Bytes data, const DecodeContext& context);

}  // namespace herkomst::capture::detail
