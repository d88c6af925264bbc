// CaptureSource over a network interface (libpcap live capture).
//
//   LiveSource::open(options)     pcap_create, snaplen, promiscuous, 200 ms timeout, immediate
//                                 mode, pcap_activate, BPF filter; fails with a message naming
//                                 the interface (and the filter, for a bad filter)
//   next(frame)                   frames until the packet limit, the duration or the stop flag
//   statistics()                  pcap_stats: received, dropped by the kernel, dropped by the
//                                 interface, for the scan record
//
// The handle is non-blocking and waited on with poll() in slices of at most 200 ms, so a stop
// flag set by a signal handler (StopSignals below) ends the capture within about 0.2 s even on
// a silent interface. The duration is measured on the monotonic clock from the first call to
// next(). Frames are numbered from 1; data stays valid until the next call to next().
#pragma once

#include <pcap/pcap.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/libpcap_source.hpp"

namespace herkomst::capture {

inline constexpr int kDefaultSnaplen = 262144;

struct LiveOptions {
  std::string interface;
  std::string filter;                     // BPF (pcap-filter(7)); empty: everything
  int snaplen = kDefaultSnaplen;          // bytes kept of each frame
  std::uint64_t max_packets = 0;          // 0: no limit
  std::optional<std::chrono::milliseconds> max_duration;  // none: until stopped
  const std::atomic<bool>* stop = nullptr;  // checked at least every 200 ms; may be null
};

// What libpcap counted for the handle (pcap_stats), for the scan record.
struct LiveStatistics {
  std::uint64_t received = 0;     // ps_recv: packets that passed the filter
  std::uint64_t dropped = 0;      // ps_drop: dropped because the buffer was full
  std::uint64_t if_dropped = 0;   // ps_ifdrop: dropped by the interface or its driver
};

// Why next() returned end.
enum class StopReason { none, packet_limit, duration, stop_flag };

class LiveSource final : public CaptureSource {
 public:
  // Errors: "interface eth9: no such device (...)", "interface eth0: permission denied: live
  // capture needs root or CAP_NET_RAW (...)", "interface lo: BPF filter "udp prt 1": <libpcap's
  // message>".
  static std::variant<std::unique_ptr<LiveSource>, CaptureError> open(const LiveOptions& options);

  LiveSource(PcapHandle handle, LiveOptions options);

  NextResult next(Frame& out) override;
  const CaptureError& error() const override { return error_; }
  std::string format() const override { return "live"; }
  std::uint64_t bytes_read() const override { return bytes_; }  // bytes captured so far

  const std::string& interface() const { return options_.interface; }
  const LiveOptions& options() const { return options_; }
  StopReason stop_reason() const { return stop_reason_; }
  // pcap_stats now (the last successful reading if the call fails, e.g. after the interface vanished).
  LiveStatistics statistics();

 private:
  bool should_stop();

  PcapHandle handle_;
  LiveOptions options_;
  int linktype_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t bytes_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool started_ = false;
  bool done_ = false;
  StopReason stop_reason_ = StopReason::none;
  CaptureError error_;
  LiveStatistics last_stats_;
};

// While alive, SIGINT and SIGTERM set flag() instead of ending the process; a second such
// signal after the first ends the process the default way (for a scan that does not stop).
// The previous handlers come back on destruction. One instance at a time.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  const std::atomic<bool>& flag() const;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace herkomst::capture
