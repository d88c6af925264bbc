// TPKT (RFC 1006) and COTP (ISO 8073 / X.224 class 0) framing shared by S7comm and, later,
// IEC 61850 MMS (both on TCP port 102).
//
// TPKT: version 3, reserved 0, length (big endian, whole packet incl. these 4 bytes).
// COTP: length indicator (header length without itself), TPDU code in the high nibble of the
// next byte; DT (0xF0) carries EOT (bit 7) + TPDU number and then user data; CR (0xE0) and
// CC (0xD0) carry dst-ref, src-ref, class and parameters, among them the calling (0xC1) and
// called (0xC2) TSAPs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace herkomst::protocols::cotp {

inline constexpr std::uint8_t kConnectRequest = 0xE0;
inline constexpr std::uint8_t kConnectConfirm = 0xD0;
inline constexpr std::uint8_t kDisconnectRequest = 0x80;
inline constexpr std::uint8_t kDisconnectConfirm = 0xC0;
inline constexpr std::uint8_t kData = 0xF0;
inline constexpr std::uint8_t kExpeditedData = 0x10;
inline constexpr std::uint8_t kDataAck = 0x60;
inline constexpr std::uint8_t kExpeditedAck = 0x20;
inline constexpr std::uint8_t kReject = 0x50;
inline constexpr std::uint8_t kError = 0x70;

inline constexpr std::size_t kTpktHeaderSize = 4;
inline constexpr std::size_t kMinTpktLength = 7;            // TPKT header + shortest COTP (DT)
inline constexpr std::size_t kMaxReassembledSize = 65536;  // one TSDU from DT segments
inline constexpr std::size_t kMaxTsapSize = 32;

// One COTP TPDU, or for DT one whole TSDU (the user data of DT segments up to the one with EOT).
struct Unit {
  std::uint8_t type = 0;                   // TPDU code (high nibble): kData, kConnectRequest, ...
  std::vector<std::uint8_t> data;          // kData: reassembled user data
  std::vector<std::uint8_t> calling_tsap;  // kConnectRequest/kConnectConfirm: parameter 0xC1
  std::vector<std::uint8_t> called_tsap;   // kConnectRequest/kConnectConfirm: parameter 0xC2
  std::size_t begin = 0;                   // stream offset of its first TPKT packet
  std::size_t end = 0;                     // stream offset just past its last TPKT packet
};

enum class StreamStatus {
  ok,         // every byte belongs to a complete unit
  need_more,  // the input ends inside a TPKT packet or inside a DT sequence without EOT
  not_tpkt,   // the first bytes cannot be a TPKT packet carrying COTP
  malformed,  // a length lies: see error; units before it are kept
};

struct Stream {
  StreamStatus status = StreamStatus::ok;
  std::vector<Unit> units;
  // Bytes of complete units (a DT sequence still waiting for EOT is not consumed, so the caller
  // hands it in again with more bytes). For malformed: past the bad packet when its TPKT length
  // is known, else up to it.
  std::size_t consumed = 0;
  std::string error;  // malformed: "<protocol>: COTP length indicator 9 exceeds TPKT payload (3 bytes) at offset 0"
};

// True when `bytes` starts like a TPKT packet (version 3, reserved 0, length >= 7): checks only
// the bytes present.
bool looks_like_tpkt(std::span<const std::uint8_t> bytes);

// Reads the TPKT packets at the start of `bytes` (one direction of a TCP connection, starting
// at a packet boundary) and returns their COTP units, reassembling DT segments. `protocol`
// prefixes error messages ("s7", "mms").
Stream read_stream(std::span<const std::uint8_t> bytes, std::string_view protocol = "cotp");

}  // namespace herkomst::protocols::cotp
