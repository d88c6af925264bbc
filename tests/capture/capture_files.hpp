// Test helper: writes small pcap and pcapng files block by block into a temporary folder.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "tests/capture/frame_builder.hpp"

namespace herkomst::capture::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("herkomst-capture-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const Buf& bytes) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return file.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes integers in a chosen byte order.
class Writer {
 public:
  explicit Writer(bool big_endian) : big_(big_endian) {}
  void u8(unsigned value) { out_.push_back(static_cast<std::uint8_t>(value)); }
  void u16(unsigned value) {
    if (big_) {
      u8((value >> 8) & 0xff);
      u8(value & 0xff);
    } else {
      u8(value & 0xff);
      u8((value >> 8) & 0xff);
    }
  }
  void u32(std::uint32_t value) {
    if (big_) {
      u16(value >> 16);
      u16(value & 0xffff);
    } else {
      u16(value & 0xffff);
      u16(value >> 16);
    }
  }
  void u64(std::uint64_t value) {
    if (big_) {
      u32(static_cast<std::uint32_t>(value >> 32));
      u32(static_cast<std::uint32_t>(value));
    } else {
      u32(static_cast<std::uint32_t>(value));
      u32(static_cast<std::uint32_t>(value >> 32));
    }
  }
  void bytes(const Buf& data) { append(out_, data); }
  void pad4() {
    while (out_.size() % 4 != 0) u8(0);
  }
  Buf& out() { return out_; }
  bool big() const { return big_; }

 private:
  bool big_;
  Buf out_;
};

struct PcapRecord {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;  // microseconds or nanoseconds, by the file's magic
  Buf data;
  std::uint32_t original_length = 0;  // 0: data.size()
};

inline Buf pcap_file(bool big_endian, bool nanoseconds, std::uint32_t linktype, const std::vector<PcapRecord>& records,
                     std::uint32_t snaplen = 65535) {
  Writer w(big_endian);
  w.u32(nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  w.u16(2);
  w.u16(4);
  w.u32(0);
  w.u32(0);
  w.u32(snaplen);
  w.u32(linktype);
  for (const PcapRecord& record : records) {
    w.u32(record.seconds);
    w.u32(record.fraction);
    w.u32(static_cast<std::uint32_t>(record.data.size()));
    w.u32(record.original_length != 0 ? record.original_length : static_cast<std::uint32_t>(record.data.size()));
    w.bytes(record.data);
  }
  return w.out();
}

// Builds a pcapng file block by block; each block gets correct leading and trailing lengths.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool big_endian = false) : big_(big_endian) {}

  // Starts a (new) section; a file may switch byte order between sections.
  PcapngBuilder& section(std::optional<bool> big_endian = std::nullopt) {
    if (big_endian) big_ = *big_endian;
    Writer body(big_);
    body.u32(0x1A2B3C4D);
    body.u16(1);
    body.u16(0);
    body.u64(~std::uint64_t{0});
    return block(0x0A0D0D0A, body.out());
  }

  PcapngBuilder& interface(unsigned linktype, std::uint32_t snaplen, std::optional<std::uint8_t> tsresol = std::nullopt,
                           std::optional<std::int64_t> tsoffset = std::nullopt) {
    Writer body(big_);
    body.u16(linktype);
    body.u16(0);
    body.u32(snaplen);
    if (tsresol) {
      body.u16(9);
      body.u16(1);
      body.u8(*tsresol);
      body.pad4();
    }
    if (tsoffset) {
      body.u16(14);
      body.u16(8);
      body.u64(static_cast<std::uint64_t>(*tsoffset));
    }
    if (tsresol || tsoffset) {
      body.u16(0);
      body.u16(0);
    }
    return block(1, body.out());
  }

  PcapngBuilder& enhanced(std::uint32_t interface_id, std::uint64_t timestamp, const Buf& data,
                          std::uint32_t original_length = 0) {
    Writer body(big_);
    body.u32(interface_id);
    body.u32(static_cast<std::uint32_t>(timestamp >> 32));
    body.u32(static_cast<std::uint32_t>(timestamp));
    body.u32(static_cast<std::uint32_t>(data.size()));
    body.u32(original_length != 0 ? original_length : static_cast<std::uint32_t>(data.size()));
    body.bytes(data);
    body.pad4();
    return block(6, body.out());
  }

  PcapngBuilder& simple(std::uint32_t original_length, const Buf& data) {
    Writer body(big_);
    body.u32(original_length);
    body.bytes(data);
    body.pad4();
    return block(3, body.out());
  }

  PcapngBuilder& obsolete_packet(unsigned interface_id, std::uint64_t timestamp, const Buf& data) {
    Writer body(big_);
    body.u16(interface_id);
    body.u16(0);
    body.u32(static_cast<std::uint32_t>(timestamp >> 32));
    body.u32(static_cast<std::uint32_t>(timestamp));
    body.u32(static_cast<std::uint32_t>(data.size()));
    body.u32(static_cast<std::uint32_t>(data.size()));
    body.bytes(data);
    body.pad4();
    return block(2, body.out());
  }

  // Any other block (name resolution 4, statistics 5, custom 0x00000BAD, ...).
  PcapngBuilder& block(std::uint32_t type, const Buf& body) {
    Writer w(big_);
    const auto total = static_cast<std::uint32_t>(12 + body.size());
    w.u32(type);
    w.u32(total);
    w.bytes(body);
    w.u32(total);
    append(out_, w.out());
    return *this;
  }

  const Buf& bytes() const { return out_; }

 private:
  bool big_;
  Buf out_;
};

}  // namespace herkomst::capture::testing
