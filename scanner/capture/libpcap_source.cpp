// LibpcapSource: pcap_open_offline_with_tstamp_precision / pcap_next_ex, with error texts
// that name the file and the frame.
#include "scanner/capture/libpcap_source.hpp"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <utility>

namespace herkomst::capture {

int linktype_from_dlt(int dlt) {
  if (dlt == DLT_LOOP) return 108;                      // 12 on OpenBSD, 108 elsewhere
  if (dlt == DLT_RAW) return 101;                        // 12 (14 on OpenBSD)
  if (dlt == DLT_ATM_RFC1483) return 100;
  if (dlt == DLT_SLIP_BSDOS) return 102;
  if (dlt == DLT_PPP_BSDOS) return 103;
  return dlt;
}

std::variant<std::unique_ptr<LibpcapSource>, CaptureError> LibpcapSource::open(const std::string& path,
                                                                               std::string format,
                                                                               std::uint64_t file_size) {
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  PcapHandle handle(pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf.data()));
  if (!handle) return CaptureError{path + ": " + errbuf.data()};
  return std::make_unique<LibpcapSource>(std::move(handle), path, std::move(format), file_size);
}

LibpcapSource::LibpcapSource(PcapHandle handle, std::string path, std::string format, std::uint64_t file_size)
    : handle_(std::move(handle)), path_(std::move(path)), format_(std::move(format)), file_size_(file_size) {
  linktype_ = linktype_from_dlt(pcap_datalink(handle_.get()));
}

std::uint64_t LibpcapSource::bytes_read() const {
  if (position_known_) return position_;
  return file_position();
}

std::uint64_t LibpcapSource::file_position() const {
  std::FILE* file = pcap_file(handle_.get());
  if (file == nullptr) return 0;
  const long position = std::ftell(file);
  return position < 0 ? 0 : static_cast<std::uint64_t>(position);
}

std::string LibpcapSource::describe_error(const std::string& message, std::uint64_t record_start) const {
  const std::string frame = std::to_string(frames_ + 1);
  const std::string size = std::to_string(file_size_);
  std::size_t wanted = 0;
  std::size_t got = 0;
  if (std::sscanf(message.c_str(), "truncated dump file; tried to read %zu header bytes, only got %zu", &wanted, &got) ==
      2) {
    return path_ + ": truncated: frame " + frame + "'s header ends at byte " + std::to_string(record_start + wanted) +
           ", file has " + size + " bytes";
  }
  if (std::sscanf(message.c_str(), "truncated dump file; tried to read %zu captured bytes, only got %zu", &wanted,
                  &got) == 2) {
    // The data started `got` bytes before where the failed read left the file position.
    const std::uint64_t now = file_position();
    const std::uint64_t data_start = now >= got ? now - got : 0;
    return path_ + ": truncated: frame " + frame + "'s data ends at byte " + std::to_string(data_start + wanted) +
           ", file has " + size + " bytes";
  }
  return path_ + ": frame " + frame + ": " + message;
}

NextResult LibpcapSource::next(Frame& out) {
  if (done_) return error_.message.empty() ? NextResult::end : NextResult::error;
  const std::uint64_t record_start = bytes_read();
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(handle_.get(), &header, &data);
  if (status == 1) {
    ++frames_;
    out.number = frames_;
    out.time_us = static_cast<std::int64_t>(header->ts.tv_sec) * 1000000 + static_cast<std::int64_t>(header->ts.tv_usec);
    out.linktype = linktype_;
    out.original_length = header->len;
    out.data = std::span<const std::uint8_t>(data, header->caplen);
    // Where the next record starts. glibc's ftell is a system call, too dear for every frame:
    // classic pcap records are a 16-byte header and the captured bytes, so after checking that
    // once against the file position the offset is counted instead. Other layouts (pcapng
    // blocks, the 24-byte headers of patched pcap variants) keep asking the file.
    if (position_known_) {
      position_ += 16 + header->caplen;
    } else if (frames_ == 1 && format_ == "pcap") {
      const std::uint64_t now = file_position();
      position_known_ = now == record_start + 16 + header->caplen;
      position_ = now;
    }
    return NextResult::frame;
  }
  done_ = true;
  if (status == PCAP_ERROR_BREAK) return NextResult::end;  // end of file
  libpcap_message_ = pcap_geterr(handle_.get());
  error_.message = describe_error(libpcap_message_, record_start);
  return NextResult::error;
}

}  // namespace herkomst::capture
