#include "fingerprints/vendor_tables.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#ifndef HERKOMST_ENTERPRISES_TSV
#define HERKOMST_ENTERPRISES_TSV "/usr/share/wireshark/enterprises.tsv"
#endif

namespace herkomst::fingerprints {
namespace embedded {
std::string_view odva_vendors_tsv();
std::string_view bacnet_vendors_tsv();
}  // namespace embedded

namespace {

constexpr std::string_view kBlanks = " \t\r";

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(kBlanks);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(kBlanks);
  return s.substr(b, e - b + 1);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The first "https://..." in a comment line (up to a blank or the end), "" when none.
std::string_view url_in(std::string_view line) {
  const auto at = line.find("https://");
  if (at == std::string_view::npos) return {};
  auto rest = line.substr(at);
  return rest.substr(0, std::min(rest.size(), rest.find_first_of(" \t\r,)")));
}

// The first YYYY-MM-DD in a line, "" when none.
std::string_view date_in(std::string_view line) {
  for (std::size_t i = 0; i + 10 <= line.size(); ++i) {
    const auto d = line.substr(i, 10);
    bool ok = true;
    for (std::size_t k = 0; k < 10 && ok; ++k) {
      const bool dash = k == 4 || k == 7;
      ok = dash ? d[k] == '-' : (d[k] >= '0' && d[k] <= '9');
    }
    if (ok) return d;
  }
  return {};
}

// An embedded "id<TAB>name" table: sorted (id, name) pairs viewing static storage.
struct EmbeddedTable {
  std::vector<std::pair<std::int64_t, std::string_view>> rows;
  TableVersion version;

  EmbeddedTable(std::string_view file, std::string_view text, std::string_view date_marker) {
    version.file = std::string(file);
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      if (line.empty()) continue;
      if (line.front() == '#') {
        if (version.source.empty()) version.source = url_in(line);  // the first URL is the source
        if (version.date.empty() && line.find(date_marker) != std::string_view::npos) version.date = date_in(line);
        continue;
      }
      const auto tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      const auto id = parse_int(trim(line.substr(0, tab)));
      const auto name = trim(line.substr(tab + 1));
      if (!id || name.empty()) continue;
      rows.emplace_back(*id, name);
    }
    std::sort(rows.begin(), rows.end());
    version.rows = rows.size();
  }

  std::optional<std::string_view> lookup(std::int64_t id) const {
    const auto it = std::lower_bound(rows.begin(), rows.end(), id, [](const auto& row, std::int64_t v) { return row.first < v; });
    if (it == rows.end() || it->first != id) return std::nullopt;
    return it->second;
  }
};

const EmbeddedTable& odva_table() {
  static const EmbeddedTable table("odva-vendors.tsv", embedded::odva_vendors_tsv(), "Transcribed");
  return table;
}

const EmbeddedTable& bacnet_table() {
  static const EmbeddedTable table("bacnet-vendors.tsv", embedded::bacnet_vendors_tsv(), "Transcribed");
  return table;
}

}  // namespace

std::string TableVersion::summary() const {
  std::ostringstream out;
  out << (file.empty() ? std::string("(no file)") : file) << ": ";
  if (!error.empty()) {
    out << "unavailable (" << error << ")";
    return out.str();
  }
  out << rows << " rows";
  if (!source.empty()) out << ", source " << source;
  if (!date.empty()) out << ", " << date;
  return out.str();
}

std::optional<std::string_view> odva_vendor(std::int64_t id) { return odva_table().lookup(id); }
std::optional<std::string_view> bacnet_vendor(std::int64_t id) { return bacnet_table().lookup(id); }
const TableVersion& odva_vendors_version() { return odva_table().version; }
const TableVersion& bacnet_vendors_version() { return bacnet_table().version; }

std::string_view default_enterprises_path() { return HERKOMST_ENTERPRISES_TSV; }

EnterpriseNumbers EnterpriseNumbers::load(const std::filesystem::path& path) {
  EnterpriseNumbers table;
  table.version_.file = path.string();
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    table.version_.error = err != 0 ? std::strerror(err) : "cannot open";
    return table;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    table.version_.error = "is a directory";
    return table;
  }
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view l = trim(line);
    if (l.empty()) continue;
    if (l.front() == '#') {
      if (table.version_.source.empty()) table.version_.source = url_in(l);
      if (table.version_.date.empty() && l.find("last updated") != std::string_view::npos) table.version_.date = date_in(l);
      continue;
    }
    const auto blank = l.find_first_of(" \t");
    if (blank == std::string_view::npos) continue;
    const auto number = parse_int(l.substr(0, blank));
    const auto name = trim(l.substr(blank));
    if (!number || name.empty()) continue;
    table.names_.emplace(*number, std::string(name));  // the first row for a number wins
  }
  if (in.bad()) {
    table.names_.clear();
    table.version_.error = "read error";
    return table;
  }
  table.version_.rows = table.names_.size();
  if (table.names_.empty()) table.version_.error = "no enterprise numbers in the file";
  return table;
}

std::optional<std::string_view> EnterpriseNumbers::lookup(std::int64_t number) const {
  const auto it = names_.find(number);
  if (it == names_.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace herkomst::fingerprints
