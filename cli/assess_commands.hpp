// `herkomst assess` and `herkomst explain`: the assessment of stored scans, again, without
// scanning again; and the reasoning for one component.
//
//   assess [SCAN ...] [--all]   re-attributes each scan's components with the knowledge base as
//                               it is now (ownership as of --as-of, default today), assesses
//                               them under the policy and site context given (defaults: the
//                               built-in policy, no context), stores the run, writes a BOM of the
//                               re-assessed inventory, and lists what changed against the scan's
//                               previous run, newly flagged components first.
//                               Exit 0: nothing newly flagged; 1: something became flagged
//                               (attention, high-risk, unknown-data or exclusion-candidate where
//                               it was none or not assessed, or a more severe level than before);
//                               2 bad input (unknown scan, bad policy or context); 3 store failure.
//   explain COMPONENT [--scan N] the stored reasoning of the newest assessment of a component
//                               (its bom-ref, an asset ref, a MAC or an IPv4 address).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace herkomst::cli {

inline constexpr int kExitNewlyFlagged = 1;

struct AssessCommandOptions {
  std::vector<std::int64_t> scans;
  bool all = false;
  std::filesystem::path policy_file;
  std::filesystem::path context_file;
  std::string as_of;  // YYYY-MM-DD; empty: today
  std::filesystem::path out_dir = "herkomst-out";
};
int assess_command(const GlobalOptions& global, const AssessCommandOptions& options);

struct ExplainCommandOptions {
  std::string component;
  std::int64_t scan_id = 0;  // 0: the newest assessment that has the component
};
int explain_command(const GlobalOptions& global, const ExplainCommandOptions& options);

}  // namespace herkomst::cli
