#include "origins/gleif_import.hpp"

#include "origins/gleif_reader.hpp"

namespace herkomst::origins {
namespace {

// Thrown out of the store's transaction to roll it back.
struct ImportFailed {
  std::string message;
};

constexpr std::uint64_t kProgressEvery = 100000;

void check(const GleifReadResult& result) {
  if (!result.ok()) throw ImportFailed{result.errors.front()};
}

void tick(const GleifProgress& progress, const std::filesystem::path& file, std::uint64_t rows) {
  if (progress && rows % kProgressEvery == 0) progress(file, rows);
}

}  // namespace

std::variant<GleifImportSummary, std::string> import_gleif(Store& store, const GleifFiles& files,
                                                           const GleifProgress& progress) {
  if (files.level1.empty()) return std::string("a GLEIF import needs the Level 1 (LEI-CDF) file");
  GleifImportSummary summary;
  try {
    store.replace_gleif([&](Store::GleifWriter& w) {
      check(read_gleif_level1(files.level1, [&](const GleifEntity& e) {
        w.entity(e.lei, e.legal_name, e.legal_country, e.hq_country, e.jurisdiction, e.entity_status,
                 e.registration_status);
        tick(progress, files.level1, ++summary.entities);
        return true;
      }));
      if (progress) progress(files.level1, summary.entities);
      if (!files.relationships.empty()) {
        const auto result = read_gleif_relationships(files.relationships, [&](const GleifRelationship& r) {
          w.relationship(r.child_lei, r.parent_lei, to_string(r.type), r.status, r.start_date, r.end_date);
          tick(progress, files.relationships, ++summary.relationships);
          return true;
        });
        check(result);
        summary.relationships_skipped = result.skipped;
        if (progress) progress(files.relationships, summary.relationships);
      }
      if (!files.exceptions.empty()) {
        check(read_gleif_exceptions(files.exceptions, [&](const GleifException& x) {
          w.exception(x.lei, x.category, x.reason);
          tick(progress, files.exceptions, ++summary.exceptions);
          return true;
        }));
        if (progress) progress(files.exceptions, summary.exceptions);
      }
      summary.version = "GLEIF golden copy: " + files.level1.filename().string() + " (" +
                        std::to_string(summary.entities) + " entities)";
      if (!files.relationships.empty())
        summary.version += ", " + files.relationships.filename().string() + " (" +
                           std::to_string(summary.relationships) + " relationships)";
      if (!files.exceptions.empty())
        summary.version += ", " + files.exceptions.filename().string() + " (" + std::to_string(summary.exceptions) +
                           " exceptions)";
      return summary.version;
    });
  } catch (const ImportFailed& e) {
    return e.message + " (nothing imported; the store keeps its earlier GLEIF data)";
  } catch (const StoreError& e) {
    return std::string(e.what()) + " (nothing imported)";
  }
  return summary;
}

}  // namespace herkomst::origins
