// SSDP (UDP 1900, multicast 239.255.255.250): UPnP discovery messages.
//
// Layout: UPnP Device Architecture 2.0 section 1 (NOTIFY ssdp:alive / ssdp:byebye, M-SEARCH
// and its "HTTP/1.1 200 OK" response), HTTP/1.1 header syntax (RFC 9112) over UDP.
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// Decodes one SSDP datagram.
//
// NOTIFY and search responses: "ssdp.advertisement" (server, location, usn, nt or st, nts,
// cache.control) about the sender. M-SEARCH: "ssdp.search" (user.agent, st) about the sender
// when it carries a USER-AGENT header, else no_identity.
//
// Outcome: not_protocol when the start line is not "NOTIFY * HTTP/1.1", "M-SEARCH * HTTP/1.1"
// or "HTTP/1.x 200"; malformed ("ssdp: ...") when the start line has no line end or the header
// block exceeds 8 KiB.
IdentityResult decode_ssdp(std::span<const std::uint8_t> payload);

}  // namespace herkomst::protocols
