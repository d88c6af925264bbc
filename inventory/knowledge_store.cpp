// Store: the knowledge base's rows and imports, and the GLEIF golden copy (schema version 4).
#include <nlohmann/json.hpp>

#include "inventory/sqlite_handles.hpp"
#include "inventory/store.hpp"

namespace herkomst {
namespace {

using namespace store_detail;
using nlohmann::json;

std::string cells_json(const std::vector<std::string>& cells) {
  json j = json::array();
  for (const auto& c : cells) j.push_back(c);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string read_meta(const Connection& c, std::string_view key) {
  Statement q(c, "SELECT value FROM meta WHERE key = ?");
  q.bind_text(1, key);
  return q.step() ? q.text(0) : std::string();
}

void write_meta(const Connection& c, std::string_view key, std::string_view value) {
  Statement put(c, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  put.bind_text(1, key);
  put.bind_text(2, value);
  put.execute();
}

class Writer final : public Store::GleifWriter {
 public:
  explicit Writer(const Connection& c)
      : entity_(c, "INSERT OR REPLACE INTO gleif_entities VALUES (?, ?, ?, ?, ?, ?, ?)"),
        relationship_(c, "INSERT OR REPLACE INTO gleif_relationships VALUES (?, ?, ?, ?, ?, ?)"),
        exception_(c, "INSERT OR REPLACE INTO gleif_exceptions VALUES (?, ?, ?)") {}
  void entity(std::string_view lei, std::string_view legal_name, std::string_view legal_country,
              std::string_view hq_country, std::string_view jurisdiction, std::string_view entity_status,
              std::string_view registration_status) override {
    int i = 1;
    for (auto v : {lei, legal_name, legal_country, hq_country, jurisdiction, entity_status, registration_status})
      entity_.bind_text(i++, v);
    entity_.execute();
  }
  void relationship(std::string_view child_lei, std::string_view parent_lei, std::string_view type,
                    std::string_view status, std::string_view start_date, std::string_view end_date) override {
    int i = 1;
    for (auto v : {child_lei, parent_lei, type, status, start_date, end_date}) relationship_.bind_text(i++, v);
    relationship_.execute();
  }
  void exception(std::string_view lei, std::string_view category, std::string_view reason) override {
    int i = 1;
    for (auto v : {lei, category, reason}) exception_.bind_text(i++, v);
    exception_.execute();
  }

 private:
  Statement entity_, relationship_, exception_;
};

}  // namespace

bool Store::sync_builtin_kb(std::string_view version, const std::vector<KbRow>& rows) {
  const Connection& c = impl().connection;
  return guarded(c, "storing the built-in knowledge base", [&] {
    if (read_meta(c, "kb_builtin_version") == version) return false;
    Transaction t(c);
    if (read_meta(c, "kb_builtin_version") == version) return false;  // another process did it
    c.exec("DELETE FROM kb_rows WHERE import_id IS NULL");
    Statement insert(c, "INSERT INTO kb_rows (import_id, table_name, file, line, cells) VALUES (NULL, ?, ?, ?, ?)");
    for (const auto& r : rows) {
      const std::string cells = cells_json(r.cells);
      insert.bind_text(1, r.table);
      insert.bind_text(2, r.file);
      insert.bind_int64(3, r.line);
      insert.bind_text(4, cells);
      insert.execute();
    }
    write_meta(c, "kb_builtin_version", version);
    t.commit();
    return true;
  });
}

std::int64_t Store::add_kb_import(std::string_view file, const std::vector<KbRow>& rows) {
  const Connection& c = impl().connection;
  return guarded(c, "storing a knowledge base import", [&] {
    Transaction t(c);
    Statement add(c, "INSERT INTO kb_imports (file, imported_at, row_count) VALUES (?, ?, ?)");
    const std::string when = utc_now_iso();
    add.bind_text(1, file);
    add.bind_text(2, when);
    add.bind_int64(3, static_cast<std::int64_t>(rows.size()));
    add.execute();
    const std::int64_t id = c.last_insert_id();
    Statement insert(c, "INSERT INTO kb_rows (import_id, table_name, file, line, cells) VALUES (?, ?, ?, ?, ?)");
    for (const auto& r : rows) {
      const std::string cells = cells_json(r.cells);
      insert.bind_int64(1, id);
      insert.bind_text(2, r.table);
      insert.bind_text(3, r.file);
      insert.bind_int64(4, r.line);
      insert.bind_text(5, cells);
      insert.execute();
    }
    t.commit();
    return id;
  });
}

std::vector<Store::KbImport> Store::kb_imports() const {
  const Connection& c = impl().connection;
  return guarded(c, "listing knowledge base imports", [&] {
    std::vector<KbImport> out;
    Statement q(c, "SELECT id, file, imported_at, row_count FROM kb_imports ORDER BY id");
    while (q.step()) out.push_back({q.int64(0), q.text(1), q.text(2), q.int64(3)});
    return out;
  });
}

std::vector<Store::KbRow> Store::kb_import_rows() const {
  const Connection& c = impl().connection;
  return guarded(c, "reading knowledge base imports", [&] {
    std::vector<KbRow> out;
    Statement q(c,
                "SELECT table_name, file, line, cells FROM kb_rows WHERE import_id IS NOT NULL "
                "ORDER BY import_id, rowid");
    while (q.step()) {
      KbRow r{q.text(0), q.text(1), q.int64(2), {}};
      for (const auto& cell : json::parse(q.text(3))) r.cells.push_back(cell.get<std::string>());
      out.push_back(std::move(r));
    }
    return out;
  });
}

void Store::replace_gleif(std::string_view version, const std::function<void(GleifWriter&)>& fill) {
  replace_gleif([&](GleifWriter& w) {
    fill(w);
    return std::string(version);
  });
}

void Store::replace_gleif(const std::function<std::string(GleifWriter&)>& fill) {
  const Connection& c = impl().connection;
  guarded(c, "importing GLEIF data", [&] {
    Transaction t(c);
    c.exec("DELETE FROM gleif_entities; DELETE FROM gleif_relationships; DELETE FROM gleif_exceptions;");
    std::string version;
    {
      Writer w(c);
      version = fill(w);
    }
    write_meta(c, "gleif_version", version);
    t.commit();
  });
}

std::optional<Store::GleifEntity> Store::gleif_entity(std::string_view lei) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading GLEIF data", [&]() -> std::optional<GleifEntity> {
    Statement q(c, "SELECT lei, legal_name, legal_country, hq_country, jurisdiction, entity_status, "
                   "registration_status FROM gleif_entities WHERE lei = ?");
    q.bind_text(1, lei);
    if (!q.step()) return std::nullopt;
    return GleifEntity{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)};
  });
}

std::vector<Store::GleifParent> Store::gleif_parents(std::string_view child_lei) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading GLEIF data", [&] {
    std::vector<GleifParent> out;
    Statement q(c, "SELECT parent_lei, type, status, start_date, end_date FROM gleif_relationships "
                   "WHERE child_lei = ? ORDER BY type, parent_lei");
    q.bind_text(1, child_lei);
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)});
    return out;
  });
}

std::map<std::string, std::int64_t> Store::gleif_counts() const {
  const Connection& c = impl().connection;
  return guarded(c, "counting GLEIF data", [&] {
    std::map<std::string, std::int64_t> out;
    for (const auto& [name, table] : {std::pair{"entities", "gleif_entities"},
                                      {"relationships", "gleif_relationships"},
                                      {"exceptions", "gleif_exceptions"}}) {
      Statement q(c, std::string("SELECT count(*) FROM ") + table);
      out[name] = q.step() ? q.int64(0) : 0;
    }
    return out;
  });
}

std::string Store::meta(std::string_view key) const {
  const Connection& c = impl().connection;
  return guarded(c, "reading meta", [&] { return read_meta(c, key); });
}

}  // namespace herkomst
