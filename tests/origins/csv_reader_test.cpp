// The streaming RFC 4180 reader (origins/csv_reader.hpp): quoting, line ends, line numbers,
// limits, errors naming input and line, reading across chunk boundaries.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "origins/csv_reader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace herkomst::origins;

namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Parsed {
  std::vector<std::string> header;
  Rows records;
  std::vector<std::uint64_t> lines;
  std::string error;  // "" when the input was read to its end
  std::uint64_t bytes_read = 0;
};

Parsed parse(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv", options);
  Parsed out;
  out.header = reader.header();
  CsvNext next;
  while ((next = reader.next()) == CsvNext::record) {
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < reader.record().size(); ++i) fields.emplace_back(reader.record()[i]);
    out.records.push_back(fields);
    out.lines.push_back(reader.record().line());
  }
  if (next == CsvNext::error) {
    REQUIRE(reader.failed());
    out.error = reader.error().message;
    CHECK(reader.next() == CsvNext::error);  // errors are sticky
    CHECK(reader.error().message == out.error);
  } else {
    CHECK_FALSE(reader.failed());
  }
  out.bytes_read = reader.bytes_read();
  return out;
}

CsvOptions no_header() {
  CsvOptions o;
  o.header = false;
  return o;
}


void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

TEST_CASE("csv: plain records under a header, with their line numbers") {
  const Parsed p = parse("a,b,c\n1,2,3\nx,,z\n");
  CHECK(p.error.empty());
  CHECK(p.header == std::vector<std::string>{"a", "b", "c"});
  CHECK(p.records == Rows{{"1", "2", "3"}, {"x", "", "z"}});
  CHECK(p.lines == std::vector<std::uint64_t>{2, 3});
  CHECK(p.bytes_read == 17);
}

TEST_CASE("csv: column() finds a header name, the first of two, and nothing for an unknown one") {
  std::istringstream in("LEI,Name,LEI\n");
  CsvReader reader(in, "t.csv");
  REQUIRE_FALSE(reader.failed());
  CHECK(reader.column("Name") == std::optional<std::size_t>(1));
  CHECK(reader.column("LEI") == std::optional<std::size_t>(0));
  CHECK_FALSE(reader.column("lei").has_value());
  CHECK(reader.header_line() == 1);
  CHECK(reader.next() == CsvNext::end);
}

TEST_CASE("csv: quoted fields hold commas, doubled quotes and line breaks") {
  const std::string text =
      "name,note\n"
      "\"Acme, Inc.\",\"say \"\"hi\"\"\"\n"
      "\"two\nlines\",\"crlf\r\ninside\"\n"
      "\"\",\"\"\"\"\n"
      "last,\"x\"\n";
  const Parsed p = parse(text);
  CHECK(p.error.empty());
  CHECK(p.records == Rows{{"Acme, Inc.", "say \"hi\""}, {"two\nlines", "crlf\r\ninside"}, {"", "\""}, {"last", "x"}});
  // The second record starts on line 3 and holds two line breaks; the next begins on line 6.
  CHECK(p.lines == std::vector<std::uint64_t>{2, 3, 6, 7});
}

TEST_CASE("csv: CR LF line ends give the same records as LF") {
  const Parsed lf = parse("a,b\n1,\"x\"\n\"q\",2\n");
  const Parsed crlf = parse("a,b\r\n1,\"x\"\r\n\"q\",2\r\n");
  CHECK(crlf.error.empty());
  CHECK(crlf.header == lf.header);
  CHECK(crlf.records == lf.records);
  CHECK(crlf.records == Rows{{"1", "x"}, {"q", "2"}});
  CHECK(crlf.lines == lf.lines);
}

TEST_CASE("csv: a UTF-8 byte order mark at the start is skipped") {
  const Parsed p = parse("\xEF\xBB\xBF\"LEI\",Name\nA,B\n");
  CHECK(p.error.empty());
  CHECK(p.header == std::vector<std::string>{"LEI", "Name"});
  CHECK(p.records == Rows{{"A", "B"}});
  // Only at the start: the same bytes later are data.
  const Parsed later = parse("a\n\xEF\xBB\xBFx\n");
  CHECK(later.records == Rows{{"\xEF\xBB\xBFx"}});
}

TEST_CASE("csv: the last record may lack its line end, and a trailing comma is an empty field") {
  CHECK(parse("a,b\n1,2").records == Rows{{"1", "2"}});
  CHECK(parse("a,b\n1,").records == Rows{{"1", ""}});
  CHECK(parse("a,b\n\"1\",\"2\"").records == Rows{{"1", "2"}});
  CHECK(parse("a,b\r\n1,2\r").records == Rows{{"1", "2"}});
}

