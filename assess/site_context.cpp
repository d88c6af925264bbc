#include "assess/site_context.hpp"

#include <algorithm>
#include <cctype>

#include "assess/json_reader.hpp"

namespace herkomst::assess {
namespace {

using json::Node;

// Who recorded the facts of a block and when, unless a fact says otherwise.
struct Defaults {
  std::optional<std::string> recorded_by;
  std::optional<origins::Day> recorded_at;
  std::string scope;  // "zones[0]": where a default could have been given
};

Defaults read_defaults(const Node& n, const Defaults& outer) {
  Defaults d = outer;
  if (auto by = n.get("recorded_by")) d.recorded_by = by->text();
  if (auto at = n.get("recorded_at")) d.recorded_at = at->day();
  d.scope = n.path();
  return d;
}

template <typename T>
Recorded<T> read_fact(const Node& n, const Defaults& d, const std::string& where, T (*value_of)(const Node&)) {
  Recorded<T> r;
  r.where = where;
  std::optional<std::string> by = d.recorded_by;
  std::optional<origins::Day> at = d.recorded_at;
  if (n.raw().is_object()) {
    n.only_keys({"value", "recorded_by", "recorded_at", "note"});
    r.value = value_of(n.at("value"));
    if (auto b = n.get("recorded_by")) by = b->text();
    if (auto a = n.get("recorded_at")) at = a->day();
    r.note = n.text_or("note", "");
  } else {
    r.value = value_of(n);
  }
  const std::string places = "give it here, on " + d.scope + " or at the top of the file";
  if (!by) n.fail("who recorded it is missing: 'recorded_by' (" + places + ")");
  if (!at) n.fail("when it was recorded is missing: 'recorded_at' (" + places + ")");
  r.recorded_by = *by;
  r.recorded_at = *at;
  return r;
}

bool bool_value(const Node& n) { return n.boolean(); }
int purdue_value(const Node& n) { return static_cast<int>(n.integer(0, 5)); }

// A block of yes/no facts named by an enum ("access", "mitigations") into their slots.
template <typename Enum, std::size_t N>
void read_flags(const Node& parent, std::string_view name, std::optional<Enum> (*from)(std::string_view),
                const std::string& unknown, const Defaults& d, const std::string& where,
                std::array<std::optional<Recorded<bool>>, N>& out) {
  auto block = parent.get(name);
  if (!block) return;
  for (const auto& [key, value] : block->members()) {
    auto e = from(key);
    if (!e) value.fail(unknown);
    out[static_cast<std::size_t>(*e)] = read_fact<bool>(value, d, where, bool_value);
  }
}

SiteFacts read_facts(const Node& block, const Defaults& d, const std::string& where) {
  SiteFacts f;
  if (auto c = block.get("criticality")) {
    c->only_keys({"vital_process", "purdue_level"});
    if (auto v = c->get("vital_process")) f.vital_process = read_fact<bool>(*v, d, where, bool_value);
    if (auto v = c->get("purdue_level")) f.purdue_level = read_fact<int>(*v, d, where, purdue_value);
  }
  read_flags(block, "access", access_kind_from, "unknown access kind (known: " + known_access_kinds() + ")", d, where,
             f.access);
  read_flags(block, "mitigations", mitigation_from, "unknown mitigation (known: " + known_mitigations() + ")", d, where,
             f.mitigations);
  return f;
}

Cidr read_cidr(const Node& n) {
  std::string error;
  auto c = Cidr::parse(n.text(), &error);
  if (!c) n.fail(error);
  return *c;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string read_domain(const Node& n) {
  std::string d = lower(n.text());
  if (!d.empty() && d.front() == '.') d.erase(0, 1);
  if (!d.empty() && d.back() == '.') d.pop_back();
  const bool ok = !d.empty() && std::all_of(d.begin(), d.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
  if (!ok) {
    std::string message(1, '\'');
    message += n.text();
    message += "' is not a DNS domain";
    n.fail(message);
  }
  return d;
}

Zone read_zone(const Node& n, const Defaults& top) {
  n.only_keys({"name", "description", "cidrs", "vlans", "recorded_by", "recorded_at", "criticality", "access",
               "mitigations"});
  Zone z;
  z.name = n.at("name").text();
  z.description = n.text_or("description", "");
  if (auto cidrs = n.get("cidrs"))
    for (const auto& c : cidrs->items()) z.cidrs.push_back(read_cidr(c));
  if (auto vlans = n.get("vlans"))
    for (const auto& v : vlans->items()) z.vlans.push_back(static_cast<int>(v.integer(1, 4094)));
  z.facts = read_facts(n, read_defaults(n, top), "zone " + z.name);
  return z;
}

AssetOverride read_override(const Node& n, std::size_t index, const Defaults& top) {
  n.only_keys({"match", "zone", "note", "recorded_by", "recorded_at", "criticality", "access", "mitigations"});
  AssetOverride o;
  o.index = index;
  const Node match = n.at("match");
  match.only_keys({"mac", "ip", "name"});
  const auto keys = match.members();
  if (keys.size() != 1) match.fail("names exactly one of mac, ip, name");
  const auto& [key, value] = keys.front();
  const std::string text = value.text();
  if (key == "mac") {
    o.key = MatchKey::mac;
    auto mac = canonical_mac(text);
    if (!mac) value.fail("'" + text + "' is not a MAC address (six hex pairs separated by ':' or '-')");
    o.value = *mac;
  } else if (key == "ip") {
    o.key = MatchKey::ip;
    auto ip = IpAddress::parse(text);
    if (!ip) value.fail("'" + text + "' is not an IP address");
    o.value = ip->str();
  } else {
    o.key = MatchKey::name;
    o.value = lower(text);
  }
  if (auto zone = n.get("zone")) o.zone = zone->text();
  o.note = n.text_or("note", "");
  o.facts = read_facts(n, read_defaults(n, top), o.label());
  return o;
}

SiteContext read_context(const Node& doc, std::string_view text, const std::string& file) {
  doc.only_keys({"format", "format_version", "site", "version", "recorded_by", "recorded_at", "site_networks",
                 "internal_domains", "zones", "assets"});
  json::expect_format(doc, "herkomst-context");
  SiteContext c;
  c.file = file;
  c.site = doc.at("site").text();
  c.version = doc.at("version").text();
  const Defaults top = read_defaults(doc, {});
  if (auto nets = doc.get("site_networks"))
    for (const auto& n : nets->items()) c.site_networks.push_back(read_cidr(n));
  if (auto domains = doc.get("internal_domains"))
    for (const auto& d : domains->items()) c.internal_domains.push_back(read_domain(d));
  for (const auto& item : doc.at("zones").items()) {
    Zone z = read_zone(item, top);
    if (c.zone(z.name)) item.at("name").fail("zone '" + z.name + "' is defined twice");
    c.zones.push_back(std::move(z));
  }
  if (auto assets = doc.get("assets")) {
    const auto items = assets->items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      AssetOverride o = read_override(items[i], i, top);
      if (!o.zone.empty() && !c.zone(o.zone))
        items[i].at("zone").fail("'" + o.zone + "' is not a zone of this file");
      c.assets.push_back(std::move(o));
    }
  }
  c.hash = json::fnv1a64(text);
  return c;
}

bool has_ip(const AssetIdentity& a, const std::string& ip) {
  return std::any_of(a.ips.begin(), a.ips.end(), [&](const IpAddress& x) { return x.str() == ip; });
}

bool applies(const AssetOverride& o, const AssetIdentity& a) {
  switch (o.key) {
    case MatchKey::mac:
      return std::find(a.macs.begin(), a.macs.end(), o.value) != a.macs.end();
    case MatchKey::ip:
      return has_ip(a, o.value);
    case MatchKey::name:
      return std::find(a.names.begin(), a.names.end(), o.value) != a.names.end();
  }
  return false;
}

// The zones tied for the best match and why each matched.
struct ZoneMatch {
  std::vector<const Zone*> zones;
  std::vector<std::string> why;
  void offer(const Zone* z, std::string reason) {
    if (std::find(zones.begin(), zones.end(), z) != zones.end()) return;
    zones.push_back(z);
    why.push_back(std::move(reason));
  }
};

ZoneMatch match_by_cidr(const SiteContext& c, const AssetIdentity& a) {
  ZoneMatch best;
  int best_prefix = -1;
  for (const auto& z : c.zones)
    for (const auto& cidr : z.cidrs)
      for (const auto& ip : a.ips) {
        if (!cidr.contains(ip) || cidr.prefix < best_prefix) continue;
        if (cidr.prefix > best_prefix) best = {};
        best_prefix = cidr.prefix;
        best.offer(&z, ip.str() + " in " + cidr.str());
      }
  return best;
}

ZoneMatch match_by_vlan(const SiteContext& c, const AssetIdentity& a) {
  ZoneMatch m;
  for (const auto& z : c.zones)
    for (int v : a.vlans)
      if (std::find(z.vlans.begin(), z.vlans.end(), v) != z.vlans.end()) m.offer(&z, "VLAN " + std::to_string(v));
  return m;
}

template <typename T>
void drop_if_later(std::optional<Recorded<T>>& f, const origins::Day& as_of, std::string_view what,
                   std::vector<std::string>& notes) {
  if (!f || !(as_of < f->recorded_at)) return;
  notes.push_back(std::string(what) + " recorded on " + f->recorded_at.str() + " by " + f->recorded_by + " (" + f->where +
                  ") is after the assessment date " + as_of.str() + ": not used");
  f.reset();
}

}  // namespace

void SiteFacts::overlay(const SiteFacts& top) {
  if (top.vital_process) vital_process = top.vital_process;
  if (top.purdue_level) purdue_level = top.purdue_level;
  for (std::size_t i = 0; i < access.size(); ++i)
    if (top.access[i]) access[i] = top.access[i];
  for (std::size_t i = 0; i < mitigations.size(); ++i)
    if (top.mitigations[i]) mitigations[i] = top.mitigations[i];
}

std::string_view to_string(MatchKey k) {
  switch (k) {
    case MatchKey::mac:
      return "mac";
    case MatchKey::ip:
      return "ip";
    case MatchKey::name:
      return "name";
  }
  return "";
}

std::string AssetOverride::label() const {
  return "assets[" + std::to_string(index) + "] (" + std::string(to_string(key)) + " " + value + ")";
}

const Zone* SiteContext::zone(std::string_view name) const {
  for (const auto& z : zones)
    if (z.name == name) return &z;
  return nullptr;
}

bool SiteContext::inside(const IpAddress& a) const {
  for (const auto& n : site_networks)
    if (n.contains(a)) return true;
  for (const auto& z : zones)
    for (const auto& n : z.cidrs)
      if (n.contains(a)) return true;
  return false;
}

bool SiteContext::internal_name(std::string_view dns_name) const {
  std::string name = lower(std::string(dns_name));
  if (!name.empty() && name.back() == '.') name.pop_back();
  for (const auto& d : internal_domains)
    if (name == d || (name.size() > d.size() && name.compare(name.size() - d.size(), d.size(), d) == 0 &&
                      name[name.size() - d.size() - 1] == '.'))
      return true;
  return false;
}

std::string SiteContext::version_line() const {
  if (!given()) return "no site context";
  return site + " " + version + " (" + file + ", fnv1a64 " + hash + ")";
}

std::variant<SiteContext, LoadError> parse_site_context(std::string_view text, const std::string& file) {
  return json::load<SiteContext>(text, file, [&](const Node& doc) { return read_context(doc, text, file); });
}

std::variant<SiteContext, LoadError> load_site_context(const std::string& path) {
  return json::load_file<SiteContext>(path, [](std::string_view text, const std::string& file) { return parse_site_context(text, file); });
}

AssetContext resolve_context(const SiteContext& context, const AssetIdentity& asset, const origins::Day& as_of) {
  AssetContext out;
  out.asset = asset.ref;
  out.context_given = context.given();
  out.context = context.version_line();
  std::vector<const AssetOverride*> overrides;
  for (const auto& o : context.assets)
    if (applies(o, asset)) {
      overrides.push_back(&o);
      out.overrides.push_back(o.label());
    }

  const Zone* zone = nullptr;
  for (const AssetOverride* o : overrides) {
    if (o->zone.empty()) continue;
    if (zone && zone->name != o->zone)
      out.notes.push_back(o->label() + " places the asset in zone " + o->zone + " after an earlier override placed it in " +
                          zone->name + ": the later one is used");
    zone = context.zone(o->zone);
    out.zone_match = o->label() + " names it";
  }
  if (!zone) {
    ZoneMatch m = match_by_cidr(context, asset);
    if (m.zones.empty()) m = match_by_vlan(context, asset);
    if (m.zones.size() == 1) {
      zone = m.zones.front();
      out.zone_match = m.why.front();
    } else if (m.zones.size() > 1) {
      std::string tied;
      for (std::size_t i = 0; i < m.zones.size(); ++i)
        tied += (i ? ", " : "") + m.zones[i]->name + " (" + m.why[i] + ")";
      out.notes.push_back("the asset matches several zones equally: " + tied +
                          "; no zone is applied (place it with an asset override)");
    }
  }
  if (zone) {
    out.zone = zone->name;
    out.facts = zone->facts;
  }
  for (const AssetOverride* o : overrides) out.facts.overlay(o->facts);
  out.covered = zone != nullptr || !overrides.empty();

  SiteFacts& f = out.facts;
  drop_if_later(f.vital_process, as_of, "vital process", out.notes);
  drop_if_later(f.purdue_level, as_of, "Purdue level", out.notes);
  for (AccessKind k : kAccessKinds) drop_if_later(f.access[index(k)], as_of, describe(k), out.notes);
  for (Mitigation m : kMitigations) drop_if_later(f.mitigations[index(m)], as_of, describe(m), out.notes);
  return out;
}

std::optional<std::string> canonical_mac(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i % 3 == 2) {
      if (c != ':' && c != '-') return std::nullopt;
      out += ':';
    } else {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace herkomst::assess
