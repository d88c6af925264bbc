// IEC 60870-5-104 (TCP port 2404): which side is the controlling station (master) and which the
// controlled station (outstation), and the controlled station's common address (ASDU address).
//
// Layout (field layout only), from IEC 60870-5-104 and -101 as publicly described: the Wireshark
// 4.0 IEC 60870-5-104 dissector's field and value lists (`tshark -G fields`, read 2026-11-28),
// Zeek's spicy IEC 104 analyzer description, checked against the corpus capture
// iec104/iec104_testdissect.pcap:
//
//   APCI   0x68, APDU length (octets after it: 4 control octets + ASDU, 4..253), control field:
//          I format  octet 1 bit 0 = 0: send and receive sequence numbers (octet 3 bit 0 = 0),
//                    followed by an ASDU;
//          S format  octets 1-2 = 0x01 0x00, octet 3 bit 0 = 0; length 4;
//          U format  octet 1 = 0x07 STARTDT act, 0x0B STARTDT con, 0x13 STOPDT act, 0x23 STOPDT
//                    con, 0x43 TESTFR act, 0x83 TESTFR con; octets 2-4 = 0; length 4.
//   ASDU   type id, variable structure qualifier, cause of transmission (octet: bits 0-5 cause,
//          bit 6 P/N, bit 7 test), originator address, common address (2 octets, little-endian;
//          0xFFFF is the global/broadcast address, 0 is not used), information objects.
//
// Signals and fields: docs/signals-grid-pcworx.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// Decodes the complete APDUs at the start of `bytes` (one direction of one TCP connection, from
// an APDU boundary). `from_server`: the bytes come from the side that accepted the connection,
// the controlled station.
//
// Identities (repeats within one call given once):
//   "iec104.link" about the sender: role "master" or "outstation". For STARTDT/STOPDT act (sent
//     by the controlling station only) and con (sent by the controlled station only) the role
//     follows the function; for S frames and TESTFR it follows the TCP side.
//   "iec104.asdu" for an I frame: from the controlled station, about the sender: role
//     "outstation", common.address; from the controlling station, about the sender: role
//     "master", and about the receiver: role "outstation", common.address (the station it
//     addresses). The common address is left out when it is 0 or 0xFFFF (broadcast).
//
// Outcome: not_protocol if the first bytes cannot start an APDU (0x68, length 4..253, a valid
// control field, a length that fits the format); malformed if a later APDU does not (`consumed`
// up to it), or an ASDU has type id 0 or cause 0 (`consumed` past it); identities before it are
// kept. Else identified, or need_more.
IdentityResult decode_iec104_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
