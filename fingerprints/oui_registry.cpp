#include "fingerprints/oui_registry.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <system_error>
#include <utility>

#include "fingerprints/country_codes.hpp"

namespace herkomst::fingerprints {
namespace {

constexpr std::array<MacRegistry, 4> kRegistries{MacRegistry::ma_l, MacRegistry::ma_m, MacRegistry::ma_s,
                                                 MacRegistry::iab};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::uint64_t> parse_hex(std::string_view digits) {
  if (digits.empty() || digits.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    value = (value << 4) | static_cast<std::uint64_t>(v);
  }
  return value;
}

// "001B1B" -> "00:1B:1B", "70B3D5F2F" -> "70:B3:D5:F2:F".
std::string prefix_text(std::string_view digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += ':';
    char c = digits[i];
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

std::string utc_text(std::time_t t) {
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : bytes) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 1099511628211ULL;
  }
  char buf[17];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    buf[i] = kHex[h & 0xF];
    h >>= 4;
  }
  return std::string(buf, 16);
}

// Reads a whole file; an error message naming the path otherwise.
std::variant<std::string, RegistryError> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return RegistryError{path.string() + ": " + (ec ? ec.message() : std::string("No such file or directory"))};
  if (!std::filesystem::is_regular_file(status)) return RegistryError{path.string() + ": not a regular file"};
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return RegistryError{path.string() + ": cannot open: " + std::strerror(errno)};
  const std::streamoff size = in.tellg();
  if (size < 0) return RegistryError{path.string() + ": cannot tell its size"};
  std::string content(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(content.data(), static_cast<std::streamsize>(size)))
    return RegistryError{path.string() + ": read error"};
  return content;
}

// RFC 4180 reader over a whole file held in memory.
class CsvReader {
 public:
  struct Record {
    std::vector<std::string> fields;  // the first `count` are this record's fields
    std::size_t count = 0;
    std::size_t line = 0;  // first physical line, 1-based
    std::string error;     // non-empty: the record did not parse
  };

  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  // Reads the next non-blank record; false at the end of the text.
  bool next(Record& out) {
    while (pos_ < text_.size()) {
      out.count = 0;
      out.error.clear();
      out.line = line_;
      const std::size_t record_start = pos_;
      multiline_ = false;
      read_record(out);
      if (!out.error.empty() && multiline_) {
        // A quote opened on this line and never closed where a field could end: the rows it
        // swallowed are most likely good ones, so resynchronise on the next physical line.
        out.error = "unbalanced quotes: a quoted field runs on from line " + std::to_string(out.line) +
                    (error_line_ == 0 ? std::string(" to the end of the file") : " to line " + std::to_string(error_line_));
        const std::size_t nl = text_.find('\n', record_start);
        pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
        line_ = out.line + 1;
      }
      if (out.count == 1 && out.fields[0].empty() && out.error.empty()) continue;  // blank line
      return true;
    }
    return false;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }

