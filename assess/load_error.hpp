// The one error a policy or site-context loader returns: what is wrong, naming the file and the
// field, e.g. "configs/policy.json: countries[3].criterion1.since: not a date (YYYY-MM-DD)".
// A loader returns either a complete, checked value or this; nothing is ever half-loaded.
#pragma once

#include <string>

namespace herkomst::assess {

struct LoadError {
  std::string message;
};

}  // namespace herkomst::assess
