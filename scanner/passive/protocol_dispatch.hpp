// Routes what a frame carries to the protocol decoders, and their identities to the observer.
//
//   link layer   LLDP (0x88cc), PROFINET DCP (0x8892), CDP (802.3 SNAP to 01:00:0c:cc:cc:cc)
//   UDP          one datagram at a time: SNMP, BACnet/IP, EtherNet/IP, DHCP, DNS, mDNS, SSDP,
//                DNP3, IEEE C37.118
//   TCP          reassembled per direction (tcp_reassembly.hpp): Modbus/TCP, S7comm, IEC 61850 MMS,
//                EtherNet/IP, OPC UA, Niagara Fox, TLS, HTTP, SSH, DNP3, IEC 60870-5-104,
//                IEEE C37.118, PC WORX (port 1962 only)
//
// A protocol is recognised by its well-known port first and, on any other port, by its content:
// the first bytes of a stream or datagram are offered to each decoder, and the first that does
// not answer "not this protocol" is kept for that stream. The table of protocols, ports and
// decoders is data (kProtocols in protocol_dispatch.cpp), not a chain of ifs.
//
// Identities about the sender of an IP message are keyed by the sender's IP address only: the
// frame's source MAC may be a router's. Link-layer identities are keyed by the source MAC.
//
// Devices repeat themselves: the same LLDP frame every 30 s, the same BACnet I-Am, the same SNMP
// answer to every poll. A link-layer frame or datagram whose bytes, addresses and ports equal
// one decoded before is not decoded again: its identities' evidence is counted once more
// (bounded: kRepeatMemory direct-mapped slots of at most kRepeatMaxBytes; a newer datagram
// replaces an older one in its slot).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inventory/model.hpp"
#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"
#include "scanner/passive/tcp_reassembly.hpp"

namespace herkomst::passive {

// Receives one identity: the frame it was completed in, whom it is about, and what it says.
// Returns the evidence the sighting was added to, or null when it was not kept (a bound was
// reached). The dispatcher keeps that pointer to count a repeat of the same datagram without
// decoding it again, until reset_streams(): the sink's evidence must stay put until then.
using IdentitySink =
    std::function<Evidence*(const capture::Frame&, std::vector<SubjectKey>, std::string signal, std::vector<Field>)>;

class ProtocolDispatch {
 public:
  explicit ProtocolDispatch(TcpLimits limits = {});
  ~ProtocolDispatch();
  ProtocolDispatch(ProtocolDispatch&&) noexcept;
  ProtocolDispatch& operator=(ProtocolDispatch&&) noexcept;

  void observe(const capture::Frame& frame, const capture::DecodedPacket& packet, const IdentitySink& sink);
  // Forgets stream state and remembered datagrams (between input files, and before the
  // evidence handed out by the sink moves).
  void reset_streams();
  // Messages per protocol, malformed messages, and the TCP reassembler's counters.
  std::map<std::string, std::uint64_t> counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace herkomst::passive
