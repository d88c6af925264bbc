// libFuzzer target for the streaming CSV reader (origins/csv_reader.hpp) and the GLEIF readers
// built on it (origins/gleif_reader.hpp). Input: byte 0 picks the mode, the rest is the file.
//   bits 0-1: 0 = CSV with a header, 1 = CSV without, 2 = read_gleif_level1 first, 3 = the
//             relationship reader first when bit 2 is set, else the exceptions reader
//             (modes 2 and 3 then read the input as CSV with a header too);
//   bits 3-7: the chunk size of the second CSV read (4 + value), see below.
// Small limits (field 64, record 512, 32 fields) so the limit paths are reached.
// Checks, besides ASan/UBSan:
//   - the same input read in one chunk and in tiny chunks gives the same records, the
//     same line numbers and the same error (chunk boundaries change nothing);
//   - record lines only grow and never pass the number of lines in the input; no field or
//     record exceeds the limits; with a header every record has the header's field count;
//   - bytes_read() never goes backwards nor past the input, and is the input size at the end;
//   - an error message starts with the input's name;
//   - GLEIF rows handed over have valid LEIs, two-letter countries, YYYY-MM-DD dates, and are
//     numbered by growing lines; no row is handed over once an error is recorded.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "origins/csv_reader.hpp"
#include "origins/gleif_reader.hpp"

using namespace herkomst::origins;

namespace {

constexpr CsvLimits kLimits{64, 512, 32};

struct Outcome {
  std::vector<std::vector<std::string>> records;
  std::vector<std::uint64_t> lines;
  std::vector<std::string> header;
  std::string error;
};

void check(bool ok) {
  if (!ok) std::abort();
}

Outcome read_all(const std::string& input, bool header, std::size_t chunk) {
  std::istringstream in(input);
  CsvOptions options;
  options.limits = kLimits;
  options.header = header;
  options.chunk_bytes = chunk;
  CsvReader reader(in, "fuzz", options);
  Outcome out;
  out.header = reader.header();
  check(!header || reader.failed() || !out.header.empty());
  const auto newlines = static_cast<std::uint64_t>(std::count(input.begin(), input.end(), '\n'));
  std::uint64_t last_line = 0;
  std::uint64_t last_bytes = reader.bytes_read();
  CsvNext next;
  while ((next = reader.next()) == CsvNext::record) {
    const CsvRecord& r = reader.record();
    check(r.line() > last_line && r.line() <= newlines + 1);
    last_line = r.line();
    check(r.size() >= 1 && r.size() <= kLimits.max_fields);
    check(!header || r.size() == out.header.size());
    std::size_t total = 0;
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < r.size(); ++i) {
      check(r[i].size() <= kLimits.max_field_bytes);
      total += r[i].size();
      fields.emplace_back(r[i]);
    }
    check(total + r.size() <= kLimits.max_record_bytes);
    check(r[r.size()].empty());
    check(reader.bytes_read() >= last_bytes && reader.bytes_read() <= input.size());
    last_bytes = reader.bytes_read();
    out.records.push_back(std::move(fields));
    out.lines.push_back(r.line());
  }
  if (next == CsvNext::error) {
    check(reader.failed());
    check(reader.error().message.rfind("fuzz:", 0) == 0);
    if (reader.error().line != 0) {
      check(reader.error().message.rfind("fuzz:" + std::to_string(reader.error().line) + ": ", 0) == 0);
    }
    check(reader.next() == CsvNext::error);
    out.error = reader.error().message;
  } else {
    check(!reader.failed());
    check(reader.bytes_read() == input.size());
    check(reader.next() == CsvNext::end);
  }
  return out;
}

bool is_day(std::string_view d) {
  return d.empty() || (d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                       std::all_of(d.begin(), d.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; }));
}

bool is_country(std::string_view c) {
  return c.empty() || (c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z');
}

void check_result(const GleifReadResult& result, std::uint64_t handed) {
  check(result.delivered == handed);
  check(result.delivered + result.skipped <= result.rows);
  for (const auto& e : result.errors) check(e.rfind("fuzz", 0) == 0);
  check(!(result.stopped_by_callback && !result.errors.empty()));
}

void read_gleif(const std::string& input, int mode) {
  GleifReadOptions options;
  options.limits = kLimits;
  options.max_errors = 3;
  options.chunk_bytes = 4 + input.size() / 2;  // two reads at least
  std::uint64_t last_line = 0, handed = 0;
  std::istringstream in(input);
  if (mode == 2) {
    const auto result = read_gleif_level1(
        in, "fuzz",
        [&](const GleifEntity& e) {
          check(valid_lei(e.lei) && !e.legal_name.empty());
          check(is_country(e.legal_country) && is_country(e.hq_country));
          check(e.line > last_line);
          last_line = e.line;
          return ++handed < 50;
        },
        options);
    check_result(result, handed);
  } else if (mode == 3) {
    const auto result = read_gleif_relationships(
        in, "fuzz",
        [&](const GleifRelationship& r) {
          check(valid_lei(r.child_lei) && valid_lei(r.parent_lei));
          check(is_day(r.start_date) && is_day(r.end_date));
          check(!r.type_text.empty() && (r.type == GleifRelationshipType::other) ==
                                            (r.type_text != "IS_DIRECTLY_CONSOLIDATED_BY" &&
                                             r.type_text != "IS_ULTIMATELY_CONSOLIDATED_BY" &&
                                             r.type_text != "IS_INTERNATIONAL_BRANCH_OF"));
          check(r.line > last_line);
          last_line = r.line;
          ++handed;
          return true;
        },
        options);
    check_result(result, handed);
  } else {
    const auto result = read_gleif_exceptions(
        in, "fuzz",
        [&](const GleifException& e) {
          check(valid_lei(e.lei) && !e.category.empty() && !e.reason.empty());
          check(e.line > last_line);
          last_line = e.line;
          ++handed;
          return true;
        },
        options);
    check_result(result, handed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] & 3;
  const std::size_t chunk = 4 + (data[0] >> 3);
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode >= 2) {
    read_gleif(input, mode == 2 ? 2 : ((data[0] & 4) != 0 ? 3 : 4));
  }
  const bool header = mode != 1;
  const Outcome whole = read_all(input, header, input.size() + 4);  // one chunk holds it all
  const Outcome pieces = read_all(input, header, chunk);
  check(whole.header == pieces.header);
  check(whole.records == pieces.records);
  check(whole.lines == pieces.lines);
  check(whole.error == pieces.error);
  return 0;
}
