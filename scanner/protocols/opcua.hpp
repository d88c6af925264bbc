// OPC UA Binary (UA TCP + UA Secure Conversation, TCP port 4840 and others): identity from
//   - GetEndpointsResponse (i=431) and CreateSessionResponse (i=464): the server's
//     ApplicationDescription in each EndpointDescription -> "opcua.endpoint" (application.name,
//     application.uri, product.uri, application.type), one per distinct application;
//   - ReadResponse (i=634): ServerStatus.BuildInfo -> "opcua.build-info" (manufacturer,
//     product.name, product.uri, software.version, build.number, build.date), either as a BuildInfo
//     ExtensionObject (encoding i=340) or inside ServerStatusDataType (encoding i=864), or as
//     separate Variants of the BuildInfo children i=2261..2266 (mapping them needs the ReadRequest's
//     node ids: see OpcuaRequestMemory).
//
// Layouts: OPC UA Part 6 (binary encoding, UA TCP message header, secure conversation headers)
// and Part 4/5 (service and data type definitions), cross-checked with the Wireshark opcua
// dissector description (field layout only). Signals and fields: docs/signals-mms-opcua-fox.md.
//
// Only SecurityPolicy None can be read: once an OpenSecureChannel names another policy, MSG
// bodies are signed/encrypted and give no_identity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kOpcuaMaxChunkSize = 1 << 20;    // one message chunk
inline constexpr std::size_t kOpcuaMaxMessageSize = 1 << 20;  // reassembled 'C' chunks of one message
inline constexpr std::size_t kOpcuaMaxPendingReads = 64;      // ReadRequests waiting for a response
inline constexpr std::size_t kOpcuaMaxNodesPerRead = 1024;    // node ids kept per ReadRequest
inline constexpr std::size_t kOpcuaMaxEndpoints = 256;        // EndpointDescriptions read per response

// What one TCP connection's client asked for, so that its server's ReadResponse can be named.
// Keep one per TCP connection and pass it for both directions. Bounded: at most
// kOpcuaMaxPendingReads open requests (the oldest is dropped).
struct OpcuaRequestMemory {
  struct PendingRead {
    std::uint32_t request_handle = 0;
    std::vector<std::uint32_t> nodes;  // per ReadValueId: ns=0 numeric node id of a Value read, else 0
  };
  std::vector<PendingRead> reads;
  // BuildInfo fields seen so far on this connection (each ReadResponse that adds one reports
  // all of them, so the last "opcua.build-info" of a connection is the complete one).
  std::vector<Field> build_info;
  bool secured = false;  // an OpenSecureChannel named a SecurityPolicy other than None
};

// Decodes the complete OPC UA messages at the start of `bytes` (one direction of one TCP
// connection, starting at a message boundary). Multi-chunk messages ('C' ... 'F') are put
// together when all chunks are in `bytes` (an unfinished one is not consumed: hand it in again
// with more bytes); messages longer than kOpcuaMaxMessageSize are skipped; 'A' aborts one.
// ReadRequests (client direction) are remembered in `memory`, ReadResponses (server direction)
// are mapped with it. `from_server` is accepted for the common stream-decoder shape (the
// message types say the direction).
//
// Outcome: malformed if a size, length or count lies (error "opcua: ...", identities found before
// kept, `consumed` past the bad message when its size is known, or up to it); identified if any
// identity; no_identity if a complete message was read; need_more; not_protocol if the input
// does not start with an OPC UA message header (HEL/ACK/ERR/RHE/OPN/MSG/CLO + chunk type F/C/A).
// A single chunk larger than kOpcuaMaxChunkSize is malformed (consumed up to it).
IdentityResult decode_opcua_stream(std::span<const std::uint8_t> bytes, bool from_server,
                                   OpcuaRequestMemory& memory);

// The same without memory: GetEndpoints/CreateSession endpoints and BuildInfo / ServerStatus
// ExtensionObjects only (separate BuildInfo child Variants cannot be named).
IdentityResult decode_opcua_stream(std::span<const std::uint8_t> bytes, bool from_server);

}  // namespace herkomst::protocols
