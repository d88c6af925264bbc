// SNMP v1/v2c (RFC 1157, RFC 3416): responses and traps -> "snmp.response" / "snmp.trap".
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// `payload` is one UDP datagram (any port: recognised by content).
// identified: GetResponse, Report, Trap (v1), SNMPv2-Trap or InformRequest with identity
//   varbinds (system group, entPhysicalTable) or, for traps, the enterprise / agent address.
// no_identity: requests (Get, GetNext, GetBulk, Set), SNMPv3, responses without identity.
// not_protocol: not a SEQUENCE starting with INTEGER version 0, 1 or 3.
// malformed: a BER length lies, nesting deeper than ber::kMaxDepth, more than kSnmpMaxVarbinds
//   varbinds, or the PDU structure is wrong.
// The community string is a secret: only its length is kept ("community.length").
IdentityResult decode_snmp(std::span<const std::uint8_t> payload);

inline constexpr std::size_t kSnmpMaxVarbinds = 256;

}  // namespace herkomst::protocols
