// Speed of the GLEIF golden-copy readers (origins/csv_reader.hpp, origins/gleif_reader.hpp) on a
// generated file shaped like the Level 1 golden copy. A benchmark you run by hand (docs/gleif.md);
// not built by CMake, not a test.
//
//   g++ -std=c++20 -O2 -DNDEBUG -I. bench/csv_reader_bench.cpp origins/csv_reader.cpp
//       origins/gleif_reader.cpp origins/tsv_table.cpp -o /tmp/csv_reader_bench   (one line)
//   /tmp/csv_reader_bench /tmp/lei2-like.csv 200
//
// When FILE does not exist it is written first (MiB given, default 200): 240 quoted columns like
// the real file's (the 7 the Level 1 reader uses, 25 more with text, the rest mostly empty),
// valid LEIs, names with commas and doubled quotes, every 50th address with a line break. Then
// the file is read three times each way and the best time is printed: the bare CSV reader
// (every field looked at) and read_gleif_level1 (columns found, every row validated).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "origins/csv_reader.hpp"
#include "origins/gleif_reader.hpp"

using namespace herkomst::origins;

namespace {

std::string make_lei(unsigned long n) {
  static const char* kAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string lei = "5299";
  lei += "00";
  for (int i = 0; i < 12; ++i) {
    lei += kAlnum[n % 36];
    n /= 36;
  }
  unsigned r = 0;
  for (const char c : lei + "00") {
    r = c <= '9' ? (r * 10 + static_cast<unsigned>(c - '0')) % 97 : (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
  }
  const unsigned check = 98 - r;
  lei += static_cast<char>('0' + check / 10);
  lei += static_cast<char>('0' + check % 10);
  return lei;
}

void field(std::string& out, const std::string& value) {
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += "\",";
}

bool generate(const std::filesystem::path& path, std::uintmax_t bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return false;
  std::vector<std::string> header = {"LEI", "Entity.LegalName", "Entity.LegalAddress.Country",
                                     "Entity.HeadquartersAddress.Country", "Entity.LegalJurisdiction",
                                     "Entity.EntityStatus", "Registration.RegistrationStatus"};
  for (int i = 0; header.size() < 240; ++i) header.push_back("Entity.Filler." + std::to_string(i));
  std::string line;
  for (const auto& h : header) field(line, h);
  line.back() = '\n';
  out << line;
  std::uintmax_t written = line.size();
  static const char* kCountries[] = {"NL", "DE", "US", "CN", "FR", "GB", "JP", "", "CH", "SE"};
  for (unsigned long n = 0; written < bytes; ++n) {
    line.clear();
    field(line, make_lei(n * 7919 + 13));
    field(line, n % 5 == 0 ? "Example \"Holding\", B.V. " + std::to_string(n) : "Company " + std::to_string(n) + " GmbH");
    field(line, kCountries[n % 10]);
    field(line, kCountries[(n / 3) % 10]);
    field(line, n % 4 == 0 ? "US-DE" : kCountries[(n / 7) % 9]);
    field(line, n % 9 == 0 ? "INACTIVE" : "ACTIVE");
    field(line, n % 6 == 0 ? "LAPSED" : "ISSUED");
    for (int i = 0; i < 25; ++i) {
      field(line, i == 3 && n % 50 == 0 ? "Building 4\nFloor 2" : "value " + std::to_string(i) + " of " + std::to_string(n));
    }
    for (std::size_t i = 32; i < 240; ++i) field(line, (i + n) % 23 == 0 ? "X" : "");
    line.back() = '\n';
    out << line;
    written += line.size();
  }
  return static_cast<bool>(out);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [MiB]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path path = argv[1];
  const std::uintmax_t mib = argc > 2 ? std::stoul(argv[2]) : 200;
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "writing %s (%ju MiB)\n", path.c_str(), mib);
    if (!generate(path, mib * 1024 * 1024)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;

  double best_csv = 1e9, best_gleif = 1e9;
  std::uint64_t records = 0, fields = 0, entities = 0;
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    auto opened = open_csv_file(path);
    if (auto* e = std::get_if<CsvError>(&opened)) {
      std::fprintf(stderr, "%s\n", e->message.c_str());
      return 1;
    }
    CsvReader& reader = std::get<CsvReader>(opened);
    records = fields = 0;
    std::size_t bytes = 0;
    while (reader.next() == CsvNext::record) {
      ++records;
      fields += reader.record().size();
      for (std::size_t i = 0; i < reader.record().size(); ++i) bytes += reader.record()[i].size();
    }
    if (reader.failed()) {
      std::fprintf(stderr, "%s\n", reader.error().message.c_str());
      return 1;
    }
    best_csv = std::min(best_csv, seconds_since(start));
    if (bytes == 0) return 1;

    start = std::chrono::steady_clock::now();
    entities = 0;
    const auto result = read_gleif_level1(path, [&](const GleifEntity& e) {
      entities += e.lei.size() == 20;
      return true;
    });
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", result.errors.front().c_str());
      return 1;
    }
    best_gleif = std::min(best_gleif, seconds_since(start));
  }
  std::printf("file: %.1f MB, %ju records, %ju fields\n", mb, static_cast<std::uintmax_t>(records),
              static_cast<std::uintmax_t>(fields));
  std::printf("csv reader:        %.2f s  %.0f MB/s\n", best_csv, mb / best_csv);
  std::printf("read_gleif_level1: %.2f s  %.0f MB/s  (%ju entities)\n", best_gleif, mb / best_gleif,
              static_cast<std::uintmax_t>(entities));
  return 0;
}
