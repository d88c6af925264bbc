#include "origins/gleif_reader.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <istream>
#include <optional>
#include <utility>

#include "origins/tsv_table.hpp"  // valid_utf8

namespace herkomst::origins {
namespace {

constexpr std::size_t kMaxCodeBytes = 64;

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// A value for an error message: quoted, at most 40 bytes, control bytes shown as '?'.
std::string shown(std::string_view value) {
  std::string out = "\"";
  const std::size_t n = std::min<std::size_t>(value.size(), 40);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : value[i];
  }
  if (value.size() > n) out += "...";
  out += '"';
  return out;
}

bool valid_country(std::string_view v) { return v.empty() || (v.size() == 2 && upper(v[0]) && upper(v[1])); }

// ISO 3166-1 alpha-2, or an ISO 3166-2 subdivision: alpha-2, '-', 1 to 3 of A-Z 0-9.
bool valid_jurisdiction(std::string_view v) {
  if (v.size() == 2 || v.empty()) return valid_country(v);
  if (v.size() < 4 || v.size() > 6 || !upper(v[0]) || !upper(v[1]) || v[2] != '-') return false;
  return std::all_of(v.begin() + 3, v.end(), [](char c) { return upper(c) || digit(c); });
}

bool valid_code(std::string_view v) {
  return v.size() <= kMaxCodeBytes &&
         std::all_of(v.begin(), v.end(), [](char c) { return upper(c) || digit(c) || c == '_' || c == '-'; });
}

int number(std::string_view digits) {
  int out = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return out;
}

// An ISO 8601 date (optionally with time and zone): the YYYY-MM-DD part, or nullopt.
std::optional<std::string_view> iso_day(std::string_view v) {
  if (v.size() < 10) return std::nullopt;
  for (std::size_t i = 0; i < 10; ++i) {
    if ((i == 4 || i == 7) ? v[i] != '-' : !digit(v[i])) return std::nullopt;
  }
  const int year = number(v.substr(0, 4));
  const int month = number(v.substr(5, 2));
  const int day = number(v.substr(8, 2));
  if (year < 1 || month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  if (day > days) return std::nullopt;
  const std::string_view rest = v.substr(10);
  if (!rest.empty()) {
    // "T12:00:00", "T12:00:00.000Z", "T01:00:00+01:00", or a bare zone ("Z", "+01:00").
    if (rest[0] != 'T' && rest[0] != 'Z' && rest[0] != '+' && rest[0] != '-') return std::nullopt;
    if (rest.size() > 32) return std::nullopt;
    const bool ok = std::all_of(rest.begin() + 1, rest.end(), [](char c) {
      return digit(c) || c == ':' || c == '.' || c == '+' || c == '-' || c == 'Z';
    });
    if (!ok) return std::nullopt;
  }
  return v.substr(0, 10);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// Checks one row's fields; the first problem found is the row's error.
class RowCheck {
 public:
  RowCheck(const std::string& file, std::uint64_t line) : file_(file), line_(line) {}

  bool failed() const { return !error_.empty(); }
  std::string take_error() { return std::move(error_); }

  void lei(std::string_view column, std::string_view value, std::string& out) {
    if (failed()) return;
    if (value.size() != 20 || !std::all_of(value.begin(), value.end(), [](char c) { return upper(c) || digit(c); }) ||
        !digit(value[18]) || !digit(value[19])) {
      fail(column, shown(value) + " is not an LEI (20 characters A-Z 0-9, the last two digits)");
      return;
    }
    if (!valid_lei(value)) {
      fail(column, "the check digits of " + shown(value) + " do not hold (ISO 17442: mod 97 must be 1)");
      return;
    }
    out.assign(value);
  }
  void country(std::string_view column, std::string_view value, std::string& out) {
    if (failed()) return;
    if (!valid_country(value)) return fail(column, shown(value) + " is not an ISO 3166-1 alpha-2 country code");
    out.assign(value);
  }
  void jurisdiction(std::string_view column, std::string_view value, std::string& out) {
    if (failed()) return;
    if (!valid_jurisdiction(value)) {
      return fail(column, shown(value) + " is not an ISO 3166-1 alpha-2 or ISO 3166-2 code");
    }
    out.assign(value);
  }
  void code(std::string_view column, std::string_view value, std::string& out, bool required) {
    if (failed()) return;
    if (required && value.empty()) return fail(column, "empty");
    if (!valid_code(value)) {
      return fail(column, shown(value) + " is not a code word (A-Z 0-9 _ -, at most 64 bytes)");
    }
    out.assign(value);
  }
  void text(std::string_view column, std::string_view value, std::string& out) {
    if (failed()) return;
    if (value.empty()) return fail(column, "empty");
    if (!valid_utf8(value)) return fail(column, "not valid UTF-8");
    out.assign(value);
  }
  void date(std::string_view column, std::string_view value, std::string& out) {
    if (failed()) return;
    if (value.empty()) {
      out.clear();
      return;
    }
    const auto day = iso_day(value);
    if (!day) return fail(column, shown(value) + " is not an ISO 8601 date (YYYY-MM-DD, optionally with a time)");
    out.assign(*day);
  }

 private:
  void fail(std::string_view column, const std::string& what) {
    error_ = file_ + ":" + std::to_string(line_) + ": ";
    error_.append(column);
    error_ += ": " + what;
  }
  const std::string& file_;
  std::uint64_t line_;
  std::string error_;
};

// Finds the columns a reader needs. Each wanted column has one or more accepted spellings.
class Columns {
 public:
  explicit Columns(const CsvReader& reader) : reader_(reader) {}

  std::size_t required(std::initializer_list<std::string_view> names) {
    if (const auto found = find(names)) return *found;
    missing_.emplace_back(*names.begin());
    return 0;
  }
  std::optional<std::size_t> optional(std::initializer_list<std::string_view> names) { return find(names); }

  // The error for missing or repeated columns, or "" when all is well.
  std::string error(std::string_view kind) const {
    std::string prefix = reader_.name() + ":" + std::to_string(reader_.header_line()) + ": ";
    if (!repeated_.empty()) return prefix + "column named twice in the header: " + join(repeated_);
    if (missing_.empty()) return {};
    std::string out = prefix + (missing_.size() == 1 ? "missing column " : "missing columns ") + join(missing_) +
                      " (columns are found by their header names; is this a GLEIF golden-copy " +
                      std::string(kind) + " file?";
    const std::string_view looks = looks_like();
    if (!looks.empty() && looks != kind) out += " It looks like a " + std::string(looks) + " file.";
    out += ")";
    return out;
  }

 private:
  std::optional<std::size_t> find(std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
      const auto& header = reader_.header();
      const auto count = std::count(header.begin(), header.end(), name);
      if (count > 1) repeated_.emplace_back(name);
      if (count > 0) return reader_.column(name);
    }
    return std::nullopt;
  }
  std::string_view looks_like() const {
    if (reader_.column("Relationship.StartNode.NodeID")) return "relationship (RR-CDF)";
    if (reader_.column("Exception.Category") || reader_.column("ExceptionCategory")) return "reporting exceptions";
    if (reader_.column("Entity.LegalName")) return "Level 1 (LEI-CDF)";
    return {};
  }

  const CsvReader& reader_;
  std::vector<std::string> missing_;
  std::vector<std::string> repeated_;
};

// The loop shared by the three readers. `parse(record, row, skip)` fills `row` and returns ""
// when the row is valid (setting `skip` when it is valid but not to be handed over), or the
// row's error.
template <typename Row, typename Parse, typename Callback>
GleifReadResult drive(CsvReader& reader, const GleifReadOptions& options, Parse&& parse, const Callback& callback) {
  GleifReadResult result;
  const std::size_t max_errors = std::max<std::size_t>(options.max_errors, 1);
  Row row;
  while (reader.next() == CsvNext::record) {
    ++result.rows;
    bool skip = false;
    std::string error = parse(reader.record(), row, skip);
    if (!error.empty()) {
      result.errors.push_back(std::move(error));
      if (result.errors.size() >= max_errors) return result;
      continue;
    }
    if (skip) {
      ++result.skipped;
      continue;
    }
    if (!result.errors.empty()) continue;  // nothing is handed over after an error
    row.line = reader.record().line();
    ++result.delivered;
    if (!callback(row)) {
      result.stopped_by_callback = true;
      return result;
    }
  }
  if (reader.failed()) result.errors.push_back(reader.error().message);
  return result;
}

CsvOptions csv_options(const GleifReadOptions& options) {
  CsvOptions out;
  out.limits = options.limits;
  out.header = true;
  out.chunk_bytes = options.chunk_bytes;
  return out;
}

GleifReadResult failed(std::string message) {
  GleifReadResult result;
  result.errors.push_back(std::move(message));
  return result;
}

GleifReadResult level1(CsvReader& reader, const std::function<bool(const GleifEntity&)>& callback,
                       const GleifReadOptions& options) {
  if (reader.failed()) return failed(reader.error().message);
  Columns columns(reader);
  const std::size_t lei = columns.required({"LEI"});
  const std::size_t name = columns.required({"Entity.LegalName"});
  const std::size_t legal_country = columns.required({"Entity.LegalAddress.Country"});
  const std::size_t hq_country = columns.required({"Entity.HeadquartersAddress.Country"});
  const std::size_t jurisdiction = columns.required({"Entity.LegalJurisdiction"});
  const std::size_t entity_status = columns.required({"Entity.EntityStatus"});
  const std::size_t registration_status = columns.required({"Registration.RegistrationStatus"});
  if (auto error = columns.error("Level 1 (LEI-CDF)"); !error.empty()) return failed(std::move(error));
  const std::string& file = reader.name();
  return drive<GleifEntity>(
      reader, options,
      [&](const CsvRecord& r, GleifEntity& row, bool&) {
        RowCheck check(file, r.line());
        check.lei("LEI", r[lei], row.lei);
        check.text("Entity.LegalName", r[name], row.legal_name);
        check.country("Entity.LegalAddress.Country", r[legal_country], row.legal_country);
        check.country("Entity.HeadquartersAddress.Country", r[hq_country], row.hq_country);
        check.jurisdiction("Entity.LegalJurisdiction", r[jurisdiction], row.jurisdiction);
        check.code("Entity.EntityStatus", r[entity_status], row.entity_status, true);
        check.code("Registration.RegistrationStatus", r[registration_status], row.registration_status, true);
        return check.take_error();
      },
      callback);
}

struct PeriodColumns {
  int number = 0;
  std::optional<std::size_t> start, end, type;
};

// Relationship.Period.N.startDate / endDate / periodType, by N.
std::vector<PeriodColumns> period_columns(const CsvReader& reader) {
  constexpr std::string_view prefix = "Relationship.Period.";
  std::vector<PeriodColumns> out;
  const auto& header = reader.header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string_view name = header[i];
    if (!name.starts_with(prefix)) continue;
    name.remove_prefix(prefix.size());
    const auto dot = name.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 3) continue;
    const std::string_view digits = name.substr(0, dot);
    if (!std::all_of(digits.begin(), digits.end(), digit)) continue;
    const int n = number(digits);
    const std::string_view field = name.substr(dot + 1);
    auto it = std::find_if(out.begin(), out.end(), [n](const PeriodColumns& p) { return p.number == n; });
    if (it == out.end()) {
      out.push_back(PeriodColumns{n, {}, {}, {}});
      it = out.end() - 1;
    }
    if (field == "startDate" && !it->start) it->start = i;
    if (field == "endDate" && !it->end) it->end = i;
    if (field == "periodType" && !it->type) it->type = i;
  }
  std::sort(out.begin(), out.end(), [](const PeriodColumns& a, const PeriodColumns& b) { return a.number < b.number; });
  return out;
}

