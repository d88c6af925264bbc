#include "scanner/fs/java_archive.hpp"

#include <map>
#include <utility>
#include <vector>

#include "scanner/fs/archive.hpp"
#include "scanner/fs/text_lines.hpp"

namespace herkomst::fs {

namespace {

constexpr std::string_view kJavaSuffixes[] = {".jar", ".war", ".ear", ".jpi", ".hpi"};
constexpr std::size_t kMaxAttribute = 64u << 10;  // longer manifest values are not identities

bool java_archive_name(std::string_view name) {
  const std::string lower = ascii_lower(name);
  for (std::string_view suffix : kJavaSuffixes)
    if (lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

bool pom_properties_name(std::string_view name) {
  return glob_match("META-INF/maven/*/*/pom.properties", name);
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The main section of a manifest: lower-cased attribute name -> (name as written, value).
std::map<std::string, std::pair<std::string, std::string>> manifest_main(std::string_view text) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  std::pair<std::string, std::string>* last = nullptr;
  while (!text.empty()) {
    std::string_view line = pop_line(text);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the main section
    if (line.front() == ' ') {
      if (last && last->second.size() + line.size() <= kMaxAttribute) last->second += line.substr(1);
      continue;
    }
    const auto colon = line.find(": ");
    last = nullptr;
    if (colon == std::string_view::npos || colon == 0) continue;
    auto& slot = out[ascii_lower(line.substr(0, colon))];
    slot = {std::string(line.substr(0, colon)), std::string(line.substr(colon + 2, kMaxAttribute))};
    last = &slot;
  }
  return out;
}

std::map<std::string, std::string> java_properties(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    std::string_view line = trimmed(pop_line(text));
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    const auto sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) continue;
    out[std::string(trimmed(line.substr(0, sep)))] = std::string(trimmed(line.substr(sep + 1)));
  }
  return out;
}

// "lib/commons-io-2.11.0.jar" -> ("commons-io", "2.11.0"); no version tail -> (stem, "").
std::pair<std::string, std::string> name_from_file(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (const auto dot = base.rfind('.'); dot != std::string_view::npos) base = base.substr(0, dot);
  for (std::size_t i = 0; i + 1 < base.size(); ++i) {
    if (base[i] == '-' && base[i + 1] >= '0' && base[i + 1] <= '9' && i > 0)
      return {std::string(base.substr(0, i)), std::string(base.substr(i + 1))};
  }
  return {std::string(base), ""};
}

// A name as a manifest may write it: not empty, no control characters (spaces allowed:
// "Apache Commons IO").
bool printable(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return true;
}

struct Contents {
  std::string manifest;
  bool has_manifest = false;
  std::vector<std::pair<std::string, std::string>> poms;    // member name, content
  std::vector<std::pair<std::string, std::string>> nested;  // member name, content
};

class JavaReader {
 public:
  JavaReader(const ArchiveLimits& limits, ParseResult& result) : limits_(limits), result_(result) {}

  void read(const FileReader& file, const std::string& path, const std::string& inside, std::size_t depth) {
    if (depth > limits_.max_depth) {
      result_.error(path, 0, "Java archive nested deeper than " + std::to_string(limits_.max_depth) + " levels");
      return;
    }
    Contents contents;
    const auto want = [](const ArchiveMember& member) {
      const std::string& name = member.name;
      return name == "META-INF/MANIFEST.MF" || pom_properties_name(name) || java_archive_name(name);
    };
    const auto visit = [&contents](const ArchiveMember& member, std::string_view content) {
      const std::string& name = member.name;
      if (name == "META-INF/MANIFEST.MF") {
        contents.manifest = content;
        contents.has_manifest = true;
      } else if (pom_properties_name(name)) {
        contents.poms.emplace_back(name, std::string(content));
      } else {
        contents.nested.emplace_back(name, std::string(content));
      }
    };
    const ArchiveReadResult archive = read_archive(file, limits_, want, visit);
    if (!archive.opened) {
      result_.error(path, 0, "not a zip archive that can be read");
      return;
    }
    for (const ArchiveNote& note : archive.notes) {
      std::string where = path;
      if (!note.member.empty()) {
        where += "!/";
        where += note.member;
      }
      std::string message = note.reason;
      if (!note.detail.empty()) {
        message += ": ";
        message += note.detail;
      }
      result_.error(where, 0, std::move(message));
    }
    report(contents, path, inside.empty() ? path : inside);
    for (const auto& [name, content] : contents.nested) {
      const MemoryReader inner(content);
      std::string inner_path = path;
      inner_path += "!/";
      inner_path += name;
      read(inner, inner_path, inner_path, depth + 1);
    }
  }

