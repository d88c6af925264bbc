#include "scanner/passive/capture_scan.hpp"

#include <filesystem>
#include <system_error>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"

namespace herkomst::passive {

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
  if (progress) progress(input.bytes, input.bytes);

  input.counters["frames"] = frames;
  input.counters["frames.bytes"] = captured;
  input.counters["frames.truncated"] = truncated;
  input.counters["frames.malformed"] = malformed;
  input.counters["frames.unsupported"] = unsupported;
  if (result == capture::NextResult::error) {
    input.status = "truncated";
    input.error = source.error().message;
  } else {
    input.status = "read";
  }
  return input;
}

}  // namespace herkomst::passive
