#include "scanner/passive/tcp_reassembly.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace herkomst::passive {
namespace {

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;
constexpr int kMaxRestarts = 4;

struct FlowKey {
  TcpEndpoint lo, hi;
  bool operator==(const FlowKey&) const = default;
};

// Word-wise: this runs for every TCP frame.
struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ull;
    for (const TcpEndpoint* e : {&k.lo, &k.hi}) {
      std::uint64_t lo = 0, hi = 0;
      std::memcpy(&lo, e->ip.bytes.data(), 8);
      std::memcpy(&hi, e->ip.bytes.data() + 8, 8);
      for (const std::uint64_t v : {lo, hi, (static_cast<std::uint64_t>(e->port) << 1) | static_cast<std::uint64_t>(e->ip.v6)}) {
        h ^= v;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 32;
      }
    }
    return static_cast<std::size_t>(h);
  }
};

struct HalfStream {
  bool seq_known = false;
  bool dead = false;
  bool fresh = true;       // the buffer starts at a segment start
  int restarts = 0;
  std::uint32_t next_seq = 0;
  std::uint64_t next_off = 0;  // stream offset of next_seq
  std::uint64_t inspected = 0;
  std::vector<std::uint8_t> data;
  std::map<std::uint64_t, std::vector<std::uint8_t>> early;  // stream offset -> bytes

  void release() {
    dead = true;
    std::vector<std::uint8_t>().swap(data);
    early.clear();
  }
};

struct Flow {
  TcpEndpoint ep[2];  // ep[0] = lo, ep[1] = hi
  HalfStream half[2];
  int server = -1;    // index of the endpoint that accepted the connection, -1 unknown
  bool fin[2] = {false, false};
  std::int64_t last_us = 0;
  std::uint64_t id = 0;
  std::any state;  // the consumer's
};

}  // namespace

// Event counts, as plain fields: some (retransmissions) happen on every other frame of a busy
// capture, too often for a string-keyed map. counters() names them.
struct Counts {
  std::uint64_t flows = 0, flows_evicted = 0, flows_untracked = 0;
  std::uint64_t given_up = 0, resynced = 0, overflow = 0, midstream = 0, inspect_limit = 0;
  std::uint64_t retransmitted = 0, overlapping = 0, out_of_order = 0, gaps_skipped = 0;
};

struct TcpReassembler::State {
  TcpLimits limits;
  std::unordered_map<FlowKey, Flow, FlowKeyHash> flows;
  Counts counts;
  std::map<std::string, std::uint64_t> counters;  // filled from `counts` when asked
  std::uint64_t next_id = 1;

  // Makes room for one more flow: forget idle ones, then the least recently active half.
  bool make_room(std::int64_t now_us) {
    if (flows.size() < limits.max_flows) return true;
    std::size_t before = flows.size();
    std::erase_if(flows, [&](const auto& kv) { return now_us - kv.second.last_us > limits.idle_timeout_us; });
    if (flows.size() >= limits.max_flows) {
      std::vector<std::int64_t> times;
      times.reserve(flows.size());
      for (const auto& [k, f] : flows) times.push_back(f.last_us);
      auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
      std::nth_element(times.begin(), middle, times.end());
      const std::int64_t cutoff = *middle;
      std::erase_if(flows, [&](const auto& kv) { return kv.second.last_us <= cutoff; });
    }
    counts.flows_evicted += before - flows.size();
    return flows.size() < limits.max_flows;
  }

  // Offers `bytes`, the half-stream's pending bytes, to the consumer until it takes no more.
  // Returns how many it took, or nothing when the consumer reset the stream (resync, give up:
  // the pending bytes are gone then).
  std::optional<std::size_t> offer(Flow& flow, int d, std::span<const std::uint8_t> bytes, const TcpConsumer& consumer) {
    HalfStream& h = flow.half[d];
    std::size_t took = 0;
    while (!h.dead && took < bytes.size()) {
      TcpChunk chunk;
      chunk.sender = flow.ep[d];
      chunk.receiver = flow.ep[1 - d];
      chunk.from_server = flow.server == d;
      chunk.fresh_start = h.fresh;
      chunk.data = bytes.subspan(took);
      chunk.flow_id = flow.id;
      chunk.state = &flow.state;
      const TcpConsumed used = consumer(chunk);
      if (used.give_up) {
        h.release();
        counts.given_up++;
        return std::nullopt;
      }
      if (used.resync) {
        h.data.clear();
        h.fresh = true;
        if (++h.restarts > kMaxRestarts) {
          h.release();
          counts.given_up++;
        } else {
          counts.resynced++;
        }
        return std::nullopt;
      }
      const std::size_t n = std::min(used.bytes, bytes.size() - took);
      if (n == 0) break;
      took += n;
      h.fresh = false;
    }
    return took;
  }

