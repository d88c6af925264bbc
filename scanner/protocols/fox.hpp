// Tridium Niagara Fox (TCP ports 1911, and 4911 over TLS, so only 1911 is readable): identity from
// the "fox hello" message both peers send when a session starts.
//
// A Fox message is text: a header line "fox a <id> -1 fox <command>", a line "{", lines
// "<key>=<type>:<value>" (type s string, i integer, b blob, o object, ...; blobs and objects as
// "<type>:[<name> ]<length>[<length bytes>]"), nested "<key>={" ... "}" blocks, and "};;" to end.
// The station (server) states app.name "Station", its version, OS, JVM, host id and station name;
// a Workbench client states the same keys about itself. Layout from public protocol descriptions
// (field layout only) and the corpus capture misc/niagara_fox_hello.pcap.
// Signals and fields: docs/signals-mms-opcua-fox.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kFoxMaxMessageSize = 65536;  // one message, header to "};;"
inline constexpr std::size_t kFoxMaxLineSize = 4096;      // one line outside blobs
inline constexpr std::size_t kFoxMaxDepth = 8;            // nested "{" blocks

// Decodes the complete Fox messages at the start of `bytes` (one direction of one TCP connection,
// starting at a message boundary). A "fox hello" gives "fox.hello" about its sender with the
// fields app.name, app.version, os.name, os.version, vm.name, vm.version, host.id, host.name,
// host.address, station.name, brand.id, fox.version and role ("server" when `from_server`, else
// "client"). Other messages (challenge, authentication, ...) give no_identity.
//
// Outcome: malformed if a blob length lies, a line or message exceeds its bound, or the framing
// is broken (error "fox: ...", identities before it kept, `consumed` up to the bad message);
// identified if any identity; no_identity if a complete message was read; need_more;
// not_protocol if the input does not start with "fox ".
IdentityResult decode_fox_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