GleifRelationshipType relationship_type(std::string_view text) {
  if (text == "IS_DIRECTLY_CONSOLIDATED_BY") return GleifRelationshipType::direct;
  if (text == "IS_ULTIMATELY_CONSOLIDATED_BY") return GleifRelationshipType::ultimate;
  if (text == "IS_INTERNATIONAL_BRANCH_OF") return GleifRelationshipType::branch;
  return GleifRelationshipType::other;
}

GleifReadResult relationships(CsvReader& reader, const std::function<bool(const GleifRelationship&)>& callback,
                              const GleifReadOptions& options) {
  if (reader.failed()) return failed(reader.error().message);
  Columns columns(reader);
  const std::size_t child = columns.required({"Relationship.StartNode.NodeID"});
  const std::size_t parent = columns.required({"Relationship.EndNode.NodeID"});
  const std::size_t type = columns.required({"Relationship.RelationshipType"});
  const std::size_t status = columns.required({"Relationship.RelationshipStatus"});
  const std::size_t registration_status = columns.required({"Registration.RegistrationStatus"});
  const auto child_type = columns.optional({"Relationship.StartNode.NodeIDType"});
  const auto parent_type = columns.optional({"Relationship.EndNode.NodeIDType"});
  if (auto error = columns.error("relationship (RR-CDF)"); !error.empty()) return failed(std::move(error));
  const std::vector<PeriodColumns> periods = period_columns(reader);
  const bool typed_periods =
      std::any_of(periods.begin(), periods.end(), [](const PeriodColumns& p) { return p.type.has_value(); });
  const std::string& file = reader.name();
  const auto not_lei = [](const CsvRecord& r, const std::optional<std::size_t>& column) {
    if (!column) return false;
    const std::string_view v = r[*column];
    return !v.empty() && v != "LEI";
  };
  // Column names for error messages, built once.
  std::vector<std::pair<std::string, std::string>> period_names;
  for (const auto& p : periods) {
    const std::string base = "Relationship.Period." + std::to_string(p.number) + ".";
    period_names.emplace_back(base + "startDate", base + "endDate");
  }
  return drive<GleifRelationship>(
      reader, options,
      [&](const CsvRecord& r, GleifRelationship& row, bool& skip) {
        if (not_lei(r, child_type) || not_lei(r, parent_type)) {
          skip = true;
          return std::string();
        }
        RowCheck check(file, r.line());
        check.lei("Relationship.StartNode.NodeID", r[child], row.child_lei);
        check.lei("Relationship.EndNode.NodeID", r[parent], row.parent_lei);
        check.code("Relationship.RelationshipType", r[type], row.type_text, true);
        check.code("Relationship.RelationshipStatus", r[status], row.status, true);
        check.code("Registration.RegistrationStatus", r[registration_status], row.registration_status, true);
        row.type = relationship_type(row.type_text);
        row.start_date.clear();
        row.end_date.clear();
        for (std::size_t i = 0; i < periods.size(); ++i) {
          const PeriodColumns& p = periods[i];
          if (typed_periods && (!p.type || r[*p.type] != "RELATIONSHIP_PERIOD")) continue;
          if (p.start) check.date(period_names[i].first, r[*p.start], row.start_date);
          if (p.end) check.date(period_names[i].second, r[*p.end], row.end_date);
          break;
        }
        return check.take_error();
      },
      callback);
}