TEST_CASE("csv: empty lines are skipped, a line holding only a quoted empty field is a record") {
  const Parsed p = parse("a\n\n1\r\n\r\n\n2\n\"\"\n\n", CsvOptions{});
  CHECK(p.error.empty());
  CHECK(p.records == Rows{{"1"}, {"2"}, {""}});
  CHECK(p.lines == std::vector<std::uint64_t>{3, 6, 7});
}

TEST_CASE("csv: without a header every record is data and field counts may differ") {
  const Parsed p = parse("a,b\n1\n1,2,3\n", no_header());
  CHECK(p.error.empty());
  CHECK(p.header.empty());
  CHECK(p.records == Rows{{"a", "b"}, {"1"}, {"1", "2", "3"}});
  CHECK(p.lines == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("csv: a record with another field count than the header is an error naming its line") {
  const Parsed p = parse("a,b,c\n1,2,3\n\"x\ny\",2\n4,5,6\n");
  CHECK(p.records == Rows{{"1", "2", "3"}});
  CHECK(p.error == "t.csv:3: record has 2 fields, header has 3");
  CHECK(parse("a,b\n1\n").error == "t.csv:2: record has 1 field, header has 2");
}

TEST_CASE("csv: a quote left open at the end of the input (a truncated file) is an error") {
  const Parsed p = parse("a,b\n1,2\n3,\"never\nclosed\n");
  CHECK(p.records == Rows{{"1", "2"}});
  CHECK(p.error == "t.csv:3: unterminated quoted field (the input ends inside it)");
  // The line named is where the quote opened, not where the record starts.
  CHECK(parse("a,b\n\"x\ny\",\"z\n").error == "t.csv:3: unterminated quoted field (the input ends inside it)");
}

TEST_CASE("csv: stray quotes, text after a closing quote and a lone CR are errors") {
  CHECK(parse("a,b\n1,ab\"c\n").error ==
        "t.csv:2: quote inside an unquoted field (a field with '\"' must be quoted as a whole)");
  CHECK(parse("a,b\n1,\"ab\"c\n").error ==
        "t.csv:2: unexpected character after a closing quote (expected ',' or a line end)");
  CHECK(parse("a,b\n1,2\rx,y\n").error == "t.csv:2: carriage return not followed by a line feed outside quotes");
}

TEST_CASE("csv: a field over the field limit is an error, one at the limit is not") {
  CsvOptions o;
  o.limits.max_field_bytes = 8;
  CHECK(parse("a,b\n12345678,\"12345678\"\n", o).records == Rows{{"12345678", "12345678"}});
  CHECK(parse("a,b\n1,123456789\n", o).error == "t.csv:2: field longer than 8 bytes");
  CHECK(parse("a,b\n1,\"1234\n56789\"\n", o).error == "t.csv:2: field longer than 8 bytes");
  // Doubled quotes count once (the field holds 8 bytes here).
  CHECK(parse("a\n\"\"\"\"\"\"\"\"\"1234\"\n", o).records == Rows{{"\"\"\"\"1234"}});
}

TEST_CASE("csv: the default field limit is 64 KiB") {
  const std::string big(64 * 1024, 'x');
  CHECK(parse("a\n" + big + "\n").records.size() == 1);
  CHECK(parse("a\n\"" + big + "y\"\n").error == "t.csv:2: field longer than 65536 bytes");
}

TEST_CASE("csv: a record over the record limit or with too many fields is an error") {
  CsvOptions o;
  o.limits.max_record_bytes = 10;
  CHECK(parse("a,b\n1234,5678\n", o).records.size() == 1);  // 8 bytes + 2 fields
  CHECK(parse("a,b\n12345,67890\n", o).error == "t.csv:2: record longer than 10 bytes");
  CsvOptions f = no_header();
  f.limits.max_fields = 3;
  CHECK(parse("1,2,3\n", f).records.size() == 1);
  CHECK(parse("1,2,3,4\n", f).error == "t.csv:1: record has more than 3 fields");
}

TEST_CASE("csv: a field passing both limits names the one passed first, whatever the chunk size") {
  for (std::size_t chunk : {4u, 5u, 9u, 1u << 20}) {
    INFO("chunk " << chunk);
    CsvOptions o = no_header();
    o.chunk_bytes = chunk;
    o.limits.max_field_bytes = 8;
    o.limits.max_record_bytes = 12;
    // 7 bytes and a separator used: the record limit is 5 bytes away, the field limit 9.
    CHECK(parse("1234567,\"123456789\"\n", o).error == "t.csv:1: record longer than 12 bytes");
    // A fresh record: the field limit comes first.
    CHECK(parse("\"1234567890123\"\n", o).error == "t.csv:1: field longer than 8 bytes");
  }
}

TEST_CASE("csv: zip and gzip archives are refused by their first bytes") {
  const Parsed zip = parse(std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "lei2.csv");
  CHECK(zip.error == "t.csv: this is a zip archive (it starts with PK\\3\\4): unzip it first and give the .csv file");
  const Parsed gz = parse(std::string("\x1f\x8b\x08\x00", 4));
  CHECK(gz.error ==
        "t.csv: this is gzip-compressed (it starts with 1f 8b): decompress it first and give the .csv file");
  // Text that merely starts with "PK" is data.
  CHECK(parse("PKZ,b\n1,2\n").header == std::vector<std::string>{"PKZ", "b"});
}

TEST_CASE("csv: an empty input has no header") {
  CHECK(parse("").error == "t.csv: empty input: no header line");
  CHECK(parse("\n\r\n").error == "t.csv: empty input: no header line");
  CHECK(parse("", no_header()).error.empty());
}

TEST_CASE("csv: records read across chunk boundaries are the same for every chunk size") {
  std::string text = "\xEF\xBB\xBF\"LEI\",\"Name\",\"Note\"\r\n";
  for (int i = 0; i < 40; ++i) {
    text += "\"K" + std::to_string(i) + "\",\"Name, \"\"quoted\"\" " + std::to_string(i) + "\",";
    text += (i % 3 == 0) ? "\"multi\r\nline\nnote\"" : "plain" + std::to_string(i);
    text += (i % 2 == 0) ? "\r\n" : "\n";
    if (i % 7 == 0) text += "\n";
  }
  const Parsed whole = parse(text);
  REQUIRE(whole.error.empty());
  REQUIRE(whole.records.size() == 40);
  CHECK(whole.records[3] == std::vector<std::string>{"K3", "Name, \"quoted\" 3", "multi\r\nline\nnote"});
  CHECK(whole.bytes_read == text.size());
  for (std::size_t chunk : {4u, 5u, 7u, 16u, 31u, 64u, 1000u}) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    const Parsed p = parse(text, o);
    INFO("chunk " << chunk);
    CHECK(p.error.empty());
    CHECK(p.header == whole.header);
    CHECK(p.records == whole.records);
    CHECK(p.lines == whole.lines);
    CHECK(p.bytes_read == text.size());
  }
}

TEST_CASE("csv: errors found across chunk boundaries name the same line") {
  const std::string text = "a,b\n1,2\n\"x\ny\",\"z\"\n3,\"open\n\n";
  for (std::size_t chunk : {4u, 5u, 6u, 9u, 1u << 20}) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    INFO("chunk " << chunk);
    CHECK(parse(text, o).error == "t.csv:5: unterminated quoted field (the input ends inside it)");
  }
}

