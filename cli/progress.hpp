// A one-line progress bar on stderr, drawn only when stderr is a terminal and not quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace herkomst::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool wanted);  // draws only if wanted and stderr is a terminal
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(const std::string& label, std::uint64_t done, std::uint64_t total);
  void finish();  // clears the line

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace herkomst::cli
