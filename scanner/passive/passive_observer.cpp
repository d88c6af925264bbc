#include "scanner/passive/passive_observer.hpp"

#include "scanner/passive/protocol_dispatch.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace herkomst::passive {
namespace {

enum class Signal : std::uint8_t { ethernet_source, ip_source, arp_sender, tcp_service };

constexpr std::array<const char*, 4> kSignalNames{kEthernetSource, kIpSource, kArpSender, kTcpService};

// Everything that distinguishes one sighting from another, in a fixed-size value so the
// per-frame path does no string work.
struct SightingKey {
  std::uint32_t input = 0;
  Signal signal = Signal::ethernet_source;
  bool has_mac = false;
  bool has_ip = false;
  capture::MacAddress mac;
  capture::IpAddress ip;
  std::int32_t extra = -1;  // vlan id, ARP operation or TCP port; -1 when none
  bool operator==(const SightingKey&) const = default;
};

// Word-wise: this runs for every frame, a byte-wise hash showed up in profiles.
inline std::uint64_t mix64(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}
inline std::uint64_t finish64(std::uint64_t h) {  // the murmur3 finaliser
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

struct SightingHash {
  std::size_t operator()(const SightingKey& k) const noexcept {
    std::uint64_t mac = 0, ip_lo = 0, ip_hi = 0;
    std::memcpy(&mac, k.mac.bytes.data(), k.mac.bytes.size());
    std::memcpy(&ip_lo, k.ip.bytes.data(), 8);
    std::memcpy(&ip_hi, k.ip.bytes.data() + 8, 8);
    const std::uint64_t small = (static_cast<std::uint64_t>(k.input) << 32) ^
                                (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.extra)) << 8) ^
                                (static_cast<std::uint64_t>(k.signal) << 4) ^ (static_cast<std::uint64_t>(k.has_mac) << 2) ^
                                (static_cast<std::uint64_t>(k.has_ip) << 1) ^ static_cast<std::uint64_t>(k.ip.v6);
    std::uint64_t h = mix64(small, mac);
    h = mix64(h, ip_lo);
    h = mix64(h, ip_hi);
    return static_cast<std::size_t>(finish64(h));
  }
};

KeyKind ip_kind(const capture::IpAddress& ip) { return ip.v6 ? KeyKind::ipv6 : KeyKind::ipv4; }

// A source address that can belong to a device (not a group address, not "no address yet").
bool usable_source(const capture::IpAddress& ip) {
  return !ip.is_multicast() && !ip.is_broadcast() && !ip.is_unspecified();
}
bool usable_source(const capture::MacAddress& mac) { return !mac.is_multicast() && !mac.is_zero(); }

// An address on the public internet: not private (RFC 1918, fc00::/7), shared (100.64/10),
// link-local, loopback, multicast, broadcast, unspecified, reserved (240/4) or documentation
// and benchmarking space (192.0.2/24, 198.51.100/24, 203.0.113/24, 198.18/15, 2001:db8::/32).
bool globally_routable(const capture::IpAddress& ip) {
  if (ip.is_multicast() || ip.is_broadcast() || ip.is_unspecified() || ip.is_link_local() || ip.is_loopback())
    return false;
  const auto& b = ip.bytes;
  if (!ip.v6) {
    if (b[0] == 0 || b[0] == 10 || b[0] >= 240) return false;
    if (b[0] == 100 && (b[1] & 0xc0) == 64) return false;
    if (b[0] == 172 && (b[1] & 0xf0) == 16) return false;
    if (b[0] == 192 && b[1] == 168) return false;
    if (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) return false;
    if (b[0] == 198 && (b[1] == 18 || b[1] == 19)) return false;
    if (b[0] == 198 && b[1] == 51 && b[2] == 100) return false;
    if (b[0] == 203 && b[1] == 0 && b[2] == 113) return false;
    return true;
  }
  if ((b[0] & 0xfe) == 0xfc) return false;                                  // unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // documentation
  return (b[0] & 0xe0) == 0x20;                                             // global unicast 2000::/3
}

// Routers each take one off the TTL (hop limit); senders start at 32, 64, 128 or 255. The
// distance is the gap to the nearest start value at or above what arrived.
int hops_from_ttl(std::uint8_t ttl) {
  for (int initial : {32, 64, 128, 255})
    if (ttl <= initial) return initial - ttl;
  return 0;
}

struct Sighting {
  Evidence evidence;
  int min_hops = -1;  // ip.source only: the nearest the sender ever looked
};

}  // namespace

struct PassiveObserver::State {
  std::size_t max_sightings;
  std::vector<std::string> inputs;
  std::unordered_map<SightingKey, Sighting, SightingHash> sightings;
  std::map<std::string, std::uint64_t> counters;
  // Identity sightings are rare (a few per device) and variable in shape: keyed by their text.
  std::unordered_map<std::string, std::pair<std::uint32_t, Observation>> identities;
  ProtocolDispatch protocols;
  std::uint64_t dropped = 0;
  // ip.peer pairs (sender and public destination) already recorded, by hash: a third of the
  // frames of a busy capture go to public addresses, and the observation of a pair needs only
  // its first frame (the evidence of an ip.peer observation is its first sighting).
  static constexpr std::size_t kMaxPeerPairs = 65536;
  std::unordered_set<std::uint64_t> peer_pairs;

