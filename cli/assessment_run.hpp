// One assessment of an inventory, as `herkomst scan` and `herkomst assess` both do it: the
// policy (a file, or the built-in default) and the site context (a file, or none) loaded and
// checked first; every component assessed (assess/); the result put on the components as
// claims (rule "assess.policy") so it lands in the BOM and the stored inventory; and the run
// stored in the assessment tables with the versions it used.
//
//   assessment.verdict       none, attention, high-risk, unknown-data, exclusion-candidate
//   assessment.criterion1    yes, no, unknown (also criterion2, criterion3a, criterion3b)
//   assessment.explanation   the full reasoning (assess/explanation.hpp); in the BOM an annotation
#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "assess/criteria.hpp"
#include "assess/policy.hpp"
#include "assess/site_context.hpp"
#include "inventory/model.hpp"
#include "inventory/store.hpp"

namespace herkomst::cli {

inline constexpr const char* kRuleAssessment = "assess.policy";

struct AssessmentSetup {
  assess::Policy policy;
  assess::SiteContext context;  // SiteContext{} when none was given
};

// Empty paths: the built-in default policy, no site context. The error names file and field.
std::variant<AssessmentSetup, std::string> load_assessment_setup(const std::filesystem::path& policy,
                                                                 const std::filesystem::path& context);

// Assesses every component as of the day, replacing earlier assessment claims with new ones.
std::vector<assess::Assessment> assess_and_claim(const AssessmentSetup& setup, Inventory& inventory,
                                                 const origins::Day& as_of);

// Removes the claims a step added (origins.kb or assess.policy), so it can run again.
void drop_claims_of_rule(Inventory& inventory, std::string_view rule);

// Stores the run (policy, context and knowledge-base versions, the day) and one row per component.
Store::AssessmentRun store_assessment_run(Store& store, std::int64_t scan_id, const AssessmentSetup& setup,
                                          const std::string& knowledge_base, const origins::Day& as_of,
                                          const std::vector<assess::Assessment>& assessments);

// The JSON detail of one assessment (stored with it, printed by `explain --json`).
std::string assessment_detail_json(const assess::Assessment& a, const std::string& knowledge_base);

}  // namespace herkomst::cli
