// A streaming reader for comma-separated values as RFC 4180 describes them, for files of
// several gigabytes (the GLEIF golden copy, gleif_reader.hpp) read one record at a time.
//
// What it accepts:
//   - fields separated by ',', records ended by LF or CR LF (the last record may lack one);
//   - quoted fields ("..."), inside which ',' CR LF are data and "" stands for one '"';
//   - a UTF-8 byte order mark at the very start, which is skipped;
//   - empty physical lines between records, which are skipped (an empty line is not a record;
//     a line holding only "" is a record with one empty field).
// What it refuses, with an error naming the input and a physical line (1-based): where the
// problem is for a character out of place, where the quote opened for a quote never closed,
// where the record starts for a limit or a field count. E.g. "rr.csv:17: unterminated quoted
// field (the input ends inside it)":
//   - a quote that is never closed (a truncated file), a '"' inside an unquoted field, anything
//     but ',' or a line end after a closing quote, a CR not followed by LF outside quotes;
//   - a field longer than CsvLimits::max_field_bytes, a record longer than max_record_bytes or
//     with more than max_fields fields (the reader's memory is bounded by these, not by the
//     input; when one piece of input passes both the field and the record limit, the error
//     names the one a byte-at-a-time reader would pass first, so errors never depend on how
//     the input was split into chunks);
//   - with a header (the default), a record whose field count differs from the header's:
//     "rr.csv:17: record has 12 fields, header has 13";
//   - input that starts like a zip or gzip archive: "FILE: this is a zip archive (it starts
//     with PK\3\4): unzip it first and give the .csv file".
// Errors are values; the reader never throws (a std::bad_alloc aside). After an error every
// next() returns CsvNext::error with the same error.
//
// Bytes are passed through as they are: the reader neither checks nor converts the encoding
// (callers check the fields they keep, see valid_utf8 in tsv_table.hpp).
//
// Use:
//   auto opened = open_csv_file("lei2.csv");
//   if (auto* e = std::get_if<CsvError>(&opened)) { ... e->message ... }
//   CsvReader& reader = std::get<CsvReader>(opened);
//   const auto lei = reader.column("LEI");   // std::nullopt when the header has no such column
//   while (reader.next() == CsvNext::record) {
//     const CsvRecord& r = reader.record();   // valid until the next call to next()
//     use(r.line(), r[*lei]);
//   }
//   if (reader.failed()) { ... reader.error().message ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herkomst::origins {

struct CsvLimits {
  std::size_t max_field_bytes = 64 * 1024;     // one field, after unquoting
  std::size_t max_record_bytes = 1024 * 1024;  // one record: its fields plus one byte per separator
  std::size_t max_fields = 4096;               // fields in one record
};

struct CsvOptions {
  CsvLimits limits;
  // When true the first record is the header: header() holds it, column() looks names up in
  // it, and every later record must have as many fields. When false every record is data.
  bool header = true;
  std::size_t chunk_bytes = 1024 * 1024;  // how much is read from the stream at a time
};

struct CsvError {
  std::string message;    // "NAME:LINE: what", or "NAME: what" when no line applies
  std::uint64_t line = 0;  // physical line where the offending record starts; 0 = none
};

// One record: views into the reader's buffer, valid until the reader's next call to next().
class CsvRecord {
 public:
  std::uint64_t line() const { return line_; }  // physical line (1-based) where it starts
  std::size_t size() const { return ends_.size(); }
  // The field at `index` with quotes removed and "" made '"'; an empty view past the end.
  std::string_view operator[](std::size_t index) const;

 private:
  friend class CsvReader;
  std::uint64_t line_ = 0;
  std::string data_;                // the fields' bytes, one after the other
  std::vector<std::size_t> ends_;   // end offset of each field in data_
};

enum class CsvNext { record, end, error };

class CsvReader {
 public:
  // Reads from `in`, which must outlive the reader; `name` is used in error messages. The
  // header, when options.header is set, is read by the constructor: check failed() before
  // calling column().
  CsvReader(std::istream& in, std::string name, CsvOptions options = {});
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  // Reads the next data record (the header is never returned as one).
  CsvNext next();
  const CsvRecord& record() const { return record_; }

  bool failed() const { return error_.has_value(); }
  const CsvError& error() const;  // only meaningful when failed()

  const std::vector<std::string>& header() const { return header_; }
  std::uint64_t header_line() const { return header_line_; }  // 0 without a header
  std::optional<std::size_t> column(std::string_view name) const;  // first column so named

  const std::string& name() const { return name_; }
  std::uint64_t bytes_read() const { return consumed_ + pos_; }  // bytes of the input parsed

 private:
  friend std::variant<CsvReader, CsvError> open_csv_file(const std::filesystem::path&, CsvOptions);
  CsvReader(std::unique_ptr<std::istream> owned, std::string name, CsvOptions options);

  void start();
  bool refill();
  CsvNext parse_record();
  CsvNext fail(std::uint64_t line, std::string what);
  enum class Limit { field, record, fields };
  [[gnu::cold, gnu::noinline]] void limit_error(std::uint64_t line, Limit which);

  std::unique_ptr<std::istream> owned_;  // set when opened from a path
  std::istream* in_ = nullptr;           // the stream read from (owned_ or the caller's)
  std::string name_;
  CsvOptions options_;
  std::unique_ptr<char[]> buffer_;  // chunk_bytes, not zeroed
  std::size_t buffer_size_ = 0;
  std::size_t pos_ = 0, end_ = 0;  // unparsed bytes are buffer_[pos_, end_)
  std::uint64_t consumed_ = 0;     // input bytes before buffer_[0]
  bool eof_ = false;
  std::uint64_t line_ = 1;  // physical line of buffer_[pos_]
  CsvRecord record_;
  std::vector<std::string> header_;
  std::uint64_t header_line_ = 0;
  std::optional<CsvError> error_;
};

// Opens `path` for reading (binary) and reads the header. The error names the path when the
// file cannot be opened.
std::variant<CsvReader, CsvError> open_csv_file(const std::filesystem::path& path, CsvOptions options = {});

}  // namespace herkomst::origins
