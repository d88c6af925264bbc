#include "scanner/passive/protocol_dispatch.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>
#include <span>

#include "scanner/protocols/bacnet.hpp"
#include "scanner/protocols/c37118.hpp"
#include "scanner/protocols/cdp.hpp"
#include "scanner/protocols/enip.hpp"
#include "scanner/protocols/identity.hpp"
#include "scanner/protocols/lldp.hpp"
#include "scanner/protocols/dhcp.hpp"
#include "scanner/protocols/dns.hpp"
#include "scanner/protocols/dnp3.hpp"
#include "scanner/protocols/fox.hpp"
#include "scanner/protocols/http.hpp"
#include "scanner/protocols/iec104.hpp"
#include "scanner/protocols/mms.hpp"
#include "scanner/protocols/modbus.hpp"
#include "scanner/protocols/opcua.hpp"
#include "scanner/protocols/pcworx.hpp"
#include "scanner/protocols/profinet_dcp.hpp"
#include "scanner/protocols/s7comm.hpp"
#include "scanner/protocols/snmp.hpp"
#include "scanner/protocols/ssdp.hpp"
#include "scanner/protocols/ssh.hpp"
#include "scanner/protocols/tls.hpp"

namespace herkomst::passive {
namespace {

using protocols::DecodeOutcome;
using protocols::IdentityResult;
using Bytes = std::span<const std::uint8_t>;
using DatagramDecoder = IdentityResult (*)(Bytes);

// What a TCP connection remembers between segments: the protocol chosen for it and any state
// its decoder keeps across messages (OPC UA pairs read requests with their responses; DNP3 puts
// transport segments together).
struct StreamState {
  int protocol = -1;  // index in kStreamProtocols; kUndecided / kNone
  protocols::OpcuaRequestMemory opcua;
  protocols::Dnp3Reassembly dnp3;
};
using StreamDecoder = IdentityResult (*)(Bytes, bool from_server, StreamState&);

IdentityResult modbus(Bytes b, bool s, StreamState&) { return protocols::decode_modbus_stream(b, s); }
IdentityResult s7(Bytes b, bool s, StreamState&) { return protocols::decode_s7_stream(b, s); }
IdentityResult mms(Bytes b, bool s, StreamState&) { return protocols::decode_mms_stream(b, s); }
IdentityResult enip(Bytes b, bool s, StreamState&) { return protocols::decode_enip_stream(b, s); }
IdentityResult opcua(Bytes b, bool s, StreamState& st) { return protocols::decode_opcua_stream(b, s, st.opcua); }
IdentityResult fox(Bytes b, bool s, StreamState&) { return protocols::decode_fox_stream(b, s); }
IdentityResult http(Bytes b, bool s, StreamState&) { return protocols::decode_http_stream(b, s); }
IdentityResult ssh(Bytes b, bool s, StreamState&) { return protocols::decode_ssh_stream(b, s); }
IdentityResult tls(Bytes b, bool s, StreamState&) { return protocols::decode_tls_stream(b, s); }
IdentityResult dnp3(Bytes b, bool, StreamState& st) { return protocols::decode_dnp3_stream(b, st.dnp3); }
IdentityResult iec104(Bytes b, bool s, StreamState&) { return protocols::decode_iec104_stream(b, s); }
IdentityResult c37118(Bytes b, bool s, StreamState&) { return protocols::decode_c37118_stream(b, s); }
IdentityResult pcworx(Bytes b, bool s, StreamState&) { return protocols::decode_pcworx_stream(b, s); }

// The protocols herkomst recognises, the ports they are expected on, and their decoders. On a
// port several protocols share (102: S7comm and MMS) they are tried in this order; on other
// ports every protocol with `by_content` is tried by content, in this order.
struct StreamProtocol {
  const char* name;
  std::array<std::uint16_t, 4> ports;  // 0 = unused
  StreamDecoder decode;
  bool once = false;        // identity is in the first message only (a banner): stop after it
  bool by_content = true;   // also tried on other ports (only where the content check is strict)
};
constexpr auto kStreamProtocols = std::to_array<StreamProtocol>({
    {"modbus", {502}, &modbus},
    {"s7comm", {102}, &s7},
    {"mms", {102}, &mms},
    {"enip", {44818}, &enip},
    {"opcua", {4840}, &opcua},
    {"fox", {1911}, &fox},
    {"tls", {443, 4843, 8443, 4443}, &tls},
    {"http", {80, 8080, 8000, 8081}, &http},
    {"ssh", {22}, &ssh, true},
    {"dnp3", {20000}, &dnp3},        // 0x05 0x64 and the header CRC
    {"iec104", {2404}, &iec104},     // 0x68, length, a valid control field
    {"c37118", {4712}, &c37118},     // 0xaa, frame type and version, size; CRC once complete
    {"pcworx", {1962}, &pcworx, false, false},  // one lead octet: port 1962 only
});

struct DatagramProtocol {
  const char* name;
  std::array<std::uint16_t, 4> ports;
  DatagramDecoder decode;
  bool by_content = true;  // also tried on other ports (only where the content check is strict)
};
constexpr auto kDatagramProtocols = std::to_array<DatagramProtocol>({
    {"snmp", {161, 162}, &protocols::decode_snmp},
    {"bacnet", {47808}, &protocols::decode_bacnet_ip},
    {"enip", {44818, 2222}, &protocols::decode_enip_datagram},
    {"dhcp", {67, 68}, &protocols::decode_dhcp, false},
    {"mdns", {5353}, &protocols::decode_mdns, false},
    {"dns", {53}, &protocols::decode_dns, false},
    {"ssdp", {1900}, &protocols::decode_ssdp, false},
    {"dnp3", {20000}, &protocols::decode_dnp3_datagram},
    {"c37118", {4713}, &protocols::decode_c37118_datagram},
});

// Link-layer protocols: by ethertype, or for 802.3 frames (ethertype 0) by destination MAC or
// LLC header. `skip` bytes of the payload (an LLC header the decoder does not expect) are
// dropped before decoding.
struct LinkProtocol {
  const char* name;
  std::uint16_t ethertype;                  // 0: an 802.3 frame with LLC
  std::array<std::uint8_t, 6> destination;  // for ethertype 0: all zero = any
  std::array<std::uint8_t, 3> llc;          // for ethertype 0: all zero = any
  std::size_t skip;
  DatagramDecoder decode;
};
IdentityResult decode_bacnet_ethernet(Bytes npdu) { return protocols::decode_bacnet_npdu(npdu); }
constexpr auto kLinkProtocols = std::to_array<LinkProtocol>({
    {"lldp", 0x88cc, {}, {}, 0, &protocols::decode_lldp},
    {"pn-dcp", 0x8892, {}, {}, 0, &protocols::decode_profinet_dcp},
    {"cdp", 0, {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}, {}, 0, &protocols::decode_cdp},
    {"bacnet", 0, {}, {0x82, 0x82, 0x03}, 3, &decode_bacnet_ethernet},  // BACnet/Ethernet (ISO 8802-2)
});

bool link_match(const LinkProtocol& proto, const capture::DecodedPacket& p) {
  if (proto.ethertype != 0) return p.ethertype == proto.ethertype;
  if (p.ethertype != 0) return false;
  constexpr std::array<std::uint8_t, 6> kAnyMac{};
  constexpr std::array<std::uint8_t, 3> kAnyLlc{};
  if (proto.destination != kAnyMac && (!p.eth_dst || p.eth_dst->bytes != proto.destination)) return false;
  if (proto.llc != kAnyLlc && (p.payload.size() < 3 || !std::equal(proto.llc.begin(), proto.llc.end(), p.payload.begin())))
    return false;
  return p.payload.size() >= proto.skip;
}

constexpr int kUndecided = -1;
constexpr int kNone = -2;

template <std::size_t N>
bool on_port(const std::array<std::uint16_t, N>& ports, std::uint16_t a, std::uint16_t b) {
  for (auto p : ports)
    if (p != 0 && (p == a || p == b)) return true;
  return false;
}

}  // namespace

// Per-protocol counts, kept by the protocol's name (the tables' string literals, so the pointer
// identifies it) and named "protocol.<name>.<count>" only when asked.
struct Tally {
  std::uint64_t identities = 0, malformed = 0, other_port = 0;
};

// A link-layer frame or datagram decoded before, with where its identities were counted.
struct Repeat {
  std::vector<std::uint8_t> key;  // protocol, addresses, ports and payload, exactly
  const char* protocol = nullptr;
  DecodeOutcome outcome = DecodeOutcome::not_protocol;
  std::vector<Evidence*> evidence;  // from the sink; null entries were not kept
  bool other_port = false;          // recognised by content on a port not its own
};
constexpr std::size_t kRepeatMemory = 4096;
constexpr std::size_t kRepeatMaxBytes = 2048;

std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ bytes.size();
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t v;
    std::memcpy(&v, bytes.data() + i, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

// Identities recently reported between one pair of parties (see State::emit).
struct RecentIdentities {
  std::vector<std::uint8_t> parties;
  std::vector<std::pair<protocols::Identity, Evidence*>> identities;
};
constexpr std::size_t kRecentParties = 4096;
constexpr std::size_t kRecentPerParties = 16;

// The bytes naming the sender and receiver of a message: their addresses.
struct Parties {
  std::array<std::uint8_t, 34> bytes{};
  std::size_t size = 0;
  void add(const capture::IpAddress& ip) {
    bytes[size++] = ip.v6 ? 6 : 4;
    std::copy(ip.bytes.begin(), ip.bytes.end(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    size += ip.bytes.size();
  }
  void add(const capture::MacAddress& mac) {
    std::copy(mac.bytes.begin(), mac.bytes.end(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    size += mac.bytes.size();
  }
  std::span<const std::uint8_t> view() const { return {bytes.data(), size}; }
};

struct ProtocolDispatch::State {
  TcpReassembler tcp;
  std::unordered_map<std::uint64_t, RecentIdentities> recent;
  std::map<const char*, Tally> tallies;
  std::vector<Repeat> repeats = std::vector<Repeat>(kRepeatMemory);
  std::vector<std::uint8_t> scratch;  // the key being looked up

  // The repeat key of a datagram or link frame: everything the decoder and the sink see.
  std::span<const std::uint8_t> repeat_key(const char* protocol, const capture::DecodedPacket& p) {
    scratch.clear();
    const auto put = [this](const void* data, std::size_t n) {
      const std::size_t at = scratch.size();
      scratch.resize(at + n);
      if (n != 0) std::memcpy(scratch.data() + at, data, n);
    };
    put(&protocol, sizeof protocol);
    if (p.eth_src) put(p.eth_src->bytes.data(), p.eth_src->bytes.size());
    if (p.eth_dst) put(p.eth_dst->bytes.data(), p.eth_dst->bytes.size());
    for (const auto* ip : {&p.ip_src, &p.ip_dst})
      if (*ip) {
        put(&(*ip)->v6, 1);
        put((*ip)->bytes.data(), (*ip)->bytes.size());
      }
    for (const auto* port : {&p.src_port, &p.dst_port})
      if (*port) put(&**port, sizeof(std::uint16_t));
    put(p.payload.data(), p.payload.size());
    return scratch;
  }

  // Counts a repeat; false when these bytes were not seen before (or are not remembered).
  bool repeated(std::uint64_t hash, std::span<const std::uint8_t> key, const capture::Frame& frame) {
    const Repeat& r = repeats[hash % kRepeatMemory];
    if (r.protocol == nullptr || !std::equal(key.begin(), key.end(), r.key.begin(), r.key.end())) return false;
    if (r.outcome == DecodeOutcome::identified) tallies[r.protocol].identities += r.evidence.size();
    if (r.outcome == DecodeOutcome::identified && r.other_port) tallies[r.protocol].other_port++;
    if (r.outcome == DecodeOutcome::malformed) tallies[r.protocol].malformed++;
    for (Evidence* e : r.evidence)
      if (e) e->add(frame.number, frame.time_us);
    return true;
  }

  void remember(std::uint64_t hash, std::span<const std::uint8_t> key, const char* protocol, DecodeOutcome outcome,
                std::vector<Evidence*> evidence, bool other_port = false) {
    if (key.size() > kRepeatMaxBytes) return;
    Repeat& r = repeats[hash % kRepeatMemory];  // direct-mapped: a newer entry replaces an older
    r.key.assign(key.begin(), key.end());
    r.protocol = protocol;
    r.outcome = outcome;
    r.evidence = std::move(evidence);
    r.other_port = other_port;
  }

  explicit State(TcpLimits limits) : tcp(limits) {}

  // An identity that names its device's MAC (DHCP: the client, whose address may still be
  // 0.0.0.0 or whose reply goes to broadcast) is about that MAC; others about the sender or,
  // when the decoder says so, the receiver of the message.
  // `sender` and `receiver` make the subject keys (text) only when there is an identity to
  // attach them to: most frames carry none, and formatting addresses for every frame showed up
  // in profiles.
  //
  // `parties` are the bytes that decide whom an identity is about (the sender's and receiver's
  // addresses). The same identity between the same parties again (a PMU's every data frame, a
  // DNP3 outstation's every response) is counted on the evidence the sink gave the first time,
  // without making keys or looking it up again.
  template <class Sender, class Receiver>
  std::vector<Evidence*> emit(const capture::Frame& frame, const IdentityResult& result, const Sender& sender,
                              const Receiver& receiver, const IdentitySink& sink,
                              std::span<const std::uint8_t> parties) {
    std::vector<Evidence*> kept;
    if (result.identities.empty()) return kept;
    const std::uint64_t hash = hash_bytes(parties);
    auto slot = recent.find(hash);
    if (slot != recent.end() && !std::equal(parties.begin(), parties.end(), slot->second.parties.begin(),
                                            slot->second.parties.end())) {
      recent.erase(slot);  // another pair of parties with the same hash: start over
      slot = recent.end();
    }
    if (slot == recent.end()) {
      if (recent.size() >= kRecentParties) recent.clear();
      slot = recent.emplace(hash, RecentIdentities{{parties.begin(), parties.end()}, {}}).first;
    }
    auto& seen = slot->second.identities;
    for (const auto& id : result.identities) {
      const auto again = std::find_if(seen.begin(), seen.end(), [&id](const auto& e) {
        return e.first.about_sender == id.about_sender && e.first.signal == id.signal && e.first.fields == id.fields;
      });
      if (again != seen.end() && again->second) {
        again->second->add(frame.number, frame.time_us);
        kept.push_back(again->second);
        continue;
      }
      const Field* client = nullptr;
      for (const auto& f : id.fields)
        if (f.name == "client.mac" && std::holds_alternative<std::string>(f.value)) client = &f;
      Evidence* e = client ? sink(frame, {{KeyKind::mac, std::get<std::string>(client->value)}}, id.signal, id.fields)
                           : sink(frame, id.about_sender ? sender() : receiver(), id.signal, id.fields);
      kept.push_back(e);
      if (again == seen.end()) {
        if (seen.size() >= kRecentPerParties) seen.erase(seen.begin());
        seen.emplace_back(id, e);
      } else {
        again->second = e;
      }
    }
    return kept;
  }

  void tally(const char* protocol, const IdentityResult& r) {
    switch (r.outcome) {
      case DecodeOutcome::identified: tallies[protocol].identities += r.identities.size(); break;
      case DecodeOutcome::malformed: tallies[protocol].malformed++; break;
      default: break;
    }
  }
};

ProtocolDispatch::ProtocolDispatch(TcpLimits limits) : state_(std::make_unique<State>(limits)) {}
ProtocolDispatch::~ProtocolDispatch() = default;
ProtocolDispatch::ProtocolDispatch(ProtocolDispatch&&) noexcept = default;
ProtocolDispatch& ProtocolDispatch::operator=(ProtocolDispatch&&) noexcept = default;

namespace {
SubjectKey ip_key(const capture::IpAddress& ip) { return {ip.v6 ? KeyKind::ipv6 : KeyKind::ipv4, ip.str()}; }
// The subject keys of one address, made when called.
auto keys_of(const capture::IpAddress& ip) {
  return [&ip] { return std::vector<SubjectKey>{ip_key(ip)}; };
}
std::vector<SubjectKey> no_keys() { return {}; }
}  // namespace

void ProtocolDispatch::observe(const capture::Frame& frame, const capture::DecodedPacket& p, const IdentitySink& sink) {
  State& s = *state_;

  // Link layer: only frames whose decoding stopped at the link (no IP).
  if (!p.ip_src && p.eth_src && !p.payload.empty()) {
    for (const auto& proto : kLinkProtocols) {
      if (!link_match(proto, p)) continue;
      const auto key = s.repeat_key(proto.name, p);
      const std::uint64_t hash = hash_bytes(key);
      if (s.repeated(hash, key, frame)) return;
      const IdentityResult r = proto.decode(p.payload.subspan(proto.skip));
      s.tally(proto.name, r);
      const auto sender = [&p] { return std::vector<SubjectKey>{{KeyKind::mac, p.eth_src->str()}}; };
      Parties parties;
      parties.add(*p.eth_src);
      s.remember(hash, key, proto.name, r.outcome, s.emit(frame, r, sender, no_keys, sink, parties.view()));
      return;
    }
    return;
  }
  if (!p.ip_src || !p.ip_dst || !p.src_port || !p.dst_port || p.ip_fragment) return;
  const auto sender = keys_of(*p.ip_src);
  const auto receiver = keys_of(*p.ip_dst);
  Parties parties;
  parties.add(*p.ip_src);
  parties.add(*p.ip_dst);

  if (p.ip_protocol == 17) {
    if (p.payload.empty()) return;
    const DatagramProtocol* chosen = nullptr;
    for (const auto& proto : kDatagramProtocols)
      if (on_port(proto.ports, *p.src_port, *p.dst_port)) chosen = &proto;
    // Datagrams on other ports are tried against every protocol: remembered under no protocol.
    const char* memo_name = chosen ? chosen->name : "";
    const auto key = s.repeat_key(memo_name, p);
    const std::uint64_t hash = hash_bytes(key);
    if (s.repeated(hash, key, frame)) return;
    if (chosen) {
      const IdentityResult r = chosen->decode(p.payload);
      s.tally(chosen->name, r);
      s.remember(hash, key, chosen->name, r.outcome, s.emit(frame, r, sender, receiver, sink, parties.view()));
      return;
    }
    for (const auto& proto : kDatagramProtocols) {  // by content on other ports
      if (!proto.by_content) continue;
      const IdentityResult r = proto.decode(p.payload);
      if (r.outcome == DecodeOutcome::not_protocol) continue;
      s.tally(proto.name, r);
      if (r.outcome == DecodeOutcome::identified) s.tallies[proto.name].other_port++;
      s.remember(hash, key, proto.name, r.outcome, s.emit(frame, r, sender, receiver, sink, parties.view()), true);
      return;
    }
    s.remember(hash, key, "", DecodeOutcome::not_protocol, {});
    return;
  }

  if (p.ip_protocol != 6) return;
  s.tcp.add(p, frame, [&](const TcpChunk& chunk) -> TcpConsumed {
    if (!chunk.state->has_value()) chunk.state->emplace<StreamState>();
    StreamState& stream = std::any_cast<StreamState&>(*chunk.state);
    if (stream.protocol == kNone) return {0, true, false};

    // The first protocol, other than `skip`, that does not reject these bytes: those expected on
    // this port first, then every protocol by content.
    auto choose = [&](int skip) {
      for (const bool by_port : {true, false})
        for (std::size_t i = 0; i < kStreamProtocols.size(); ++i) {
          const auto& candidate = kStreamProtocols[i];
          if (static_cast<int>(i) == skip) continue;
          if (on_port(candidate.ports, chunk.sender.port, chunk.receiver.port) != by_port) continue;
          if (!by_port && !candidate.by_content) continue;
          StreamState trial;  // a content check leaves no state behind
          if (candidate.decode(chunk.data, chunk.from_server, trial).outcome == DecodeOutcome::not_protocol) continue;
          if (!by_port) s.tallies[candidate.name].other_port++;
          return static_cast<int>(i);
        }
      return kUndecided;
    };

    if (stream.protocol == kUndecided) {
      stream.protocol = choose(kUndecided);
      if (stream.protocol == kUndecided) {
        // Not a protocol herkomst knows. A stream picked up mid-message gets another chance
        // at its next segment; a fresh one is left alone.
        if (!chunk.fresh_start) return {0, false, true};
        stream.protocol = kNone;
        return {0, true, false};
      }
    }
    IdentityResult r = kStreamProtocols[static_cast<std::size_t>(stream.protocol)].decode(chunk.data, chunk.from_server, stream);
    if (r.outcome == DecodeOutcome::not_protocol && chunk.fresh_start) {
      // The connection turned out to carry another protocol on the same transport (port 102:
      // COTP connects as S7 would, then MMS follows): switch if one accepts these bytes.
      if (const int other = choose(stream.protocol); other != kUndecided) {
        stream.protocol = other;
        r = kStreamProtocols[static_cast<std::size_t>(other)].decode(chunk.data, chunk.from_server, stream);
      }
    }
    const StreamProtocol& proto = kStreamProtocols[static_cast<std::size_t>(stream.protocol)];
    s.tally(proto.name, r);
    Parties between;
    between.add(chunk.sender.ip);
    between.add(chunk.receiver.ip);
    s.emit(frame, r, keys_of(chunk.sender.ip), keys_of(chunk.receiver.ip), sink, between.view());
    if (proto.once && r.outcome == DecodeOutcome::identified) return {r.consumed, true, false};
    switch (r.outcome) {
      case DecodeOutcome::not_protocol: return {0, false, true};  // lost the boundary: restart
      case DecodeOutcome::malformed:
        if (r.consumed == 0) return {0, false, true};
        return {r.consumed, false, false};
      default: return {r.consumed, false, false};
    }
  });
}

void ProtocolDispatch::reset_streams() {
  state_->tcp.clear();
  state_->repeats.assign(kRepeatMemory, Repeat{});
  state_->recent.clear();
}

std::map<std::string, std::uint64_t> ProtocolDispatch::counters() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [name, t] : state_->tallies) {
    const std::string p = "protocol." + std::string(name);
    if (t.identities) out[p + ".identities"] += t.identities;
    if (t.malformed) out[p + ".malformed"] += t.malformed;
    if (t.other_port) out[p + ".other_port"] += t.other_port;
  }
  for (const auto& [k, v] : state_->tcp.counters()) out[k] += v;
  return out;
}

}  // namespace herkomst::passive