  // True the first time this sender (MAC, IP) is seen sending to `peer` (FNV-1a over the bytes).
  // Once the set is full every pair is recorded again (the sighting bound still holds).
  bool first_peer_pair(const capture::MacAddress* mac, const capture::IpAddress& ip, const capture::IpAddress& peer) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const std::uint8_t* p, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
    };
    if (mac) mix(mac->bytes.data(), mac->bytes.size());
    mix(ip.bytes.data(), ip.v6 ? 16 : 4);
    mix(peer.bytes.data(), peer.v6 ? 16 : 4);
    if (peer_pairs.size() >= kMaxPeerPairs) return true;
    return peer_pairs.insert(h).second;
  }

  // The last few sightings recorded: consecutive frames mostly come from the same few hosts (a
  // poll and its answer), and comparing a key is cheaper than hashing it and searching the table.
  static constexpr std::size_t kRecent = 4;
  std::array<std::pair<SightingKey, Sighting*>, kRecent> recent{};
  std::size_t recent_next = 0;

  Sighting* record(SightingKey key, const capture::Frame& frame) {
    key.input = static_cast<std::uint32_t>(inputs.empty() ? 0 : inputs.size() - 1);
    for (auto& [k, sighting] : recent)
      if (sighting && k == key) {
        sighting->evidence.add(frame.number, frame.time_us);
        return sighting;
      }
    auto it = sightings.find(key);
    if (it == sightings.end()) {
      if (sightings.size() >= max_sightings) {
        ++dropped;
        return nullptr;
      }
      it = sightings.emplace(key, Sighting{}).first;
      it->second.evidence.input = inputs.empty() ? std::string{} : inputs.back();
    }
    it->second.evidence.add(frame.number, frame.time_us);
    recent[recent_next] = {key, &it->second};
    recent_next = (recent_next + 1) % kRecent;
    return &it->second;
  }
  void forget_recent() { recent.fill({SightingKey{}, nullptr}); }
};

PassiveObserver::PassiveObserver(std::size_t max_sightings) : state_(std::make_unique<State>()) {
  state_->max_sightings = max_sightings;
}
PassiveObserver::~PassiveObserver() = default;
PassiveObserver::PassiveObserver(PassiveObserver&&) noexcept = default;
PassiveObserver& PassiveObserver::operator=(PassiveObserver&&) noexcept = default;

void PassiveObserver::begin_input(const std::string& input) {
  state_->inputs.push_back(input);
  state_->protocols.reset_streams();  // streams do not continue across files
}

void PassiveObserver::observe(const capture::Frame& frame, const capture::DecodedPacket& p) {
  State& s = *state_;
  const bool mac_ok = p.eth_src && usable_source(*p.eth_src);
  s.protocols.observe(frame, p,
                      [this](const capture::Frame& f, std::vector<SubjectKey> subjects, std::string signal,
                             std::vector<Field> fields) {
                        return record_identity(f, std::move(subjects), std::move(signal), std::move(fields));
                      });

  if (mac_ok) {
    SightingKey k;
    k.signal = Signal::ethernet_source;
    k.has_mac = true;
    k.mac = *p.eth_src;
    if (!p.vlan_ids.empty()) k.extra = p.vlan_ids.back();  // the innermost (customer) VLAN
    s.record(k, frame);
  }

  if (p.arp && usable_source(p.arp->sender_mac)) {
    SightingKey k;
    k.signal = Signal::arp_sender;
    k.has_mac = true;
    k.mac = p.arp->sender_mac;
    // An ARP probe (sender 0.0.0.0) proves the MAC, not an address.
    k.has_ip = usable_source(p.arp->sender_ip);
    if (k.has_ip) k.ip = p.arp->sender_ip;
    k.extra = p.arp->operation;
    s.record(k, frame);
  }

  if (p.ip_src && usable_source(*p.ip_src) && !p.ip_src->is_loopback()) {
    SightingKey k;
    k.signal = Signal::ip_source;
    k.has_mac = mac_ok;
    if (mac_ok) k.mac = *p.eth_src;
    k.has_ip = true;
    k.ip = *p.ip_src;
    if (Sighting* seen = s.record(k, frame)) {
      const int hops = hops_from_ttl(p.ip_ttl);
      if (seen->min_hops < 0 || hops < seen->min_hops) seen->min_hops = hops;
    }

    if (p.ip_dst && globally_routable(*p.ip_dst) && s.first_peer_pair(mac_ok ? &*p.eth_src : nullptr, *p.ip_src, *p.ip_dst)) {
      std::vector<SubjectKey> subjects;
      if (mac_ok) subjects.push_back({KeyKind::mac, p.eth_src->str()});
      subjects.push_back({ip_kind(*p.ip_src), p.ip_src->str()});
      record_identity(frame, std::move(subjects), kIpPeer, {Field{"peer", p.ip_dst->str()}});
    }

    // SYN+ACK: the sender accepts connections on this port.
    constexpr std::uint8_t kSyn = 0x02, kAck = 0x10;
    if (p.ip_protocol == 6 && p.src_port && (p.tcp_flags & (kSyn | kAck)) == (kSyn | kAck)) {
      k.signal = Signal::tcp_service;
      k.extra = *p.src_port;
      s.record(k, frame);
    }
  }
}

