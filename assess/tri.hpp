// Three-valued truth for the criteria: yes, no, or unknown (a fact nobody recorded, an origin
// that did not resolve). Combined with Kleene's rules, so an unknown never turns into a "no":
//   a and b   no when either is no, yes when both are yes, else unknown
//   a or b    yes when either is yes, no when both are no, else unknown
//   not a     swaps yes and no, keeps unknown
#pragma once

#include <optional>
#include <string_view>

namespace herkomst::assess {

enum class Tri { no, yes, unknown };

constexpr Tri tri(bool b) { return b ? Tri::yes : Tri::no; }
constexpr Tri tri(const std::optional<bool>& b) { return b ? tri(*b) : Tri::unknown; }

constexpr Tri operator!(Tri a) {
  return a == Tri::unknown ? Tri::unknown : (a == Tri::yes ? Tri::no : Tri::yes);
}
constexpr Tri operator&&(Tri a, Tri b) {
  if (a == Tri::no || b == Tri::no) return Tri::no;
  return a == Tri::yes && b == Tri::yes ? Tri::yes : Tri::unknown;
}
constexpr Tri operator||(Tri a, Tri b) {
  if (a == Tri::yes || b == Tri::yes) return Tri::yes;
  return a == Tri::no && b == Tri::no ? Tri::no : Tri::unknown;
}

// "yes", "no", "unknown": the spelling in policy files and explanations.
constexpr std::string_view to_string(Tri t) { return t == Tri::yes ? "yes" : t == Tri::no ? "no" : "unknown"; }
constexpr std::optional<Tri> tri_from(std::string_view text) {
  if (text == "yes") return Tri::yes;
  if (text == "no") return Tri::no;
  if (text == "unknown") return Tri::unknown;
  return std::nullopt;
}

}  // namespace herkomst::assess
