// A temporary folder for one test, removed with everything in it when the test ends.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace herkomst::test {

class TempDir {
 public:
  explicit TempDir(std::string_view tag = "test") {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("herkomst-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `bytes` to `name` inside the folder and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view bytes) const {
    std::ofstream out(path / name, std::ios::binary);
    out << bytes;
    return path / name;
  }

  std::filesystem::path path;
};

}  // namespace herkomst::test
