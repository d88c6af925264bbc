// herkomst's own streaming pcapng reader.
//
// Used for the pcapng files libpcap 1.10 refuses (interfaces that differ in link type or
// snapshot length, within a section or across sections), and for fuzzing. Reads one block at
// a time into a reused buffer: memory stays bounded by the largest block (kMaxBlockLength),
// whatever the file size.
//
// Blocks: SHB (either byte order; a file may have several sections, each with its own byte
// order and interfaces), IDB (link type, snapshot length, if_tsresol as a power of 10 or 2,
// if_tsoffset), EPB, SPB (first interface of the section; captured length = min(original
// length, snapshot length, block space)), the obsolete PB. All other blocks are skipped.
// Every block's total length is checked (multiple of 4, at least 12, at most
// kMaxBlockLength, trailing copy equal); violations, truncation and packets on unknown
// interfaces are errors naming the input and the byte offset.
//
//   auto opened = PcapngReader::open("capture.pcapng");   // or PcapngReader(bytes, "name")
//   auto& reader = *std::get<std::unique_ptr<PcapngReader>>(opened);
//   Frame frame;
//   while (reader.next(frame) == NextResult::frame) { ... }
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/file_handle.hpp"

namespace herkomst::capture {

struct PcapngInterface {
  int linktype = 0;
  std::uint32_t snaplen = 0;               // 0: unlimited
  std::uint64_t units_per_second = 1000000;  // from if_tsresol (default 10^-6)
  std::int64_t offset_seconds = 0;         // if_tsoffset
};

class PcapngReader final : public CaptureSource {
 public:
  static constexpr std::uint32_t kMaxBlockLength = 256U * 1024U * 1024U;
  static constexpr std::size_t kMaxInterfacesPerSection = 65536;

  // Reads `file` from its current position (the start of the file); `name` prefixes every
  // error message, `file_size` is quoted in truncation messages.
  PcapngReader(FileHandle file, std::string name, std::uint64_t file_size);
  // Reads from memory; `memory` must outlive the reader.
  PcapngReader(std::span<const std::uint8_t> memory, std::string name);

  // Opens `path`; fails with a message naming it when it cannot be opened.
  static std::variant<std::unique_ptr<PcapngReader>, CaptureError> open(const std::string& path);

  NextResult next(Frame& out) override;
  const CaptureError& error() const override { return error_; }
  std::string format() const override { return "pcapng"; }
  std::uint64_t bytes_read() const override { return position_; }

  // Reads the blocks up to and including the first packet block and returns every interface
  // described before it, across sections, in file order. Meant for a reader opened only to
  // look ahead: the first packet block is consumed, so discard the reader afterwards.
  std::variant<std::vector<PcapngInterface>, CaptureError> leading_interfaces();

 private:
  enum class BlockStatus { block, end, error };
  struct Block {
    std::uint32_t type = 0;
    std::uint64_t offset = 0;             // of the block's first byte
    std::span<const std::uint8_t> body;  // between the leading and trailing lengths
  };

  std::size_t read_input(std::uint8_t* destination, std::size_t count);
  BlockStatus read_block(Block& block);
  bool handle_section_header(const Block& block);
  bool handle_interface(const Block& block);
  bool handle_packet(const Block& block, Frame& out);
  bool fail(std::string message);
  bool fail_truncated(std::uint32_t type, bool type_known, std::uint64_t offset, std::uint64_t end, bool in_header);

  FileHandle file_;
  std::span<const std::uint8_t> memory_;
  std::string name_;
  std::uint64_t input_size_ = 0;
  std::uint64_t position_ = 0;
  bool big_endian_ = false;
  bool in_section_ = false;
  std::vector<PcapngInterface> interfaces_;  // of the current section
  std::vector<std::uint8_t> buffer_;         // the current block's body (file input)
  std::uint64_t frames_ = 0;
  CaptureError error_;
  bool failed_ = false;
};

// Converts a pcapng timestamp (in units of the interface's resolution, plus its offset) to
// microseconds since the Unix epoch, as libpcap does (fraction truncated).
std::int64_t pcapng_time_us(std::uint64_t timestamp, const PcapngInterface& interface);

}  // namespace herkomst::capture
