// Streaming readers for the GLEIF golden-copy CSV files (CC0): Level 1 LEI records ("who is
// who"), Level 2 relationship records ("who owns whom") and Level 2 reporting exceptions (why
// a parent is not reported). Pure parsing: each valid row is handed to a callback as a value;
// storing them is the caller's business (the import into the store is atomic there).
//
// Where the column names come from (looked up 2026-11-28, see docs/gleif.md):
//   - GLEIF Golden Copy download page, https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy
//     (three files: "LEI-CDF" Level 1, "RR-CDF" Level 2 relationships, Level 2 reporting
//     exceptions; GLEIF ships each as a .zip holding one .csv).
//   - The formats the files follow: LEI-CDF 3.1
//     (https://www.gleif.org/en/about-lei/common-data-file-format/lei-cdf-format), RR-CDF 2.1
//     (https://www.gleif.org/en/about-lei/common-data-file-format/relationship-record-cdf-format)
//     and Reporting Exceptions 2.1 (https://www.gleif.org/content/2_about-lei/7_common-data-file-format/
//     1_current-versions/3_level-2-data-reporting-exceptions-2-1-format/, format documentation).
//     GLEIF's sample golden-copy CSV files are linked from
//     https://www.gleif.org/en/about-lei/common-data-file-format/current-versions/supporting-documents
//     The golden-copy CSV header names each XML element by its path, joined with '.', repeated
//     elements numbered from 1: "Entity.LegalAddress.Country", "Relationship.Period.2.startDate",
//     "Exception.Reason.1".
//   - The exact header spellings used here were cross-checked against several independent
//     public programs that read the golden-copy CSVs (2026-11-28); GLEIF's own CSV column list was
//     not available to read in full. Hence the readers locate columns by header name, ignore
//     every column they do not use, accept the alternative spellings listed below, and fail
//     naming the missing column when a required one is absent.
//
// Columns read (required unless marked optional):
//   Level 1:       LEI, Entity.LegalName, Entity.LegalAddress.Country,
//                  Entity.HeadquartersAddress.Country, Entity.LegalJurisdiction,
//                  Entity.EntityStatus, Registration.RegistrationStatus
//   Relationships: Relationship.StartNode.NodeID (child), Relationship.EndNode.NodeID (parent),
//                  Relationship.RelationshipType, Relationship.RelationshipStatus,
//                  Registration.RegistrationStatus; optional: Relationship.StartNode.NodeIDType,
//                  Relationship.EndNode.NodeIDType, Relationship.Period.N.startDate /
//                  .endDate / .periodType for every N the header has
//   Exceptions:    LEI, Exception.Category (or ExceptionCategory), Exception.Reason.1 (or
//                  ExceptionReason.1, Exception.Reason, ExceptionReason)
//
// Validation of every row (a failure is an error "FILE:LINE: COLUMN: what"):
//   - an LEI is 20 characters A-Z 0-9, the last two digits, and its ISO 17442 check digits hold
//     (ISO 7064 MOD 97-10: letters as 10..35, the number mod 97 is 1);
//   - a country is ISO 3166-1 alpha-2 (two letters A-Z) or empty; the legal jurisdiction is
//     alpha-2 or an ISO 3166-2 subdivision ("US-DE") or empty;
//   - a date is ISO 8601 starting with a real calendar day YYYY-MM-DD, optionally followed by a
//     time ("2017-12-06T01:00:00+01:00"); only YYYY-MM-DD is kept; empty is allowed;
//   - status, type and category values are code words: A-Z 0-9 '_' '-', at most 64 bytes; the
//     required ones must not be empty; the legal name must not be empty and must be UTF-8.
//
// Relationships: type IS_DIRECTLY_CONSOLIDATED_BY -> direct, IS_ULTIMATELY_CONSOLIDATED_BY ->
// ultimate, IS_INTERNATIONAL_BRANCH_OF -> branch; any other code word (RR-CDF 2.1's fund
// relationships IS_FUND-MANAGED_BY, IS_SUBFUND_OF, IS_FEEDER_TO, or a later addition) -> other,
// with the text kept in type_text. start_date/end_date come from the first period whose
// periodType is RELATIONSHIP_PERIOD (a row may also carry ACCOUNTING_PERIOD and
// DOCUMENT_FILING_PERIOD periods, which are not the relationship's validity); when the header
// has no periodType columns, from Period.1. A node whose NodeIDType is present and not "LEI"
// (RR-CDF allows other node kinds) is not handed to the callback: it is counted in
// GleifReadResult::skipped.
//
// Errors: the readers stop at the first invalid row by default (the caller's import is atomic,
// so one error is enough to refuse the file). GleifReadOptions::max_errors > 1 makes them go on
// checking the rest of the file to report up to that many row errors in one run, but no row is
// handed to the callback after the first error. Errors in the CSV structure itself (a quote
// left open, an oversized field, a wrong field count; see csv_reader.hpp) always stop at once.
//
// Compressed input: GLEIF ships .zip files. herkomst reads the unzipped .csv; a .zip (or gzip)
// given by mistake is refused by its first bytes with an error saying to unzip it first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "origins/csv_reader.hpp"

