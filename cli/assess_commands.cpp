#include "cli/assess_commands.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/assessment_run.hpp"
#include "cli/knowledge.hpp"
#include "cli/scan_pipeline.hpp"
#include "inventory/store.hpp"
#include "origins/inventory_attribution.hpp"
#include "sbom/cyclonedx.hpp"

namespace herkomst::cli {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json& j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"; }

int fail(const GlobalOptions& global, int code, const std::string& message) {
  if (global.json) std::cout << dump({{"error", message}});
  std::cerr << "herkomst: " << message << "\n";
  return code;
}

// Severity order for "more severe than before": none < attention < high-risk < unknown-data <
// exclusion-candidate (assess/terms.hpp), by name.
int severity(const std::string& level) {
  static const std::map<std::string, int> order{
      {"none", 0}, {"attention", 1}, {"high-risk", 2}, {"unknown-data", 3}, {"exclusion-candidate", 4}};
  const auto it = order.find(level);
  return it == order.end() ? -1 : it->second;
}

struct Change {
  std::int64_t scan_id = 0;
  std::string component, label, before, after;  // before "" = not assessed before
  bool newly_flagged = false;
};

std::string label_of(const Inventory& inv, const std::string& ref) {
  for (const auto& a : inv.assets)
    for (const auto& c : a.components)
      if (c.ref == ref) {
        std::string label;
        for (const char* attribute : {"product.name", "product.model", "manufacturer.name"})
          if (const Claim* claim = c.best(attribute)) {
            if (!label.empty()) label += ", ";
            label += claim->value;
          }
        return label;
      }
  return {};
}

// "device:mac:..." for a bom-ref, an asset ref, a MAC address or an IPv4 address.
std::vector<std::string> component_refs_for(const std::string& text) {
  if (text.rfind("asset:", 0) == 0) return {"device:" + text.substr(6)};
  if (text.find(':') != std::string::npos && text.find('.') == std::string::npos && text.size() == 17) {
    std::string mac = text;
    std::transform(mac.begin(), mac.end(), mac.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return {"device:mac:" + mac};
  }
  if (text.find(':') == std::string::npos && std::count(text.begin(), text.end(), '.') == 3)
    return {"device:ipv4:" + text};
  return {text};
}

using FoundAssessment = std::optional<std::pair<Store::AssessmentRun, Store::StoredAssessment>>;

// The newest stored assessment of a component of an asset with this IPv4 address, in the
// scan given (0: any). A device with a MAC is named by it ("device:mac:..."), so its address
// finds it only through the asset's keys.
FoundAssessment assessment_by_address(const Store& store, const std::string& address, std::int64_t scan_id) {
  FoundAssessment found;
  for (const auto& scan : store.list_scans()) {
    if (scan_id && scan.id != scan_id) continue;
    const auto run = store.latest_assessment_run(scan.id);
    if (!run || (found && found->first.id > run->id)) continue;
    const auto inv = store.load_inventory(scan.id);
    if (!inv) continue;
    std::vector<std::string> refs;
    for (const auto& a : inv->assets)
      if (std::find(a.keys.begin(), a.keys.end(), SubjectKey{KeyKind::ipv4, address}) != a.keys.end())
        for (const auto& c : a.components) refs.push_back(c.ref);
    for (const auto& row : store.assessments(run->id))
      if (std::find(refs.begin(), refs.end(), row.component_ref) != refs.end()) {
        found = std::pair{*run, row};
        break;
      }
  }
  return found;
}

}  // namespace

int assess_command(const GlobalOptions& global, const AssessCommandOptions& options) {
  origins::Day as_of = today_utc();
  if (!options.as_of.empty()) {
    const auto day = origins::parse_day(options.as_of);
    if (!day) return fail(global, kExitBadInput, "--as-of: '" + options.as_of + "' is not a date (YYYY-MM-DD)");
    as_of = *day;
  }
  if (options.scans.empty() && !options.all)
    return fail(global, kExitBadInput, "name the scans to assess (herkomst assess 3 4) or give --all");
  auto loaded = load_assessment_setup(options.policy_file, options.context_file);
  if (auto* e = std::get_if<std::string>(&loaded)) return fail(global, kExitBadInput, *e + " (nothing assessed)");
  const AssessmentSetup& setup = std::get<AssessmentSetup>(loaded);
  try {
    Store store = Store::open(global.database);
    auto knowledge = load_knowledge(store);
    if (auto* e = std::get_if<std::string>(&knowledge)) return fail(global, kExitFailure, *e);
    const LoadedKnowledge& kb = std::get<LoadedKnowledge>(knowledge);

    std::vector<std::int64_t> ids = options.scans;
    if (options.all) {
      ids.clear();
      for (const auto& s : store.list_scans())
        if (s.status == ScanStatus::complete || s.status == ScanStatus::incomplete) ids.push_back(s.id);
      std::sort(ids.begin(), ids.end());
    }
    // Every scan is checked to exist before anything is stored.
    std::vector<Inventory> inventories;
    for (const auto id : ids) {
      auto inv = store.load_inventory(id);
      if (!inv) return fail(global, kExitBadInput, "no scan " + std::to_string(id) + " in " + global.database.string() + " (nothing assessed)");
      inventories.push_back(std::move(*inv));
    }

    std::vector<Change> changes;
    ordered_json runs = ordered_json::array();
    std::map<std::string, std::size_t> totals;
    for (auto& inv : inventories) {
      const auto previous_run = store.latest_assessment_run(inv.scan.id);
      std::map<std::string, std::string> before;
      if (previous_run)
        for (const auto& row : store.assessments(previous_run->id)) before[row.component_ref] = row.verdict;

      drop_claims_of_rule(inv, origins::kRuleOrigins);
      origins::ControlOptions control;
      control.as_of = as_of;
      origins::attribute_inventory(kb.kb, inv, control);
      const auto assessments = assess_and_claim(setup, inv, as_of);
      const auto run = store_assessment_run(store, inv.scan.id, setup, kb.version, as_of, assessments);

      inv.scan.reference_data["origins"] = kb.version;
      inv.scan.reference_data["assessment-policy"] = setup.policy.version_line();
      inv.scan.reference_data["assessment-context"] = setup.context.version_line();
      const auto bom = options.out_dir / ("herkomst-scan-" + std::to_string(inv.scan.id) + "-assessment-" +
                                          std::to_string(run.id) + ".cdx.json");
      std::filesystem::create_directories(options.out_dir);
      write_file_atomically(bom, sbom::to_cyclonedx_json(inv));

      std::map<std::string, std::size_t> counts;
      for (const auto& a : assessments) {
        const std::string after(assess::to_string(a.verdict.level));
        ++counts[after];
        ++totals[after];
        const auto it = before.find(a.component_ref);
        const std::string was = it == before.end() ? std::string() : it->second;
        if (was == after) continue;
        Change c{inv.scan.id, a.component_ref, label_of(inv, a.component_ref), was, after, false};
        c.newly_flagged = severity(after) > std::max(0, severity(was));
        changes.push_back(std::move(c));
      }
      runs.push_back({{"scan", inv.scan.id},
                      {"run", run.id},
                      {"previous_run", previous_run ? ordered_json(previous_run->id) : ordered_json(nullptr)},
                      {"verdicts", counts},
                      {"bom", bom.string()}});
    }
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
      if (a.newly_flagged != b.newly_flagged) return a.newly_flagged;
      return severity(a.after) > severity(b.after);
    });
    const bool newly = std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.newly_flagged; });

    if (global.json) {
      ordered_json list = ordered_json::array();
      for (const auto& c : changes)
        list.push_back({{"scan", c.scan_id},
                        {"component", c.component},
                        {"label", c.label},
                        {"before", c.before.empty() ? ordered_json(nullptr) : ordered_json(c.before)},
                        {"after", c.after},
                        {"newly_flagged", c.newly_flagged}});
      std::cout << dump({{"as_of", as_of.str()},
                         {"policy", setup.policy.version_line()},
                         {"context", setup.context.version_line()},
                         {"knowledge_base", kb.version},
                         {"runs", runs},
                         {"changes", list},
                         {"newly_flagged", newly}});
    } else if (!global.quiet) {
      std::cout << "herkomst assess: " << inventories.size() << " scan(s) as of " << as_of.str() << "\n  policy:  "
                << setup.policy.version_line() << "\n  context: " << setup.context.version_line()
                << "\n  knowledge base: " << kb.version << "\n";
      if (changes.empty()) std::cout << "\nNo verdict changed.\n";
      else std::cout << "\n" << changes.size() << " change(s), newly flagged first:\n";
      for (const auto& c : changes)
        std::cout << "  " << (c.newly_flagged ? "NEW " : "    ") << "scan " << c.scan_id << " " << c.component
                  << (c.label.empty() ? "" : " (" + c.label + ")") << ": "
                  << (c.before.empty() ? "not assessed" : c.before) << " -> " << c.after << "\n";
      std::cout << "\nVerdicts:";
      for (const char* level : {"exclusion-candidate", "unknown-data", "high-risk", "attention", "none"})
        if (totals.count(level)) std::cout << " " << totals[level] << " " << level;
      std::cout << "\n";
      for (const auto& r : runs) std::cout << "BOM: " << r["bom"].get<std::string>() << "\n";
    }
    return newly ? kExitNewlyFlagged : kExitOk;
  } catch (const StoreError& e) {
    return fail(global, kExitFailure, e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    return fail(global, kExitFailure, e.what());
  }
}

