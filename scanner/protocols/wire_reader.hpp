// A bounds-checked cursor over wire bytes, shared by the Modbus, TPKT/COTP, S7comm and
// EtherNet/IP decoders (internal to scanner/protocols).
//
// Every read checks the remaining length first. A failed read returns false, leaves the output
// untouched, and makes the reader "failed" (sticky), so a chain of reads can be checked once at
// the end. Nothing here throws or reads outside the span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace herkomst::protocols::wire {

using Bytes = std::span<const std::uint8_t>;

class Reader {
 public:
  explicit Reader(Bytes data) : data_(data) {}

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool failed() const { return failed_; }
  Bytes rest() const { return data_.subspan(pos_); }

  bool u8(std::uint8_t& out) {
    if (!need(1)) return false;
    out = data_[pos_++];
    return true;
  }
  bool be16(std::uint16_t& out) {
    if (!need(2)) return false;
    out = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool le16(std::uint16_t& out) {
    if (!need(2)) return false;
    out = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return true;
  }
  bool be32(std::uint32_t& out) {
    if (!need(4)) return false;
    out = (static_cast<std::uint32_t>(data_[pos_]) << 24) | (static_cast<std::uint32_t>(data_[pos_ + 1]) << 16) |
          (static_cast<std::uint32_t>(data_[pos_ + 2]) << 8) | static_cast<std::uint32_t>(data_[pos_ + 3]);
    pos_ += 4;
    return true;
  }
  bool le32(std::uint32_t& out) {
    if (!need(4)) return false;
    out = static_cast<std::uint32_t>(data_[pos_]) | (static_cast<std::uint32_t>(data_[pos_ + 1]) << 8) |
          (static_cast<std::uint32_t>(data_[pos_ + 2]) << 16) | (static_cast<std::uint32_t>(data_[pos_ + 3]) << 24);
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t count, Bytes& out) {
    if (!need(count)) return false;
    out = data_.subspan(pos_, count);
    pos_ += count;
    return true;
  }
  bool skip(std::size_t count) {
    if (!need(count)) return false;
    pos_ += count;
    return true;
  }

 private:
  bool need(std::size_t count) {
    if (failed_ || count > data_.size() - pos_) {
      failed_ = true;
      return false;
    }
    return true;
  }

  Bytes data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Lower-case hex digits of the bytes, no separators ("0a11ff").
inline std::string to_hex(Bytes data, std::size_t max_bytes = 256) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = data.size() < max_bytes ? data.size() : max_bytes;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0F]);
  }
  return out;
}

// The bytes before the first NUL (C strings padded with NULs in fixed-size wire fields).
inline Bytes until_nul(Bytes data) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data[i] == 0) return data.first(i);
  return data;
}

}  // namespace herkomst::protocols::wire