namespace herkomst::origins {

struct GleifEntity {
  std::string lei;
  std::string legal_name;
  std::string legal_country;        // Entity.LegalAddress.Country, "" when not given
  std::string hq_country;           // Entity.HeadquartersAddress.Country, "" when not given
  std::string jurisdiction;         // Entity.LegalJurisdiction: "NL", "US-DE", or ""
  std::string entity_status;        // ACTIVE, INACTIVE, ...
  std::string registration_status;  // ISSUED, LAPSED, RETIRED, ...
  std::uint64_t line = 0;           // physical line of the row in the file
};

enum class GleifRelationshipType { direct, ultimate, branch, other };

struct GleifRelationship {
  std::string child_lei;   // Relationship.StartNode.NodeID
  std::string parent_lei;  // Relationship.EndNode.NodeID
  GleifRelationshipType type = GleifRelationshipType::other;
  std::string type_text;            // Relationship.RelationshipType as written
  std::string status;               // Relationship.RelationshipStatus: ACTIVE, INACTIVE
  std::string start_date;           // YYYY-MM-DD or ""
  std::string end_date;             // YYYY-MM-DD or ""
  std::string registration_status;  // Registration.RegistrationStatus: PUBLISHED, LAPSED, ...
  std::uint64_t line = 0;
};

struct GleifException {
  std::string lei;
  std::string category;  // DIRECT_ACCOUNTING_CONSOLIDATION_PARENT, ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT
  std::string reason;    // NATURAL_PERSONS, NON_CONSOLIDATING, NO_KNOWN_PERSON, NON_PUBLIC, ...
  std::uint64_t line = 0;
};

struct GleifReadOptions {
  std::size_t max_errors = 1;  // row errors to collect before stopping (at least 1)
  CsvLimits limits{64 * 1024, 1024 * 1024, 4096};
  std::size_t chunk_bytes = 1024 * 1024;  // read from the file at a time
};

struct GleifReadResult {
  std::vector<std::string> errors;  // empty when the whole file was read (or the callback stopped)
  std::uint64_t rows = 0;           // data rows parsed
  std::uint64_t delivered = 0;      // rows handed to the callback
  std::uint64_t skipped = 0;        // valid rows not handed over (relationships with non-LEI nodes)
  bool stopped_by_callback = false;
  bool ok() const { return errors.empty(); }
};

std::string_view to_string(GleifRelationshipType type);

// True when `text` is 20 characters A-Z 0-9 ending in two digits and the ISO 17442 check
// digits hold.
bool valid_lei(std::string_view text);

// The callbacks return true to go on, false to stop (the result then has stopped_by_callback).
GleifReadResult read_gleif_level1(const std::filesystem::path& path,
                                  const std::function<bool(const GleifEntity&)>& callback,
                                  const GleifReadOptions& options = {});
GleifReadResult read_gleif_relationships(const std::filesystem::path& path,
                                         const std::function<bool(const GleifRelationship&)>& callback,
                                         const GleifReadOptions& options = {});
GleifReadResult read_gleif_exceptions(const std::filesystem::path& path,
                                      const std::function<bool(const GleifException&)>& callback,
                                      const GleifReadOptions& options = {});

// The same, from a stream; `name` stands for the file in error messages.
GleifReadResult read_gleif_level1(std::istream& in, const std::string& name,
                                  const std::function<bool(const GleifEntity&)>& callback,
                                  const GleifReadOptions& options = {});
GleifReadResult read_gleif_relationships(std::istream& in, const std::string& name,
                                         const std::function<bool(const GleifRelationship&)>& callback,
                                         const GleifReadOptions& options = {});
GleifReadResult read_gleif_exceptions(std::istream& in, const std::string& name,
                                      const std::function<bool(const GleifException&)>& callback,
                                      const GleifReadOptions& options = {});

}  // namespace herkomst::origins
