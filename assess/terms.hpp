// The words of the test (letter to parliament of 17 April 2023, Kamerstuk 26643 nr. 1007), as
// policy files, site contexts and explanations spell them:
//
//   criteria      1   the law of a country of origin or control obliges firms to cooperate
//                     with its intelligence or military services (or the party is a state
//                     company of such a country)
//                 2   that country runs an offensive cyber programme against the Netherlands
//                 3A  the supplier has access: remote access or maintenance, cloud
//                     connectivity, physical access to sensitive locations, access to
//                     sensitive ICT systems
//                 3B  mitigations sufficiently control the risks of that access
//   access kinds  the four kinds of access of 3A
//   mitigations   segmentation, no route to the internet, monitoring, contractual security
//                 requirements, replacement planned
//   levels        none < attention < high-risk < unknown-data < exclusion-candidate
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace herkomst::assess {

enum class AccessKind { vendor_remote_access, cloud_connectivity, physical_access, sensitive_ict_access };
inline constexpr std::array kAccessKinds{AccessKind::vendor_remote_access, AccessKind::cloud_connectivity,
                                        AccessKind::physical_access, AccessKind::sensitive_ict_access};

enum class Mitigation { segmentation, no_internet_route, monitoring, contractual_requirements, replacement_planned };
inline constexpr std::array kMitigations{Mitigation::segmentation, Mitigation::no_internet_route, Mitigation::monitoring,
                                        Mitigation::contractual_requirements, Mitigation::replacement_planned};

// The verdict levels, in order of severity. exclusion_candidate is reached only by the fixed
// rule (criteria.hpp); unknown_data only when the rule cannot be decided; a policy's level
// rules give attention or high_risk.
enum class Level { none, attention, high_risk, unknown_data, exclusion_candidate };

// The conditions a policy's level rule may test: a criterion, or whether the asset serves a
// vital process.
enum class Condition { c1, c2, c3a, c3b, vital };
inline constexpr std::array kConditions{Condition::c1, Condition::c2, Condition::c3a, Condition::c3b, Condition::vital};

// File spelling ("vendor_remote_access", "no_internet_route", "high-risk", "3A") and back.
std::string_view to_string(AccessKind k);
std::string_view to_string(Mitigation m);
std::string_view to_string(Level l);
std::string_view to_string(Condition c);
std::optional<AccessKind> access_kind_from(std::string_view text);
std::optional<Mitigation> mitigation_from(std::string_view text);
std::optional<Level> level_from(std::string_view text);
std::optional<Condition> condition_from(std::string_view text);

// All file spellings, comma-separated, for error messages: "vendor_remote_access, ...".
std::string known_access_kinds();
std::string known_mitigations();

// Words for people: "vendor remote access or maintenance", "exclusion candidate", ...
std::string_view describe(AccessKind k);
std::string_view describe(Mitigation m);
std::string_view describe(Level l);
std::string_view describe(Condition c);

constexpr std::size_t index(AccessKind k) { return static_cast<std::size_t>(k); }
constexpr std::size_t index(Mitigation m) { return static_cast<std::size_t>(m); }

}  // namespace herkomst::assess