  // Consumes a line break at pos_ (LF or CRLF); true if there was one.
  bool take_newline() {
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    if (pos_ + 1 < text_.size() && text_[pos_] == '\r' && text_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
      return true;
    }
    if (pos_ + 1 == text_.size() && text_[pos_] == '\r') {  // CR as the very last byte
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_rest_of_line() {
    while (!at_end() && !take_newline()) ++pos_;
  }

  // The next field slot of the record, emptied (its capacity is reused across records).
  static std::string& new_field(Record& out) {
    if (out.count == out.fields.size()) out.fields.emplace_back();
    std::string& field = out.fields[out.count++];
    field.clear();
    return field;
  }

  void fail(Record& out, std::string reason) {
    out.error = std::move(reason);
    error_line_ = at_end() ? 0 : line_;
  }

  void read_record(Record& out) {
    for (;;) {
      std::string& field = new_field(out);
      if (!at_end() && text_[pos_] == '"') {
        ++pos_;
        bool closed = false;
        while (!at_end()) {
          // Copy the run up to the next quote or line break in one go.
          std::size_t run_end = pos_;
          while (run_end < text_.size() && text_[run_end] != '"' && text_[run_end] != '\n') ++run_end;
          field.append(text_.substr(pos_, run_end - pos_));
          pos_ = run_end;
          if (at_end()) break;
          if (text_[pos_] == '\n') {
            ++line_;
            multiline_ = true;
            field += '\n';
            ++pos_;
            continue;
          }
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // doubled quote
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          closed = true;
          break;
        }
        if (!closed) {
          fail(out, "unterminated quoted field");
          return;
        }
        while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
        if (at_end() || take_newline()) return;
        if (text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        fail(out, "unexpected character after a closing quote");
        skip_rest_of_line();
        return;
      }
      // Unquoted: up to the next comma or line break (a stray quote is kept as text).
      const std::size_t start = pos_;
      while (!at_end() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             !(text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n')))
        ++pos_;
      field.assign(text_.substr(start, pos_ - start));
      if (at_end() || take_newline()) return;
      ++pos_;  // the comma
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool multiline_ = false;  // the current record has a line break inside a quoted field
  std::size_t error_line_ = 0;  // line where the current record's error was seen, 0 at the end
};

}  // namespace

std::string_view to_string(MacRegistry registry) {
  switch (registry) {
    case MacRegistry::ma_l: return "MA-L";
    case MacRegistry::ma_m: return "MA-M";
    case MacRegistry::ma_s: return "MA-S";
    case MacRegistry::iab: return "IAB";
  }
  return "?";
}

int prefix_bits(MacRegistry registry) {
  switch (registry) {
    case MacRegistry::ma_l: return 24;
    case MacRegistry::ma_m: return 28;
    case MacRegistry::ma_s:
    case MacRegistry::iab: return 36;
  }
  return 0;
}

std::string_view file_name(MacRegistry registry) {
  switch (registry) {
    case MacRegistry::ma_l: return "oui.csv";
    case MacRegistry::ma_m: return "mam.csv";
    case MacRegistry::ma_s: return "oui36.csv";
    case MacRegistry::iab: return "iab.csv";
  }
  return "";
}

std::string_view MacLookup::kind() const {
  if (broadcast) return "broadcast";
  if (multicast) return "multicast";
  if (locally_administered) return "locally-administered";
  return "universal";
}

std::string RowProblem::where() const { return file + ":" + std::to_string(line) + ": " + reason; }

std::string RegistryVersion::summary() const {
  std::string out = "ieee-data";
  if (!last_update.empty()) out += " " + last_update;
  out += ":";
  bool first = true;
  for (const auto& f : files) {
    out += first ? " " : ", ";
    first = false;
    out += std::string(to_string(f.registry)) + " " + std::to_string(f.rows) + " rows (" +
           std::string(file_name(f.registry)) + " " + f.modified.substr(0, 10) + ", fnv1a64 " + f.fnv1a64;
    if (f.bad_rows > 0) out += ", " + std::to_string(f.bad_rows) + " bad";
    out += ")";
  }
  return out;
}

std::optional<std::array<std::uint8_t, 6>> parse_mac(std::string_view text) {
  std::array<std::uint8_t, 6> mac{};
  if (text.size() == 12) {
    for (std::size_t i = 0; i < 6; ++i) {
      const int hi = hex_value(text[2 * i]);
      const int lo = hex_value(text[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return mac;
  }
  if (text.size() != 17) return std::nullopt;
  const char sep = text[2];
  if (sep != ':' && sep != '-') return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[3 * i - 1] != sep) return std::nullopt;
    const int hi = hex_value(text[3 * i]);
    const int lo = hex_value(text[3 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return mac;
}

// Builds an OuiRegistry file by file.
class RegistryLoader {
 public:
  static std::variant<OuiRegistry, RegistryError> load(const std::filesystem::path& directory) {
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec))
      return RegistryError{directory.string() + ": " +
                           (ec ? ec.message() : std::string("not a directory (IEEE registry CSVs expected)"))};
    OuiRegistry registry;
    registry.version_.directory = directory.string();
    for (MacRegistry kind : kRegistries) {
      const std::filesystem::path path = directory / file_name(kind);
      auto content = read_file(path);
      if (auto* error = std::get_if<RegistryError>(&content)) return std::move(*error);
      const std::string& text = std::get<std::string>(content);

      RegistryFile file;
      file.registry = kind;
      file.path = path.string();
      file.bytes = text.size();
      file.fnv1a64 = fnv1a64(text);
      const auto mtime = std::filesystem::last_write_time(path, ec);
      if (!ec) {
        const auto sys = std::chrono::file_clock::to_sys(mtime);
        file.modified = utc_text(std::chrono::system_clock::to_time_t(
            std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys)));
      }
      load_rows(registry, kind, text, file);
      registry.version_.files.push_back(std::move(file));
    }
    // Debian's ieee-data records when it fetched the files.
    if (auto stamp = read_file(directory / ".lastupdate"); std::holds_alternative<std::string>(stamp)) {
      const std::string_view digits = trim(std::get<std::string>(stamp));
      std::int64_t seconds = 0;
      const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
      if (err == std::errc{} && end == digits.data() + digits.size() && !digits.empty())
        registry.version_.last_update = utc_text(static_cast<std::time_t>(seconds));
    }
    return registry;
  }

 private:
  static void load_rows(OuiRegistry& registry, MacRegistry kind, std::string_view text, RegistryFile& file) {
    const std::string name(file_name(kind));
    const std::size_t digits = static_cast<std::size_t>(prefix_bits(kind) / 4);
    auto& prefixes = kind == MacRegistry::ma_l ? registry.by_24_ : kind == MacRegistry::ma_m ? registry.by_28_ : registry.by_36_;

    const auto report = [&](std::size_t line, std::string reason) {
      ++file.bad_rows;
      if (registry.problems_.size() < OuiRegistry::kMaxReportedProblems)
        registry.problems_.push_back(RowProblem{name, line, std::move(reason)});
    };

    prefixes.reserve(prefixes.size() + text.size() / 64);  // rows are ~100 bytes
    CsvReader reader(text);
    CsvReader::Record record;
    bool first = true;
    while (reader.next(record)) {
      const bool header = first && record.error.empty() && record.count > 0 &&
                          iequals(trim(record.fields[0]), "Registry");
      first = false;
      if (header) continue;
      if (!record.error.empty()) {
        report(record.line, record.error);
        continue;
      }
      if (record.count != 4) {
        report(record.line, "expected 4 fields, found " + std::to_string(record.count));
        continue;
      }
      const std::string_view registry_column = trim(record.fields[0]);
      if (registry_column != to_string(kind)) {
        report(record.line, "registry \"" + std::string(registry_column) + "\" in the " +
                                std::string(to_string(kind)) + " file");
        continue;
      }
      const std::string_view assignment = trim(record.fields[1]);
      const auto value = assignment.size() == digits ? parse_hex(assignment) : std::nullopt;
      if (!value) {
        report(record.line, "assignment \"" + std::string(assignment) + "\" is not " + std::to_string(digits) +
                                " hex digits");
        continue;
      }
      const std::string_view organisation = trim(record.fields[2]);
      if (organisation.empty()) {
        report(record.line, "empty organisation");
        continue;
      }
      ++file.rows;
      const bool is_private = iequals(organisation, "Private");
      if (is_private) ++file.private_rows;

      if (const auto it = prefixes.find(*value); it != prefixes.end()) {
        ++file.duplicate_rows;
        registry.assignments_[it->second].other_organisations.emplace_back(organisation);
        continue;
      }
      Assignment a;
      a.registry = kind;
      a.prefix = prefix_text(assignment);
      a.prefix_bits = prefix_bits(kind);
      a.organisation = std::string(organisation);
      a.address = record.fields[3];
      a.is_private = is_private;
      if (!is_private)
        if (const auto country = country_from_ieee_address(a.address)) a.country = std::string(*country);
      prefixes.emplace(*value, registry.assignments_.size());
      registry.assignments_.push_back(std::move(a));
    }
  }
};

std::variant<OuiRegistry, RegistryError> OuiRegistry::load(const std::filesystem::path& directory) {
  return RegistryLoader::load(directory);
}

MacLookup OuiRegistry::lookup(std::span<const std::uint8_t, 6> mac) const {
  MacLookup result;
  result.multicast = (mac[0] & 0x01) != 0;
  result.locally_administered = (mac[0] & 0x02) != 0;
  result.broadcast = std::all_of(mac.begin(), mac.end(), [](std::uint8_t b) { return b == 0xFF; });
  if (result.multicast || result.locally_administered) return result;

  std::uint64_t value = 0;
  for (std::uint8_t b : mac) value = (value << 8) | b;
  const std::pair<const std::unordered_map<std::uint64_t, std::size_t>*, int> probes[] = {
      {&by_36_, 12}, {&by_28_, 20}, {&by_24_, 24}};
  for (const auto& [map, shift] : probes) {
    if (const auto it = map->find(value >> shift); it != map->end()) {
      result.assignment = assignments_[it->second];
      break;
    }
  }
  return result;
}

std::optional<MacLookup> OuiRegistry::lookup(std::string_view mac_text) const {
  const auto mac = parse_mac(mac_text);
  if (!mac) return std::nullopt;
  return lookup(std::span<const std::uint8_t, 6>(*mac));
}

std::size_t OuiRegistry::bad_rows() const {
  std::size_t total = 0;
  for (const auto& f : version_.files) total += f.bad_rows;
  return total;
}

}  // namespace herkomst::fingerprints
