// LLDP (IEEE 802.1AB, ethertype 0x88cc): one LLDPDU -> one "lldp.advertisement" identity.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// `payload` is what follows the Ethernet header (and any VLAN tags): the TLV sequence.
// identified: the LLDPDU starts with Chassis ID, Port ID, TTL and every TLV fits.
// not_protocol: the mandatory TLV order or their lengths do not hold.
// malformed: a TLV length runs past the data, or more than kLldpMaxTlvs TLVs.
IdentityResult decode_lldp(std::span<const std::uint8_t> payload);

inline constexpr std::size_t kLldpMaxTlvs = 1024;

}  // namespace herkomst::protocols
