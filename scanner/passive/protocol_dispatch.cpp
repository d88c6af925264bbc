#include "scanner/passive/protocol_dispatch.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "scanner/protocols/bacnet.hpp"
#include "scanner/protocols/cdp.hpp"
#include "scanner/protocols/enip.hpp"
#include "scanner/protocols/identity.hpp"
#include "scanner/protocols/lldp.hpp"
#include "scanner/protocols/dhcp.hpp"
#include "scanner/protocols/dns.hpp"
#include "scanner/protocols/fox.hpp"
#include "scanner/protocols/http.hpp"
#include "scanner/protocols/mms.hpp"
#include "scanner/protocols/modbus.hpp"
#include "scanner/protocols/opcua.hpp"
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
// its decoder keeps across messages (OPC UA pairs read requests with their responses).
struct StreamState {
  int protocol = -1;  // index in kStreamProtocols; kUndecided / kNone
  protocols::OpcuaRequestMemory opcua;
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

// The protocols herkomst recognises, the ports they are expected on, and their decoders. On a
// port several protocols share (102: S7comm and MMS) they are tried in this order; on other
// ports every protocol is tried by content, in this order.
struct StreamProtocol {
  const char* name;
  std::array<std::uint16_t, 4> ports;  // 0 = unused
  StreamDecoder decode;
  bool once = false;  // identity is in the first message only (a banner): stop after it
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

struct ProtocolDispatch::State {
  TcpReassembler tcp;
  std::map<std::string, std::uint64_t> counters;

  explicit State(TcpLimits limits) : tcp(limits) {}

  // An identity that names its device's MAC (DHCP: the client, whose address may still be
  // 0.0.0.0 or whose reply goes to broadcast) is about that MAC; others about the sender or,
  // when the decoder says so, the receiver of the message.
  void emit(const capture::Frame& frame, const IdentityResult& result, const std::vector<SubjectKey>& sender,
            const std::vector<SubjectKey>& receiver, const IdentitySink& sink) {
    for (const auto& id : result.identities) {
      const Field* client = nullptr;
      for (const auto& f : id.fields)
        if (f.name == "client.mac" && std::holds_alternative<std::string>(f.value)) client = &f;
      if (client)
        sink(frame, {{KeyKind::mac, std::get<std::string>(client->value)}}, id.signal, id.fields);
      else
        sink(frame, id.about_sender ? sender : receiver, id.signal, id.fields);
    }
  }

  void tally(const char* protocol, const IdentityResult& r) {
    const std::string p(protocol);
    switch (r.outcome) {
      case DecodeOutcome::identified: counters["protocol." + p + ".identities"] += r.identities.size(); break;
      case DecodeOutcome::malformed: counters["protocol." + p + ".malformed"]++; break;
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
}  // namespace

void ProtocolDispatch::observe(const capture::Frame& frame, const capture::DecodedPacket& p, const IdentitySink& sink) {
  State& s = *state_;

  // Link layer: only frames whose decoding stopped at the link (no IP).
  if (!p.ip_src && p.eth_src && !p.payload.empty()) {
    for (const auto& proto : kLinkProtocols) {
      if (!link_match(proto, p)) continue;
      const IdentityResult r = proto.decode(p.payload.subspan(proto.skip));
      s.tally(proto.name, r);
      const std::vector<SubjectKey> sender{{KeyKind::mac, p.eth_src->str()}};
      s.emit(frame, r, sender, {}, sink);
      return;
    }
    return;
  }
  if (!p.ip_src || !p.ip_dst || !p.src_port || !p.dst_port || p.ip_fragment) return;
  const std::vector<SubjectKey> sender{ip_key(*p.ip_src)};
  const std::vector<SubjectKey> receiver{ip_key(*p.ip_dst)};

  if (p.ip_protocol == 17) {
    if (p.payload.empty()) return;
    const DatagramProtocol* chosen = nullptr;
    for (const auto& proto : kDatagramProtocols)
      if (on_port(proto.ports, *p.src_port, *p.dst_port)) chosen = &proto;
    if (chosen) {
      const IdentityResult r = chosen->decode(p.payload);
      s.tally(chosen->name, r);
      s.emit(frame, r, sender, receiver, sink);
      return;
    }
    for (const auto& proto : kDatagramProtocols) {  // by content on other ports
      if (!proto.by_content) continue;
      const IdentityResult r = proto.decode(p.payload);
      if (r.outcome == DecodeOutcome::not_protocol) continue;
      s.tally(proto.name, r);
      if (r.outcome == DecodeOutcome::identified) s.counters["protocol." + std::string(proto.name) + ".other_port"]++;
      s.emit(frame, r, sender, receiver, sink);
      return;
    }
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
          StreamState trial;  // a content check leaves no state behind
          if (candidate.decode(chunk.data, chunk.from_server, trial).outcome == DecodeOutcome::not_protocol) continue;
          if (!by_port) s.counters["protocol." + std::string(candidate.name) + ".other_port"]++;
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
    const std::vector<SubjectKey> from{ip_key(chunk.sender.ip)};
    const std::vector<SubjectKey> to{ip_key(chunk.receiver.ip)};
    s.emit(frame, r, from, to, sink);
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
}

std::map<std::string, std::uint64_t> ProtocolDispatch::counters() const {
  auto out = state_->counters;
  for (const auto& [k, v] : state_->tcp.counters()) out[k] += v;
  return out;
}

}  // namespace herkomst::passive
