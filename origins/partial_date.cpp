#include "origins/partial_date.hpp"

#include <charconv>
#include <cstdio>

namespace herkomst::origins {
namespace {

std::optional<int> number(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

std::string format(int y, int m, int d) {
  char buf[16];
  if (m == 0) std::snprintf(buf, sizeof buf, "%04d", y);
  else if (d == 0) std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::string Day::str() const { return format(year, month, day); }

std::optional<PartialDate> PartialDate::parse(std::string_view text) {
  PartialDate d;
  const auto y = number(text.substr(0, 4), 4);
  if (!y || *y < 1800 || *y > 2200) return std::nullopt;
  d.year = *y;
  if (text.size() == 4) return d;
  if (text.size() < 7 || text[4] != '-') return std::nullopt;
  const auto m = number(text.substr(5, 2), 2);
  if (!m || *m < 1 || *m > 12) return std::nullopt;
  d.month = *m;
  if (text.size() == 7) return d;
  if (text.size() != 10 || text[7] != '-') return std::nullopt;
  const auto day = number(text.substr(8, 2), 2);
  if (!day || *day < 1 || *day > days_in(d.year, d.month)) return std::nullopt;
  d.day = *day;
  return d;
}

Day PartialDate::earliest() const { return {year, month == 0 ? 1 : month, day == 0 ? 1 : day}; }

Day PartialDate::latest() const {
  const int m = month == 0 ? 12 : month;
  return {year, m, day == 0 ? days_in(year, m) : day};
}

std::string PartialDate::str() const { return format(year, month, day); }

std::optional<Day> parse_day(std::string_view text) {
  const auto d = PartialDate::parse(text);
  if (!d || d->day == 0) return std::nullopt;
  return d->earliest();
}

}  // namespace herkomst::origins
