#include "assess/terms.hpp"

namespace herkomst::assess {
namespace {

struct Words {
  std::string_view file;
  std::string_view people;
};

constexpr std::array<Words, 4> kAccess{{
    {"vendor_remote_access", "vendor remote access or maintenance"},
    {"cloud_connectivity", "cloud connectivity (connections to services outside the site)"},
    {"physical_access", "physical access to sensitive locations"},
    {"sensitive_ict_access", "access to sensitive ICT systems"},
}};
constexpr std::array<Words, 5> kMitigation{{
    {"segmentation", "network segmentation"},
    {"no_internet_route", "no route to the internet"},
    {"monitoring", "monitoring"},
    {"contractual_requirements", "contractual security requirements"},
    {"replacement_planned", "replacement planned"},
}};
constexpr std::array<Words, 5> kLevel{{
    {"none", "none: not an exclusion candidate, and no level of the policy applies"},
    {"attention", "attention"},
    {"high-risk", "high risk"},
    {"unknown-data", "unknown: data missing to decide"},
    {"exclusion-candidate", "exclusion candidate"},
}};
constexpr std::array<Words, 5> kCondition{{
    {"1", "criterion 1"},
    {"2", "criterion 2"},
    {"3A", "criterion 3A"},
    {"3B", "criterion 3B"},
    {"vital", "vital process"},
}};

template <typename Enum, std::size_t N>
std::optional<Enum> find(const std::array<Words, N>& words, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (words[i].file == text) return static_cast<Enum>(i);
  return std::nullopt;
}

template <std::size_t N, typename Enum>
const Words& at(const std::array<Words, N>& words, Enum e) {
  return words.at(static_cast<std::size_t>(e));
}

template <std::size_t N>
std::string known(const std::array<Words, N>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + std::string(w.file);
  return out;
}

}  // namespace

std::string known_access_kinds() { return known(kAccess); }
std::string known_mitigations() { return known(kMitigation); }

std::string_view to_string(AccessKind k) { return at(kAccess, k).file; }
std::string_view to_string(Mitigation m) { return at(kMitigation, m).file; }
std::string_view to_string(Level l) { return at(kLevel, l).file; }
std::string_view to_string(Condition c) { return at(kCondition, c).file; }
std::optional<AccessKind> access_kind_from(std::string_view text) { return find<AccessKind>(kAccess, text); }
std::optional<Mitigation> mitigation_from(std::string_view text) { return find<Mitigation>(kMitigation, text); }
std::optional<Level> level_from(std::string_view text) { return find<Level>(kLevel, text); }
std::optional<Condition> condition_from(std::string_view text) { return find<Condition>(kCondition, text); }
std::string_view describe(AccessKind k) { return at(kAccess, k).people; }
std::string_view describe(Mitigation m) { return at(kMitigation, m).people; }
std::string_view describe(Level l) { return at(kLevel, l).people; }
std::string_view describe(Condition c) { return at(kCondition, c).people; }

}  // namespace herkomst::assess
