// Test helper: runs the herkomst binary with arguments and collects exit code and output.
#pragma once

#include <string>
#include <vector>

namespace herkomst::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
  long max_rss_kib = 0;  // the process's peak resident set size (getrusage ru_maxrss)
};

// Runs `program args...` with the given extra environment (NAME=value) and waits for it.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});

// Starts it without waiting; returns the pid.
int start_process(const std::string& program, const std::vector<std::string>& args,
                  const std::vector<std::string>& env = {});

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);
// A fresh empty folder under the build tree for one test.
std::string fresh_dir(const std::string& name);

}  // namespace herkomst::test