  void check_overflow(HalfStream& h) {
    if (!h.dead && h.data.size() > limits.max_buffered_per_direction) {
      h.release();
      counts.overflow++;
    }
  }

  // Hands the buffered bytes on; keeps what the consumer leaves (an incomplete message).
  void deliver(Flow& flow, int d, const TcpConsumer& consumer) {
    HalfStream& h = flow.half[d];
    if (h.dead || h.data.empty()) return;
    if (const auto took = offer(flow, d, h.data, consumer); took && !h.dead)
      h.data.erase(h.data.begin(), h.data.begin() + static_cast<std::ptrdiff_t>(*took));
    check_overflow(h);
  }

  // The common case: the next in-order segment with nothing buffered before it. The consumer
  // reads it where it lies in the frame; only what it leaves is copied.
  void deliver_direct(Flow& flow, int d, std::span<const std::uint8_t> payload, const TcpConsumer& consumer) {
    HalfStream& h = flow.half[d];
    h.next_seq += static_cast<std::uint32_t>(payload.size());
    h.next_off += payload.size();
    if (const auto took = offer(flow, d, payload, consumer); took && !h.dead)
      h.data.assign(payload.begin() + static_cast<std::ptrdiff_t>(*took), payload.end());
    check_overflow(h);
  }

  // Appends in-order bytes and any early segments they make contiguous.
  void append(HalfStream& h, std::span<const std::uint8_t> bytes) {
    h.data.insert(h.data.end(), bytes.begin(), bytes.end());
    h.next_seq += static_cast<std::uint32_t>(bytes.size());
    h.next_off += bytes.size();
    while (!h.early.empty() && h.early.begin()->first <= h.next_off) {
      auto node = h.early.extract(h.early.begin());
      const std::uint64_t start = node.key();
      const auto& seg = node.mapped();
      if (start + seg.size() <= h.next_off) continue;  // wholly old
      const std::size_t skip = static_cast<std::size_t>(h.next_off - start);
      h.data.insert(h.data.end(), seg.begin() + static_cast<std::ptrdiff_t>(skip), seg.end());
      h.next_seq += static_cast<std::uint32_t>(seg.size() - skip);
      h.next_off += seg.size() - skip;
    }
  }

  void segment(HalfStream& h, std::uint32_t seq, std::span<const std::uint8_t> payload) {
    if (!h.seq_known) {  // picked up mid-connection
      h.seq_known = true;
      h.next_seq = seq;
      h.fresh = true;
      counts.midstream++;
    }
    const auto diff = static_cast<std::int32_t>(seq - h.next_seq);
    if (diff < 0) {
      const auto behind = static_cast<std::size_t>(-static_cast<std::int64_t>(diff));
      if (payload.size() <= behind) {
        counts.retransmitted++;
        return;
      }
      counts.overlapping++;
      payload = payload.subspan(behind);
    } else if (diff > 0) {
      if (h.early.size() >= limits.max_out_of_order) {
        // Give up on the gap: what is buffered has lost its continuation. Resume at the first
        // held segment, then place this one again against the new position.
        counts.gaps_skipped++;
        h.data.clear();
        h.fresh = true;
        const std::uint64_t resume = h.early.begin()->first;
        h.next_seq += static_cast<std::uint32_t>(resume - h.next_off);
        h.next_off = resume;
        append(h, {});
        return segment(h, seq, payload);  // the held segments are gone now: no further recursion
      }
      h.early.emplace(h.next_off + static_cast<std::uint64_t>(diff), std::vector<std::uint8_t>(payload.begin(), payload.end()));
      counts.out_of_order++;
      return;
    }
    append(h, payload);
  }
};

