// Dates as the knowledge base's sources give them: a day, a month or only a year.
//
// "2017" means some time in 2017: it begins on 2017-01-01 and ends on 2017-12-31. A relation
// valid from "2017" is certain from the end of 2017 (latest()) and possible from its start
// (earliest()); the control walk takes a relation as valid on a day when the day is on or after
// valid_from's earliest() and before valid_to's earliest() (see control.hpp).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace herkomst::origins {

struct Day {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const Day&) const = default;
  std::string str() const;  // YYYY-MM-DD
};

struct PartialDate {
  int year = 0;
  int month = 0;  // 0 when only the year is known
  int day = 0;    // 0 when only year (and month) are known

  // Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (years 1800..2200, real calendar days).
  static std::optional<PartialDate> parse(std::string_view text);
  Day earliest() const;  // first day of the period
  Day latest() const;    // last day of the period
  std::string str() const;  // as written: "2017", "2017-03", "2017-03-05"
  auto operator<=>(const PartialDate&) const = default;
};

// "YYYY-MM-DD" only.
std::optional<Day> parse_day(std::string_view text);

}  // namespace herkomst::origins
