// The knowledge base a command works with: the built-in tables (origins/data, a copy kept in the
// store by version) plus the analyst's imports stored with `herkomst vendors import`.
#pragma once

#include <string>
#include <variant>

#include "inventory/store.hpp"
#include "origins/knowledge_base.hpp"

namespace herkomst::cli {

struct LoadedKnowledge {
  origins::KnowledgeBase kb;
  std::string version;  // kb.version(), plus the number of imports when there are any
};

// Loads the built-in tables and the store's imports, refreshing the store's copy of the built-in
// tables when their version changed. An error names the file and line (never a partial load).
std::variant<LoadedKnowledge, std::string> load_knowledge(Store& store);

// Today's date (UTC), for "as of" defaults.
origins::Day today_utc();

}  // namespace herkomst::cli
