// BACnet (ANSI/ASHRAE 135): I-Am and Device-object property reads -> "bacnet.i-am" and
// "bacnet.device-properties".
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// BACnet/IP (Annex J): `payload` is one UDP datagram (port 47808 or any other), starting at the
// BVLC header (type 0x81, function, length u16 that must equal the datagram size). Functions
// that carry an NPDU (Forwarded-NPDU, Distribute-Broadcast, Original-Unicast/-Broadcast) are
// passed on to decode_bacnet_npdu; the other BVLC functions give no_identity.
IdentityResult decode_bacnet_ip(std::span<const std::uint8_t> payload);

// NPDU + APDU (clause 6 and 20), as carried by BVLC or by BACnet/Ethernet after the LLC header
// 82 82 03. identified: an I-Am, or a Complex-ACK of ReadProperty / ReadPropertyMultiple for a
// Device object with at least one identity property. no_identity: network-layer messages,
// requests (Who-Is, ReadProperty, ...), other ACKs, errors, later segments.
// not_protocol: NPDU version is not 1 or reserved control bits are set.
// malformed: an address length, tag length or opening/closing tag structure lies.
IdentityResult decode_bacnet_npdu(std::span<const std::uint8_t> npdu);

inline constexpr std::size_t kBacnetMaxTags = 1024;      // tags read in one APDU
inline constexpr std::size_t kBacnetMaxTagDepth = 16;    // nested opening tags

}  // namespace herkomst::protocols
