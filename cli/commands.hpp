// The herkomst subcommands. Each returns the process exit code:
//   0 success, 2 bad input (file missing, not a capture, truncated, unknown scan),
//   3 store or output failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace herkomst::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitFailure = 3;

struct GlobalOptions {
  std::filesystem::path database;  // --db, $HERKOMST_DB, or the XDG data folder
  bool quiet = false;
  bool json = false;
};

// $HERKOMST_DB, else $XDG_DATA_HOME/herkomst/herkomst.db, else ~/.local/share/herkomst/herkomst.db
std::filesystem::path default_database_path();
// $HERKOMST_IEEE_DIR, else the ieee-data folder the build was configured with.
std::filesystem::path default_ieee_dir();

struct ScanOptions {
  std::vector<std::string> pcaps;
  std::vector<std::string> fs_roots;  // --fs: directories to inventory offline
  std::filesystem::path trust_store;  // --trust-store: CA certificates for Authenticode signer chains
  std::vector<std::string> sbom_files;  // --sbom: vendor SBOMs to import
  // Live capture instead of files (--iface); the rest applies only to it.
  std::string iface;
  std::string filter;                 // BPF
  double duration_s = 0;              // stop after this many seconds; 0: no limit
  std::uint64_t count = 0;            // stop after this many frames; 0: no limit
  int snaplen = 262144;
  std::string user = "nobody";        // become this user after opening the interface, when root
  bool no_drop_privileges = false;
  std::filesystem::path out_dir = "herkomst-out";
  std::filesystem::path ieee_dir;
  std::filesystem::path rules_dir;
  bool keep_partial = false;
  bool no_assess = false;
  std::filesystem::path policy_file;   // empty: the built-in default policy
  std::filesystem::path context_file;  // empty: no site context
};
int scan_command(const GlobalOptions& global, const ScanOptions& options);

int scans_list_command(const GlobalOptions& global);

struct ExportOptions {
  std::int64_t scan_id = 0;
  std::filesystem::path out_dir = "herkomst-out";
  std::string output;  // a file, or "-" for standard output; empty: OUT/herkomst-scan-N.cdx.json
};
int export_command(const GlobalOptions& global, const ExportOptions& options);

int version_command(const GlobalOptions& global, const std::filesystem::path& ieee_dir);

}  // namespace herkomst::cli
