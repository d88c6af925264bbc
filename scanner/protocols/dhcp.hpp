// DHCPv4 (UDP 67 server, 68 client): identity from client requests and server offers/acks.
//
// Layouts: RFC 2131 section 2 (BOOTP header, magic cookie 99.130.83.99), RFC 2132 (options
// 12 host name, 50 requested IP, 53 message type, 54 server identifier, 55 parameter request
// list, 60 vendor class identifier, 61 client identifier), RFC 3396 (an option split into
// several instances is concatenated). Option overload (52: options continued in the sname/file
// fields) is ignored: only the options field is read.
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// Decodes one DHCPv4 datagram (the UDP payload).
//
// BOOTREQUEST (DISCOVER, REQUEST, DECLINE, RELEASE, INFORM, or plain BOOTP without option 53):
// "dhcp.request" about the sender (the client that asks: hostname, vendor class, parameter
// request list = the DHCP fingerprint, client.mac from chaddr).
// OFFER/ACK: "dhcp.offer" about the receiver (about_sender = false): the server tells the client
// with MAC client.mac that it has (or may have) address your.ip; server.id names the sender.
// NAK and other replies: no_identity.
//
// Outcome: not_protocol when shorter than 240 bytes, op is not 1/2, hlen > 16 or the magic
// cookie is missing; malformed ("dhcp: ...") when an option runs past the data.
IdentityResult decode_dhcp(std::span<const std::uint8_t> payload);

}  // namespace herkomst::protocols
