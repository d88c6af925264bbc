// IEC 61850 / ISO 9506 MMS (Manufacturing Message Specification, TCP port 102): identity from
// the Identify service response (vendorName, modelName, revision).
//
// Stack, from the bottom: TPKT (RFC 1006) and COTP class 0 (scanner/protocols/tpkt_cotp.hpp),
// ISO 8327-1 session (SPDUs: CONNECT 0x0D, ACCEPT 0x0E, REFUSE 0x0C, FINISH 0x09, DISCONNECT
// 0x0A, ABORT 0x19, ABORT ACCEPT 0x1A, GIVE TOKENS 0x01 + DATA TRANSFER 0x01), ISO 8823-1
// presentation (fully-encoded-data [APPLICATION 1] = PDV lists of context id + single-ASN1-type
// [0] or octet-aligned [1]), then the MMS PDU (BER): confirmed-ResponsePDU [1] { invokeID,
// identify [2] { vendorName [0], modelName [1], revision [2] VisibleString, ... } }.
// Layouts: ISO 9506-2 (MMS ASN.1), ITU-T X.225 / X.226; field layout cross-checked with the
// Wireshark ses/pres/mms dissector descriptions. Signals and fields: docs/signals-mms-opcua-fox.md.
//
// S7comm runs on the same port and shares TPKT/COTP. decode_mms_stream() returns not_protocol
// when the first COTP data unit does not begin with an ISO session SPDU (S7comm starts with 0x32,
// S7comm-plus with 0x72), and decode_s7_stream() returns not_protocol for MMS.
#pragma once

#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

// Decodes the complete TPKT packets at the start of `bytes` (one direction of one TCP
// connection, starting at a packet boundary). An MMS Identify response gives "mms.identify"
// (fields vendor, model, revision; about the sender: both peers of an MMS association may act as
// client and server, so `from_server` is only accepted for the common stream-decoder shape).
// COTP connect/disconnect units, session CONNECT/ACCEPT (ACSE/MMS initiate) and other MMS PDUs
// give no_identity.
//
// Outcome: malformed if a session, presentation or BER length lies inside a complete TSDU
// (error "mms: ...", identities found before it kept, `consumed` past the bad packet); else
// identified if any identity; else no_identity if a complete unit was read; else need_more;
// not_protocol if the input does not start with TPKT/COTP or its first COTP data unit is not an
// ISO session SPDU.
IdentityResult decode_mms_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