Evidence* PassiveObserver::record_identity(const capture::Frame& frame, std::vector<SubjectKey> subjects, std::string signal,
                                      std::vector<Field> fields) {
  State& s = *state_;
  std::sort(subjects.begin(), subjects.end());
  std::sort(fields.begin(), fields.end());
  const auto input = static_cast<std::uint32_t>(s.inputs.empty() ? 0 : s.inputs.size() - 1);
  std::string key = std::to_string(input) + '\x1f' + signal;
  for (const auto& k : subjects) key += '\x1f' + to_string(k);
  for (const auto& f : fields) {
    key += '\x1f' + f.name + '=' + std::to_string(f.value.index()) + ':' + to_string(f.value);
  }
  auto it = s.identities.find(key);
  if (it == s.identities.end()) {
    if (s.sightings.size() + s.identities.size() >= s.max_sightings) {
      ++s.dropped;
      return nullptr;
    }
    Observation o;
    o.source = SourceKind::capture;
    o.signal = std::move(signal);
    o.subjects = std::move(subjects);
    o.fields = std::move(fields);
    o.evidence.input = s.inputs.empty() ? std::string{} : s.inputs.back();
    it = s.identities.emplace(std::move(key), std::make_pair(input, std::move(o))).first;
  }
  it->second.second.evidence.add(frame.number, frame.time_us);
  return &it->second.second.evidence;
}

void PassiveObserver::count(const std::string& counter, std::uint64_t n) { state_->counters[counter] += n; }

const std::map<std::string, std::uint64_t>& PassiveObserver::counters() const {
  state_->counters["sightings.dropped"] = state_->dropped;
  for (const auto& [k, v] : state_->protocols.counters()) state_->counters[k] = v;
  return state_->counters;
}

std::vector<Observation> PassiveObserver::take_observations() {
  State& s = *state_;
  s.protocols.reset_streams();  // it holds pointers to the evidence that moves out now
  s.forget_recent();
  std::vector<std::pair<SightingKey, Sighting>> all(std::make_move_iterator(s.sightings.begin()),
                                                    std::make_move_iterator(s.sightings.end()));
  s.sightings.clear();

  std::vector<Observation> out;
  out.reserve(all.size());
  std::vector<std::uint32_t> input_index;
  input_index.reserve(all.size());
  for (auto& [key, sighting] : all) {
    Observation o;
    o.source = SourceKind::capture;
    o.signal = kSignalNames[static_cast<std::size_t>(key.signal)];
    if (key.has_mac) o.subjects.push_back({KeyKind::mac, key.mac.str()});
    if (key.has_ip) o.subjects.push_back({ip_kind(key.ip), key.ip.str()});
    switch (key.signal) {
      case Signal::ethernet_source:
        if (key.extra >= 0) o.fields.push_back({"vlan", std::int64_t{key.extra}});
        break;
      case Signal::arp_sender:
        o.fields.push_back({"operation", std::string(key.extra == 1   ? "request"
                                                     : key.extra == 2 ? "reply"
                                                                      : "other")});
        break;
      case Signal::tcp_service:
        o.fields.push_back({"port", std::int64_t{key.extra}});
        o.fields.push_back({"transport", std::string("tcp")});
        break;
      case Signal::ip_source:
        if (sighting.min_hops >= 0) o.fields.push_back({"hops", std::int64_t{sighting.min_hops}});
        break;
    }
    std::sort(o.fields.begin(), o.fields.end());
    o.evidence = std::move(sighting.evidence);
    out.push_back(std::move(o));
    input_index.push_back(key.input);
  }
  for (auto& [key, entry] : s.identities) {
    out.push_back(std::move(entry.second));
    input_index.push_back(entry.first);
  }
  s.identities.clear();

  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Observation& x = out[a];
    const Observation& y = out[b];
    return std::tie(input_index[a], x.evidence.first_frame, x.signal, x.subjects, x.fields) <
           std::tie(input_index[b], y.evidence.first_frame, y.signal, y.subjects, y.fields);
  });
  std::vector<Observation> sorted;
  sorted.reserve(out.size());
  for (std::size_t i : order) sorted.push_back(std::move(out[i]));
  return sorted;
}

}  // namespace herkomst::passive
