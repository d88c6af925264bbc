// S7comm (Siemens S7-300/400/1200/1500 and compatibles, TCP port 102 over TPKT/COTP):
// identity from SZL (System State List) read responses.
//
//   SZL-ID 0x0011 (module identification): order number (MLFB), hardware and firmware versions.
//   SZL-ID 0x001C (component identification): AS name, module name, plant id, copyright,
//   serial number, module type name, memory card serial, manufacturer id, OEM id, location.
//
// Layouts: Siemens "System Software for S7-300/400 System and Standard Functions" (SZL-ID
// W#16#xy11 and W#16#xy1C data records); S7comm PDU header and userdata parameters as
// documented by the Wireshark S7comm dissector description (field layout only).
// Signals and fields: docs/signals-modbus-s7-enip.md.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kS7MaxSzlFragments = 64;       // userdata fragments of one SZL answer
inline constexpr std::size_t kS7MaxSzlBytes = 65536;        // reassembled SZL data of one answer
inline constexpr std::size_t kS7MaxSzlRecords = 1024;       // records read from one SZL answer

// Decodes the complete TPKT packets at the start of `bytes` (one direction of one TCP
// connection on port 102, starting at a packet boundary): COTP CR/CC give "cotp.connect"
// (TSAPs, S7 rack/slot), S7 SZL read responses give "s7.module-identification" (0x0011) and
// "s7.component-identification" (0x001C). COTP DT segments and S7 userdata fragments ("last
// data unit" = no) are put together when all parts are in `bytes`; an unfinished answer is not
// consumed, so the caller hands it in again with more bytes. S7 setup communication, other
// S7 PDUs and S7comm-plus (protocol id 0x72) give no_identity.
//
// The direction is taken from the messages themselves (request/response codes); `from_server`
// is accepted for the common stream-decoder shape.
//
// Outcome: malformed if a length/count lies (error set, identities found before it kept,
// `consumed` past the bad packet when its length is known); else identified if any identity;
// else no_identity if a complete message was read; else need_more; not_protocol if the input
// does not start with TPKT/COTP, or its first COTP data unit is not S7comm / S7comm-plus.
IdentityResult decode_s7_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
