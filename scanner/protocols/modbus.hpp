// Modbus/TCP (port 502): identity from Read Device Identification (FC 0x2B, MEI 0x0E) and
// Report Server ID (FC 0x11) responses.
//
// Layouts: Modbus Application Protocol Specification V1.1b3, sections 6.17 (FC 17 Report
// Server ID) and 6.21 (FC 43 / MEI 14 Read Device Identification); MBAP header from the
// Modbus Messaging on TCP/IP Implementation Guide V1.0b, section 3.1.3.
// Signals and fields: docs/signals-modbus-s7-enip.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// Upper bound of the MBAP length field accepted (unit id + PDU of at most 253 bytes = 254;
// a few bytes of slack for devices that overshoot).
inline constexpr std::uint16_t kModbusMaxMbapLength = 260;

// Decodes the complete Modbus/TCP messages at the start of `bytes` (one direction of one TCP
// connection, starting at a message boundary). `from_server`: the bytes come from the server
// (responses); requests carry no identity.
//
// Outcome: malformed if a message lies (error set, identities found before it kept, `consumed`
// past the bad message when its length is known); else identified if any identity; else
// no_identity if at least one complete message; else need_more if a message has started;
// not_protocol if the first bytes cannot start an MBAP header (protocol id 0, length 2..260).
IdentityResult decode_modbus_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
