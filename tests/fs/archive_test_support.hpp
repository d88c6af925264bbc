// Archives for the filesystem tests, written in memory at test time with libarchive's writer API
// (https://github.com/libarchive/libarchive/wiki/Examples#a-basic-write-example).
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace herkomst::test {

struct WriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

enum class Kind { tar_gz, zip, cpio, tar };

struct Member {
  std::string name;
  std::string content;
  unsigned mode = 0644;  // permission bits
};

// An archive in memory with the members given (name, content, permission bits).
inline std::string make_archive_with_modes(Kind kind, const std::vector<Member>& members) {
  std::unique_ptr<archive, WriterDeleter> a(archive_write_new());
  switch (kind) {
    case Kind::tar_gz:
      archive_write_set_format_pax_restricted(a.get());
      archive_write_add_filter_gzip(a.get());
      break;
    case Kind::tar: archive_write_set_format_pax_restricted(a.get()); break;
    case Kind::zip: archive_write_set_format_zip(a.get()); break;
    case Kind::cpio: archive_write_set_format_cpio_newc(a.get()); break;
  }
  std::size_t capacity = 1 << 20;
  for (const Member& m : members) capacity += m.content.size() + 1024;
  std::string out(capacity, '\0');
  std::size_t used = 0;
  REQUIRE(archive_write_open_memory(a.get(), out.data(), out.size(), &used) == ARCHIVE_OK);
  for (const auto& [name, content, mode] : members) {
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), mode);
    REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
    REQUIRE(archive_write_data(a.get(), content.data(), content.size()) == static_cast<la_ssize_t>(content.size()));
  }
  REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
  out.resize(used);
  return out;
}

// An archive in memory with the members given (name, content), each with mode 0644.
inline std::string make_archive(Kind kind, const std::vector<std::pair<std::string, std::string>>& members) {
  std::vector<Member> with_modes;
  for (const auto& [name, content] : members) with_modes.push_back({name, content});
  return make_archive_with_modes(kind, with_modes);
}

}  // namespace herkomst::test
