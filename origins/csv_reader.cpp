#include "origins/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <system_error>
#include <utility>

namespace herkomst::origins {
namespace {

// Bytes that end a run of ordinary bytes in an unquoted field.
constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  t[static_cast<unsigned char>('"')] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = make_special();

// The first '"' in [p, e), or nullptr. Most fields are short: look at a few bytes before
// calling memchr.
inline const char* find_quote(const char* p, const char* e) {
  const char* const near_end = e - p > 16 ? p + 16 : e;
  for (; p < near_end; ++p) {
    if (*p == '"') return p;
  }
  if (p == e) return nullptr;
  return static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
}

std::string fields_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " field" : " fields"); }

}  // namespace

std::string_view CsvRecord::operator[](std::size_t index) const {
  if (index >= ends_.size()) return {};
  const std::size_t begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(data_).substr(begin, ends_[index] - begin);
}

CsvReader::CsvReader(std::istream& in, std::string name, CsvOptions options)
    : in_(&in), name_(std::move(name)), options_(options) {
  start();
}

CsvReader::CsvReader(std::unique_ptr<std::istream> owned, std::string name, CsvOptions options)
    : owned_(std::move(owned)), in_(owned_.get()), name_(std::move(name)), options_(options) {
  start();
}

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

const CsvError& CsvReader::error() const {
  static const CsvError none{};
  return error_ ? *error_ : none;
}

std::optional<std::size_t> CsvReader::column(std::string_view name) const {
  const auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header_.begin());
}

CsvNext CsvReader::fail(std::uint64_t line, std::string what) {
  if (!error_) {
    std::string message = name_;
    if (line != 0) {
      message += ':';
      message += std::to_string(line);
    }
    message += ": ";
    message += what;
    error_ = CsvError{std::move(message), line};
  }
  return CsvNext::error;
}

void CsvReader::limit_error(std::uint64_t line, Limit which) {
  const CsvLimits& limits = options_.limits;
  switch (which) {
    case Limit::field: fail(line, "field longer than " + std::to_string(limits.max_field_bytes) + " bytes"); break;
    case Limit::record: fail(line, "record longer than " + std::to_string(limits.max_record_bytes) + " bytes"); break;
    case Limit::fields: fail(line, "record has more than " + fields_text(limits.max_fields)); break;
  }
}

