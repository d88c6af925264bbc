// TLS (TCP 443, 4843 OPC UA over HTTPS, 8443, ...): identity from the clear-text handshake.
//
// Layouts: RFC 5246 sections 6.2 (record layer) and 7.4 (handshake: ClientHello, ServerHello,
// Certificate), RFC 8446 sections 4.1.2/4.1.3 and 4.2.1 (supported_versions), RFC 6066 section 3
// (server_name), RFC 5280 section 4.1 (Certificate, TBSCertificate, Name, Validity), X.690 DER.
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kTlsMaxRecord = 16384 + 2048;        // TLSCiphertext bound
inline constexpr std::size_t kTlsMaxHandshakeMessage = 64 * 1024;  // reassembly bound

// Decodes the TLS records at the start of `bytes` (one direction of one TCP connection, starting
// at a record boundary). Handshake messages are reassembled across records (at most 64 KiB per
// message).
//
// ClientHello with server_name: "tls.client-hello" (sni) about the receiver (about_sender =
// false: the name is the server's). ServerHello: "tls.server-hello" (version, cipher.suite)
// about the sender. Certificate (TLS <= 1.2, in clear): "tls.certificate" of the first (leaf)
// certificate, about the sender. TLS 1.3 sends its certificate encrypted: no identity.
// After ChangeCipherSpec, application data or a handshake record that does not start with a
// known message type, the rest of the records are taken as encrypted and skipped.
//
// `consumed` stops at a record boundary where no handshake message is half read. Outcome:
// not_protocol when the first record header is not TLS (content type 20..24, version 3.0..3.4,
// length <= 18432; SSLv2 hellos are not recognised); malformed ("tls: ...") when a record or
// handshake length lies, or the leaf certificate is not DER as RFC 5280 describes it; need_more
// when a record or handshake message has started but is incomplete.
IdentityResult decode_tls_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
