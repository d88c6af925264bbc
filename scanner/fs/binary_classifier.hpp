// Software recognised in binaries by the version string compiled into them (BusyBox's banner,
// OpenSSL's OPENSSL_VERSION_TEXT, libpcap's pcap_lib_version()), by rules kept as data:
// fingerprints/software/binary-classifiers.json, embedded at build time
// (fingerprints/data/embed_text.cmake). The model is syft's binary cataloger
// (https://github.com/anchore/syft/tree/main/syft/pkg/cataloger/binary): file globs, a pattern
// over the contents with a version group, PURL and CPE templates.
//
// A rule: id, product, vendor, `files` (globs on the path, archive members included), `anchor` (a
// literal searched for in the file's first `max_bytes`, at most kBinaryClassifierMaxRead),
// `pattern` (ECMAScript, matched at each occurrence of the anchor over at most `window` bytes,
// kBinaryClassifierMaxWindow at most; group 1 is the version), `purl` and `cpe` (templates in which
// {version} is replaced), `source` (where the string's format comes from) and `examples` (texts
// with the version they give, or no_match), run by check_binary_examples() and the tests. A rule
// with an unknown key, a missing field, a regex that does not compile, a template without
// {version}, limits out of bounds, or no examples is refused at load. The regex only ever sees a
// window of at most a few hundred bytes after a literal hit, so a large binary costs one linear
// search per rule, never a regex over megabytes.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scanner/fs/package.hpp"
#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kBinaryClassifierCataloger = "binary-classifier";
inline constexpr double kBinaryClassifierConfidence = 0.7;  // a version string, not a manifest
inline constexpr std::uint64_t kBinaryClassifierMaxRead = 16ull << 20;
inline constexpr std::size_t kBinaryClassifierMaxWindow = 512;
// Anchor occurrences tried per rule and file: a file stuffed with the anchor (hostile, or a
// binary that prints it in many messages) costs at most this many window matches.
inline constexpr std::size_t kBinaryClassifierMaxTries = 4096;

struct BinaryRule {
  std::string id, product, vendor, source;
  std::vector<std::string> files;
  std::string anchor;
  std::regex pattern;
  std::size_t window = 128;
  std::uint64_t max_bytes = 4ull << 20;
  std::string purl, cpe;      // templates with {version}
  std::string examples_json;  // the rule's examples, as JSON text
};

// Parses a rules file; the error names the rule and what is wrong.
std::variant<std::vector<BinaryRule>, std::string> load_binary_rules(std::string_view json);

// The embedded fingerprints/software/binary-classifiers.json (an invalid file is a build defect
// caught by the tests, and gives no rules here).
const std::vector<BinaryRule>& builtin_binary_rules();

// The version `rule` finds in `content` (the first anchor occurrence the pattern matches at).
struct BinaryMatch {
  std::string version;
  std::uint64_t offset = 0;  // of the anchor
  std::string text;          // what the pattern matched
};
std::optional<BinaryMatch> match_binary_rule(const BinaryRule& rule, std::string_view content);

// Each rule's examples run through match_binary_rule; one line per failure.
std::vector<std::string> check_binary_examples(const std::vector<BinaryRule>& rules);

// Reads the file (up to the largest max_bytes of the rules whose globs take `path`) and returns a
// package per rule that matches; a read error is an error value.
ParseResult classify_binary(const std::vector<BinaryRule>& rules, const FileReader& file, const std::string& path);

// The cataloger over the built-in rules: the union of their globs.
Cataloger binary_classifier_cataloger();

}  // namespace herkomst::fs
