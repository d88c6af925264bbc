// Bounded TCP stream reassembly, one byte stream per direction of each connection.
//
// Each segment's payload is placed by sequence number: in-order bytes are appended, a
// retransmission or overlap is trimmed to what is new, an early (out-of-order) segment waits
// until the gap before it fills. The consumer sees the contiguous, not yet consumed bytes of one
// direction and says how many it used (complete messages); the rest waits for more segments.
//
// Limits, so memory stays bounded on any capture (counters say when they were hit):
//   max_flows                  connections tracked at once; past it the idlest are evicted
//                              (tcp.flows.evicted), and if none is idle a new flow is not
//                              tracked (tcp.flows.untracked)
//   max_buffered_per_direction unconsumed bytes kept per direction; past it the consumer is not
//                              making progress (not a protocol it knows): the direction is
//                              dropped (tcp.streams.overflow)
//   max_out_of_order           early segments held per direction; past it the gap is skipped
//                              and the stream restarts at the next held segment (tcp.gaps.skipped)
//   max_bytes_per_direction    bytes inspected per direction; later bytes are ignored
//                              (tcp.streams.inspect_limit). Identity is exchanged early.
//   idle_timeout_us            a flow quiet for this long (capture time) is forgotten
// A stream picked up mid-connection (no SYN seen) starts at the first segment seen, which the
// consumer may reject; it then restarts at the next segment (up to a few times).
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"

namespace herkomst::passive {

struct TcpLimits {
  std::size_t max_flows = 16'384;
  std::size_t max_buffered_per_direction = 256 * 1024;
  std::size_t max_out_of_order = 64;
  std::uint64_t max_bytes_per_direction = 64ull * 1024 * 1024;
  std::int64_t idle_timeout_us = 600'000'000;  // 10 minutes
};

struct TcpEndpoint {
  capture::IpAddress ip;
  std::uint16_t port = 0;
  auto operator<=>(const TcpEndpoint&) const = default;
};

// One direction's view handed to the consumer.
struct TcpChunk {
  TcpEndpoint sender;
  TcpEndpoint receiver;
  bool from_server = false;  // the sender accepted the connection (or has the service port)
  bool fresh_start = false;  // the stream (re)starts here: a message boundary is likely
  std::span<const std::uint8_t> data;  // contiguous unconsumed bytes
  std::uint64_t flow_id = 0;           // stable per connection within a capture
  std::any* state = nullptr;  // the consumer's own per-connection state (starts empty), lives with the flow
};

// What the consumer did with a chunk.
struct TcpConsumed {
  std::size_t bytes = 0;     // complete messages used
  bool give_up = false;      // not a protocol the consumer knows: stop feeding this direction
  bool resync = false;       // lost the message boundary: drop the buffer, restart at the next segment
};

using TcpConsumer = std::function<TcpConsumed(const TcpChunk&)>;

class TcpReassembler {
 public:
  explicit TcpReassembler(TcpLimits limits = {});
  ~TcpReassembler();
  TcpReassembler(TcpReassembler&&) noexcept;
  TcpReassembler& operator=(TcpReassembler&&) noexcept;

  // Feeds one decoded TCP segment (packet.ip_protocol == 6 with ports). Calls `consumer` with
  // each direction that gained contiguous bytes.
  void add(const capture::DecodedPacket& packet, const capture::Frame& frame, const TcpConsumer& consumer);
  // Forgets every flow (end of an input file).
  void clear();

  std::size_t flows() const;
  const std::map<std::string, std::uint64_t>& counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace herkomst::passive
