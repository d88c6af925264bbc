// Reading frames from capture files, one at a time, in constant memory.
//
// open_capture() picks the reader: libpcap for pcap and for pcapng whose interfaces agree;
// herkomst's own pcapng reader for pcapng files libpcap 1.10 refuses (interfaces that differ
// in link type or snapshot length). If libpcap meets such an interface part-way through a
// file, the source switches to the own reader and skips the frames already delivered, so
// callers see one uninterrupted sequence of frames either way.
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
  std::string message;  // names the file and the place: "FILE: truncated at byte 1234 (frame 17 header)"
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
