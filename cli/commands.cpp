#include "cli/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "build_info.hpp"
#include "cli/json_views.hpp"
#include "cli/progress.hpp"
#include "cli/scan_pipeline.hpp"
#include "fingerprints/oui_registry.hpp"
#include "inventory/store.hpp"
#include "scanner/capture/live_source.hpp"
#include "sbom/cyclonedx.hpp"

namespace herkomst::cli {
namespace {

int fail(const GlobalOptions& global, int code, const std::string& message) {
  if (global.json) std::cout << error_json(message);
  std::cerr << "herkomst: " << message << "\n";
  return code;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";
  s.resize(width, ' ');
  return s;
}

void print_scan_summary(const Inventory& inv, const std::filesystem::path& bom, const std::filesystem::path& db) {
  const Scan& s = inv.scan;
  std::uint64_t frames = s.counters.count("frames") ? s.counters.at("frames") : 0;
  std::size_t identified = 0;
  for (const auto& a : inv.assets)
    if (a.components.front().best("manufacturer.name")) ++identified;
  std::cout << "herkomst scan " << s.id << " " << to_string(s.status) << ": " << s.inputs.size() << " input(s), "
            << frames << " frames, " << inv.assets.size() << " devices (" << identified
            << " with a manufacturer)\n";
  for (const auto& in : s.inputs)
    if (!in.error.empty()) std::cout << "  warning: " << in.error << "\n";
  std::uint64_t malformed = s.counters.count("frames.malformed") ? s.counters.at("frames.malformed") : 0;
  if (malformed) std::cout << "  " << malformed << " malformed frame(s) skipped\n";

  std::cout << "\n  " << pad("MAC", 18) << pad("IP", 17) << pad("MANUFACTURER", 28) << pad("CC", 4)
            << pad("PRODUCT", 22) << pad("FIRMWARE", 10) << pad("ROLE", 8) << pad("ASSESSMENT", 20) << "NOTE\n";
  constexpr std::size_t kMaxRows = 60;
  std::size_t rows = 0;
  for (const auto& a : inv.assets) {
    if (rows++ == kMaxRows) {
      std::cout << "  ... " << inv.assets.size() - kMaxRows << " more (see the BOM, or use --json)\n";
      break;
    }
    const auto sum = summarize(a);
    auto dash = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
    std::cout << "  " << pad(dash(sum.mac), 18) << pad(dash(sum.ips), 17) << pad(dash(sum.manufacturer), 28)
              << pad(dash(sum.country), 4) << pad(dash(sum.product), 22) << pad(dash(sum.firmware), 10)
              << pad(dash(sum.role), 8) << pad(dash(sum.verdict), 20) << sum.note << "\n";
  }
  // The assessment (cli/assessment_run.hpp): how many components got each verdict.
  std::map<std::string, std::size_t> verdicts;
  for (const auto& a : inv.assets)
    for (const auto& c : a.components)
      if (const Claim* v = c.best("assessment.verdict")) ++verdicts[v->value];
  if (!verdicts.empty()) {
    std::cout << "\nAssessment (" << (s.reference_data.count("assessment-policy") ? s.reference_data.at("assessment-policy") : "")
              << "; " << (s.reference_data.count("assessment-context") ? s.reference_data.at("assessment-context") : "")
              << "):";
    for (const char* level : {"exclusion-candidate", "unknown-data", "high-risk", "attention", "none"})
      if (verdicts.count(level)) std::cout << " " << verdicts[level] << " " << level;
    std::cout << "\n  herkomst explain COMPONENT shows the reasoning for one component\n";
  }
  std::cout << "\nBOM:      " << bom.string() << "\nDatabase: " << db.string() << "\n";
}

}  // namespace

std::filesystem::path default_database_path() {
  if (const char* env = std::getenv("HERKOMST_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "herkomst" / "herkomst.db";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local" / "share" / "herkomst" / "herkomst.db";
  return "herkomst.db";
}

std::filesystem::path default_ieee_dir() {
  if (const char* env = std::getenv("HERKOMST_IEEE_DIR"); env && *env) return env;
  return build::ieee_dir;
}

int scan_command(const GlobalOptions& global, const ScanOptions& options) {
  ScanRequest req;
  req.pcaps = options.pcaps;
  req.fs_roots = options.fs_roots;
  req.trust_store = options.trust_store;
  req.sbom_files = options.sbom_files;
  // Ctrl-C and SIGTERM end a live capture cleanly (the scan is saved); file scans keep the
  // default behaviour.
  std::optional<capture::StopSignals> stop_signals;
  if (!options.iface.empty()) {
    stop_signals.emplace();
    LiveCapture live;
    live.options.interface = options.iface;
    live.options.filter = options.filter;
    live.options.snaplen = options.snaplen;
    live.options.max_packets = options.count;
    if (options.duration_s > 0) {
      // Up to 10^9 s (about 31 years), so the deadline fits the monotonic clock.
      const double ms = std::min(options.duration_s, 1e9) * 1000.0;
      live.options.max_duration = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
    live.options.stop = &stop_signals->flag();
    if (!options.no_drop_privileges) live.drop_to_user = options.user;
    req.live = std::move(live);
    if (!global.quiet)  // on standard error, also with --json
      req.capture_started = [&options](const std::string& input, const std::string& user) {
        std::string until;
        if (options.count) until += " or " + std::to_string(options.count) + " frames";
        if (options.duration_s > 0) {
          std::ostringstream seconds;
          seconds << options.duration_s;
          until += " or " + seconds.str() + " s";
        }
        std::cerr << "herkomst: capturing on " << input.substr(std::string("iface:").size())
                  << (user.empty() ? std::string() : " as " + user) << " until Ctrl-C" << until << "\n";
      };
  }
  req.database = global.database;
  req.out_dir = options.out_dir;
  req.ieee_dir = options.ieee_dir.empty() ? default_ieee_dir() : options.ieee_dir;
  req.rules_dir = options.rules_dir;
  req.keep_partial = options.keep_partial;
  req.assess = !options.no_assess;
  req.policy_file = options.policy_file;
  req.context_file = options.context_file;
  ProgressBar bar(!global.quiet);
  req.progress = [&bar](const std::string& input, std::uint64_t done, std::uint64_t total) {
    bar.update(input, done, total);
  };
  ScanOutcome outcome;
  try {
    outcome = run_scan(req);
  } catch (const std::exception& e) {
    bar.finish();
    return fail(global, kExitFailure, e.what());
  }
  bar.finish();
  if (!outcome.ok) return fail(global, kExitBadInput, outcome.error);
  if (global.json)
    std::cout << scan_result_json(outcome.inventory, outcome.bom_path, global.database);
  else if (!global.quiet)
    print_scan_summary(outcome.inventory, outcome.bom_path, global.database);
  return kExitOk;
}

int scans_list_command(const GlobalOptions& global) {
  try {
    Store store = Store::open(global.database);
    store.mark_abandoned_scans();
    const auto scans = store.list_scans();
    if (global.json) {
      std::cout << scan_list_json(scans, global.database);
      return kExitOk;
    }
    if (scans.empty()) {
      std::cout << "no scans in " << global.database.string() << "\n";
      return kExitOk;
    }
    std::cout << pad("ID", 6) << pad("STATUS", 12) << pad("STARTED", 22) << pad("FRAMES", 10) << pad("DEVICES", 9)
              << "INPUTS\n";
    for (const auto& s : scans) {
      std::string inputs;
      for (const auto& in : s.inputs) inputs += (inputs.empty() ? "" : " ") + in.path;
      auto counter = [&s](const char* name) {
        auto it = s.counters.find(name);
        return it == s.counters.end() ? std::string("-") : std::to_string(it->second);
      };
      std::cout << pad(std::to_string(s.id), 6) << pad(std::string(to_string(s.status)), 12) << pad(s.started_at, 22)
                << pad(counter("frames"), 10) << pad(counter("assets"), 9) << inputs << "\n";
    }
    return kExitOk;
  } catch (const std::exception& e) {
    return fail(global, kExitFailure, e.what());
  }
}

int export_command(const GlobalOptions& global, const ExportOptions& options) {
  try {
    if (!std::filesystem::exists(global.database))
      return fail(global, kExitBadInput, global.database.string() + ": no database (run a scan first, or pass --db)");
    Store store = Store::open(global.database);
    auto inv = store.load_inventory(options.scan_id);
    if (!inv)
      return fail(global, kExitBadInput,
                  "no scan " + std::to_string(options.scan_id) + " in " + global.database.string() +
                      " (see `herkomst scans list`)");
    const std::string bom = sbom::to_cyclonedx_json(*inv);
    if (options.output == "-") {
      std::cout << bom;
      return kExitOk;
    }
    const std::filesystem::path path =
        options.output.empty() ? bom_path_for(options.out_dir, options.scan_id) : std::filesystem::path(options.output);
    write_file_atomically(path, bom);
    if (global.json)
      std::cout << export_result_json(inv->scan, path);
    else if (!global.quiet)
      std::cout << "scan " << options.scan_id << " (" << to_string(inv->scan.status) << ", " << inv->assets.size()
                << " devices) written to " << path.string() << "\n";
    return kExitOk;
  } catch (const std::exception& e) {
    return fail(global, kExitFailure, e.what());
  }
}

int version_command(const GlobalOptions& global, const std::filesystem::path& ieee_dir) {
  const std::filesystem::path dir = ieee_dir.empty() ? default_ieee_dir() : ieee_dir;
  auto registry = fingerprints::OuiRegistry::load(dir);
  const auto* oui = std::get_if<fingerprints::OuiRegistry>(&registry);
  const std::size_t rows = oui ? oui->size() : 0;
  if (global.json) {
    std::cout << version_json(build::version, Store::kSchemaVersion, dir, rows);
  } else {
    std::cout << "herkomst " << build::version << "\n"
              << "store schema version " << Store::kSchemaVersion << "\n"
              << "IEEE MAC registry: " << dir.string() << " (" << rows << " assignments)\n";
    if (oui)
      std::cout << "IEEE MAC registry version: " << oui->version().summary() << "\n";
    else
      std::cout << "IEEE MAC registry version: not loaded (" << std::get<fingerprints::RegistryError>(registry).message
                << ")\n";
  }
  return kExitOk;
}

}  // namespace herkomst::cli
