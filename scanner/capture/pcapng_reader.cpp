// PcapngReader: block framing, section/interface bookkeeping and packet blocks.
#include "scanner/capture/pcapng_reader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "scanner/capture/bytes.hpp"

namespace herkomst::capture {

namespace {

constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint32_t kSimplePacket = 0x00000003;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

constexpr std::uint16_t kOptionEnd = 0;
constexpr std::uint16_t kOptionTsResolution = 9;
constexpr std::uint16_t kOptionTsOffset = 14;

constexpr std::size_t kFileBufferSize = 1 << 16;

bool is_packet_block(std::uint32_t type) {
  return type == kEnhancedPacket || type == kSimplePacket || type == kObsoletePacket;
}

std::string block_name(std::uint32_t type) {
  switch (type) {
    case kSectionHeader: return "section header block";
    case kInterfaceDescription: return "interface description block";
    case kEnhancedPacket: return "enhanced packet block";
    case kSimplePacket: return "simple packet block";
    case kObsoletePacket: return "packet block";
    default: return "block of type " + std::to_string(type);
  }
}

__extension__ using Uint128 = unsigned __int128;

}  // namespace

std::int64_t pcapng_time_us(std::uint64_t timestamp, const PcapngInterface& interface) {
  const std::uint64_t units = interface.units_per_second == 0 ? 1 : interface.units_per_second;
  // Unsigned arithmetic wraps instead of overflowing for absurd timestamps.
  const std::uint64_t seconds = timestamp / units + static_cast<std::uint64_t>(interface.offset_seconds);
  const std::uint64_t fraction = timestamp % units;
  const auto fraction_us = static_cast<std::uint64_t>(static_cast<Uint128>(fraction) * 1000000U / units);
  return static_cast<std::int64_t>(seconds * 1000000U + fraction_us);
}

PcapngReader::PcapngReader(FileHandle file, std::string name, std::uint64_t file_size)
    : file_(std::move(file)), name_(std::move(name)), input_size_(file_size) {
  if (file_) std::setvbuf(file_.get(), nullptr, _IOFBF, kFileBufferSize);
}

PcapngReader::PcapngReader(std::span<const std::uint8_t> memory, std::string name)
    : memory_(memory), name_(std::move(name)), input_size_(memory.size()) {}

std::variant<std::unique_ptr<PcapngReader>, CaptureError> PcapngReader::open(const std::string& path) {
  FileHandle file = open_file(path);
  if (!file) return CaptureError{path + ": cannot open: " + std::strerror(errno)};
  struct stat info {};
  if (::fstat(::fileno(file.get()), &info) != 0) return CaptureError{path + ": cannot stat: " + std::strerror(errno)};
  return std::make_unique<PcapngReader>(std::move(file), path, static_cast<std::uint64_t>(info.st_size));
}

std::size_t PcapngReader::read_input(std::uint8_t* destination, std::size_t count) {
  std::size_t got = 0;
  if (file_) {
    got = std::fread(destination, 1, count, file_.get());
  } else {
    const std::uint64_t left = memory_.size() - std::min<std::uint64_t>(position_, memory_.size());
    got = static_cast<std::size_t>(std::min<std::uint64_t>(left, count));
    if (got != 0) std::memcpy(destination, memory_.data() + position_, got);
  }
  position_ += got;
  return got;
}

bool PcapngReader::fail(std::string message) {
  failed_ = true;
  error_.message = name_ + ": " + std::move(message);
  return false;
}

bool PcapngReader::fail_truncated(std::uint32_t type, bool type_known, std::uint64_t offset, std::uint64_t end,
                                  bool in_header) {
  const std::string tail = " ends at byte " + std::to_string(end) + ", file has " + std::to_string(input_size_) + " bytes";
  if (type_known && is_packet_block(type)) {
    return fail("truncated: frame " + std::to_string(frames_ + 1) + "'s " + (in_header ? "header" : "data") + tail);
  }
  if (type_known) {
    return fail("truncated: " + block_name(type) + " at byte " + std::to_string(offset) + tail + " (after frame " +
                std::to_string(frames_) + ")");
  }
  return fail("truncated: block header at byte " + std::to_string(offset) + tail + " (after frame " +
              std::to_string(frames_) + ")");
}

PcapngReader::BlockStatus PcapngReader::read_block(Block& block) {
  std::array<std::uint8_t, 12> header{};
  const std::span<const std::uint8_t> header_view(header);
  block.offset = position_;
  const std::size_t got = read_input(header.data(), 8);
  if (got == 0) return BlockStatus::end;
  if (got < 4) {
    fail_truncated(0, false, block.offset, block.offset + 8, true);
    return BlockStatus::error;
  }
  // The SHB type reads the same in both byte orders; its byte-order magic decides the order.
  const bool is_section = bytes::be32(header_view, 0) == kSectionHeader;
  std::size_t header_length = 8;
  if (is_section) {
    header_length = 12;
    if (got == 8 && read_input(header.data() + 8, 4) != 4) {
      fail_truncated(kSectionHeader, true, block.offset, block.offset + 12, true);
      return BlockStatus::error;
    }
    if (got < 8) {
      fail_truncated(kSectionHeader, true, block.offset, block.offset + 12, true);
      return BlockStatus::error;
    }
    const std::uint32_t magic = bytes::le32(header_view, 8);
    if (magic == kByteOrderMagic) {
      big_endian_ = false;
    } else if (bytes::be32(header_view, 8) == kByteOrderMagic) {
      big_endian_ = true;
    } else {
      fail("invalid section header block at byte " + std::to_string(block.offset) + ": bad byte-order magic");
      return BlockStatus::error;
    }
    in_section_ = true;
  } else if (!in_section_) {
    fail("not a pcapng file: no section header block at byte " + std::to_string(block.offset));
    return BlockStatus::error;
  }
  block.type = bytes::u32(header_view, 0, big_endian_);
  if (got < 8) {
    fail_truncated(block.type, true, block.offset, block.offset + 8, true);
    return BlockStatus::error;
  }

  const std::uint32_t total = bytes::u32(header_view, 4, big_endian_);
  // Error texts are built only when needed: no allocation per block on the good path.
  const auto where = [&] {
    return "invalid " + block_name(block.type) + " at byte " + std::to_string(block.offset) + ": total length " +
           std::to_string(total);
  };
  if (total % 4 != 0) {
    fail(where() + " is not a multiple of 4");
    return BlockStatus::error;
  }
  const std::uint32_t minimum = is_section ? 28 : 12;
  if (total < minimum) {
    fail(where() + " is less than " + std::to_string(minimum));
    return BlockStatus::error;
  }
  if (total > kMaxBlockLength) {
    fail(where() + " exceeds the limit of " + std::to_string(kMaxBlockLength) + " bytes");
    return BlockStatus::error;
  }

  // The rest of the block: body (after the fixed header) and the trailing length.
  const std::size_t rest = total - header_length;
  std::span<const std::uint8_t> rest_view;
  if (input_size_ >= position_ && input_size_ - position_ < rest) {
    // Known to run past the end: report it without allocating a buffer for the claimed size.
    position_ = input_size_;
    fail_truncated(block.type, true, block.offset, block.offset + total, false);
    return BlockStatus::error;
  }
  if (file_) {
    buffer_.resize(rest);
    if (read_input(buffer_.data(), rest) != rest) {
      fail_truncated(block.type, true, block.offset, block.offset + total, false);
      return BlockStatus::error;
    }
    rest_view = std::span<const std::uint8_t>(buffer_.data(), rest);
  } else {
    rest_view = memory_.subspan(static_cast<std::size_t>(position_), rest);
    position_ += rest;
  }
  const std::uint32_t trailing = bytes::u32(rest_view, rest - 4, big_endian_);
  if (trailing != total) {
    fail(where() + " differs from its trailing length " + std::to_string(trailing));
    return BlockStatus::error;
  }
  // For the SHB the body starts after the byte-order magic.
  block.body = rest_view.first(rest - 4);
  return BlockStatus::block;
}

bool PcapngReader::handle_section_header(const Block& block) {
  // (byte-order magic already consumed) major(2) minor(2) section length(8) options
  const std::uint16_t major = bytes::u16(block.body, 0, big_endian_);
  const std::uint16_t minor = bytes::u16(block.body, 2, big_endian_);
  if (major != 1) {
    return fail("unsupported pcapng version " + std::to_string(major) + "." + std::to_string(minor) +
                " in the section header block at byte " + std::to_string(block.offset));
  }
  interfaces_.clear();
  return true;
}

bool PcapngReader::handle_interface(const Block& block) {
  // linktype(2) reserved(2) snaplen(4) options
  const auto body = block.body;
  if (body.size() < 8) {
    return fail("invalid interface description block at byte " + std::to_string(block.offset) + ": too short");
  }
  if (interfaces_.size() >= kMaxInterfacesPerSection) {
    return fail("more than " + std::to_string(kMaxInterfacesPerSection) + " interfaces in one section (block at byte " +
                std::to_string(block.offset) + ")");
  }
  PcapngInterface interface;
  interface.linktype = bytes::u16(body, 0, big_endian_);
  interface.snaplen = bytes::u32(body, 4, big_endian_);
  std::size_t at = 8;
  while (at + 4 <= body.size()) {
    const std::uint16_t code = bytes::u16(body, at, big_endian_);
    const std::size_t length = bytes::u16(body, at + 2, big_endian_);
    at += 4;
    if (code == kOptionEnd || length > body.size() - at) break;  // end, or a broken option list: stop reading it
    if (code == kOptionTsResolution && length >= 1) {
      const std::uint8_t value = body[at];
      const unsigned exponent = value & 0x7fU;
      if ((value & 0x80U) != 0) {
        if (exponent > 63) {
          return fail("interface description block at byte " + std::to_string(block.offset) +
                      ": if_tsresol 2^-" + std::to_string(exponent) + " is too fine");
        }
        interface.units_per_second = std::uint64_t{1} << exponent;
      } else {
        if (exponent > 19) {
          return fail("interface description block at byte " + std::to_string(block.offset) +
                      ": if_tsresol 10^-" + std::to_string(exponent) + " is too fine");
        }
        std::uint64_t units = 1;
        for (unsigned i = 0; i < exponent; ++i) units *= 10;
        interface.units_per_second = units;
      }
    } else if (code == kOptionTsOffset && length >= 8) {
      interface.offset_seconds = static_cast<std::int64_t>(bytes::u64(body, at, big_endian_));
    }
    at += (length + 3) & ~std::size_t{3};
  }
  interfaces_.push_back(interface);
  return true;
}

bool PcapngReader::handle_packet(const Block& block, Frame& out) {
  const auto body = block.body;
  const std::uint64_t number = frames_ + 1;
  const auto where = [&] {
    return "frame " + std::to_string(number) + " (" + block_name(block.type) + " at byte " +
           std::to_string(block.offset) + ")";
  };
  std::uint32_t interface_id = 0;
  std::uint64_t timestamp = 0;
  std::uint32_t captured = 0;
  std::uint32_t original = 0;
  std::size_t data_offset = 0;

  if (block.type == kSimplePacket) {
    if (body.size() < 4) return fail(where() + ": block too short");
    original = bytes::u32(body, 0, big_endian_);
    data_offset = 4;
    captured = static_cast<std::uint32_t>(std::min<std::size_t>(original, body.size() - data_offset));
  } else {
    if (body.size() < 20) return fail(where() + ": block too short");
    if (block.type == kEnhancedPacket) {
      interface_id = bytes::u32(body, 0, big_endian_);
    } else {
      interface_id = bytes::u16(body, 0, big_endian_);
    }
    timestamp = (std::uint64_t{bytes::u32(body, 4, big_endian_)} << 32) | bytes::u32(body, 8, big_endian_);
    captured = bytes::u32(body, 12, big_endian_);
    original = bytes::u32(body, 16, big_endian_);
    data_offset = 20;
    if (captured > body.size() - data_offset) {
      return fail(where() + ": captured length " + std::to_string(captured) + " exceeds the block");
    }
  }
  if (interface_id >= interfaces_.size()) {
    return fail(where() + ": interface " + std::to_string(interface_id) + " is not described (the section has " +
                std::to_string(interfaces_.size()) + " interfaces)");
  }
  const PcapngInterface& interface = interfaces_[interface_id];
  if (block.type == kSimplePacket && interface.snaplen != 0) captured = std::min(captured, interface.snaplen);

  frames_ = number;
  out.number = number;
  out.time_us = block.type == kSimplePacket ? 0 : pcapng_time_us(timestamp, interface);
  out.linktype = interface.linktype;
  out.original_length = original;
  out.data = body.subspan(data_offset, captured);
  return true;
}

NextResult PcapngReader::next(Frame& out) {
  if (failed_) return NextResult::error;
  Block block;
  for (;;) {
    const BlockStatus status = read_block(block);
    if (status == BlockStatus::end) return NextResult::end;
    if (status == BlockStatus::error) return NextResult::error;
    bool ok = true;
    if (block.type == kSectionHeader) {
      ok = handle_section_header(block);
    } else if (block.type == kInterfaceDescription) {
      ok = handle_interface(block);
    } else if (is_packet_block(block.type)) {
      if (!handle_packet(block, out)) return NextResult::error;
      return NextResult::frame;
    }
    if (!ok) return NextResult::error;
  }
}

std::variant<std::vector<PcapngInterface>, CaptureError> PcapngReader::leading_interfaces() {
  std::vector<PcapngInterface> seen;
  Block block;
  while (!failed_) {
    const BlockStatus status = read_block(block);
    if (status == BlockStatus::end) return seen;
    if (status == BlockStatus::error) break;
    if (block.type == kSectionHeader) {
      handle_section_header(block);
    } else if (block.type == kInterfaceDescription) {
      if (handle_interface(block)) seen.push_back(interfaces_.back());
    } else if (is_packet_block(block.type)) {
      return seen;
    }
  }
  return error_;
}

}  // namespace herkomst::capture
