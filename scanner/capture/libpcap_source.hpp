// CaptureSource backed by libpcap's savefile reader (classic pcap in all its magic variants,
// and pcapng whose interfaces agree).
//
// Timestamps are requested in microseconds (libpcap scales nanosecond files). Link types come
// back as LINKTYPE_* values (libpcap's DLT_RAW etc. are mapped back). Errors name the file and
// the frame; libpcap's truncation messages are turned into
// "FILE: truncated: frame 17's data ends at byte N, file has M bytes".
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "scanner/capture/capture_source.hpp"

namespace herkomst::capture {

struct PcapCloser {
  void operator()(pcap_t* handle) const noexcept { pcap_close(handle); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

class LibpcapSource final : public CaptureSource {
 public:
  // `format` is what format() reports ("pcap" or "pcapng"); `file_size` is quoted in
  // truncation messages. Fails with "PATH: <libpcap's reason>".
  static std::variant<std::unique_ptr<LibpcapSource>, CaptureError> open(const std::string& path, std::string format,
                                                                        std::uint64_t file_size);

  LibpcapSource(PcapHandle handle, std::string path, std::string format, std::uint64_t file_size);

  NextResult next(Frame& out) override;
  const CaptureError& error() const override { return error_; }
  std::string format() const override { return format_; }
  std::uint64_t bytes_read() const override;

  // libpcap's own text for the last error, without file name or frame number.
  const std::string& libpcap_message() const { return libpcap_message_; }

 private:
  std::string describe_error(const std::string& message, std::uint64_t record_start) const;
  std::uint64_t file_position() const;  // ftell of libpcap's FILE

  PcapHandle handle_;
  std::string path_;
  std::string format_;
  std::uint64_t file_size_ = 0;
  int linktype_ = 0;
  std::uint64_t frames_ = 0;
  CaptureError error_;
  std::string libpcap_message_;
  bool done_ = false;
  // The offset where the next record starts, counted rather than asked (see next()).
  std::uint64_t position_ = 0;
  bool position_known_ = false;
};

// Maps a DLT_* value from pcap_datalink() to the LINKTYPE_* value stored in files (they
// differ only for a few old link types, e.g. DLT_RAW 12/14 = LINKTYPE_RAW 101).
int linktype_from_dlt(int dlt);

}  // namespace herkomst::capture
