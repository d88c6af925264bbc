// ISO 3166-1 alpha-2 country codes, and the registrant country of an IEEE registry address.
//
// The code list is the data file fingerprints/data/iso3166-1-alpha2.tsv (its header names the
// source and date). The build embeds it into the library (fingerprints/data/embed_text.cmake),
// so nothing is read from disk at run time; the tsv stays the single source of truth. Only the
// 249 officially assigned codes are in it: "YU", "UK", "EU", "XK" are not countries here.
//
// The IEEE registry CSVs (oui.csv, mam.csv, oui36.csv, iab.csv) keep the registrant's address as
// one column, the fields "street city state country postcode" joined by single spaces and ended
// by one space, e.g.
//
//     "2181 Buchanan Loop Ferndale WA US 98248 "
//     "Polbina st., 3/1 Moscow  RU 109388 "             (empty state)
//     "300 Applewood Crescent Concord Ontario CA L4K 5C7 "
//     " Goleta CA US  "                                  (empty postcode: ends in two spaces)
//
// country_from_ieee_address() finds the country field:
//
//   1. Candidates are whitespace-separated tokens that are exactly two ASCII upper-case letters
//      and an assigned ISO 3166-1 alpha-2 code ("CA", "DE", "IN" are codes too: US states and
//      German Länder abbreviations collide with country codes).
//   2. The rightmost candidate wins: the country comes after the state, so scanning from the end
//      gets "US" in "San Jose CA US 95134".
//   3. Except when that candidate is the very last token of an address whose postcode is not
//      empty (the field does not end in two blanks): then it is part of the postcode or a
//      region written after the country ("NL 5656 AE", "HK NA", "CH SG", "IT 10077 TO"). If an
//      earlier candidate stands at most two tokens before it, with only tokens containing a
//      digit in between, that earlier candidate is the country.
//
// Measured over every row of Debian ieee-data 2022-08-27 (tests/fingerprints): the rule yields a
// country for 99.8% of non-Private rows, and agrees with the country line of the IEEE's own
// .txt export of the same registries for 99.9% of rows (the rest are rows whose address itself
// is ambiguous, like "San Diego California US CA 92122" or "Sunnyvale CA  94089" with no country).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace herkomst::fingerprints {

struct Country {
  std::string_view code;  // "DE"
  std::string_view name;  // "Germany" (ISO English short name)
};

// Every assigned code, sorted by code. Views into static storage.
std::span<const Country> iso3166_countries();

// The comment lines at the head of the tsv (source URL and date), '#' and blank removed,
// joined by '\n': what a scan records to say which code list it used.
std::string_view iso3166_source();

// True for an officially assigned ISO 3166-1 alpha-2 code, exactly two upper-case letters.
bool is_iso3166_alpha2(std::string_view code);

// "DE" -> "Germany"; nullopt for a code that is not assigned.
std::optional<std::string_view> country_name(std::string_view code);

// The registrant country in an IEEE registry address column, by the rule above; nullopt when no
// token qualifies. The view points into iso3166_countries() (static storage), never into
// `address`.
std::optional<std::string_view> country_from_ieee_address(std::string_view address);

}  // namespace herkomst::fingerprints
