// The shared model: evidence bookkeeping, claim ranking, enum spellings, observation lookup.
#include <catch2/catch.hpp>

#include "inventory/model.hpp"

using namespace herkomst;

namespace {

Claim claim(std::string attribute, std::string value, double confidence, std::uint64_t observation = 1) {
  return Claim{std::move(attribute), std::move(value), confidence, "rule", observation};
}

}  // namespace

TEST_CASE("Evidence::add keeps the first and last sighting, counts all, samples the first frames") {
  Evidence e;
  e.add(10, 1000);
  CHECK(e.first_frame == 10);
  CHECK(e.last_frame == 10);
  CHECK(e.first_time_us == 1000);
  CHECK(e.last_time_us == 1000);
  CHECK(e.count == 1);
  CHECK(e.frames == std::vector<std::uint64_t>{10});

  e.add(4, 400);  // an earlier frame arrives later (merged inputs): it becomes the first
  e.add(20, 2000);
  CHECK(e.first_frame == 4);
  CHECK(e.first_time_us == 400);
  CHECK(e.last_frame == 20);
  CHECK(e.last_time_us == 2000);
  CHECK(e.count == 3);
  CHECK(e.frames == std::vector<std::uint64_t>{10, 4, 20});  // in the order seen

  for (std::uint64_t f = 21; f < 40; ++f) e.add(f, static_cast<std::int64_t>(f) * 100);
  CHECK(e.count == 22);
  CHECK(e.frames.size() == Evidence::kMaxFrames);
  CHECK(e.frames == std::vector<std::uint64_t>{10, 4, 20, 21, 22, 23, 24, 25});
  CHECK(e.last_frame == 39);
  CHECK(e.last_time_us == 3900);
}

TEST_CASE("Evidence::add with frame 0 and negative times") {
  Evidence e;
  e.add(0, -5);
  CHECK(e.count == 1);
  CHECK(e.first_frame == 0);
  CHECK(e.first_time_us == -5);
  e.add(0, -7);  // same frame again: counted, first/last unchanged
  CHECK(e.count == 2);
  CHECK(e.first_time_us == -5);
  CHECK(e.frames == std::vector<std::uint64_t>{0, 0});
}

TEST_CASE("Evidence::merge folds another sighting record in, bounded and sorted") {
  Evidence a;
  for (std::uint64_t f : {5u, 7u, 9u}) a.add(f, static_cast<std::int64_t>(f));
  Evidence b;
  for (std::uint64_t f : {1u, 7u, 30u, 31u, 32u, 33u, 34u, 35u, 36u}) b.add(f, static_cast<std::int64_t>(f) * 10);

  Evidence merged = a;
  merged.merge(b);
  CHECK(merged.count == 12);
  CHECK(merged.first_frame == 1);
  CHECK(merged.first_time_us == 10);
  CHECK(merged.last_frame == 36);
  CHECK(merged.last_time_us == 360);
  // Union of both samples, sorted, duplicates once, cut to kMaxFrames.
  CHECK(merged.frames == std::vector<std::uint64_t>{1, 5, 7, 9, 30, 31, 32, 33});

  SECTION("merging an empty evidence changes nothing") {
    Evidence before = merged;
    merged.merge(Evidence{});
    CHECK(merged.count == before.count);
    CHECK(merged.frames == before.frames);
    CHECK(merged.first_frame == before.first_frame);
    CHECK(merged.last_frame == before.last_frame);
  }
  SECTION("merging into an empty evidence copies the other") {
    Evidence empty;
    empty.merge(a);
    CHECK(empty.count == 3);
    CHECK(empty.first_frame == 5);
    CHECK(empty.last_frame == 9);
    CHECK(empty.first_time_us == 5);
    CHECK(empty.last_time_us == 9);
    CHECK(empty.frames == std::vector<std::uint64_t>{5, 7, 9});
  }
  SECTION("a later evidence does not move the first sighting") {
    Evidence late;
    late.add(100, 100);
    Evidence early = a;
    early.merge(late);
    CHECK(early.first_frame == 5);
    CHECK(early.last_frame == 100);
    CHECK(early.last_time_us == 100);
  }
}

TEST_CASE("Component::best ranks by confidence first") {
  Component c;
  c.claims = {claim("manufacturer.name", "Alpha", 0.4), claim("manufacturer.name", "Alpha", 0.4, 2),
              claim("manufacturer.name", "Alpha", 0.4, 3), claim("manufacturer.name", "Beta", 0.6)};
  REQUIRE(c.best("manufacturer.name"));
  CHECK(c.best("manufacturer.name")->value == "Beta");  // one confident claim beats three weaker ones
}

