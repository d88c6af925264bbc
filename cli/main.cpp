// herkomst: what runs in a plant, who makes it, who controls it.
// This file only parses the command line and hands over to cli/commands.cpp.
#include <CLI/CLI.hpp>

#include "build_info.hpp"
#include "cli/assess_commands.hpp"
#include "cli/commands.hpp"
#include "cli/vendors_commands.hpp"

#include <cstdlib>

int main(int argc, char** argv) {
  using namespace herkomst::cli;
  // libarchive converts every zip member's DOS time with mktime(); with TZ unset, glibc then
  // stats /etc/localtime on each call, under a process-wide lock (a jar-heavy root filesystem made
  // a million such calls). The same zone, named once, is read once. Set before any thread starts.
  if (std::getenv("TZ") == nullptr) ::setenv("TZ", ":/etc/localtime", 0);
  CLI::App app{
      "herkomst: inventory the equipment on an OT network from packet captures, with who makes it,\n"
      "stored as a scan history (SQLite) and a CycloneDX 1.6 BOM.\n\n"
      "Example:\n  herkomst scan --pcap plant.pcapng\n  herkomst scans list\n  herkomst export 1 -o plant.cdx.json",
      "herkomst"};
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions global;
  global.database = default_database_path();
  app.add_option("--db", global.database,
                 "SQLite database holding the scan history (also $HERKOMST_DB).\n"
                 "Example: --db /var/lib/herkomst/site.db")
      ->capture_default_str();
  app.add_flag("-q,--quiet", global.quiet, "Print nothing but errors (and --json output). Example: -q");

  // scan
  ScanOptions scan;
  auto* scan_cmd = app.add_subcommand(
      "scan",
      "Read packet captures (files, or live from an interface), identify the devices in them and store the scan.\n"
      "Writes OUT/herkomst-scan-<id>.cdx.json and adds the scan to the database.\n"
      "Example: herkomst scan --pcap span-port.pcapng --pcap tap.pcap --out reports/\n"
      "Example: sudo herkomst scan --iface eth1 --duration 3600 --filter \"not port 22\"");
  auto* pcap_opt = scan_cmd->add_option(
      "--pcap", scan.pcaps,
      "Capture file (pcap or pcapng); repeat for several. This or --iface is required. Example: --pcap plant.pcapng");
  auto* iface_opt = scan_cmd->add_option(
      "--iface", scan.iface,
      "Capture live from this network interface instead of reading files (needs root or CAP_NET_RAW); stops at "
      "--duration, --count, Ctrl-C or SIGTERM and saves what was seen. Example: --iface eth1");
  pcap_opt->excludes(iface_opt);
  scan_cmd->add_option("--filter", scan.filter,
                       "BPF capture filter for --iface (pcap-filter(7) syntax). Example: --filter \"not port 22\"")
      ->needs(iface_opt);
  scan_cmd->add_option("--duration", scan.duration_s,
                       "Stop a live capture after this many seconds. Example: --duration 600")
      ->check(CLI::PositiveNumber)
      ->needs(iface_opt);
  scan_cmd->add_option("--count", scan.count, "Stop a live capture after this many frames. Example: --count 100000")
      ->check(CLI::PositiveNumber)
      ->needs(iface_opt);
  scan_cmd->add_option("--snaplen", scan.snaplen,
                       "Bytes kept of each captured frame (1..262144). Example: --snaplen 65535")
      ->check(CLI::Range(1, 262144))
      ->capture_default_str()
      ->needs(iface_opt);
  auto* user_opt = scan_cmd->add_option(
      "--user", scan.user,
      "When run as root: the user to become once the interface, the database and the BOM file are open, before "
      "any packet is decoded. Example: --user herkomst");
  user_opt->capture_default_str()->needs(iface_opt);
  scan_cmd->add_flag("--no-drop-privileges", scan.no_drop_privileges,
                     "Keep running as root during a live capture instead of becoming --user. "
                     "Example: --no-drop-privileges")
      ->needs(iface_opt)
      ->excludes(user_opt);
  scan_cmd->add_option("--fs", scan.fs_roots,
                       "A directory, archive or firmware image to inventory offline (a mounted disk image, a copied "
                       "rootfs, a tar/zip/ISO): its packages and programs (Linux, language, Java, .NET, Go, Windows "
                       "PE and registry, OT software; docs/filesystem.md); repeat for several. "
                       "Example: --fs /mnt/hmi01 --fs rtu-firmware.tar.gz")
      ->check(CLI::ExistingPath);
  scan_cmd->add_option("--trust-store", scan.trust_store,
                       "CA certificates (a PEM file, or a directory prepared with openssl rehash) against which the "
                       "Authenticode signer chains of Windows programs found under --fs are checked; without it "
                       "signatures are verified but chains are reported as not checked. "
                       "Example: --trust-store /etc/ssl/certs/ca-certificates.crt")
      ->check(CLI::ExistingPath);
  scan_cmd->add_option("--sbom", scan.sbom_files,
                       "A vendor-supplied SBOM to import (CycloneDX JSON 1.4-1.6 or SPDX 2.3 JSON; "
                       "docs/sbom-import.md): its components are attributed and assessed like the rest; repeat "
                       "for several. Example: --sbom vendor-plc.cdx.json");
  scan_cmd->callback([&scan] {
    if (scan.pcaps.empty() && scan.iface.empty() && scan.fs_roots.empty() && scan.sbom_files.empty())
      throw CLI::RequiredError("--pcap FILE, --iface IF, --fs DIR or --sbom FILE");
  });
  scan_cmd->add_option("-o,--out", scan.out_dir, "Folder for the BOM. Example: --out /srv/herkomst/out")
      ->capture_default_str();
  scan_cmd->add_option("--ieee-dir", scan.ieee_dir,
                       "Folder with the IEEE registry CSVs (oui.csv, mam.csv, oui36.csv, iab.csv); default "
                       "$HERKOMST_IEEE_DIR or " +
                           std::string(herkomst::build::ieee_dir) + ". Example: --ieee-dir ./ieee");
  scan_cmd->add_option("--rules", scan.rules_dir,
                       "Folder of your own fingerprint rules (*.json, docs/fingerprints.md), applied on top of the "
                       "built-in ones; a rule with a built-in rule's id replaces it. Example: --rules /etc/herkomst/rules");
  scan_cmd->add_flag("--keep-partial", scan.keep_partial,
                     "Keep what was read from a capture that ends part-way (cut-off recordings) and mark the scan "
                     "incomplete, instead of failing. Example: --keep-partial");
  scan_cmd->add_option("--policy", scan.policy_file,
                       "Assessment policy (docs/assessment.md); default: the built-in configs/policy/default.json. "
                       "Example: --policy /etc/herkomst/policy.json");
  scan_cmd->add_option("--context", scan.context_file,
                       "Site context: zones, access, mitigations (docs/assessment.md); default: none (criteria 3A/3B "
                       "then mostly unknown). Example: --context configs/context/example.json");
  scan_cmd->add_flag("--no-assess", scan.no_assess, "Do not assess the components. Example: --no-assess");
  scan_cmd->add_flag("--json", global.json, "Print the result as JSON (docs/cli-json.md). Example: --json");

  // assess
  AssessCommandOptions assess_opt;
  auto* assess_cmd = app.add_subcommand(
      "assess",
      "Assess stored scans again (after a change of policy, site context or knowledge base), without scanning;\n"
      "lists what changed, newly flagged first. Exit 1 when something became flagged.\n"
      "Example: herkomst assess --all --context site.json");
  assess_cmd->add_option("SCAN", assess_opt.scans, "Scan ids (see `herkomst scans list`). Example: 3 4");
  assess_cmd->add_flag("--all", assess_opt.all, "Every complete or incomplete scan. Example: --all");
  assess_cmd->add_option("--policy", assess_opt.policy_file, "Assessment policy; default: the built-in one. Example: --policy policy.json");
  assess_cmd->add_option("--context", assess_opt.context_file, "Site context; default: none. Example: --context site.json");
  assess_cmd->add_option("--as-of", assess_opt.as_of, "Ownership and context as they stood on this day (default today). Example: --as-of 2026-01-01");
  assess_cmd->add_option("-o,--out", assess_opt.out_dir, "Folder for the re-assessed BOMs. Example: --out reports/")
      ->capture_default_str();
  assess_cmd->add_flag("--json", global.json, "Print the result as JSON (docs/cli-json.md). Example: --json");

  // explain
  ExplainCommandOptions explain_opt;
  auto* explain_component_cmd = app.add_subcommand(
      "explain", "The reasoning of a component's newest assessment: each criterion with its facts and sources.\n"
                 "Example: herkomst explain device:mac:00:1b:1b:23:eb:3b");
  explain_component_cmd->add_option("COMPONENT", explain_opt.component, "A bom-ref, asset ref, MAC or IPv4 address. Example: 00:1b:1b:23:eb:3b")
      ->required();
  explain_component_cmd->add_option("--scan", explain_opt.scan_id, "From this scan's newest assessment. Example: --scan 3");
  explain_component_cmd->add_flag("--json", global.json, "Print as JSON (docs/cli-json.md). Example: --json");

  // scans list
  auto* scans_cmd = app.add_subcommand("scans", "Work with the stored scans. Example: herkomst scans list");
  scans_cmd->require_subcommand(1);
  auto* list_cmd = scans_cmd->add_subcommand(
      "list", "List stored scans, newest first, with status, frames and devices. Example: herkomst scans list --json");
  list_cmd->add_flag("--json", global.json, "Print the list as JSON (docs/cli-json.md). Example: --json");

  // export
  ExportOptions exp;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write the CycloneDX BOM of a stored scan again, byte for byte as the scan wrote it.\n"
      "Example: herkomst export 3 -o - | jq .components");
  export_cmd->add_option("SCAN", exp.scan_id, "Scan id (see `herkomst scans list`). Example: 3")->required();
  export_cmd->add_option("--out", exp.out_dir, "Folder for the BOM when -o is not given. Example: --out reports/")
      ->capture_default_str();
  export_cmd->add_option("-o,--output", exp.output, "File to write, or - for standard output. Example: -o plant.cdx.json");
  export_cmd->add_flag("--json", global.json, "Print where the BOM went as JSON. Example: --json");

  // version
  std::filesystem::path version_ieee;
  auto* version_cmd = app.add_subcommand(
      "version", "Print the version and the reference data in use. Example: herkomst version --json");
  version_cmd->add_flag("--json", global.json, "Print as JSON. Example: --json");
  version_cmd->add_option("--ieee-dir", version_ieee, "IEEE registry folder to report on. Example: --ieee-dir ./ieee");

  // vendors
  auto* vendors_cmd = app.add_subcommand(
      "vendors", "The origin and control knowledge base. Example: herkomst vendors explain hikvision");
  vendors_cmd->require_subcommand(1);
  std::string resolve_text;
  auto* resolve_cmd = vendors_cmd->add_subcommand(
      "resolve", "Which organisation a vendor string names, and why. Example: herkomst vendors resolve 'HIKVISION'");
  resolve_cmd->add_option("STRING", resolve_text, "The vendor string. Example: 'Cisco Systems, Inc'")->required();
  resolve_cmd->add_flag("--json", global.json, "Print as JSON (docs/cli-json.md). Example: --json");
  ExplainOptions explain;
  auto* explain_cmd = vendors_cmd->add_subcommand(
      "explain", "An organisation's control chain with sources and dates, state control and lists.\n"
                 "Example: herkomst vendors explain kuka --as-of 2016-06-01");
  explain_cmd->add_option("ORG", explain.org, "Organisation id or a vendor string. Example: kuka")->required();
  explain_cmd->add_option("--as-of", explain.as_of, "Ownership as it stood on this day (default today). Example: --as-of 2016-06-01");
  explain_cmd->add_option("--threshold", explain.threshold, "A stake above this percentage controls. Example: --threshold 25")
      ->capture_default_str();
  explain_cmd->add_flag("--json", global.json, "Print as JSON (docs/cli-json.md). Example: --json");
  ListOptions vendor_list;
  auto* vendors_list_cmd = vendors_cmd->add_subcommand(
      "list", "Organisations with origin and control countries. Example: herkomst vendors list --country CN");
  vendors_list_cmd->add_option("--country", vendor_list.country, "Only those with this origin or control country. Example: --country CN");
  vendors_list_cmd->add_option("--sector", vendor_list.sector, "Only this sector (origins/data/README.md). Example: --sector cameras");
  vendors_list_cmd->add_flag("--json", global.json, "Print as JSON (docs/cli-json.md). Example: --json");
  std::filesystem::path import_file;
  auto* import_cmd = vendors_cmd->add_subcommand(
      "import", "Add your own organisations, relations or list entries (docs/origins.md), checked, all or nothing.\n"
                "Example: herkomst vendors import my-suppliers.tsv");
  import_cmd->add_option("FILE", import_file, "A table file (.tsv or .csv). Example: my-suppliers.tsv")->required();
  import_cmd->add_flag("--json", global.json, "Print as JSON. Example: --json");
  GleifImportOptions gleif;
  auto* gleif_cmd = vendors_cmd->add_subcommand(
      "import-gleif", "Import GLEIF golden-copy CSV files (docs/gleif.md), replacing an earlier GLEIF import, all or nothing.\n"
                      "Example: herkomst vendors import-gleif --level1 lei2.csv --relationships rr.csv --exceptions repex.csv");
  gleif_cmd->add_option("--level1", gleif.level1, "The Level 1 (LEI-CDF) golden copy, unzipped. Example: --level1 20261201-0000-gleif-goldencopy-lei2-golden-copy.csv")
      ->required();
  gleif_cmd->add_option("--relationships", gleif.relationships, "The Level 2 relationship (RR-CDF) golden copy. Example: --relationships 20261201-0000-gleif-goldencopy-rr-golden-copy.csv");
  gleif_cmd->add_option("--exceptions", gleif.exceptions, "The Level 2 reporting exceptions golden copy. Example: --exceptions 20261201-0000-gleif-goldencopy-repex-golden-copy.csv");
  gleif_cmd->add_flag("--json", global.json, "Print as JSON (docs/cli-json.md). Example: --json");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (scan_cmd->parsed()) return scan_command(global, scan);
  if (list_cmd->parsed()) return scans_list_command(global);
  if (assess_cmd->parsed()) return assess_command(global, assess_opt);
  if (explain_component_cmd->parsed()) return explain_command(global, explain_opt);
  if (export_cmd->parsed()) return export_command(global, exp);
  if (version_cmd->parsed()) return version_command(global, version_ieee);
  if (resolve_cmd->parsed()) return vendors_resolve_command(global, resolve_text);
  if (explain_cmd->parsed()) return vendors_explain_command(global, explain);
  if (vendors_list_cmd->parsed()) return vendors_list_command(global, vendor_list);
  if (import_cmd->parsed()) return vendors_import_command(global, import_file);
  if (gleif_cmd->parsed()) return vendors_import_gleif_command(global, gleif);
  return kExitFailure;
}
