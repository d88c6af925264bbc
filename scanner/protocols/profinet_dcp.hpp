// PROFINET DCP (ethertype 0x8892, IEC 61158-6-10): Identify and Get responses -> "pn-dcp.identify".
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// `payload` starts at the PROFINET frame id (after ethertype 0x8892; VLAN tags already removed).
// Frame ids: 0xFEFF Identify response, 0xFEFD Get/Set, 0xFEFE Identify request, 0xFEFC Hello.
// identified: an Identify or Get response (success) with device blocks.
// no_identity: requests, Set responses, error responses, Hello (not decoded).
// not_protocol: another frame id (cyclic RT data, alarms, PTCP) or a service that does not fit it.
// malformed: the DCP data length or a block length runs past the data, or more than
// kPnDcpMaxBlocks blocks.
IdentityResult decode_profinet_dcp(std::span<const std::uint8_t> payload);

inline constexpr std::size_t kPnDcpMaxBlocks = 64;

}  // namespace herkomst::protocols