bool CsvReader::refill() {
  if (error_ || eof_) return false;
  if (pos_ > 0) {  // keep the unparsed tail (the bytes of a record already live in record_)
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    consumed_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  const std::size_t want = buffer_size_ - end_;
  if (want == 0) return true;
  in_->read(buffer_.get() + end_, static_cast<std::streamsize>(want));
  const auto got = static_cast<std::size_t>(in_->gcount());
  if (in_->bad()) {
    fail(0, "read error after " + std::to_string(consumed_ + end_ + got) + " bytes");
    return false;
  }
  if (got < want) eof_ = true;
  end_ += got;
  return got > 0;
}

void CsvReader::start() {
  options_.chunk_bytes = std::max<std::size_t>(options_.chunk_bytes, 4);
  buffer_size_ = options_.chunk_bytes;
  buffer_ = std::make_unique_for_overwrite<char[]>(buffer_size_);
  record_.data_.reserve(4096);
  while (end_ - pos_ < 4 && refill()) {
  }
  if (error_) return;
  const std::string_view head(buffer_.get() + pos_, end_ - pos_);
  if (head.starts_with(std::string_view("PK\x03\x04", 4))) {
    fail(0, "this is a zip archive (it starts with PK\\3\\4): unzip it first and give the .csv file");
    return;
  }
  if (head.starts_with("\x1f\x8b")) {
    fail(0, "this is gzip-compressed (it starts with 1f 8b): decompress it first and give the .csv file");
    return;
  }
  if (head.starts_with("\xEF\xBB\xBF")) pos_ += 3;
  if (!options_.header) return;
  const CsvNext first = parse_record();
  if (first == CsvNext::end) {
    fail(0, "empty input: no header line");
  } else if (first == CsvNext::record) {
    header_line_ = record_.line();
    header_.reserve(record_.size());
    for (std::size_t i = 0; i < record_.size(); ++i) header_.emplace_back(record_[i]);
  }
}

CsvNext CsvReader::next() {
  if (error_) return CsvNext::error;
  return parse_record();
}

CsvNext CsvReader::parse_record() {
  enum class State { field_start, unquoted, quoted, quoted_quote, cr };
  const CsvLimits& limits = options_.limits;
  std::string& data = record_.data_;
  std::vector<std::size_t>& ends = record_.ends_;
  data.clear();
  ends.clear();
  State state = State::field_start;
  std::uint64_t record_line = line_;
  std::uint64_t quote_line = 0;  // where the open quoted field began
  bool field_quoted = false;     // the current field began with a quote
  std::size_t field_begin = 0;   // offset of the current field in data

  // Nothing of a record seen since the last line end: an empty line, skipped.
  const auto empty_line = [&] { return ends.empty() && data.empty() && !field_quoted; };
  const auto append = [&](const char* from, std::size_t n) -> bool {
    const std::size_t field_length = data.size() - field_begin;  // at most max_field_bytes
    const std::size_t record_length = data.size() + ends.size();  // at most max_record_bytes
    const bool field_over = field_length + n > limits.max_field_bytes;
    const bool record_over = record_length + n > limits.max_record_bytes;
    if (field_over || record_over) [[unlikely]] {
      // Name the limit a byte-at-a-time reader would pass first, so that the error does not
      // depend on how the input happened to be split into chunks.
      const std::size_t to_field = limits.max_field_bytes + 1 - field_length;
      const std::size_t to_record = limits.max_record_bytes + 1 - record_length;
      limit_error(record_line, field_over && (!record_over || to_field <= to_record) ? Limit::field : Limit::record);
      return false;
    }
    data.append(from, n);
    return true;
  };
  const auto end_field = [&]() -> bool {
    if (ends.size() >= limits.max_fields) [[unlikely]] {
      limit_error(record_line, Limit::fields);
      return false;
    }
    if (data.size() + ends.size() + 1 > limits.max_record_bytes) [[unlikely]] {
      limit_error(record_line, Limit::record);
      return false;
    }
    ends.push_back(data.size());
    field_begin = data.size();
    field_quoted = false;
    return true;
  };
  const auto finish = [&]() -> CsvNext {
    record_.line_ = record_line;
    if (options_.header && !header_.empty() && ends.size() != header_.size()) {
      return fail(record_line, "record has " + fields_text(ends.size()) + ", header has " +
                                   std::to_string(header_.size()));
    }
    return CsvNext::record;
  };

  while (true) {
    if (pos_ == end_ && !refill()) {
      if (error_) return CsvNext::error;
      if (state == State::quoted) {
        return fail(quote_line, "unterminated quoted field (the input ends inside it)");
      }
      if (empty_line()) return CsvNext::end;
      if (!end_field()) return CsvNext::error;
      return finish();
    }
    const char* const p = buffer_.get() + pos_;
    const char* const e = buffer_.get() + end_;
    switch (state) {
      case State::field_start: {
        const char c = *p;
        if (c == '"') {
          // Fast path: the whole quoted field and the byte after it are in the buffer and the
          // field holds no doubled quote; most golden-copy fields are like that.
          const char* body = p + 1;
          const char* q = find_quote(body, e);
          if (q != nullptr && q + 1 < e && q[1] != '"') {
            const auto n = static_cast<std::size_t>(q - body);
            line_ += static_cast<std::uint64_t>(std::count(body, q, '\n'));
            if (n > 0 && !append(body, n)) return CsvNext::error;
            field_quoted = true;
            if (q[1] == ',') {
              pos_ += n + 3;
              if (!end_field()) return CsvNext::error;
            } else {
              pos_ += n + 2;
              state = State::quoted_quote;  // the line end (or an error) after the closing quote
            }
            break;
          }
          field_quoted = true;
          quote_line = line_;
          state = State::quoted;
          ++pos_;
        } else if (c == ',') {
          ++pos_;
          if (!end_field()) return CsvNext::error;
        } else if (c == '\n') {
          ++pos_;
          ++line_;
          if (empty_line()) {
            record_line = line_;
            break;
          }
          if (!end_field()) return CsvNext::error;
          return finish();
        } else if (c == '\r') {
          ++pos_;
          state = State::cr;
        } else {
          state = State::unquoted;
        }
        break;
      }
      case State::unquoted: {
        const char* q = p;
        while (q < e && !kSpecial[static_cast<unsigned char>(*q)]) ++q;
        if (q > p && !append(p, static_cast<std::size_t>(q - p))) return CsvNext::error;
        pos_ += static_cast<std::size_t>(q - p);
        if (q == e) break;  // refill
        const char c = *q;
        ++pos_;
        if (c == ',') {
          if (!end_field()) return CsvNext::error;
          state = State::field_start;
        } else if (c == '\n') {
          ++line_;
          if (!end_field()) return CsvNext::error;
          return finish();
        } else if (c == '\r') {
          state = State::cr;
        } else {
          return fail(line_, "quote inside an unquoted field (a field with '\"' must be quoted as a whole)");
        }
        break;
      }
      case State::quoted: {
        const char* q = find_quote(p, e);
        const char* stop = q != nullptr ? q : e;
        const auto n = static_cast<std::size_t>(stop - p);
        line_ += static_cast<std::uint64_t>(std::count(p, stop, '\n'));
        if (n > 0 && !append(p, n)) return CsvNext::error;
        pos_ += n;
        if (q != nullptr) {
          ++pos_;
          state = State::quoted_quote;
        }
        break;
      }
      case State::quoted_quote: {
        const char c = *p;
        ++pos_;
        if (c == '"') {  // "" inside quotes: one quote
          if (!append(p, 1)) return CsvNext::error;
          state = State::quoted;
        } else if (c == ',') {
          if (!end_field()) return CsvNext::error;
          state = State::field_start;
        } else if (c == '\n') {
          ++line_;
          if (!end_field()) return CsvNext::error;
          return finish();
        } else if (c == '\r') {
          state = State::cr;
        } else {
          return fail(line_, "unexpected character after a closing quote (expected ',' or a line end)");
        }
        break;
      }
      case State::cr: {
        if (*p != '\n') return fail(line_, "carriage return not followed by a line feed outside quotes");
        ++pos_;
        ++line_;
        if (empty_line()) {
          record_line = line_;
          state = State::field_start;
          break;
        }
        if (!end_field()) return CsvNext::error;
        return finish();
      }
    }
  }
}

std::variant<CsvReader, CsvError> open_csv_file(const std::filesystem::path& path, CsvOptions options) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return CsvError{name + ": is a folder, not a file", 0};
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    const int err = errno;
    return CsvError{name + ": cannot open: " + (err != 0 ? std::strerror(err) : "unknown error"), 0};
  }
  CsvReader reader(std::move(file), name, options);
  if (reader.failed()) return reader.error();
  return std::variant<CsvReader, CsvError>(std::move(reader));
}

}  // namespace herkomst::origins
