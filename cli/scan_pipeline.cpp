#include "cli/scan_pipeline.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <random>
#include <system_error>

#include "build_info.hpp"
#include "cli/assessment_run.hpp"
#include "scanner/fs/authenticode_verify.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/os_release.hpp"
#include "scanner/fs/sbom_import.hpp"
#include "scanner/fs/to_inventory.hpp"
#include "scanner/fs/walker.hpp"
#include "cli/knowledge.hpp"
#include "fingerprints/identify.hpp"
#include "fingerprints/mac_rules.hpp"
#include "fingerprints/rule_engine.hpp"
#include "fingerprints/vendor_tables.hpp"
#include "fingerprints/oui_registry.hpp"
#include "inventory/asset_builder.hpp"
#include "inventory/store.hpp"
#include "origins/inventory_attribution.hpp"
#include "sbom/cyclonedx.hpp"
#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/live_source.hpp"
#include "scanner/capture/privileges.hpp"
#include "scanner/passive/capture_scan.hpp"
#include "scanner/passive/passive_observer.hpp"

namespace herkomst::cli {

std::filesystem::path bom_path_for(const std::filesystem::path& out_dir, std::int64_t scan_id) {
  return out_dir / ("herkomst-scan-" + std::to_string(scan_id) + ".cdx.json");
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const auto tmp = std::filesystem::path(path.string() + ".tmp-" + std::to_string(getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write");
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(tmp.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

std::string make_uuid_v4() {
  std::random_device rd;
  std::array<std::uint8_t, 16> b{};
  for (auto& x : b) x = static_cast<std::uint8_t>(rd() & 0xff);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

namespace {

// Inventories one directory (scanner/fs) into the inventory: one asset for the machine, its
// packages as components (refs made unique per root), observations numbered on.
std::optional<std::string> add_filesystem(const std::string& root, Inventory& inv, ScanInput& in,
                                          const ScanRequest& request, const fs::AuthenticodeOptions& pe_options) {
  fs::WalkOptions options;
  if (request.progress) {
    options.progress = [&](const fs::WalkProgress& p) {
      std::string label = root;
      label += ": ";
      label += std::to_string(p.files);
      label += " files";
      request.progress(label, p.done, p.total);
    };
  }
  fs::WalkResult walked = fs::walk(root, fs::default_catalogers(pe_options), options);
  if (!walked.ok) return walked.error;
  fs::apply_distro(walked.packages);
  fs::FsInventory found = fs::to_inventory(walked.packages, root, inv.observations.size() + 1);
  for (const auto& [name, value] : walked.counters) in.counters["fs." + name] = value;
  in.status = "read";
  Asset host;
  host.ref = "asset:path:" + root;
  host.keys = {{KeyKind::path, root}};
  Component machine;
  machine.ref = "device:path:" + root;
  machine.type = ComponentType::device;
  machine.claims.push_back({"name", "filesystem " + root, 1.0, "fs.root", 0});
  host.components.push_back(std::move(machine));
  for (auto& c : found.components) {
    c.ref = "package:" + root + ":" + c.ref;
    host.components.push_back(std::move(c));
  }
  for (auto& o : found.observations) inv.observations.push_back(std::move(o));
  inv.assets.push_back(std::move(host));
  std::sort(inv.assets.begin(), inv.assets.end(), [](const Asset& a, const Asset& b) { return a.ref < b.ref; });
  return std::nullopt;
}

// Reads and imports one vendor SBOM; an error names the file and the place.
std::variant<fs::SbomImport, std::string> read_sbom(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::is_regular_file(path, ec)) return path + ": not a readable file (--sbom takes a file)";
  if (size > fs::kMaxSbomBytes) return path + ": larger than 256 MiB";
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (!in.good() && !in.eof()) return path + ": cannot read";
  fs::SbomImport imported = fs::import_sbom(bytes, path);
  if (!imported.ok || !imported.result.errors.empty()) {
    std::string message;
    for (const auto& e : imported.result.errors) message += (message.empty() ? "" : "; ") + e.to_string();
    if (message.empty()) message = path + ": not read";
    return message;
  }
  return imported;
}

// One imported SBOM into the inventory: an asset for its subject, the subject as its first
// component, the listed components nested under it; evidence: the SBOM file.
void add_sbom(const std::string& path, fs::SbomImport imported, Inventory& inv, ScanInput& in) {
  in.format = imported.format;
  in.status = "read";
  in.counters["sbom.components"] = imported.result.packages.size();
  in.counters["sbom.skipped"] = imported.result.skipped;
  const std::string key = imported.subject_key.empty() ? path : imported.subject_key;
  std::vector<fs::Package> packages;
  if (imported.subject) packages.push_back(*imported.subject);
  for (auto& p : imported.result.packages) packages.push_back(std::move(p));
  for (auto& p : packages) p.properties["sbom.note"] = "vendor SBOM";
  fs::FsInventory found = fs::to_inventory(packages, path, inv.observations.size() + 1);
  for (auto& o : found.observations) o.source = SourceKind::sbom;
  Asset host;
  host.ref = "asset:sbom:" + key;
  host.keys = {{KeyKind::path, path}};
  Component head;
  head.ref = "device:sbom:" + key;
  head.type = ComponentType::application;
  const std::string subject_ref =
      imported.subject ? (imported.subject->purl.empty() ? fs::package_url(*imported.subject) : imported.subject->purl)
                       : std::string();
  for (auto& c : found.components) {
    if (!subject_ref.empty() && c.ref == subject_ref && head.claims.empty()) {
      head.claims = std::move(c.claims);
      head.observation_ids = std::move(c.observation_ids);
      continue;
    }
    c.ref = "package:sbom:" + key + ":" + c.ref;
    host.components.push_back(std::move(c));
  }
  if (head.claims.empty()) head.claims.push_back({"name", "SBOM " + path, 1.0, "sbom.file", 0});
  host.components.insert(host.components.begin(), std::move(head));
  for (auto& o : found.observations) inv.observations.push_back(std::move(o));
  inv.assets.push_back(std::move(host));
  std::sort(inv.assets.begin(), inv.assets.end(), [](const Asset& a, const Asset& b) { return a.ref < b.ref; });
}

// Checks every input before anything is stored: it must open as a capture.
std::string precheck(const ScanRequest& request) {
  const auto& pcaps = request.pcaps;
  for (const auto& root : request.fs_roots) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec) && !std::filesystem::is_regular_file(root, ec))
      return root + ": not a directory or file (--fs takes a folder, an archive or an image)";
  }
  if (request.live) return pcaps.empty() ? std::string() : "--pcap and --iface cannot be combined in one scan";
  if (pcaps.empty() && request.fs_roots.empty() && request.sbom_files.empty())
    return "no input given (use --pcap FILE, --iface IF, --fs DIR or --sbom FILE)";
  for (const auto& path : pcaps) {
    auto opened = capture::open_capture(path);
    if (auto* err = std::get_if<capture::CaptureError>(&opened)) return err->message;
  }
  return {};
}

// The BOM of a live scan that gives up root: the file is created while the process still may
// create files in the output folder and written at the end through the open stream (the
// folder may not be writable for the user the scan continues as, so no temporary file and
// rename). Removed again, where the rights allow, when the scan does not get that far.
class PreopenedBom {
 public:
  explicit PreopenedBom(std::filesystem::path path) : path_(std::move(path)) {
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path());
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error(path_.string() + ": cannot write");
  }
  PreopenedBom(const PreopenedBom&) = delete;
  PreopenedBom& operator=(const PreopenedBom&) = delete;
  ~PreopenedBom() {
    if (written_) return;
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  void write(const std::string& text) {
    out_ << text;
    out_.flush();
    if (!out_) throw std::runtime_error(path_.string() + ": write failed");
    out_.close();
    written_ = true;
  }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  bool written_ = false;
};

void add_counters(std::map<std::string, std::uint64_t>& total, const std::map<std::string, std::uint64_t>& part) {
  for (const auto& [k, v] : part) total[k] += v;
}

}  // namespace

ScanOutcome run_scan(const ScanRequest& request) {
  ScanOutcome outcome;
  if (auto problem = precheck(request); !problem.empty()) {
    outcome.error = problem;
    return outcome;
  }
  // The trust store is read once for the whole walk, and a bad one stores nothing.
  fs::AuthenticodeOptions pe_options;
  if (!request.trust_store.empty()) {
    auto loaded = fs::load_trust_store(request.trust_store.string());
    if (auto* err = std::get_if<std::string>(&loaded)) {
      outcome.error = *err + " (--trust-store takes a PEM file of CA certificates or an OpenSSL hashed directory)";
      return outcome;
    }
    pe_options.store = std::get<fs::TrustStore>(std::move(loaded));
  }
  // Vendor SBOMs are read whole before anything is stored: a bad one stores nothing.
  std::vector<fs::SbomImport> sboms;
  for (const auto& path : request.sbom_files) {
    auto read = read_sbom(path);
    if (auto* err = std::get_if<std::string>(&read)) {
      outcome.error = *err;
      return outcome;
    }
    sboms.push_back(std::get<fs::SbomImport>(std::move(read)));
  }
  // A live capture: the user to become and the interface are checked (and the handle opened,
  // which needs root or CAP_NET_RAW) before anything is stored.
  std::unique_ptr<capture::LiveSource> live;
  std::optional<capture::TargetUser> drop_to;
  if (request.live) {
    if (!request.live->drop_to_user.empty() && capture::running_as_root()) {
      auto user = capture::look_up_user(request.live->drop_to_user);
      if (auto* err = std::get_if<capture::PrivilegeError>(&user)) {
        outcome.error = err->message;
        return outcome;
      }
      drop_to = std::get<capture::TargetUser>(std::move(user));
    }
    auto opened = capture::LiveSource::open(request.live->options);
    if (auto* err = std::get_if<capture::CaptureError>(&opened)) {
      outcome.error = err->message;
      return outcome;
    }
    live = std::get<std::unique_ptr<capture::LiveSource>>(std::move(opened));
  }
  auto registry = fingerprints::OuiRegistry::load(request.ieee_dir);
  if (auto* err = std::get_if<fingerprints::RegistryError>(&registry)) {
    outcome.error = err->message;
    return outcome;
  }
  const auto& oui = std::get<fingerprints::OuiRegistry>(registry);
  auto loaded_rules = fingerprints::RuleSet::load_builtin();
  if (auto* err = std::get_if<fingerprints::RuleError>(&loaded_rules)) {
    outcome.error = "built-in fingerprint rules: " + err->message;
    return outcome;
  }
  auto& rules = std::get<fingerprints::RuleSet>(loaded_rules);
  if (!request.rules_dir.empty()) {
    if (auto err = rules.load_directory(request.rules_dir)) {
      outcome.error = err->message;
      return outcome;
    }
  }

  std::optional<AssessmentSetup> assessment;
  if (request.assess) {
    auto setup = load_assessment_setup(request.policy_file, request.context_file);
    if (auto* err = std::get_if<std::string>(&setup)) {
      outcome.error = *err;
      return outcome;
    }
    assessment = std::get<AssessmentSetup>(std::move(setup));
  }

  Store store = Store::open(request.database);
  store.mark_abandoned_scans();
  auto knowledge = load_knowledge(store);
  if (auto* err = std::get_if<std::string>(&knowledge)) {
    outcome.error = *err;
    return outcome;
  }
  const origins::KnowledgeBase& kb = std::get<LoadedKnowledge>(knowledge).kb;

  Inventory& inv = outcome.inventory;
  Scan& scan = inv.scan;
  scan.uuid = make_uuid_v4();
  scan.started_at = utc_now();
  scan.tool_version = build::version;
  scan.status = ScanStatus::running;
  std::vector<std::string> input_paths = request.pcaps;
  if (live) input_paths = {"iface:" + live->interface()};
  for (const auto& path : input_paths) {
    ScanInput in;
    in.kind = SourceKind::capture;
    in.path = path;
    in.status = "pending";
    scan.inputs.push_back(in);
  }
  for (const auto& root : request.fs_roots) {
    ScanInput in;
    in.kind = SourceKind::filesystem;
    in.path = root;
    in.format = "directory";
    in.status = "pending";
    scan.inputs.push_back(in);
  }
  for (const auto& path : request.sbom_files) {
    ScanInput in;
    in.kind = SourceKind::sbom;
    in.path = path;
    in.format = "sbom";
    in.status = "pending";
    scan.inputs.push_back(in);
  }
  scan.reference_data["ieee-registry"] = oui.version().summary();
  {
    std::string sources;
    for (const auto& line : rules.sources()) sources += (sources.empty() ? "" : "; ") + line;
    scan.reference_data["fingerprint-rules"] =
        std::to_string(rules.size()) + " rules (" + sources + ")";
  }
  scan.reference_data["odva-vendors"] = fingerprints::odva_vendors_version().summary();
  scan.reference_data["bacnet-vendors"] = fingerprints::bacnet_vendors_version().summary();
  scan.reference_data["iana-enterprises"] = rules.enterprise_numbers().version().summary();
  scan.reference_data["origins"] = std::get<LoadedKnowledge>(knowledge).version;
  if (assessment) {
    scan.reference_data["assessment-policy"] = assessment->policy.version_line();
    scan.reference_data["assessment-context"] = assessment->context.version_line();
  }
  store.begin_scan(scan);

  passive::PassiveObserver observer;
  bool partial = false;
  std::optional<PreopenedBom> preopened_bom;
  if (live) {
    std::string user_now;
    if (drop_to) {
      // Everything that needs root's rights to the file system happens before they are given
      // up: the database connection is open (begin_scan wrote through it), the BOM file exists.
      try {
        preopened_bom.emplace(bom_path_for(request.out_dir, scan.id));
      } catch (...) {
        store.delete_scan(scan.id);
        throw;
      }
      if (auto err = capture::drop_privileges(*drop_to)) {
        preopened_bom.reset();
        store.delete_scan(scan.id);
        outcome.error = err->message;
        return outcome;
      }
      user_now = drop_to->name;
    }
    if (request.capture_started) request.capture_started(scan.inputs.front().path, user_now);
    // Traffic cannot be read again, so a capture that fails part-way keeps what it saw
    // (scan incomplete) whatever keep_partial says.
    ScanInput in = passive::scan_live_interface(*live, observer);
    if (in.status != "read") partial = true;
    add_counters(scan.counters, in.counters);
    scan.inputs.front() = std::move(in);
    live.reset();
  }
  for (std::size_t i = 0; i < request.pcaps.size(); ++i) {
    const auto& path = request.pcaps[i];
    passive::Progress progress;
    if (request.progress) progress = [&](std::uint64_t d, std::uint64_t t) { request.progress(path, d, t); };
    ScanInput in = passive::scan_capture_file(path, observer, progress);
    if (in.status != "read") {
      if (!request.keep_partial || in.status == "failed") {
        store.delete_scan(scan.id);
        outcome.error = in.error;
        return outcome;
      }
      partial = true;
    }
    add_counters(scan.counters, in.counters);
    scan.inputs[i] = std::move(in);
  }
  add_counters(scan.counters, observer.counters());

  inv.observations = observer.take_observations();
  for (std::size_t i = 0; i < inv.observations.size(); ++i) inv.observations[i].id = i + 1;
  inv.assets = build_assets(inv.observations);
  fingerprints::apply_mac_rules(oui, inv.observations, inv.assets);
  fingerprints::apply_rules(rules, inv.observations, inv.assets);
  for (std::size_t i = 0; i < request.fs_roots.size(); ++i) {
    ScanInput& in = scan.inputs[input_paths.size() + i];
    if (auto err = add_filesystem(request.fs_roots[i], inv, in, request, pe_options)) {
      store.delete_scan(scan.id);
      outcome.error = *err;
      return outcome;
    }
    add_counters(scan.counters, in.counters);
  }
  for (std::size_t i = 0; i < sboms.size(); ++i) {
    ScanInput& in = scan.inputs[input_paths.size() + request.fs_roots.size() + i];
    add_sbom(request.sbom_files[i], std::move(sboms[i]), inv, in);
    add_counters(scan.counters, in.counters);
  }
  origins::ControlOptions as_of_scan;  // ownership as it stands on the day of the scan
  as_of_scan.as_of = today_utc();
  origins::attribute_inventory(kb, inv, as_of_scan);
  std::vector<assess::Assessment> assessments;
  if (assessment) assessments = assess_and_claim(*assessment, inv, as_of_scan.as_of);

  scan.counters["observations"] = inv.observations.size();
  scan.counters["assets"] = inv.assets.size();
  scan.status = partial ? ScanStatus::incomplete : ScanStatus::complete;
  scan.finished_at = utc_now();
  store.save_inventory(inv);
  if (assessment) {
    store_assessment_run(store, scan.id, *assessment, std::get<LoadedKnowledge>(knowledge).version, as_of_scan.as_of,
                         assessments);
    outcome.assessed = true;
  }

  outcome.bom_path = bom_path_for(request.out_dir, scan.id);
  if (preopened_bom)
    preopened_bom->write(sbom::to_cyclonedx_json(inv));
  else
    write_file_atomically(outcome.bom_path, sbom::to_cyclonedx_json(inv));
  outcome.ok = true;
  return outcome;
}

}  // namespace herkomst::cli
