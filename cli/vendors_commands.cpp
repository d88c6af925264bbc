#include "cli/vendors_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/knowledge.hpp"
#include "inventory/store.hpp"
#include "origins/analyst_file.hpp"
#include "origins/control.hpp"
#include "origins/gleif_import.hpp"
#include "origins/inventory_attribution.hpp"
#include "origins/resolver.hpp"
#include "origins/tsv_table.hpp"

namespace herkomst::cli {
namespace {

using nlohmann::ordered_json;
using namespace herkomst::origins;

std::string dump(const ordered_json& j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"; }

ordered_json fact_json(const Fact& f) {
  return {{"sources", f.sources}, {"as_of", f.as_of.str()}, {"confidence", std::string(to_string(f.confidence))},
          {"note", f.note}, {"data", f.where()}};
}

ordered_json org_json(const Organisation& o) {
  return {{"id", o.id},           {"name", o.name},       {"kind", std::string(to_string(o.kind))},
          {"country", o.country}, {"hq_country", o.headquarters()}, {"lei", o.lei},
          {"website", o.website}, {"aliases", o.aliases}, {"sectors", o.sectors}, {"fact", fact_json(o.fact)}};
}

ordered_json relation_json(const Relation& r) {
  ordered_json j{{"subject", r.subject}, {"relation", std::string(to_string(r.kind))}, {"object", r.object}};
  j["share"] = r.share ? ordered_json(*r.share) : ordered_json(nullptr);
  j["valid_from"] = r.valid_from ? r.valid_from->str() : "";
  j["valid_to"] = r.valid_to ? r.valid_to->str() : "";
  j["fact"] = fact_json(r.fact);
  return j;
}

ordered_json attribution_json(const Attribution& a) {
  ordered_json chains = ordered_json::array();
  for (const auto& c : a.chains) {
    ordered_json steps = ordered_json::array();
    for (const Relation* r : c.steps) steps.push_back(relation_json(*r));
    chains.push_back({{"ultimate_parent", c.orgs.back()->id}, {"steps", steps}});
  }
  ordered_json state = ordered_json::array();
  for (const auto& s : a.state)
    state.push_back({{"country", s.country}, {"holder", s.holder->id}, {"controls", s.controls},
                     {"stake", s.stake ? relation_json(*s.stake) : ordered_json(nullptr)}});
  ordered_json lists = ordered_json::array();
  for (const auto& l : a.lists)
    lists.push_back({{"list", l.edition->list}, {"edition", l.edition->edition}, {"title", l.edition->title},
                     {"issuer", l.edition->issuer}, {"scope", std::string(to_string(l.edition->scope))},
                     {"through", l.through->id}, {"inherited", l.inherited}, {"listed_as", l.entry->listed_as},
                     {"fact", fact_json(l.entry->fact)}});
  ordered_json stakes = ordered_json::array();
  for (const Relation* r : a.minority_stakes) stakes.push_back(relation_json(*r));
  ordered_json makers = ordered_json::array();
  for (const Relation* r : a.makers) makers.push_back(relation_json(*r));
  ordered_json parents = ordered_json::array();
  for (const auto* p : a.ultimate_parents) parents.push_back(p->id);
  return {{"organisation", org_json(*a.org)},
          {"origin_country", a.origin_country},
          {"ultimate_parents", parents},
          {"control_countries", a.control_countries},
          {"state_controlled", a.state_controlled()},
          {"state", state},
          {"chains", chains},
          {"minority_stakes", stakes},
          {"makers", makers},
          {"lists", lists}};
}

// Opens the store and the knowledge base; prints the error and returns nullopt on failure.
struct Session {
  Store store;
  LoadedKnowledge knowledge;
};
std::optional<Session> open_session(const GlobalOptions& global) {
  try {
    Store store = Store::open(global.database);
    auto k = load_knowledge(store);
    if (auto* e = std::get_if<std::string>(&k)) {
      std::cerr << "herkomst: " << *e << "\n";
      return std::nullopt;
    }
    return Session{std::move(store), std::get<LoadedKnowledge>(std::move(k))};
  } catch (const StoreError& e) {
    std::cerr << "herkomst: " << e.what() << "\n";
    return std::nullopt;
  }
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out;
}

}  // namespace

int vendors_resolve_command(const GlobalOptions& global, const std::string& text) {
  auto session = open_session(global);
  if (!session) return kExitFailure;
  const KnowledgeBase& kb = session->knowledge.kb;
  const Resolver resolver(kb);
  const Resolution r = resolver.resolve(text);
  if (global.json) {
    ordered_json candidates = ordered_json::array();
    for (const auto* o : r.candidates) candidates.push_back(o->id);
    ordered_json j{{"input", r.input},         {"normalised", r.normalised},
                   {"status", std::string(to_string(r.status))}, {"method", r.method},
                   {"matched", r.matched},     {"why", r.why},
                   {"candidates", candidates}, {"knowledge_base", session->knowledge.version}};
    j["organisation"] = r.org ? org_json(*r.org) : ordered_json(nullptr);
    if (r.org) {
      ControlOptions opt;
      opt.as_of = today_utc();
      j["attribution"] = attribution_json(attribute(kb, *r.org, opt));
    }
    std::cout << dump(j);
  } else {
    std::cout << to_string(r.status) << ": " << r.input << "\n  normalised: " << r.normalised << "\n  why: " << r.why
              << "\n";
    if (r.org) {
      ControlOptions opt;
      opt.as_of = today_utc();
      const Attribution a = attribute(kb, *r.org, opt);
      std::cout << "  organisation: " << r.org->id << " (" << r.org->name << ")\n  origin country: "
                << (a.origin_country.empty() ? "unknown" : a.origin_country) << "\n  control countries: "
                << list_text(a.control_countries) << "\n  explain: herkomst vendors explain " << r.org->id << "\n";
    }
    for (const auto* o : r.candidates) std::cout << "  candidate: " << o->id << " (" << o->name << ")\n";
  }
  return r.status == ResolutionStatus::resolved ? kExitOk : kExitNotResolved;
}

int vendors_explain_command(const GlobalOptions& global, const ExplainOptions& options) {
  ControlOptions opt;
  opt.as_of = today_utc();
  if (!options.as_of.empty()) {
    const auto day = parse_day(options.as_of);
    if (!day) {
      std::cerr << "herkomst: --as-of " << options.as_of << ": not a date (YYYY-MM-DD)\n";
      return kExitBadInput;
    }
    opt.as_of = *day;
  }
  if (!(options.threshold >= 0 && options.threshold < 100)) {
    std::cerr << "herkomst: --threshold must be from 0 to below 100 (percent)\n";
    return kExitBadInput;
  }
  opt.control_threshold = options.threshold;
  auto session = open_session(global);
  if (!session) return kExitFailure;
  const KnowledgeBase& kb = session->knowledge.kb;
  const Organisation* org = kb.find(options.org);
  if (!org) {
    // Accept a vendor string too, when it resolves.
    const Resolution r = Resolver(kb).resolve(options.org);
    org = r.org;
  }
  if (!org) {
    std::cerr << "herkomst: no organisation '" << options.org << "' (try: herkomst vendors resolve '" << options.org
              << "')\n";
    return kExitBadInput;
  }
  const Attribution a = attribute(kb, *org, opt);
  // What the last GLEIF import says about the organisation's LEI: its record and the
  // consolidating parents it reports (docs/gleif.md).
  ordered_json gleif = nullptr;
  if (!org->lei.empty()) {
    if (const auto entity = session->store.gleif_entity(org->lei)) {
      ordered_json parents = ordered_json::array();
      for (const auto& p : session->store.gleif_parents(org->lei)) {
        ordered_json parent{{"lei", p.parent_lei}, {"type", p.type}, {"status", p.status},
                            {"start_date", p.start_date}, {"end_date", p.end_date}};
        if (const auto pe = session->store.gleif_entity(p.parent_lei)) {
          parent["legal_name"] = pe->legal_name;
          parent["hq_country"] = pe->hq_country;
        }
        for (const auto& o : kb.organisations())
          if (o.lei == p.parent_lei) parent["organisation"] = o.id;
        parents.push_back(std::move(parent));
      }
      gleif = {{"lei", entity->lei},           {"legal_name", entity->legal_name},
               {"legal_country", entity->legal_country}, {"hq_country", entity->hq_country},
               {"entity_status", entity->entity_status}, {"parents", parents},
               {"data", session->store.meta("gleif_version")}};
    }
  }
  if (global.json) {
    ordered_json j = attribution_json(a);
    j["as_of"] = opt.as_of.str();
    j["control_threshold"] = opt.control_threshold;
    j["gleif"] = gleif;
    j["knowledge_base"] = session->knowledge.version;
    std::cout << dump(j);
    return kExitOk;
  }
  std::cout << org->id << ": " << org->name << "\n"
            << "  kind " << to_string(org->kind) << ", incorporated in " << (org->country.empty() ? "?" : org->country)
            << ", headquarters " << (org->headquarters().empty() ? "?" : org->headquarters()) << "\n"
            << "  source: " << list_text(org->fact.sources) << " (" << org->fact.as_of.str() << ", "
            << to_string(org->fact.confidence) << ")\n";
  std::cout << "as of " << opt.as_of.str() << ", control threshold " << opt.control_threshold << " %:\n"
            << "  origin country: " << (a.origin_country.empty() ? "unknown" : a.origin_country) << "\n"
            << "  control countries: " << list_text(a.control_countries) << "\n";
  for (const auto& c : a.chains) {
    std::cout << "  ultimate parent " << c.orgs.back()->id << " (" << c.orgs.back()->name << ")\n";
    for (const Relation* r : c.steps) {
      std::cout << "    " << r->subject << " " << to_string(r->kind) << " " << r->object;
      if (r->share) std::cout << " " << *r->share << " %";
      if (r->valid_from) std::cout << " from " << r->valid_from->str();
      if (r->valid_to) std::cout << " until " << r->valid_to->str();
      std::cout << "\n      " << list_text(r->fact.sources) << " (" << r->fact.as_of.str() << ", "
                << to_string(r->fact.confidence) << ")" << (r->fact.note.empty() ? "" : " " + r->fact.note) << "\n";
    }
  }
  for (const auto& s : a.state)
    std::cout << "  state " << (s.controls ? "control" : "stake") << ": " << s.country << " through " << s.holder->id
              << "\n";
  for (const Relation* r : a.minority_stakes) {
    std::cout << "  minority stake: " << r->subject << " " << to_string(r->kind) << " " << r->object;
    if (r->share) std::cout << " " << *r->share << " %";
    std::cout << "\n";
  }
  for (const Relation* r : a.makers) std::cout << "  made by: " << r->subject << " (" << list_text(r->fact.sources) << ")\n";
  for (const auto& l : a.lists)
    std::cout << "  list: " << l.edition->list << " " << l.edition->edition << " " << l.edition->title
              << (l.inherited ? " (through " : "") << (l.inherited ? l.through->id : std::string())
              << (l.inherited ? ", " + std::string(to_string(l.edition->scope)) + ")" : std::string()) << "\n      "
              << list_text(l.entry->fact.sources) << "\n";
  if (a.lists.empty()) std::cout << "  lists: none\n";
  if (!gleif.is_null()) {
    std::cout << "GLEIF (" << gleif["data"].get<std::string>() << "): " << gleif["legal_name"].get<std::string>()
              << ", " << gleif["hq_country"].get<std::string>() << ", " << gleif["entity_status"].get<std::string>()
              << "\n";
    for (const auto& p : gleif["parents"])
      std::cout << "  " << p["type"].get<std::string>() << " parent " << p["lei"].get<std::string>() << " "
                << p.value("legal_name", std::string("(not in the GLEIF import)")) << " "
                << p.value("hq_country", std::string()) << " " << p.value("organisation", std::string()) << "\n";
  } else if (!org->lei.empty()) {
    std::cout << "GLEIF: LEI " << org->lei << " (no GLEIF import holds it: herkomst vendors import-gleif)\n";
  }
  return kExitOk;
}

int vendors_list_command(const GlobalOptions& global, const ListOptions& options) {
  auto session = open_session(global);
  if (!session) return kExitFailure;
  const KnowledgeBase& kb = session->knowledge.kb;
  ControlOptions opt;
  opt.as_of = today_utc();
  ordered_json out = ordered_json::array();
  std::size_t shown = 0;
  for (const auto& o : kb.organisations()) {
    if (!options.sector.empty() &&
        std::find(o.sectors.begin(), o.sectors.end(), options.sector) == o.sectors.end())
      continue;
    const Attribution a = attribute(kb, o, opt);
    if (!options.country.empty()) {
      const bool match = a.origin_country == options.country ||
                         std::find(a.control_countries.begin(), a.control_countries.end(), options.country) !=
                             a.control_countries.end();
      if (!match) continue;
    }
    ++shown;
    if (global.json) {
      ordered_json parents = ordered_json::array();
      for (const auto* p : a.ultimate_parents) parents.push_back(p->id);
      out.push_back({{"id", o.id}, {"name", o.name}, {"origin_country", a.origin_country},
                     {"control_countries", a.control_countries}, {"ultimate_parents", parents},
                     {"state_controlled", a.state_controlled()}, {"lists", a.lists.size()}});
    } else {
      std::string parents;
      for (const auto* p : a.ultimate_parents)
        if (p != &o) {
          if (!parents.empty()) parents += ',';
          parents += p->id;
        }
      std::printf("%-28s %-3s %-8s %-24s %s\n", o.id.c_str(), a.origin_country.c_str(),
                  list_text(a.control_countries).c_str(), parents.c_str(), a.state_controlled() ? "state" : "");
    }
  }
  if (global.json) std::cout << dump({{"knowledge_base", session->knowledge.version}, {"organisations", out}});
  else if (!global.quiet) std::cout << shown << " organisation(s)\n";
  return kExitOk;
}

}  // namespace herkomst::cli

namespace herkomst::cli {

int vendors_import_command(const GlobalOptions& global, const std::filesystem::path& file) {
  auto read = origins::read_analyst_file(file);
  if (auto* e = std::get_if<origins::LoadError>(&read)) {
    std::cerr << "herkomst: " << e->message << " (nothing imported)\n";
    return kExitBadInput;
  }
  const origins::TableRows& table = std::get<origins::TableRows>(read);
  try {
    Store store = Store::open(global.database);
    auto k = load_knowledge(store);
    if (auto* e = std::get_if<std::string>(&k)) {
      std::cerr << "herkomst: " << *e << "\n";
      return kExitFailure;
    }
    // Validate against everything already known: the built-in tables, earlier imports, this file.
    auto builtin = origins::read_data_files(origins::builtin_data_files());
    auto all = std::get<std::vector<origins::TableRows>>(std::move(builtin));
    std::vector<Store::KbRow> previous = store.kb_import_rows();
    for (const auto& r : previous) {
      if (all.empty() || all.back().file != r.file || all.back().table != r.table) all.push_back({r.table, r.file, {}});
      all.back().rows.emplace_back(static_cast<std::size_t>(r.line), r.cells);
    }
    all.push_back(table);
    auto checked = origins::load_knowledge_base(all);
    if (auto* e = std::get_if<origins::LoadError>(&checked)) {
      std::cerr << "herkomst: " << e->message << " (nothing imported)\n";
      return kExitBadInput;
    }
    std::vector<Store::KbRow> rows;
    for (const auto& [line, cells] : table.rows)
      rows.push_back({table.table, table.file, static_cast<std::int64_t>(line), cells});
    const std::int64_t id = store.add_kb_import(file.string(), rows);
    const auto& kb = std::get<origins::KnowledgeBase>(checked);
    if (global.json)
      std::cout << dump({{"import", id}, {"file", file.string()}, {"table", table.table}, {"rows", rows.size()},
                         {"knowledge_base", kb.version()}});
    else if (!global.quiet)
      std::cout << "imported " << rows.size() << " " << table.table << " row(s) from " << file.string() << " (import "
                << id << "); knowledge base now " << kb.version() << "\n";
    return kExitOk;
  } catch (const StoreError& e) {
    std::cerr << "herkomst: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace herkomst::cli

namespace herkomst::cli {

int vendors_import_gleif_command(const GlobalOptions& global, const GleifImportOptions& options) {
  for (const auto* f : {&options.level1, &options.relationships, &options.exceptions}) {
    std::error_code ec;
    if (!f->empty() && !std::filesystem::is_regular_file(*f, ec)) {
      std::cerr << "herkomst: " << f->string() << ": no such file (nothing imported)\n";
      return kExitBadInput;
    }
  }
  try {
    Store store = Store::open(global.database);
    const bool show = !global.quiet && isatty(STDERR_FILENO);
    auto progress = [&](const std::filesystem::path& file, std::uint64_t rows) {
      if (show) std::cerr << "\r" << file.filename().string() << ": " << rows << " rows" << std::flush;
    };
    auto imported = origins::import_gleif(store, {options.level1, options.relationships, options.exceptions}, progress);
    if (show) std::cerr << "\n";
    if (auto* e = std::get_if<std::string>(&imported)) {
      std::cerr << "herkomst: " << *e << "\n";
      return kExitBadInput;
    }
    const auto& s = std::get<origins::GleifImportSummary>(imported);
    if (global.json)
      std::cout << dump({{"entities", s.entities},
                         {"relationships", s.relationships},
                         {"relationships_skipped", s.relationships_skipped},
                         {"exceptions", s.exceptions},
                         {"gleif", s.version}});
    else if (!global.quiet)
      std::cout << "imported " << s.entities << " entities, " << s.relationships << " relationships ("
                << s.relationships_skipped << " skipped: a node that is not an LEI), " << s.exceptions
                << " reporting exceptions\n"
                << s.version << "\n";
    return kExitOk;
  } catch (const StoreError& e) {
    std::cerr << "herkomst: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace herkomst::cli
