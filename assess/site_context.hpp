// The site context: what the operator knows about the site that a scan cannot see. Zones of
// the network (name, CIDRs, VLANs) and per-asset overrides (by MAC, IP address or name), each
// with criticality (vital process, Purdue level), the access of criterion 3A (vendor remote
// access or maintenance, cloud connectivity, physical access to sensitive locations, access to
// sensitive ICT systems) and the mitigations of criterion 3B (segmentation, no route to the
// internet, monitoring, contractual security requirements, replacement planned). Every fact
// says who recorded it and when. Example: configs/context/example.json; format field by field:
// docs/assessment.md.
//
// Which context applies to an asset (resolve_context):
//   1. every override whose MAC, IP address or name is the asset's applies, in file order;
//   2. the zone: the one an override names ("zone"); else the zone with the longest CIDR
//      prefix containing one of the asset's addresses; else the zone listing one of the VLANs
//      the asset was seen on. Two zones tied at the same step: no zone (a note says which),
//      so nothing is assumed;
//   3. the facts: the zone's, then each override's on top, field by field;
//   4. a fact recorded after the assessment date is not used (a note says so).
// A fact nobody recorded is unknown, never "no".
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "assess/load_error.hpp"
#include "assess/net.hpp"
#include "assess/terms.hpp"
#include "origins/partial_date.hpp"

namespace herkomst::assess {

template <typename T>
struct Recorded {
  T value{};
  std::string recorded_by;
  origins::Day recorded_at;
  std::string note;
  std::string where;  // "zone process-control", "assets[2] (mac 00:1b:1b:aa:bb:cc)"
};

struct SiteFacts {
  std::optional<Recorded<bool>> vital_process;
  std::optional<Recorded<int>> purdue_level;  // 0..5
  std::array<std::optional<Recorded<bool>>, kAccessKinds.size()> access;
  std::array<std::optional<Recorded<bool>>, kMitigations.size()> mitigations;

  // Every fact `top` records replaces this one's.
  void overlay(const SiteFacts& top);
};

struct Zone {
  std::string name;
  std::string description;
  std::vector<Cidr> cidrs;
  std::vector<int> vlans;  // 1..4094
  SiteFacts facts;
};

enum class MatchKey { mac, ip, name };
std::string_view to_string(MatchKey k);

struct AssetOverride {
  std::size_t index = 0;  // position in "assets"
  MatchKey key = MatchKey::mac;
  std::string value;      // canonical: MAC lower case with ':', IP as IpAddress::str(), name lower case
  std::string zone;       // "" when the override does not place the asset
  std::string note;
  SiteFacts facts;
  std::string label() const;  // "assets[2] (mac 00:1b:1b:aa:bb:cc)"
};

struct SiteContext {
  std::string file;  // empty: no context was given
  std::string site;
  std::string version;
  std::string hash;                           // FNV-1a 64 of the file's bytes
  std::vector<Cidr> site_networks;            // declared networks besides the zones'
  std::vector<std::string> internal_domains;  // the site's own DNS domains, lower case
  std::vector<Zone> zones;
  std::vector<AssetOverride> assets;

  bool given() const { return !file.empty(); }
  const Zone* zone(std::string_view name) const;
  // Inside a declared network: a zone's CIDR or a site network.
  bool inside(const IpAddress& a) const;
  // The name is one of the site's own (an internal domain or below it).
  bool internal_name(std::string_view dns_name) const;
  // "Example plant 2026-03-01 (configs/context/example.json, fnv1a64 …)"; "no site context".
  std::string version_line() const;
};

std::variant<SiteContext, LoadError> parse_site_context(std::string_view text, const std::string& file);
std::variant<SiteContext, LoadError> load_site_context(const std::string& path);

// What identifies an asset to the context (inventory_facts.hpp builds it from an Asset).
struct AssetIdentity {
  std::string ref;
  std::vector<std::string> macs;   // lower case, ':'
  std::vector<IpAddress> ips;
  std::vector<std::string> names;  // host names and device names, lower case
  std::vector<int> vlans;          // VLANs the asset was seen on
};

// The context that applies to one asset.
struct AssetContext {
  std::string asset;                   // AssetIdentity::ref
  bool context_given = false;          // a site context file was given at all
  bool covered = false;                // a zone or an override applies
  std::string zone;                    // "" when no zone applies
  std::string zone_match;              // why: "10.10.1.5 in 10.10.0.0/16", "VLAN 10", "assets[2] names it"
  std::vector<std::string> overrides;  // labels of the overrides applied
  std::vector<std::string> notes;      // ties between zones, facts not yet recorded on the date
  SiteFacts facts;
  std::string context;                 // SiteContext::version_line()
};

AssetContext resolve_context(const SiteContext& context, const AssetIdentity& asset, const origins::Day& as_of);

// "00:1B:1B:AA:BB:CC" or "00-1b-1b-aa-bb-cc" to "00:1b:1b:aa:bb:cc"; nullopt when not a MAC.
std::optional<std::string> canonical_mac(std::string_view text);

}  // namespace herkomst::assess
