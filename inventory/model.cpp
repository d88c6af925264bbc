#include "inventory/model.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace herkomst {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kSourceKinds{"capture", "probe", "filesystem", "sbom"};
constexpr std::array<std::string_view, 5> kKeyKinds{"mac", "ipv4", "ipv6", "hostname", "path"};
constexpr std::array<std::string_view, 5> kComponentTypes{"device", "firmware", "operating-system",
                                                          "application", "library"};
constexpr std::array<std::string_view, 4> kScanStatuses{"running", "complete", "incomplete", "failed"};

}  // namespace

std::string_view to_string(SourceKind kind) { return kSourceKinds.at(static_cast<std::size_t>(kind)); }
std::optional<SourceKind> source_kind_from(std::string_view text) { return lookup<SourceKind>(kSourceKinds, text); }
std::string_view to_string(KeyKind kind) { return kKeyKinds.at(static_cast<std::size_t>(kind)); }
std::optional<KeyKind> key_kind_from(std::string_view text) { return lookup<KeyKind>(kKeyKinds, text); }
std::string_view to_string(ComponentType type) { return kComponentTypes.at(static_cast<std::size_t>(type)); }
std::optional<ComponentType> component_type_from(std::string_view text) {
  return lookup<ComponentType>(kComponentTypes, text);
}
std::string_view to_string(ScanStatus status) { return kScanStatuses.at(static_cast<std::size_t>(status)); }
std::optional<ScanStatus> scan_status_from(std::string_view text) { return lookup<ScanStatus>(kScanStatuses, text); }

std::string to_string(const SubjectKey& key) {
  std::string out(to_string(key.kind));
  out += ':';
  out += key.value;
  return out;
}

std::string to_string(const FieldValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", d);
      return buf;
    }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  };
  return std::visit(Visitor{}, value);
}

void Evidence::add(std::uint64_t frame, std::int64_t time_us) {
  if (count == 0 || frame < first_frame) {
    first_frame = frame;
    first_time_us = time_us;
  }
  if (count == 0 || frame > last_frame) {
    last_frame = frame;
    last_time_us = time_us;
  }
  ++count;
  if (frames.size() < kMaxFrames) frames.push_back(frame);
}

void Evidence::merge(const Evidence& other) {
  if (other.count == 0) return;
  if (count == 0 || other.first_frame < first_frame) {
    first_frame = other.first_frame;
    first_time_us = other.first_time_us;
  }
  if (count == 0 || other.last_frame > last_frame) {
    last_frame = other.last_frame;
    last_time_us = other.last_time_us;
  }
  count += other.count;
  frames.insert(frames.end(), other.frames.begin(), other.frames.end());
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
  if (frames.size() > kMaxFrames) frames.resize(kMaxFrames);
}

const FieldValue* Observation::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f.value;
  return nullptr;
}

std::string Observation::field_text(std::string_view name) const {
  const FieldValue* v = field(name);
  return v ? to_string(*v) : std::string{};
}

namespace {
// Ranking of claims for one attribute: confidence, then support, then value.
struct Ranked {
  const Claim* claim;
  double confidence;
  std::size_t support;
};
std::vector<Ranked> rank(const std::vector<Claim>& claims, std::string_view attribute) {
  std::vector<Ranked> out;
  for (const auto& c : claims) {
    if (c.attribute != attribute) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const Ranked& r) { return r.claim->value == c.value; });
    if (it == out.end()) {
      out.push_back({&c, c.confidence, 1});
    } else {
      ++it->support;
      if (c.confidence > it->confidence) {
        it->confidence = c.confidence;
        it->claim = &c;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.support != b.support) return a.support > b.support;
    return a.claim->value < b.claim->value;
  });
  return out;
}
}  // namespace

const Claim* Component::best(std::string_view attribute) const {
  auto ranked = rank(claims, attribute);
  return ranked.empty() ? nullptr : ranked.front().claim;
}

std::vector<const Claim*> Component::all(std::string_view attribute) const {
  std::vector<const Claim*> out;
  for (const auto& r : rank(claims, attribute)) out.push_back(r.claim);
  return out;
}

const Observation* Inventory::observation(std::uint64_t id) const {
  if (id == 0 || id > observations.size()) return nullptr;
  const Observation& o = observations[id - 1];
  return o.id == id ? &o : nullptr;
}

}  // namespace herkomst
