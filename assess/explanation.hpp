// The assessment in words, for a procurement officer: the verdict and why, then each criterion
// with the facts behind it and their sources (the knowledge base's chain with its sources and
// dates, the policy's citations, who recorded each site fact and when, the scan observations),
// and what is unknown. Plain text, deterministic, lines of at most a few hundred characters.
//
//   Verdict: exclusion candidate
//     Criteria 1, 2 and 3A hold and 3B does not: every condition of the test for exclusion is met.
//   Criterion 1 (a law obliges cooperation with intelligence or military services): yes
//     XX (Xland), origin, control: yes. Xland Intelligence Act (2017), art. 7
//       source: Xland Intelligence Act (2017-06-27) https://...
//   ...
#pragma once

#include <string>

#include "assess/criteria.hpp"

namespace herkomst::assess {

// The full reasoning, ending in a newline.
std::string explain(const Assessment& a);

// One line: "exclusion-candidate device:mac:00:11:22:33:44:55 DS-2CD2143G2-I (Hikvision): 1 yes, 2 yes, 3A yes, 3B no".
std::string summary(const Assessment& a);

// The verdict's reason in one sentence (the second line of explain()).
std::string verdict_reason(const Assessment& a);

}  // namespace herkomst::assess
