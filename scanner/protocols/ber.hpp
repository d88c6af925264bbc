// A small, strict, bounded BER reader (ITU-T X.690) for SNMP: single-byte tags only, definite
// lengths in short form or long form with at most 4 length bytes (indefinite form rejected),
// INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER, SEQUENCE and the SNMP application types
// (RFC 2578: IpAddress, Counter32, Gauge32, TimeTicks, Opaque, Counter64).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace herkomst::protocols::ber {

using Bytes = std::span<const std::uint8_t>;

namespace tag {
inline constexpr std::uint8_t integer = 0x02, octet_string = 0x04, null = 0x05, oid = 0x06, sequence = 0x30;
inline constexpr std::uint8_t ip_address = 0x40, counter32 = 0x41, gauge32 = 0x42, time_ticks = 0x43,
                              opaque = 0x44, counter64 = 0x46;
}  // namespace tag

inline constexpr std::size_t kMaxDepth = 8;      // SNMP needs 5 (message, PDU, list, varbind, value)
inline constexpr std::size_t kMaxOidArcs = 128;  // RFC 2578: at most 128 sub-identifiers
inline constexpr std::size_t kMaxElements = 4096;

struct Tlv {
  std::uint8_t tag = 0;  // the identifier octet as it is (class, constructed bit, number)
  Bytes value;
  std::size_t offset = 0;  // where the identifier octet was, relative to the reader's data
  bool constructed() const { return (tag & 0x20) != 0; }
};

enum class Status {
  ok,
  end,          // no more data
  truncated,    // header or value runs past the data
  bad_tag,      // high-tag-number form (0x1f): not used by SNMP
  bad_length,   // indefinite form, more than 4 length bytes, or non-minimal long form
};

const char* to_string(Status s);

// Reads consecutive TLVs from one span. Each nested reader counts one level deeper; `enter`
// refuses to go past kMaxDepth.
class Reader {
 public:
  explicit Reader(Bytes data, std::size_t depth = 0) : data_(data), depth_(depth) {}
  Status next(Tlv& out);
  // A reader over a constructed TLV's contents, or nothing when it is too deep.
  std::optional<Reader> enter(const Tlv& tlv) const;
  bool empty() const { return pos_ >= data_.size(); }
  std::size_t offset() const { return pos_; }
  std::size_t depth() const { return depth_; }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

// Checks that `data` is a sequence of well-formed TLVs, constructed ones recursively, nested at
// most `max_depth` levels and `kMaxElements` elements in all. Fills `error` when not.
bool well_formed(Bytes data, std::size_t max_depth, std::string& error);

// INTEGER contents, two's complement, 1..8 bytes (minimal encoding not enforced).
std::optional<std::int64_t> integer(Bytes value);
// Unsigned contents (Counter32, Gauge32, TimeTicks, Counter64): 1..9 bytes, the 9th only as a
// leading zero.
std::optional<std::uint64_t> unsigned_integer(Bytes value);
// OBJECT IDENTIFIER contents to arcs: at most kMaxOidArcs, each below 2^64, minimal encoding.
std::optional<std::vector<std::uint64_t>> oid_arcs(Bytes value);
// Dotted text "1.3.6.1.2.1.1.1.0".
std::string oid_text(const std::vector<std::uint64_t>& arcs);

}  // namespace herkomst::protocols::ber
