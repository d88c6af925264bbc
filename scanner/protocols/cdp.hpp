// CDP (Cisco Discovery Protocol, LLC/SNAP OUI 00:00:0c type 0x2000): one "cdp.advertisement".
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// `payload` starts at the LLC header that follows the 802.3 header: AA AA 03 00 00 0C 20 00,
// then CDP version (1 or 2), TTL, checksum (not verified) and TLVs. The span must end where the
// 802.3 length says (no Ethernet padding): zero padding would read as a TLV of length 0.
// not_protocol: the LLC/SNAP header or version does not match.
// malformed: a TLV length is below 4 or runs past the data, an address count lies, or more
// than kCdpMaxTlvs TLVs.
IdentityResult decode_cdp(std::span<const std::uint8_t> payload);

inline constexpr std::size_t kCdpMaxTlvs = 256;
inline constexpr std::size_t kCdpMaxAddresses = 32;

}  // namespace herkomst::protocols
