#include "cli/knowledge.hpp"

#include <ctime>

namespace herkomst::cli {
namespace {

std::vector<Store::KbRow> rows_of(const std::vector<origins::TableRows>& tables) {
  std::vector<Store::KbRow> out;
  for (const auto& t : tables)
    for (const auto& [line, cells] : t.rows) out.push_back({t.table, t.file, static_cast<std::int64_t>(line), cells});
  return out;
}

// Consecutive rows of one file and table become one TableRows.
std::vector<origins::TableRows> tables_of(const std::vector<Store::KbRow>& rows) {
  std::vector<origins::TableRows> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().file != r.file || out.back().table != r.table)
      out.push_back({r.table, r.file, {}});
    out.back().rows.emplace_back(static_cast<std::size_t>(r.line), r.cells);
  }
  return out;
}

}  // namespace

std::variant<LoadedKnowledge, std::string> load_knowledge(Store& store) {
  auto builtin_tables = origins::read_data_files(origins::builtin_data_files());
  if (auto* e = std::get_if<origins::LoadError>(&builtin_tables)) return "built-in knowledge base: " + e->message;
  const auto& tables = std::get<std::vector<origins::TableRows>>(builtin_tables);
  auto builtin = origins::load_knowledge_base(tables);
  if (auto* e = std::get_if<origins::LoadError>(&builtin)) return "built-in knowledge base: " + e->message;
  store.sync_builtin_kb(std::get<origins::KnowledgeBase>(builtin).version(), rows_of(tables));

  const auto imports = store.kb_imports();
  if (imports.empty()) {
    std::string version = std::get<origins::KnowledgeBase>(builtin).version();
    return LoadedKnowledge{std::get<origins::KnowledgeBase>(std::move(builtin)), std::move(version)};
  }
  auto all = tables;
  for (auto& t : tables_of(store.kb_import_rows())) all.push_back(std::move(t));
  auto combined = origins::load_knowledge_base(all);
  if (auto* e = std::get_if<origins::LoadError>(&combined))
    return "knowledge base with the imports in " + store.path().string() + ": " + e->message;
  auto& kb = std::get<origins::KnowledgeBase>(combined);
  std::string version = kb.version() + "; " + std::to_string(imports.size()) + " import(s), the last " +
                        imports.back().file + " at " + imports.back().imported_at;
  return LoadedKnowledge{std::move(kb), std::move(version)};
}

origins::Day today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace herkomst::cli
