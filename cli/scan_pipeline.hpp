// The scan job from inputs to stored inventory and BOM, without any printing.
//
//   inputs checked -> scan row (running) -> captures read -> observations -> assets
//   -> identification rules -> origin and control -> assessment -> one transaction with
//   everything (and the assessment run) -> BOM file
//
// Bad input is found before anything is stored where possible (missing, empty, not a
// capture). A capture that turns out to be truncated part-way fails the scan and removes its
// row, unless keep_partial is set: then what was read is stored and the scan is marked
// incomplete.
//
// A live capture (request.live) replaces the files: the interface is opened before anything is
// stored (a bad interface or filter stores nothing), then the scan row is begun, and when the
// process runs as root and a user is given, the database connection and the BOM file are opened
// and only then are root's rights given up, before the first packet is decoded. The capture
// ends at the packet limit, the duration or the stop flag (Ctrl-C, SIGTERM), and the scan is
// finished like a file scan: assets, rules, one transaction with status complete, BOM. A
// capture that fails part-way (interface gone) keeps what was seen and marks the scan
// incomplete.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inventory/model.hpp"
#include "scanner/capture/live_source.hpp"

namespace herkomst::cli {

struct LiveCapture {
  capture::LiveOptions options;  // interface, filter, snap length, limits, stop flag
  std::string drop_to_user;      // when running as root: become this user once everything is open; empty: stay
};

struct ScanRequest {
  std::vector<std::string> pcaps;
  std::optional<LiveCapture> live;  // instead of pcaps
  // Directories inventoried offline (scanner/fs): each becomes one asset ("asset:path:DIR")
  // whose device component stands for the machine, with its packages as components.
  std::vector<std::string> fs_roots;
  // CA certificates (a PEM file or an OpenSSL hashed directory) against which the Authenticode
  // signer chains of PE files under fs_roots are checked; empty: chains are not checked
  // (pe.signature.chain = not-checked). Read once, before anything is stored.
  std::filesystem::path trust_store;
  // Vendor SBOMs (CycloneDX JSON 1.4-1.6, SPDX 2.3 JSON, scanner/fs/sbom_import.hpp): each becomes
  // one asset ("asset:sbom:<subject bom-ref/SPDXID, else file>") whose first component is the
  // SBOM's subject, with the listed components nested under it.
  std::vector<std::string> sbom_files;
  std::filesystem::path database;
  std::filesystem::path out_dir;
  std::filesystem::path ieee_dir;
  std::filesystem::path rules_dir;  // the user's own fingerprint rules, on top of the built-in ones
  bool keep_partial = false;
  // Assessment (cli/assessment_run.hpp): the policy file (empty: the built-in default) and the
  // site context (empty: none); assess = false skips it.
  bool assess = true;
  std::filesystem::path policy_file;
  std::filesystem::path context_file;
  // Called with (input, bytes done, bytes total) while reading.
  std::function<void(const std::string&, std::uint64_t, std::uint64_t)> progress;
  // Called once a live capture has started, with the input ("iface:eth0") and the user the
  // process now runs as (empty when it kept its rights).
  std::function<void(const std::string&, const std::string&)> capture_started;
};

struct ScanOutcome {
  bool ok = false;
  std::string error;  // names the input and what is wrong when !ok
  Inventory inventory;
  std::filesystem::path bom_path;
  bool assessed = false;
};

ScanOutcome run_scan(const ScanRequest& request);

// Where a scan's BOM goes: OUT/herkomst-scan-<id>.cdx.json
std::filesystem::path bom_path_for(const std::filesystem::path& out_dir, std::int64_t scan_id);

// Writes `text` to `path` through a temporary file and a rename, so readers never see half a file.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// RFC 4122 version 4 UUID from the system's random source.
std::string make_uuid_v4();
// Current UTC time as ISO 8601 with seconds: 2026-11-28T12:00:00Z.
std::string utc_now();

}  // namespace herkomst::cli