TEST_CASE("csv: open_csv_file reads a file and names it in errors") {
  herkomst::test::TempDir dir{"csv-test"};
  const auto good = dir.path / "good.csv";
  write_file(good, "a,b\r\n1,\"2\"\r\n");
  auto opened = open_csv_file(good);
  REQUIRE(std::holds_alternative<CsvReader>(opened));
  CsvReader& reader = std::get<CsvReader>(opened);
  CHECK(reader.name() == good.string());
  REQUIRE(reader.next() == CsvNext::record);
  CHECK(reader.record()[1] == "2");
  CHECK(reader.record()[2].empty());  // past the end: empty, not out of bounds
  CHECK(reader.next() == CsvNext::end);

  const auto missing = dir.path / "missing.csv";
  auto not_there = open_csv_file(missing);
  REQUIRE(std::holds_alternative<CsvError>(not_there));
  CHECK(std::get<CsvError>(not_there).message == missing.string() + ": cannot open: No such file or directory");

  auto folder = open_csv_file(dir.path);
  REQUIRE(std::holds_alternative<CsvError>(folder));
  CHECK(std::get<CsvError>(folder).message == dir.path.string() + ": is a folder, not a file");

  const auto truncated = dir.path / "truncated.csv";
  write_file(truncated, "a,b\n1,\"2");
  auto t = open_csv_file(truncated);
  REQUIRE(std::holds_alternative<CsvReader>(t));
  CHECK(std::get<CsvReader>(t).next() == CsvNext::error);
  CHECK(std::get<CsvReader>(t).error().message ==
        truncated.string() + ":2: unterminated quoted field (the input ends inside it)");
  CHECK(std::get<CsvReader>(t).error().line == 2);
}

TEST_CASE("csv: a reader moved after opening keeps reading its file") {
  herkomst::test::TempDir dir{"csv-test"};
  const auto path = dir.path / "m.csv";
  write_file(path, "a\n1\n2\n");
  auto opened = open_csv_file(path);
  REQUIRE(std::holds_alternative<CsvReader>(opened));
  CsvReader first = std::move(std::get<CsvReader>(opened));
  REQUIRE(first.next() == CsvNext::record);
  CsvReader second = std::move(first);
  REQUIRE(second.next() == CsvNext::record);
  CHECK(second.record()[0] == "2");
  CHECK(second.record().line() == 3);
  CHECK(second.next() == CsvNext::end);
}