TcpReassembler::TcpReassembler(TcpLimits limits) : state_(std::make_unique<State>()) { state_->limits = limits; }
TcpReassembler::~TcpReassembler() = default;
TcpReassembler::TcpReassembler(TcpReassembler&&) noexcept = default;
TcpReassembler& TcpReassembler::operator=(TcpReassembler&&) noexcept = default;

void TcpReassembler::add(const capture::DecodedPacket& p, const capture::Frame& frame, const TcpConsumer& consumer) {
  if (p.ip_protocol != 6 || !p.ip_src || !p.ip_dst || !p.src_port || !p.dst_port || p.ip_fragment) return;
  State& s = *state_;
  const TcpEndpoint src{*p.ip_src, *p.src_port};
  const TcpEndpoint dst{*p.ip_dst, *p.dst_port};
  const bool src_is_lo = src < dst;
  const FlowKey key{src_is_lo ? src : dst, src_is_lo ? dst : src};
  const int d = src_is_lo ? 0 : 1;
  const bool syn = (p.tcp_flags & kSyn) != 0;

  auto it = s.flows.find(key);
  if (it == s.flows.end()) {
    if (p.payload.empty() && !syn) return;  // nothing to learn from a bare ACK/FIN/RST
    if (!s.make_room(frame.time_us)) {
      s.counts.flows_untracked++;
      return;
    }
    Flow f;
    f.ep[0] = key.lo;
    f.ep[1] = key.hi;
    f.id = s.next_id++;
    it = s.flows.emplace(key, std::move(f)).first;
    s.counts.flows++;
  }
  Flow& flow = it->second;
  flow.last_us = frame.time_us;
  HalfStream& h = flow.half[d];

  if (syn) {
    flow.server = (p.tcp_flags & kAck) ? d : 1 - d;
    if (!h.seq_known || h.data.empty()) {
      h.seq_known = true;
      h.next_seq = p.tcp_seq + 1;
      h.next_off = 0;
      h.fresh = true;
    }
  }
  if (flow.server < 0) {
    // No handshake seen: the lower port is most likely the service.
    flow.server = flow.ep[0].port <= flow.ep[1].port ? 0 : 1;
  }

  if (!p.payload.empty() && !h.dead) {
    std::span<const std::uint8_t> payload = p.payload;
    if (syn) payload = {};  // data on a SYN is vanishingly rare in OT traffic; ignore it
    if (!payload.empty()) {
      if (h.inspected >= s.limits.max_bytes_per_direction) {
        s.counts.inspect_limit++;
        h.release();
      } else {
        h.inspected += payload.size();
        if (h.seq_known && h.data.empty() && h.early.empty() && p.tcp_seq == h.next_seq) {
          s.deliver_direct(flow, d, payload, consumer);
        } else {
          s.segment(h, p.tcp_seq, payload);
          s.deliver(flow, d, consumer);
        }
      }
    }
  }

  if (p.tcp_flags & kFin) flow.fin[d] = true;
  if ((p.tcp_flags & kRst) || (flow.fin[0] && flow.fin[1])) s.flows.erase(it);
}

void TcpReassembler::clear() { state_->flows.clear(); }
std::size_t TcpReassembler::flows() const { return state_->flows.size(); }
const std::map<std::string, std::uint64_t>& TcpReassembler::counters() const {
  const Counts& c = state_->counts;
  auto& out = state_->counters;
  out.clear();
  // Only what happened, as before these were fields: a counter appears once it is non-zero.
  for (const auto& [name, value] : {std::pair{"tcp.flows", c.flows},
                                    {"tcp.flows.evicted", c.flows_evicted},
                                    {"tcp.flows.untracked", c.flows_untracked},
                                    {"tcp.streams.given_up", c.given_up},
                                    {"tcp.streams.resynced", c.resynced},
                                    {"tcp.streams.overflow", c.overflow},
                                    {"tcp.streams.midstream", c.midstream},
                                    {"tcp.streams.inspect_limit", c.inspect_limit},
                                    {"tcp.segments.retransmitted", c.retransmitted},
                                    {"tcp.segments.overlapping", c.overlapping},
                                    {"tcp.segments.out_of_order", c.out_of_order},
                                    {"tcp.gaps.skipped", c.gaps_skipped}})
    if (value != 0) out[name] = value;
  return out;
}

}  // namespace herkomst::passive
