// LiveSource: pcap_create .. pcap_activate, a BPF filter, and a non-blocking read loop that
// waits with poll() in slices of at most 200 ms so limits and the stop flag are checked often.
#include "scanner/capture/live_source.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace herkomst::capture {
namespace {

constexpr int kTimeoutMs = 200;                        // pcap_set_timeout and the longest poll() wait
constexpr int kBufferBytes = 16 * 1024 * 1024;         // kernel ring: room for bursts on a busy SPAN port

std::string with_detail(std::string message, const std::string& detail) {
  if (!detail.empty()) message += " (" + detail + ")";
  return message;
}

std::string activate_error(const std::string& iface, int status, const std::string& detail) {
  const std::string head = "interface " + iface + ": ";
  switch (status) {
    case PCAP_ERROR_NO_SUCH_DEVICE: return with_detail(head + "no such device", detail);
    case PCAP_ERROR_PERM_DENIED:
      return with_detail(head + "permission denied: live capture needs root or the CAP_NET_RAW capability", detail);
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return with_detail(head + "permission denied for promiscuous mode", detail);
    case PCAP_ERROR_IFACE_NOT_UP: return with_detail(head + "interface is not up", detail);
    case PCAP_ERROR_RFMON_NOTSUP: return with_detail(head + "monitor mode not supported", detail);
    default: break;
  }
  return with_detail(head + pcap_statustostr(status), detail);
}

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is set from a signal handler");

extern "C" void on_stop_signal(int signal_number) {
  if (g_stop.exchange(true)) {
    // Second signal: the user wants out now. Die the default way (the scan row stays 'running'
    // and the next run marks it incomplete).
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, nullptr);
    raise(signal_number);
  }
}

}  // namespace

std::variant<std::unique_ptr<LiveSource>, CaptureError> LiveSource::open(const LiveOptions& options) {
  const std::string& iface = options.interface;
  if (iface.empty()) return CaptureError{"interface name is empty"};
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  PcapHandle handle(pcap_create(iface.c_str(), errbuf.data()));
  if (!handle) return CaptureError{"interface " + iface + ": " + errbuf.data()};
  pcap_t* h = handle.get();
  if (pcap_set_snaplen(h, options.snaplen) != 0 || pcap_set_promisc(h, 1) != 0 ||
      pcap_set_timeout(h, kTimeoutMs) != 0 || pcap_set_immediate_mode(h, 1) != 0 ||
      pcap_set_buffer_size(h, kBufferBytes) != 0)
    return CaptureError{"interface " + iface + ": cannot set capture options: " + pcap_geterr(h)};
  const int status = pcap_activate(h);
  if (status < 0) return CaptureError{activate_error(iface, status, pcap_geterr(h))};
  // status > 0 is a warning (e.g. promiscuous mode not supported); capturing works anyway.

  if (!options.filter.empty()) {
    bpf_u_int32 net = 0;
    bpf_u_int32 mask = PCAP_NETMASK_UNKNOWN;
    if (pcap_lookupnet(iface.c_str(), &net, &mask, errbuf.data()) != 0) mask = PCAP_NETMASK_UNKNOWN;
    bpf_program program{};
    if (pcap_compile(h, &program, options.filter.c_str(), 1, mask) != 0)
      return CaptureError{"interface " + iface + ": BPF filter \"" + options.filter + "\": " + pcap_geterr(h)};
    const int set = pcap_setfilter(h, &program);
    pcap_freecode(&program);
    if (set != 0)
      return CaptureError{"interface " + iface + ": BPF filter \"" + options.filter + "\": " + pcap_geterr(h)};
  }
  if (pcap_setnonblock(h, 1, errbuf.data()) != 0)
    return CaptureError{"interface " + iface + ": cannot switch to non-blocking mode: " + errbuf.data()};
  if (pcap_get_selectable_fd(h) < 0)
    return CaptureError{"interface " + iface + ": libpcap offers no descriptor to wait on"};
  return std::make_unique<LiveSource>(std::move(handle), options);
}

LiveSource::LiveSource(PcapHandle handle, LiveOptions options)
    : handle_(std::move(handle)), options_(std::move(options)) {
  linktype_ = linktype_from_dlt(pcap_datalink(handle_.get()));
}

bool LiveSource::should_stop() {
  if (options_.max_packets != 0 && frames_ >= options_.max_packets) {
    stop_reason_ = StopReason::packet_limit;
    return true;
  }
  if (options_.stop != nullptr && options_.stop->load()) {
    stop_reason_ = StopReason::stop_flag;
    return true;
  }
  if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
    stop_reason_ = StopReason::duration;
    return true;
  }
  return false;
}

NextResult LiveSource::next(Frame& out) {
  if (done_) return error_.message.empty() ? NextResult::end : NextResult::error;
  if (!started_) {
    started_ = true;
    if (options_.max_duration) deadline_ = std::chrono::steady_clock::now() + *options_.max_duration;
  }
  pcap_t* h = handle_.get();
  while (true) {
    if (should_stop()) {
      done_ = true;
      return NextResult::end;
    }
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int status = pcap_next_ex(h, &header, &data);
    if (status == 1) {
      ++frames_;
      bytes_ += header->caplen;
      out.number = frames_;
      out.time_us =
          static_cast<std::int64_t>(header->ts.tv_sec) * 1000000 + static_cast<std::int64_t>(header->ts.tv_usec);
      out.linktype = linktype_;
      out.original_length = header->len;
      out.data = std::span<const std::uint8_t>(data, header->caplen);
      return NextResult::frame;
    }
    if (status == 0) {  // nothing waiting: sleep until traffic, the next check or the deadline
      auto wait = std::chrono::milliseconds(kTimeoutMs);
      if (deadline_) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - std::chrono::steady_clock::now());
        wait = std::clamp(left, std::chrono::milliseconds(0), wait);
      }
      pollfd fd{pcap_get_selectable_fd(h), POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>(wait.count())) < 0 && errno != EINTR) {
        done_ = true;
        error_.message = "interface " + options_.interface + ": waiting for packets failed: " + std::strerror(errno);
        return NextResult::error;
      }
      continue;
    }
    done_ = true;
    if (status == PCAP_ERROR_BREAK) return NextResult::end;
    error_.message = "interface " + options_.interface + ": capture failed after " + std::to_string(frames_) +
                     " frames: " + pcap_geterr(h);
    return NextResult::error;
  }
}

LiveStatistics LiveSource::statistics() {
  pcap_stat stats{};
  if (pcap_stats(handle_.get(), &stats) == 0) {
    last_stats_.received = stats.ps_recv;
    last_stats_.dropped = stats.ps_drop;
    last_stats_.if_dropped = stats.ps_ifdrop;
  }
  return last_stats_;
}

StopSignals::StopSignals() {
  g_stop.store(false);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking wait returns EINTR and the loop checks the flag
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

const std::atomic<bool>& StopSignals::flag() const { return g_stop; }

}  // namespace herkomst::capture
