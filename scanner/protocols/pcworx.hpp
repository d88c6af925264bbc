// Phoenix Contact PC WORX (TCP port 1962): PLC type, model (order) number, firmware version and
// firmware build date and time from the controller's reply to the engineering tool's info request.
//
// Layout (facts only; no code taken). Public descriptions of the exchange, read 2026-11-28:
//   - nmap NSE script pcworx-info documentation and script (Stephen Hilt, Digital Bond),
//     https://nmap.org/nsedoc/scripts/pcworx-info.html;
//   - Greenbone/OpenVAS "PCWorx Detection (TCP)" (gb_pcworx_tcp_detect.nasl, 2017);
//   - T. Deneut, ICSSecurityScripts PhoenixControlPLC-ILC150.py (2015),
//     https://github.com/tijldeneut/ICSSecurityScripts; Metasploit phoenix_command module docs.
// They agree on:
//   request   0x01, message type (0x01 connect, 0x05, 0x06 info request), length (2 octets,
//             big-endian, the whole message: 26, 22, 14 in the published requests), 2 octets of
//             sequence, then type-specific octets; the connect request names "IBETH01N0_M".
//   reply     starts with 0x81. In the reply to the info request, NUL-terminated ASCII strings at
//             fixed offsets (from the start of the reply): 30 PLC type ("ILC 330 ETH"),
//             66 firmware version ("3.95T"), 79 firmware date ("Mar  2 2012"), 91 firmware time
//             ("09:39:02"), 152 model number ("2737193").
// Not stated by any of them: how a reply gives its length. This decoder assumes the reply header
// is shaped like the request's (0x81, type, 2-octet big-endian total length); where that length
// is implausible (below 4 or above kPcworxMaxMessage) the whole input is taken as one reply (the
// exchange is strictly request/reply). No capture of a real controller was available: the decoder
// is verified only against crafted bytes.
// Signals and fields: docs/signals-grid-pcworx.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kPcworxMaxMessage = 4096;

// Decodes the complete messages at the start of `bytes` (one direction of one TCP connection to
// port 1962, from a message boundary). `from_server`: replies from the controller.
// A reply with a printable PLC type at offset 30 and a printable firmware version at offset 66
// gives "pcworx.info" about its sender: plc.type, firmware.version, firmware.date,
// firmware.time, model.number (the last only when the reply reaches offset 152). Requests and
// other replies give no_identity.
//
// Outcome: not_protocol if the first octet is not 0x01 (requests) / 0x81 (replies), or a
// request's length is below 4 or above kPcworxMaxMessage; malformed if a later message does
// (`consumed` up to it); else identified, no_identity, need_more. The content check is weak (one
// octet): the dispatcher offers only port 1962 to this decoder.
IdentityResult decode_pcworx_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
