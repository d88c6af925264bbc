#include "scanner/fs/registry_hive.hpp"

#include <hivex.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

namespace herkomst::fs {

namespace {

struct HiveCloser {
  void operator()(hive_h* h) const { hivex_close(h); }
};
using Hive = std::unique_ptr<hive_h, HiveCloser>;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

// An owned file descriptor (the memfd), closed on scope exit.
struct FdCloser {
  void operator()(const int* fd) const {
    if (*fd >= 0) ::close(*fd);
    delete fd;
  }
};
using Fd = std::unique_ptr<const int, FdCloser>;

// Writes all of `bytes` to an anonymous in-memory file.
bool fill(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The node at a backslash-separated path below `node` (hivex compares names case-insensitively).
hive_node_h child_path(hive_h* h, hive_node_h node, std::string_view path) {
  while (node != 0 && !path.empty()) {
    const std::size_t cut = path.find('\\');
    const std::string part(path.substr(0, cut));
    errno = 0;
    node = hivex_node_get_child(h, node, part.c_str());
    path = cut == std::string_view::npos ? std::string_view{} : path.substr(cut + 1);
  }
  return node;
}

struct TypedValue {
  hive_value_h value = 0;
  std::uint32_t type = 0;  // the raw type: a hostile hive holds any number, not only hive_type's
  std::size_t length = 0;
};

// The value `key` of `node` with its type and length; nullopt when absent or unreadable.
std::optional<TypedValue> find_value(hive_h* h, hive_node_h node, const char* key) {
  TypedValue v;
  v.value = hivex_node_get_value(h, node, key);
  hive_type type{};
  if (v.value == 0 || hivex_value_type(h, v.value, &type, &v.length) != 0) return std::nullopt;
  // Copied as bytes: loading an out-of-range enum value is undefined behaviour.
  static_assert(sizeof type == sizeof v.type);
  std::memcpy(&v.type, &type, sizeof type);
  return v;
}

// A string value (REG_SZ, REG_EXPAND_SZ) as UTF-8, bounded; nullopt when absent or another type.
std::optional<std::string> string_value(hive_h* h, hive_node_h node, const char* key) {
  const std::optional<TypedValue> v = find_value(h, node, key);
  if (!v || (v->type != hive_t_REG_SZ && v->type != hive_t_REG_EXPAND_SZ) || v->length > kRegistryMaxValueBytes) {
    return std::nullopt;
  }
  std::unique_ptr<char, FreeDeleter> text(hivex_value_string(h, v->value));
  if (!text) return std::nullopt;
  std::string out(text.get());
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

std::optional<std::uint32_t> dword_value(hive_h* h, hive_node_h node, const char* key) {
  const std::optional<TypedValue> v = find_value(h, node, key);
  if (!v || v->type != hive_t_REG_DWORD || v->length != 4) return std::nullopt;
  errno = 0;
  const std::int32_t n = hivex_value_dword(h, v->value);
  if (errno != 0) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::string node_name(hive_h* h, hive_node_h node) {
  std::unique_ptr<char, FreeDeleter> name(hivex_node_name(h, node));
  return name ? std::string(name.get()) : std::string();
}

struct View {
  std::string_view path;  // below the hive's root
  std::string_view label;
};

constexpr View kViews[] = {
    {"Microsoft\\Windows\\CurrentVersion\\Uninstall", "64-bit"},
    {"WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "32-bit (WOW6432Node)"},
    {"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "per-user"},
    {"Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "per-user 32-bit (WOW6432Node)"},
};

void read_entry(hive_h* h, hive_node_h entry, const View& view, const std::string& file, ParseResult& result) {
  const std::string key_name = node_name(h, entry);
  std::string key(view.path);
  key += '\\';
  key += key_name;
  const std::optional<std::string> name = string_value(h, entry, "DisplayName");
  if (!name || name->empty() || dword_value(h, entry, "SystemComponent").value_or(0) == 1 ||
      string_value(h, entry, "ParentKeyName").has_value()) {
    ++result.skipped;
    return;
  }
  Package package;
  package.ecosystem = Ecosystem::generic;
  package.name = *name;
  package.version = string_value(h, entry, "DisplayVersion").value_or("");
  if (auto publisher = string_value(h, entry, "Publisher"); publisher && !publisher->empty()) {
    package.supplier = *publisher;
    package.supplier_field = "Publisher";
  }
  package.properties["registry.key"] = key;
  package.properties["registry.view"] = std::string(view.label);
  if (auto date = string_value(h, entry, "InstallDate"); date && !date->empty()) {
    package.properties["registry.InstallDate"] = *date;
  }
  if (auto where = string_value(h, entry, "InstallLocation"); where && !where->empty()) {
    package.properties["registry.InstallLocation"] = *where;
  }
  package.method = std::string(kManifestAnalysis);
  result.add(std::move(package), kRegistryHiveCataloger, kRegistryConfidence, Location{file, 0, key, ""});
}

void read_view(hive_h* h, hive_node_h root, const View& view, const std::string& file, ParseResult& result) {
  const hive_node_h uninstall = child_path(h, root, view.path);
  if (uninstall == 0) return;
  errno = 0;
  std::unique_ptr<hive_node_h, FreeDeleter> children(hivex_node_children(h, uninstall));
  if (!children) {
    std::string message(view.path);
    message += ": subkeys unreadable: ";
    message += std::strerror(errno);
    result.error(file, 0, std::move(message));
    return;
  }
  std::size_t visited = 0;
  for (const hive_node_h* child = children.get(); *child != 0; ++child) {
    if (++visited > kRegistryMaxEntries) {
      std::string message(view.path);
      message += ": more than ";
      message += std::to_string(kRegistryMaxEntries);
      message += " subkeys, the rest not read";
      result.error(file, 0, std::move(message));
      return;
    }
    read_entry(h, *child, view, file, result);
  }
}

}  // namespace

ParseResult parse_registry_hive(std::string_view bytes, const std::string& file) {
  ParseResult result;
  if (bytes.size() < 4096 || bytes.substr(0, 4) != "regf") {
    result.error(file, 0, "not a registry hive (no regf header of 4096 bytes)");
    return result;
  }
  const Fd fd(new int(::memfd_create("herkomst-hive", MFD_CLOEXEC)));
  if (*fd < 0 || !fill(*fd, bytes)) {
    std::string message = "cannot hold the hive in memory: ";
    message += std::strerror(errno);
    result.error(file, 0, std::move(message));
    return result;
  }
  std::string name = "/proc/self/fd/";
  name += std::to_string(*fd);
  errno = 0;
  const Hive hive(hivex_open(name.c_str(), 0));
  if (!hive) {
    std::string message = "hivex cannot open the hive: ";
    message += std::strerror(errno);
    result.error(file, 0, std::move(message));
    return result;
  }
  const hive_node_h root = hivex_root(hive.get());
  if (root == 0) {
    result.error(file, 0, "hive has no root key");
    return result;
  }
  for (const View& view : kViews) read_view(hive.get(), root, view, file, result);
  return result;
}

ParseResult parse_registry_hive_file(const FileReader& file, const std::string& path) {
  const std::string bytes = file.read(0, static_cast<std::size_t>(std::min<std::uint64_t>(file.size(), kRegistryHiveMaxBytes)));
  return parse_registry_hive(bytes, path);
}

}  // namespace herkomst::fs
