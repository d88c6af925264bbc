// RAII ownership of a C stdio FILE, for the readers in herkomst_capture.
//
//   FileHandle file = open_file(path);   // nullptr on failure, errno says why
//   std::fread(..., file.get());          // closed when `file` goes out of scope
#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace herkomst::capture {

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using FileHandle = std::unique_ptr<std::FILE, FileCloser>;

inline FileHandle open_file(const std::string& path) { return FileHandle(std::fopen(path.c_str(), "rb")); }

}  // namespace herkomst::capture
