// Turns decoded frames into observations, aggregated so memory stays bounded.
//
// Every frame yields at most a handful of sightings ("this MAC sent a frame on VLAN 10",
// "this MAC sent IPv4 from 10.0.0.5", "ARP says 10.0.0.5 is at this MAC", "10.0.0.5 accepted a
// TCP connection on port 502"). The same sighting in many frames becomes ONE observation with
// first/last frame, count and a few sample frames (inventory::Evidence), so a 10 GB capture of
// a 50-device plant holds 50-device worth of state. A hard cap on distinct sightings protects
// against captures of address scans; sightings past the cap are counted, not kept.
//
// ip.source carries "hops": how many routers the sender is away at the nearest, estimated from
// the TTL / hop limit (start values 32, 64, 128, 255). Above 0, the frame's source MAC is a
// router's, not the sender's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inventory/model.hpp"
#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"

namespace herkomst::passive {

// Signals this observer emits (Observation::signal).
inline constexpr const char* kEthernetSource = "ethernet.source";  // subjects: mac; fields: vlan?
inline constexpr const char* kIpSource = "ip.source";              // subjects: [mac], ip; fields: hops
inline constexpr const char* kArpSender = "arp.sender";            // subjects: mac, [ip]; fields: operation
inline constexpr const char* kTcpService = "tcp.service";          // subjects: [mac], ip; fields: port
// The sender sent IP to a globally routable address (not private, shared, link-local, loopback,
// multicast or documentation space): a hint of connectivity beyond the site, which the
// assessment checks against the site's declared networks (criterion 3A). One observation per
// sender and destination, whose evidence is the first frame only (repeats are not counted).
inline constexpr const char* kIpPeer = "ip.peer";                  // subjects: [mac], ip; fields: peer

class PassiveObserver {
 public:
  static constexpr std::size_t kDefaultMaxSightings = 250'000;
  explicit PassiveObserver(std::size_t max_sightings = kDefaultMaxSightings);
  ~PassiveObserver();
  PassiveObserver(PassiveObserver&&) noexcept;
  PassiveObserver& operator=(PassiveObserver&&) noexcept;

  // Starts a new input; evidence of following frames names this input.
  void begin_input(const std::string& input);
  // Records what one decoded frame shows.
  void observe(const capture::Frame& frame, const capture::DecodedPacket& packet);
  // Records an identity a protocol decoder found in this frame (or in the stream it ended),
  // about the given subjects. The same identity seen again adds to its evidence. Returns that
  // evidence (valid until take_observations), or null when the sighting bound dropped it.
  Evidence* record_identity(const capture::Frame& frame, std::vector<SubjectKey> subjects, std::string signal,
                       std::vector<Field> fields);
  // Adds to a counter (protocol decoders report what they skipped).
  void count(const std::string& counter, std::uint64_t n = 1);
  // Counters of what was seen and dropped (frames.*, sightings.dropped).
  const std::map<std::string, std::uint64_t>& counters() const;

  // The aggregated observations in a deterministic order (input, first frame, signal,
  // subjects, fields), ids not yet assigned. Leaves the observer empty.
  std::vector<Observation> take_observations();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace herkomst::passive
