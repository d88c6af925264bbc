// open_capture(): recognises the file, picks libpcap or the own pcapng reader, and switches
// from libpcap to the own reader when libpcap gives up on a pcapng file part-way through.
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/file_handle.hpp"
#include "scanner/capture/libpcap_source.hpp"
#include "scanner/capture/pcapng_reader.hpp"

namespace herkomst::capture {

namespace {

using Opened = std::variant<std::unique_ptr<CaptureSource>, CaptureError>;

enum class FileKind { pcap, pcapng, other };

FileKind kind_of(const std::array<std::uint8_t, 4>& magic) {
  const std::uint32_t big = (std::uint32_t{magic[0]} << 24) | (std::uint32_t{magic[1]} << 16) |
                            (std::uint32_t{magic[2]} << 8) | std::uint32_t{magic[3]};
  switch (big) {
    case 0xa1b2c3d4:  // microseconds, big-endian writer
    case 0xd4c3b2a1:  // microseconds, little-endian writer
    case 0xa1b23c4d:  // nanoseconds, big-endian
    case 0x4d3cb2a1:  // nanoseconds, little-endian
    case 0xa1b2cd34:  // Kuznetzov's modified pcap
    case 0x34cdb2a1:
      return FileKind::pcap;
    case 0x0a0d0d0a:
      return FileKind::pcapng;
    default:
      return FileKind::other;
  }
}

std::string hex_bytes(const std::uint8_t* data, std::size_t count) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out.push_back(' ');
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

Opened open_own_reader(const std::string& path) {
  auto opened = PcapngReader::open(path);
  if (auto* error = std::get_if<CaptureError>(&opened)) return std::move(*error);
  return std::unique_ptr<CaptureSource>(std::move(std::get<std::unique_ptr<PcapngReader>>(opened)));
}

// libpcap on a pcapng file; if libpcap fails part-way (an interface that differs from the
// first, a second section with another byte order, ...), the own reader takes over after
// skipping the frames libpcap already delivered. The own reader's verdict is final: if the
// file really is broken, its error (naming the byte offset) is reported.
class SwitchingSource final : public CaptureSource {
 public:
  SwitchingSource(std::unique_ptr<LibpcapSource> libpcap, std::string path)
      : current_(std::move(libpcap)), path_(std::move(path)) {}

  NextResult next(Frame& out) override {
    if (failed_) return NextResult::error;
    const NextResult result = current_->next(out);
    if (result == NextResult::frame) {
      ++delivered_;
      return result;
    }
    if (result == NextResult::end || switched_) {
      failed_ = result == NextResult::error;
      if (failed_) error_ = current_->error();
      return result;
    }
    return switch_to_own_reader(out);
  }

  const CaptureError& error() const override { return error_; }
  std::string format() const override { return "pcapng"; }
  std::uint64_t bytes_read() const override { return current_->bytes_read(); }

 private:
  NextResult switch_to_own_reader(Frame& out) {
    switched_ = true;
    const CaptureError libpcap_error = current_->error();
    auto opened = PcapngReader::open(path_);
    if (auto* error = std::get_if<CaptureError>(&opened)) return fail(std::move(*error));
    std::unique_ptr<PcapngReader> own = std::move(std::get<std::unique_ptr<PcapngReader>>(opened));
    Frame skipped;
    for (std::uint64_t i = 0; i < delivered_; ++i) {
      const NextResult result = own->next(skipped);
      if (result == NextResult::error) return fail(own->error());
      if (result == NextResult::end) return fail(libpcap_error);  // readers disagree: keep libpcap's word
    }
    current_ = std::move(own);
    return next(out);
  }

  NextResult fail(CaptureError error) {
    failed_ = true;
    error_ = std::move(error);
    return NextResult::error;
  }

  std::unique_ptr<CaptureSource> current_;
  std::string path_;
  std::uint64_t delivered_ = 0;
  bool switched_ = false;
  bool failed_ = false;
  CaptureError error_;
};

Opened open_pcapng(const std::string& path, FileHandle file, std::uint64_t size) {
  // Look ahead at the interfaces described before the first packet.
  std::vector<PcapngInterface> interfaces;
  {
    PcapngReader look_ahead(std::move(file), path, size);
    auto seen = look_ahead.leading_interfaces();
    // A broken start: the own reader reports it, with its offset, from the first next().
    if (std::holds_alternative<CaptureError>(seen)) return open_own_reader(path);
    interfaces = std::move(std::get<std::vector<PcapngInterface>>(seen));
  }
  bool agree = !interfaces.empty();
  for (const PcapngInterface& interface : interfaces) {
    agree = agree && interface.linktype == interfaces.front().linktype && interface.snaplen == interfaces.front().snaplen;
  }
  if (!agree) return open_own_reader(path);

  auto opened = LibpcapSource::open(path, "pcapng", size);
  if (std::holds_alternative<CaptureError>(opened)) return open_own_reader(path);
  return std::unique_ptr<CaptureSource>(
      std::make_unique<SwitchingSource>(std::move(std::get<std::unique_ptr<LibpcapSource>>(opened)), path));
}

}  // namespace

std::variant<std::unique_ptr<CaptureSource>, CaptureError> open_capture(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return CaptureError{path + ": no such file"};
    return CaptureError{path + ": cannot open: " + std::strerror(errno)};
  }
  if (S_ISDIR(info.st_mode)) return CaptureError{path + ": is a directory, not a capture file"};
  FileHandle file = open_file(path);
  if (!file) return CaptureError{path + ": cannot open: " + std::strerror(errno)};
  const auto size = static_cast<std::uint64_t>(info.st_size);

  std::array<std::uint8_t, 4> magic{};
  const std::size_t got = std::fread(magic.data(), 1, magic.size(), file.get());
  if (got == 0) {
    if (std::ferror(file.get()) != 0) return CaptureError{path + ": cannot read: " + std::strerror(errno)};
    return CaptureError{path + ": empty file"};
  }
  const FileKind kind = got == magic.size() ? kind_of(magic) : FileKind::other;
  if (kind == FileKind::other) {
    return CaptureError{path + ": not a pcap or pcapng file (starts with " + hex_bytes(magic.data(), got) + ")"};
  }
  if (kind == FileKind::pcapng) {
    std::rewind(file.get());
    return open_pcapng(path, std::move(file), size);
  }
  file.reset();
  auto opened = LibpcapSource::open(path, "pcap", size);
  if (auto* error = std::get_if<CaptureError>(&opened)) return std::move(*error);
  return std::unique_ptr<CaptureSource>(std::move(std::get<std::unique_ptr<LibpcapSource>>(opened)));
}

}  // namespace herkomst::capture
