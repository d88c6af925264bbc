// DNP3 (IEEE 1815) over TCP or UDP, port 20000: who is master and who is outstation, their DNP3
// addresses, and the Group 0 device attributes an outstation reports.
//
// Layouts (field layout only), from IEEE Std 1815-2012 as publicly described: Zeek's DNP3
// analyzer documentation (https://docs.zeek.org/en/master/scripts/base/protocols/dnp3/), the
// Wireshark 4.0 DNP3 dissector's field and value lists (`tshark -G fields`, `tshark -G values`,
// read 2026-11-28), checked against the corpus capture dnp3/dnp3_bro.pcap (header CRCs, DIR bits,
// addresses):
//
//   link frame   0x05 0x64, LEN (octets from CTRL to the end of the user data, CRCs not counted,
//                5..255), CTRL (bit 7 DIR: 1 = sent by the master; bit 6 PRM: primary; bits 0-3
//                function: 3 confirmed / 4 unconfirmed user data), DEST and SRC (two octets each,
//                little-endian), CRC of the 8 octets before it; then the LEN - 5 octets of user
//                data in blocks of 16 (the last one shorter), each followed by its CRC.
//                CRC: polynomial 0x3D65 (bit-reversed 0xA6BC), initial value 0, complemented,
//                low octet first.
//   transport    the first user-data octet: FIN (bit 7), FIR (bit 6), sequence (bits 0-5); the
//                segments of one application fragment go from FIR to FIN with sequence + 1.
//   application  a response: application control, function 0x81 (response) or 0x82
//                (unsolicited), two IIN octets, then objects: group, variation, qualifier
//                (bits 4-6 index prefix, bits 0-3 range code), range, objects. A Group 0 object
//                (device attribute, variations 196-255) is: data type (1 = VSTR visible
//                string), length, value.
//
// Signals and fields: docs/signals-grid-pcworx.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kDnp3MaxFragment = 4096;  // a reassembled application fragment
inline constexpr std::size_t kDnp3MaxPending = 8;      // fragments being reassembled at once
inline constexpr std::size_t kDnp3MaxObjects = 256;    // Group 0 objects read from one header

// Transport segments waiting for the rest of their application fragment, per (source,
// destination) pair. One per TCP connection (or UDP flow); the decoder keeps it bounded.
struct Dnp3Reassembly {
  struct Pending {
    std::uint16_t source = 0;
    std::uint16_t destination = 0;
    std::uint8_t next_sequence = 0;
    std::vector<std::uint8_t> data;
  };
  std::vector<Pending> pending;  // at most kDnp3MaxPending; the oldest is dropped for a new one
};

// Decodes the complete link frames at the start of `bytes` (one direction of one TCP connection,
// from a frame boundary). Every frame gives "dnp3.link" about its sender: role ("master" when
// DIR = 1, else "outstation"), address (SRC) and peer.address (DEST, left out for the broadcast
// addresses 0xFFFD-0xFFFF); repeats within one call are given once. Transport segments are put
// together in `memory`; a complete response fragment from an outstation whose objects are Group 0
// device attributes gives "dnp3.device-attributes" about its sender (role, address, vendor,
// product.name, software.version, hardware.version, serial, device.name, location, id.code).
//
// Outcome: not_protocol if the first bytes are not 0x05 0x64 with a length of at least 5 and a
// valid header CRC; malformed if a later frame does (`consumed` up to it) or a frame's data CRC
// or a device attribute's length is wrong (`consumed` past that frame); identities found before
// are kept. Else identified when a complete frame was read (every frame names its sender), or
// need_more.
IdentityResult decode_dnp3_stream(std::span<const std::uint8_t> bytes, Dnp3Reassembly& memory);
IdentityResult decode_dnp3_stream(std::span<const std::uint8_t> bytes);  // reassembles within this call only

// One UDP datagram: as the stream decoder (reassembly within the datagram only); a datagram that
// ends inside a frame is malformed.
IdentityResult decode_dnp3_datagram(std::span<const std::uint8_t> bytes);

}  // namespace herkomst::protocols
