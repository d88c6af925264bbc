// What protocol decoders hand on: identity facts found in one message, as typed fields.
//
// A decoder is a pure function from bytes to IdentityResult: no I/O, no global state, never
// throws, never reads outside its span. It does not know about captures, frames or assets:
// the passive observer (scanner/passive) and later the active prober feed it bytes and attach
// the subjects (MAC, IP) and evidence (frame, time) to what it returns.
//
// Field names are lower-case, dot-separated, and documented in docs/signals.md, e.g.
// "vendor", "product.code", "product.name", "revision", "serial", "order.number",
// "firmware.version", "device.type", "system.description". Values keep the bytes from the wire
// as text (invalid UTF-8 replaced by U+FFFD, control characters kept out: see sanitize_text).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/model.hpp"

namespace herkomst::protocols {

// One identity message.
struct Identity {
  std::string signal;         // "<protocol>.<message>", e.g. "modbus.device-identification"
  std::vector<Field> fields;  // sorted by name, no duplicates
  // Whose identity this is: the message's sender (a response or advertisement) or its
  // receiver (rare: a request that names its target).
  bool about_sender = true;
};

enum class DecodeOutcome {
  identified,     // one or more identities found
  no_identity,    // this protocol, but a message without identity (a read request, a poll)
  need_more,      // a stream decoder saw the start of a message that is not complete yet
  not_protocol,   // these bytes are not this protocol (content check failed)
  malformed,      // this protocol, but a length or count lies; `error` says where
};

struct IdentityResult {
  DecodeOutcome outcome = DecodeOutcome::not_protocol;
  std::vector<Identity> identities;
  std::size_t consumed = 0;  // stream decoders: bytes of complete messages used from the input
  std::string error;         // for malformed: "s7: SZL list count 900 exceeds data (42 bytes)"
};

// Makes a string from the wire safe to store and print: invalid UTF-8 becomes U+FFFD, ASCII
// control characters (except none) become U+FFFD, trailing NULs and blanks are cut, length is
// capped at `max_bytes` (cut on a character boundary).
std::string sanitize_text(std::span<const std::uint8_t> bytes, std::size_t max_bytes = 256);
std::string sanitize_text(std::string_view text, std::size_t max_bytes = 256);

// Sets a stream decoder's outcome once its complete messages are read: identified when it found
// identities, no_identity when it read a whole message without any, else need_more (a message
// has started, or there was nothing yet).
void set_stream_outcome(IdentityResult& result, bool any_message);

// Builds an Identity from unsorted fields (sorts them, drops empty strings).
Identity make_identity(std::string signal, std::vector<Field> fields, bool about_sender = true);

}  // namespace herkomst::protocols