TEST_CASE("Component::best breaks confidence ties by support, then by the smaller value") {
  Component c;
  c.claims = {claim("role", "plc", 0.5), claim("role", "hmi", 0.5), claim("role", "hmi", 0.3, 2)};
  // "hmi" reaches 0.5 with two supporting claims: equal confidence, more support.
  REQUIRE(c.best("role"));
  CHECK(c.best("role")->value == "hmi");
  CHECK(c.best("role")->confidence == 0.5);  // the strongest claim of that value stands for it

  Component tie;
  tie.claims = {claim("role", "plc", 0.5), claim("role", "hmi", 0.5)};
  CHECK(tie.best("role")->value == "hmi");  // same confidence, same support: smallest value
}

TEST_CASE("Component::best is nullptr for an attribute nobody claims") {
  Component c;
  CHECK(c.best("role") == nullptr);
  c.claims = {claim("manufacturer.name", "Alpha", 0.4)};
  CHECK(c.best("role") == nullptr);
  CHECK(c.all("role").empty());
}

TEST_CASE("Component::all lists every distinct value best first, conflicts kept") {
  Component c;
  c.claims = {claim("manufacturer.name", "Gamma", 0.2),     claim("manufacturer.name", "Alpha", 0.5),
              claim("manufacturer.name", "Beta", 0.5),      claim("manufacturer.name", "Beta", 0.1, 2),
              claim("manufacturer.name", "Alpha", 0.9, 3), claim("role", "plc", 1.0)};
  const auto all = c.all("manufacturer.name");
  REQUIRE(all.size() == 3);
  CHECK(all[0]->value == "Alpha");
  CHECK(all[0]->confidence == 0.9);
  CHECK(all[0]->observation_id == 3);
  CHECK(all[1]->value == "Beta");
  CHECK(all[2]->value == "Gamma");
  CHECK(c.best("manufacturer.name") == all[0]);
}

TEST_CASE("enum spellings round-trip and unknown text is rejected") {
  for (auto k : {SourceKind::capture, SourceKind::probe, SourceKind::filesystem, SourceKind::sbom})
    CHECK(source_kind_from(to_string(k)) == k);
  for (auto k : {KeyKind::mac, KeyKind::ipv4, KeyKind::ipv6, KeyKind::hostname, KeyKind::path})
    CHECK(key_kind_from(to_string(k)) == k);
  for (auto t : {ComponentType::device, ComponentType::firmware, ComponentType::operating_system,
                 ComponentType::application, ComponentType::library})
    CHECK(component_type_from(to_string(t)) == t);
  for (auto s : {ScanStatus::running, ScanStatus::complete, ScanStatus::incomplete, ScanStatus::failed})
    CHECK(scan_status_from(to_string(s)) == s);
  CHECK(to_string(ComponentType::operating_system) == "operating-system");
  CHECK_FALSE(source_kind_from("Capture"));
  CHECK_FALSE(key_kind_from(""));
  CHECK_FALSE(component_type_from("operating_system"));
  CHECK_FALSE(scan_status_from("done"));
  CHECK(to_string(SubjectKey{KeyKind::mac, "00:1b:1b:12:34:56"}) == "mac:00:1b:1b:12:34:56");
}

TEST_CASE("field values print as text") {
  CHECK(to_string(FieldValue{std::string("x y")}) == "x y");
  CHECK(to_string(FieldValue{std::int64_t{-42}}) == "-42");
  CHECK(to_string(FieldValue{0.25}) == "0.25");
  CHECK(to_string(FieldValue{true}) == "true");
  Observation o;
  o.fields = {{"a", std::int64_t{1}}, {"b", false}};
  CHECK(o.field_text("a") == "1");
  CHECK(o.field_text("b") == "false");
  CHECK(o.field_text("missing").empty());
  CHECK(o.field("missing") == nullptr);
}

TEST_CASE("Inventory::observation finds ids 1..n and nothing else") {
  Inventory inv;
  for (std::uint64_t i = 1; i <= 3; ++i) {
    Observation o;
    o.id = i;
    inv.observations.push_back(o);
  }
  CHECK(inv.observation(0) == nullptr);
  CHECK(inv.observation(1) == &inv.observations[0]);
  CHECK(inv.observation(3) == &inv.observations[2]);
  CHECK(inv.observation(4) == nullptr);
  inv.observations[1].id = 7;  // ids out of order are not guessed at
  CHECK(inv.observation(2) == nullptr);
}
