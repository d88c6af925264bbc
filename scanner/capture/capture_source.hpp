// Reading frames from capture files, one at a time, in constant memory.
//
// open_capture() picks the reader: libpcap for pcap and for pcapng whose interfaces agree;
// herkomst's own pcapng reader for pcapng files libpcap 1.10 refuses (interfaces that differ
// in link type or snapshot length). If libpcap meets such an interface part-way through a
// file, the source switches to the own reader and skips the frames already delivered, so
// callers see one uninterrupted sequence of frames either way.
//
// How the choice is made (open_capture.cpp): the first four bytes decide pcap (any of the
// microsecond/nanosecond magics in either byte order) or pcapng. For pcapng the blocks up to
// the first packet are read ahead; if the interfaces described there differ in link type or
// snapshot length (or there are none), the own reader (pcapng_reader.hpp) is used from the
// start, otherwise libpcap (libpcap_source.hpp). When libpcap reports any error on a pcapng
// file after opening it, the own reader reopens the file, skips the frames already delivered
// and carries on; if the file really is broken, the own reader's error (naming the byte
// offset) is what error() reports.
//
// Error messages always start with the path: "FILE: no such file", "FILE: empty file",
// "FILE: not a pcap or pcapng file (starts with 3c 68 74 6d)",
// "FILE: truncated: frame 17's data ends at byte N, file has M bytes",
// "FILE: invalid enhanced packet block at byte N: total length L is not a multiple of 4".
// Timestamps are microseconds (nanosecond files and if_tsresol are scaled, fraction
// truncated); link types are LINKTYPE_* values as stored in the file.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>

namespace herkomst::capture {

struct Frame {
  std::uint64_t number = 0;       // 1-based, in file order
  std::int64_t time_us = 0;       // microseconds since the Unix epoch
  int linktype = 0;               // of the interface this frame was captured on
  std::uint32_t original_length = 0;  // length on the wire
  std::span<const std::uint8_t> data;  // captured bytes; valid until the next call to next()
};

struct CaptureError {
  std::string message;  // names the file and the place: "FILE: truncated: frame 17's header ends at byte N, ..."
};

enum class NextResult { frame, end, error };

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  // Reads the next frame into `out`. On error, error() says what happened; frames already
  // delivered stay valid observations.
  virtual NextResult next(Frame& out) = 0;
  virtual const CaptureError& error() const = 0;
  virtual std::string format() const = 0;   // "pcap" or "pcapng"
  virtual std::uint64_t bytes_read() const = 0;  // position in the file, for progress
};

// Opens a capture file. Fails (with a message naming the file) when it is missing, empty,
// unreadable or not a pcap/pcapng file.
std::variant<std::unique_ptr<CaptureSource>, CaptureError> open_capture(const std::string& path);

}  // namespace herkomst::capture
