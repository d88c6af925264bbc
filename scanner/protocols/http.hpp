// HTTP/1.x (TCP 80, 8080, 8000, 8081, ...): identity from request and response headers.
//
// Layouts: RFC 9112 (HTTP/1.1 message syntax: start line, header fields, message body length
// in section 6.3, chunked transfer coding in section 7.1), RFC 9110 section 11.6.1
// (WWW-Authenticate), RFC 7617 / RFC 7616 (Basic and Digest realm).
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kHttpMaxHeaderBlock = 16 * 1024;  // start line + header fields
inline constexpr std::size_t kHttpTitleWindow = 16 * 1024;     // body bytes searched for <title>
inline constexpr std::size_t kHttpMaxBodyWait = 64 * 1024;     // body bytes awaited for framing

// Decodes the complete HTTP/1.x messages at the start of `bytes` (one direction of one TCP
// connection, starting at a message boundary). `from_server`: responses, else requests.
//
// Responses: "http.server" (server, realm, auth.scheme, title, powered.by, status) about the
// sender, when any of server/realm/title/powered.by is present. Requests: "http.client"
// (user.agent, host, method) about the sender, when a User-Agent is present.
//
// Message ends: no body for requests without Content-Length/chunked and for 1xx/204/304
// responses; Content-Length; chunked coding. A response to HEAD is not known as such (the
// decoder sees one direction) and is framed by its Content-Length: the stream after it is then
// misread (not_protocol). When the end is not known within bounds (a response delimited by the
// connection close, or a body longer than 64 KiB) the decoder reports what the headers and the
// body present so far give and consumes all input: later bytes of that connection are body.
//
// Outcome: not_protocol when the first bytes cannot start "HTTP/1." (from_server) or a known
// method followed by a blank (GET POST HEAD PUT DELETE OPTIONS PATCH CONNECT TRACE PROPFIND
// SUBSCRIBE UNSUBSCRIBE NOTIFY); malformed ("http: ...") for a header block over 16 KiB, a
// broken start line, an invalid or conflicting Content-Length, a bad chunk size; need_more when
// a message has started but is incomplete.
IdentityResult decode_http_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
