// RPM header blobs for the rpm database tests (rpm_sqlite, rpm_bdb, rpm_ndb): the "header blob"
// form rpm keeps per installed package (scanner/fs/rpm_header.hpp), built the way rpm lays it out.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace herkomst::test::rpm {

inline void put32(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xFF);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

// An RPM header blob: index entries {tag, type, offset, count} then the data store.
struct Entry {
  std::uint32_t tag, type;
  std::string data;  // a string with its NUL, or 4 bytes of an INT32
};

inline std::string be_int(std::uint32_t v) {
  std::string s;
  put32(s, v);
  return s;
}

inline std::string str(const std::string& s) {
  std::string out = s;
  out += '\0';
  return out;
}

inline std::string header_blob(const std::vector<Entry>& entries) {
  std::string index, store;
  for (const Entry& e : entries) {
    if (e.type == 4) {
      while (store.size() % 4) store += '\0';
    }
    put32(index, e.tag);
    put32(index, e.type);
    put32(index, static_cast<std::uint32_t>(store.size()));
    put32(index, 1);
    store += e.data;
  }
  std::string blob;
  put32(blob, static_cast<std::uint32_t>(entries.size()));
  put32(blob, static_cast<std::uint32_t>(store.size()));
  blob += index;
  blob += store;
  return blob;
}

inline std::string package_blob(const std::string& name, const std::string& version, const std::string& release,
                         const std::string& arch, const std::string& vendor, std::optional<std::uint32_t> epoch = {}) {
  std::vector<Entry> e = {{1000, 6, str(name)}, {1001, 6, str(version)}, {1002, 6, str(release)}, {1022, 6, str(arch)},
                          {1014, 6, str("OpenSSL")}, {1015, 6, str("Fedora Project")}};
  if (!vendor.empty()) e.push_back({1011, 6, str(vendor)});
  if (epoch) e.push_back({1003, 4, be_int(*epoch)});
  return header_blob(e);
}

// What a shell command prints on stdout, and whether it exited 0.
inline std::pair<bool, std::string> command_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {false, out};
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  return {::pclose(pipe) == 0, out};
}

}  // namespace herkomst::test::rpm
