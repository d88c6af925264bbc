// BER reader for SNMP (X.690 clause 8.1: identifier, length, contents).
#include "scanner/protocols/ber.hpp"

namespace herkomst::protocols::ber {

const char* to_string(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::end: return "end of data";
    case Status::truncated: return "length exceeds data";
    case Status::bad_tag: return "high-tag-number form";
    case Status::bad_length: return "unsupported length form";
  }
  return "?";
}

Status Reader::next(Tlv& out) {
  if (pos_ >= data_.size()) return Status::end;
  std::size_t p = pos_;
  const std::uint8_t tag_byte = data_[p++];
  if ((tag_byte & 0x1F) == 0x1F) return Status::bad_tag;
  if (p >= data_.size()) return Status::truncated;
  std::size_t length = data_[p++];
  if (length & 0x80) {
    const std::size_t n = length & 0x7F;
    if (n == 0 || n > 4) return Status::bad_length;  // indefinite form, or too long
    if (data_.size() - p < n) return Status::truncated;
    length = 0;
    for (std::size_t i = 0; i < n; ++i) length = (length << 8) | data_[p++];
    if (length < 0x80 || (n > 1 && data_[p - n] == 0)) return Status::bad_length;  // non-minimal
  }
  if (data_.size() - p < length) return Status::truncated;
  out.tag = tag_byte;
  out.value = data_.subspan(p, length);
  out.offset = pos_;
  pos_ = p + length;
  return Status::ok;
}

std::optional<Reader> Reader::enter(const Tlv& tlv) const {
  if (depth_ + 1 > kMaxDepth) return std::nullopt;
  return Reader(tlv.value, depth_ + 1);
}

namespace {
bool walk(Reader& r, std::size_t max_depth, std::size_t& elements, std::string& error) {
  Tlv tlv;
  for (;;) {
    const Status s = r.next(tlv);
    if (s == Status::end) return true;
    if (s != Status::ok) {
      error = std::string(to_string(s)) + " at depth " + std::to_string(r.depth()) + ", offset " +
              std::to_string(r.offset());
      return false;
    }
    if (++elements > kMaxElements) {
      error = "more than " + std::to_string(kMaxElements) + " elements";
      return false;
    }
    if (!tlv.constructed()) continue;
    if (r.depth() + 1 > max_depth || r.depth() + 1 > kMaxDepth) {
      error = "nesting deeper than " + std::to_string(max_depth < kMaxDepth ? max_depth : kMaxDepth) + " levels";
      return false;
    }
    auto inner = r.enter(tlv);
    if (!inner || !walk(*inner, max_depth, elements, error)) {
      if (error.empty()) error = "nesting too deep";
      return false;
    }
  }
}
}  // namespace

bool well_formed(Bytes data, std::size_t max_depth, std::string& error) {
  Reader r(data);
  std::size_t elements = 0;
  return walk(r, max_depth, elements, error);
}

std::optional<std::int64_t> integer(Bytes value) {
  if (value.empty() || value.size() > 8) return std::nullopt;
  std::uint64_t v = (value[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (const std::uint8_t b : value) v = (v << 8) | b;
  return static_cast<std::int64_t>(v);
}

std::optional<std::uint64_t> unsigned_integer(Bytes value) {
  if (value.empty() || value.size() > 9 || (value.size() == 9 && value[0] != 0)) return std::nullopt;
  std::uint64_t v = 0;
  for (const std::uint8_t b : value) v = (v << 8) | b;
  return v;
}

std::optional<std::vector<std::uint64_t>> oid_arcs(Bytes value) {
  if (value.empty()) return std::nullopt;
  std::vector<std::uint64_t> arcs;
  std::uint64_t v = 0;
  bool in_arc = false;
  for (const std::uint8_t b : value) {
    if (!in_arc && b == 0x80) return std::nullopt;   // non-minimal sub-identifier
    if (v > (~std::uint64_t{0} >> 7)) return std::nullopt;  // would overflow 64 bits
    v = (v << 7) | (b & 0x7Fu);
    in_arc = true;
    if (b & 0x80) continue;
    if (arcs.empty()) {  // the first sub-identifier holds two arcs (X.690 8.19.4)
      const std::uint64_t first = v < 40 ? 0 : (v < 80 ? 1 : 2);
      arcs.push_back(first);
      arcs.push_back(v - 40 * first);
    } else {
      arcs.push_back(v);
    }
    if (arcs.size() > kMaxOidArcs) return std::nullopt;
    v = 0;
    in_arc = false;
  }
  if (in_arc) return std::nullopt;  // last sub-identifier not terminated
  return arcs;
}

std::string oid_text(const std::vector<std::uint64_t>& arcs) {
  std::string out;
  for (std::size_t i = 0; i < arcs.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(arcs[i]);
  }
  return out;
}

}  // namespace herkomst::protocols::ber