 private:
  void report(const Contents& contents, const std::string& path, const std::string& inside) {
    const auto manifest = manifest_main(contents.manifest);
    const auto attribute = [&manifest](const char* key) {
      const auto it = manifest.find(ascii_lower(key));
      return it == manifest.end() ? std::string() : std::string(trimmed(it->second.second));
    };
    Package base;
    base.ecosystem = Ecosystem::maven;
    for (const char* field : {"Implementation-Vendor", "Bundle-Vendor", "Specification-Vendor"}) {
      if (std::string vendor = attribute(field); !vendor.empty()) {
        base.supplier = std::move(vendor);
        base.supplier_field = field;
        break;
      }
    }
    for (const char* key : {"Implementation-Title", "Implementation-Version", "Implementation-Vendor",
                            "Specification-Title", "Specification-Version", "Specification-Vendor",
                            "Implementation-Vendor-Id", "Bundle-SymbolicName", "Bundle-Name", "Bundle-Version",
                            "Bundle-Vendor", "Automatic-Module-Name"}) {
      if (std::string value = attribute(key); !value.empty()) base.properties[std::string("java.manifest.") + key] = value;
    }

    std::size_t reported = 0;
    for (const auto& [member, text] : contents.poms) {
      const auto props = java_properties(text);
      const auto get = [&props](const char* key) {
        const auto it = props.find(key);
        return it == props.end() ? std::string() : it->second;
      };
      const std::string where = path + "!/" + member;
      Package p = base;
      p.namespace_ = get("groupId");
      p.name = get("artifactId");
      p.version = get("version");
      if (!valid_token(p.name) || !valid_token(p.namespace_)) {
        result_.error(where, 0, "pom.properties without groupId and artifactId");
        continue;
      }
      if (!p.version.empty() && !valid_token(p.version)) p.version.clear();
      result_.add(std::move(p), kJavaArchiveCataloger, kPomPropertiesConfidence, Location{where, 0, "", inside});
      ++reported;
    }
    if (reported > 0) return;

    // No Maven coordinates. The name: the file's own (what the jar is installed as,
    // "asm-9.7.1.jar"), else the manifest's identifiers (Bundle-SymbolicName,
    // Automatic-Module-Name), else its titles. Titles are prose ("ASM, a very small and fast Java
    // bytecode manipulation framework"), kept as properties. The version: the manifest's, else the
    // file name's. The group only where the manifest states it (Implementation-Vendor-Id, which
    // Maven's archiver fills with the groupId): no group is guessed from a symbolic name.
    Package p = base;
    const auto [file_name, file_version] = name_from_file(path);
    std::string symbolic = attribute("Bundle-SymbolicName");
    symbolic = std::string(trimmed(std::string_view(symbolic).substr(0, symbolic.find(';'))));
    for (const std::string& candidate : {file_name, symbolic, attribute("Automatic-Module-Name"),
                                         attribute("Implementation-Title"), attribute("Bundle-Name")}) {
      if (valid_token(candidate)) {
        p.name = candidate;
        break;
      }
    }
    if (p.name.empty()) {
      const std::string title = attribute("Implementation-Title");
      p.name = printable(title) ? title : attribute("Bundle-Name");
    }
    if (!printable(p.name)) {
      result_.error(path, 0, "no name in the manifest or the file name");
      return;
    }
    if (const std::string group = attribute("Implementation-Vendor-Id"); valid_token(group)) p.namespace_ = group;
    p.version = attribute("Implementation-Version");
    if (p.version.empty() || !valid_token(p.version)) p.version = attribute("Bundle-Version");
    const bool manifest_version = valid_token(p.version);
    if (!manifest_version) p.version = file_version;
    const double confidence = manifest_version ? kManifestConfidence : kFileNameConfidence;
    const std::string where = contents.has_manifest ? path + "!/META-INF/MANIFEST.MF" : path;
    result_.add(std::move(p), kJavaArchiveCataloger, confidence, Location{where, 0, "", inside});
  }

  const ArchiveLimits& limits_;
  ParseResult& result_;
};

}  // namespace

ParseResult parse_java_archive(const FileReader& file, const std::string& path, const ArchiveLimits& limits) {
  ParseResult result;
  JavaReader(limits, result).read(file, path, "", 1);
  return result;
}

}  // namespace herkomst::fs