int explain_command(const GlobalOptions& global, const ExplainCommandOptions& options) {
  try {
    Store store = Store::open(global.database);
    FoundAssessment found;
    const auto refs = component_refs_for(options.component);
    for (const auto& ref : refs) {
      if (options.scan_id) {
        const auto run = store.latest_assessment_run(options.scan_id);
        if (!run) return fail(global, kExitBadInput, "scan " + std::to_string(options.scan_id) + " was never assessed");
        for (const auto& row : store.assessments(run->id))
          if (row.component_ref == ref) found = std::pair{*run, row};
      } else {
        found = store.latest_assessment(ref);
      }
      if (found) break;
    }
    constexpr std::string_view kByAddress = "device:ipv4:";
    if (!found && refs.front().starts_with(kByAddress))
      found = assessment_by_address(store, refs.front().substr(kByAddress.size()), options.scan_id);
    if (!found)
      return fail(global, kExitBadInput,
                  "no assessment of '" + options.component +
                      "' (give a component's bom-ref such as device:mac:00:1b:1b:23:eb:3b, a MAC or an IPv4 address)");
    const auto& [run, row] = *found;
    if (global.json) {
      ordered_json detail = ordered_json::parse(row.detail);
      detail["scan"] = run.scan_id;
      detail["run"] = run.id;
      detail["assessed_at"] = run.assessed_at;
      std::cout << dump(detail);
    } else {
      std::cout << row.component_ref << " in scan " << run.scan_id << ", assessed " << run.assessed_at << " (as of "
                << run.as_of << ")\n  policy: " << run.policy_version << "\n  context: " << run.context_version
                << "\n  knowledge base: " << run.knowledge_base << "\n\n"
                << row.explanation;
    }
    return kExitOk;
  } catch (const StoreError& e) {
    return fail(global, kExitFailure, e.what());
  }
}

}  // namespace herkomst::cli