GleifReadResult exceptions(CsvReader& reader, const std::function<bool(const GleifException&)>& callback,
                           const GleifReadOptions& options) {
  if (reader.failed()) return failed(reader.error().message);
  Columns columns(reader);
  const std::size_t lei = columns.required({"LEI"});
  const std::size_t category = columns.required({"Exception.Category", "ExceptionCategory"});
  const std::size_t reason =
      columns.required({"Exception.Reason.1", "ExceptionReason.1", "Exception.Reason", "ExceptionReason"});
  if (auto error = columns.error("reporting exceptions"); !error.empty()) return failed(std::move(error));
  const std::string& file = reader.name();
  const std::string category_name = reader.header()[category];
  const std::string reason_name = reader.header()[reason];
  return drive<GleifException>(
      reader, options,
      [&](const CsvRecord& r, GleifException& row, bool&) {
        RowCheck check(file, r.line());
        check.lei("LEI", r[lei], row.lei);
        check.code(category_name, r[category], row.category, true);
        check.code(reason_name, r[reason], row.reason, true);
        return check.take_error();
      },
      callback);
}

template <typename Row>
GleifReadResult from_path(const std::filesystem::path& path, const std::function<bool(const Row&)>& callback,
                          const GleifReadOptions& options,
                          GleifReadResult (*read)(CsvReader&, const std::function<bool(const Row&)>&,
                                                  const GleifReadOptions&)) {
  auto opened = open_csv_file(path, csv_options(options));
  if (auto* error = std::get_if<CsvError>(&opened)) return failed(std::move(error->message));
  return read(std::get<CsvReader>(opened), callback, options);
}

}  // namespace

