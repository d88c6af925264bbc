// SSH (TCP 22): the protocol version exchange ("identification string").
//
// Layout: RFC 4253 section 4.2: "SSH-protoversion-softwareversion SP comments CR LF", at most
// 255 characters including CR LF; softwareversion is printable US-ASCII without blanks or '-'.
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kSshMaxIdentification = 255;  // including CR LF

// Decodes the identification line at the start of `bytes` (one direction of one TCP
// connection, from its first byte). `from_server` sets the "role" field.
//
// "ssh.banner" (banner, protocol, software, version, comments, role) about the sender;
// `consumed` covers the line only (the binary packets after it are not decoded: stop feeding
// the connection once this decoder has identified it).
//
// Outcome: not_protocol when the bytes do not start with "SSH-" (RFC 4253 lets a server send
// other lines before the identification; those servers are not recognised); malformed
// ("ssh: ...") when no LF ends the line within 255 bytes, the line holds control bytes, or the
// protocol version is not digits and dots; need_more when the line is incomplete.
IdentityResult decode_ssh_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
