// IEEE C37.118 synchrophasor data transfer (2005 and C37.118.2-2011; TCP port 4712, UDP 4713):
// which device sends synchrophasor data (a PMU, or a PDC forwarding PMUs) and under which IDCODE
// and station names, and which device sends commands to it.
//
// Layout (field layout only), from IEEE C37.118-2005 / C37.118.2-2011 as publicly described: the
// Wireshark 4.0 synchrophasor dissector's field list (`tshark -G fields`, read 2026-11-28), checked
// against the corpus capture lldp/lldp_hirschmann_mar_c37118.pcap (data, CFG-2 and command frames;
// CRCs):
//
//   every frame  SYNC: 0xAA, then bit 7 = 0, bits 4-6 frame type (0 data, 1 header, 2 CFG-1,
//                3 CFG-2, 4 command, 5 CFG-3), bits 0-3 version (1 = 2005, 2 = 2011);
//                FRAMESIZE (2 octets, the whole frame); IDCODE (2, the data stream's id); SOC (4);
//                FRACSEC (4); the frame's data; CHK: CRC-CCITT (polynomial 0x1021, initial
//                0xFFFF, not reflected, no final XOR) of all octets before it. Big-endian.
//   CFG-1/2      TIME_BASE (4), NUM_PMU (2); per PMU: STN (16 octets, station name), IDCODE (2,
//                of that PMU), FORMAT (2), PHNMR, ANNMR, DGNMR (2 each), CHNAM (16 octets per
//                phasor, analog and 16 per digital word), PHUNIT (4 per phasor), ANUNIT (4 per
//                analog), DIGUNIT (4 per digital word), FNOM (2), CFGCNT (2); then DATA_RATE (2).
//   CFG-3        CONT_IDX (2), TIME_BASE (4), NUM_PMU (2); per PMU: STN (1 octet length + name),
//                IDCODE (2), G_PMU_ID (16), FORMAT (2), PHNMR, ANNMR, DGNMR (2 each), channel
//                names (1 octet length + name each), PHSCALE (12 per phasor), ANSCALE (8 per
//                analog), DIGUNIT (4 per digital word), PMU_LAT, PMU_LON, PMU_ELEV (4 each),
//                SVC_CLASS (1), WINDOW (4), GRP_DLY (4), FNOM (2), CFGCNT (2); then DATA_RATE.
//                Only the first frame of a continued configuration (CONT_IDX 0 or 1) is read.
//   header       free text (ASCII).
//   command      CMD (2): 1 data off, 2 data on, 3 send header, 4 send CFG-1, 5 send CFG-2,
//                6 send CFG-3, 8 extended frame.
//
// Signals and fields: docs/signals-grid-pcworx.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kC37118MinFrame = 16;  // SYNC .. FRACSEC (14) + CHK
inline constexpr std::size_t kC37118MaxPmus = 1024;  // PMU blocks read from one configuration

// Decodes the complete frames at the start of `bytes` (one direction of one TCP connection, from
// a frame boundary). The frame type decides the sender's role, whichever side of the connection
// it is on. Identities (repeats within one call given once), all about the sender:
//   "c37118.data"    data frame: role "pmu", idcode, version
//   "c37118.config"  CFG-1/2/3: role "pmu", idcode, version, config ("cfg-1", "cfg-2", "cfg-3"),
//                    pmu.count
//   "c37118.pmu"     one per PMU block of a configuration: role "pmu", idcode (the stream's),
//                    pmu.idcode, station
//   "c37118.header"  header frame: role "pmu", idcode, version, header.text
//   "c37118.command" command frame: role "client", target.idcode (the stream it commands)
//
// Outcome: not_protocol if the first frame's SYNC, type, version or size is wrong, or its CRC is
// (checked once the frame is complete); malformed if a later frame's is (`consumed` up to it) or a
// configuration's counts exceed the frame (`consumed` past it); identities before it kept. Else
// identified, no_identity, need_more.
IdentityResult decode_c37118_stream(std::span<const std::uint8_t> bytes, bool from_server);

// One UDP datagram: the first frame must be complete with a valid CRC, else not_protocol; a later
// frame cut short is malformed.
IdentityResult decode_c37118_datagram(std::span<const std::uint8_t> bytes);

}  // namespace herkomst::protocols
