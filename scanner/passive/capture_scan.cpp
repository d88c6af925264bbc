#include "scanner/passive/capture_scan.hpp"

#include <filesystem>
#include <system_error>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"

namespace herkomst::passive {
namespace {

// The one frame loop for files and interfaces: decode, count, observe. Sets the frames.*
// counters of `input` and returns how reading ended.
capture::NextResult read_frames(capture::CaptureSource& source, PassiveObserver& observer, ScanInput& input,
                                const Progress& progress) {
  std::uint64_t frames = 0, captured = 0, truncated = 0, malformed = 0, unsupported = 0;
  capture::Frame frame;
  capture::NextResult result;
  while ((result = source.next(frame)) == capture::NextResult::frame) {
    ++frames;
    captured += frame.data.size();
    const auto packet = capture::decode_packet(frame.linktype, frame.data, frame.original_length);
    switch (packet.status) {
      case capture::DecodeStatus::ok: break;
      case capture::DecodeStatus::truncated: ++truncated; break;
      case capture::DecodeStatus::malformed: ++malformed; break;
      case capture::DecodeStatus::unsupported: ++unsupported; break;
    }
    observer.observe(frame, packet);
    if (progress && (frames & 0x3fff) == 0) progress(source.bytes_read(), input.bytes);
  }
  input.counters["frames"] = frames;
  input.counters["frames.bytes"] = captured;
  input.counters["frames.truncated"] = truncated;
  input.counters["frames.malformed"] = malformed;
  input.counters["frames.unsupported"] = unsupported;
  return result;
}

}  // namespace

ScanInput scan_capture_file(const std::string& path, PassiveObserver& observer, const Progress& progress) {
  ScanInput input;
  input.kind = SourceKind::capture;
  input.path = path;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  input.bytes = ec ? 0 : static_cast<std::uint64_t>(size);

  auto opened = capture::open_capture(path);
  if (auto* err = std::get_if<capture::CaptureError>(&opened)) {
    input.status = "failed";
    input.error = err->message;
    return input;
  }
  auto& source = *std::get<std::unique_ptr<capture::CaptureSource>>(opened);
  input.format = source.format();
  observer.begin_input(path);

  const auto result = read_frames(source, observer, input, progress);
  if (progress) progress(input.bytes, input.bytes);
  if (result == capture::NextResult::error) {
    input.status = "truncated";
    input.error = source.error().message;
  } else {
    input.status = "read";
  }
  return input;
}

ScanInput scan_live_interface(capture::LiveSource& source, PassiveObserver& observer, const Progress& progress) {
  ScanInput input;
  input.kind = SourceKind::capture;
  input.path = "iface:" + source.interface();
  input.format = source.format();
  observer.begin_input(input.path);

  const auto result = read_frames(source, observer, input, progress);
  input.bytes = source.bytes_read();
  if (progress) progress(input.bytes, input.bytes);
  const auto stats = source.statistics();
  input.counters["capture.received"] = stats.received;
  input.counters["capture.dropped"] = stats.dropped;
  input.counters["capture.if_dropped"] = stats.if_dropped;
  if (result == capture::NextResult::error) {
    input.status = "interrupted";
    input.error = source.error().message;
  } else {
    input.status = "read";
  }
  return input;
}

}  // namespace herkomst::passive
