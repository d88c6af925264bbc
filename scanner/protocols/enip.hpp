// EtherNet/IP (TCP/UDP 44818, implicit I/O on UDP 2222): identity from ListIdentity replies
// and from CIP Get_Attribute_All replies of the Identity object (class 0x01, instance 1).
//
// Layouts: ODVA "The CIP Networks Library" Volume 2 (EtherNet/IP adaptation), chapter 2
// (encapsulation header, commands, common packet format, ListIdentity item 0x0C) and Volume 1
// (message router request/response format, Identity object class 0x01 attributes 1-7,
// Multiple Service Packet 0x0A, Connection Manager Unconnected Send 0x52). All integers little
// endian except the socket address inside ListIdentity, which is big endian (sockaddr_in).
// Signals and fields: docs/signals-modbus-s7-enip.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kEnipHeaderSize = 24;
inline constexpr std::uint16_t kEnipMaxLength = 65511;  // encapsulation data of one message
inline constexpr std::size_t kEnipMaxItems = 64;        // CPF items read from one message
inline constexpr std::size_t kCipMaxEmbedded = 64;      // replies read from one Multiple Service Packet

// Decodes the complete encapsulation messages at the start of `bytes` (one direction of one TCP
// connection, starting at a message boundary). Replies are recognised by their content (CIP
// reply bit, ListIdentity items); `from_server` is accepted for the common stream-decoder shape.
//
// Outcome: malformed if a length/count lies (error set, identities found before it kept,
// `consumed` past the bad message); else identified if any identity; else no_identity if a
// complete message was read; else need_more; not_protocol if the first bytes are not an
// encapsulation header (unknown command, options not 0, unknown status, length inconsistent
// with the command).
IdentityResult decode_enip_stream(std::span<const std::uint8_t> bytes, bool from_server);

// One UDP datagram holding one encapsulation message (ListIdentity broadcast replies on 44818).
// A datagram whose header length disagrees with its size is malformed.
IdentityResult decode_enip_datagram(std::span<const std::uint8_t> datagram);

}  // namespace herkomst::protocols