std::string_view to_string(GleifRelationshipType type) {
  switch (type) {
    case GleifRelationshipType::direct: return "direct";
    case GleifRelationshipType::ultimate: return "ultimate";
    case GleifRelationshipType::branch: return "branch";
    case GleifRelationshipType::other: return "other";
  }
  return "other";
}

bool valid_lei(std::string_view text) {
  if (text.size() != 20 || !digit(text[18]) || !digit(text[19])) return false;
  // ISO 7064 MOD 97-10 over the whole code, letters A..Z as 10..35.
  unsigned remainder = 0;
  for (const char c : text) {
    if (digit(c)) {
      remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else if (upper(c)) {
      remainder = (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

GleifReadResult read_gleif_level1(const std::filesystem::path& path,
                                  const std::function<bool(const GleifEntity&)>& callback,
                                  const GleifReadOptions& options) {
  return from_path<GleifEntity>(path, callback, options, &level1);
}

GleifReadResult read_gleif_relationships(const std::filesystem::path& path,
                                         const std::function<bool(const GleifRelationship&)>& callback,
                                         const GleifReadOptions& options) {
  return from_path<GleifRelationship>(path, callback, options, &relationships);
}

GleifReadResult read_gleif_exceptions(const std::filesystem::path& path,
                                      const std::function<bool(const GleifException&)>& callback,
                                      const GleifReadOptions& options) {
  return from_path<GleifException>(path, callback, options, &exceptions);
}

GleifReadResult read_gleif_level1(std::istream& in, const std::string& name,
                                  const std::function<bool(const GleifEntity&)>& callback,
                                  const GleifReadOptions& options) {
  CsvReader reader(in, name, csv_options(options));
  return level1(reader, callback, options);
}

GleifReadResult read_gleif_relationships(std::istream& in, const std::string& name,
                                         const std::function<bool(const GleifRelationship&)>& callback,
                                         const GleifReadOptions& options) {
  CsvReader reader(in, name, csv_options(options));
  return relationships(reader, callback, options);
}

GleifReadResult read_gleif_exceptions(std::istream& in, const std::string& name,
                                      const std::function<bool(const GleifException&)>& callback,
                                      const GleifReadOptions& options) {
  CsvReader reader(in, name, csv_options(options));
  return exceptions(reader, callback, options);
}

}  // namespace herkomst::origins
