// IP addresses and networks as a site context declares them ("10.10.0.0/16", "fd00:10::/64"),
// and the question the context asks of them: is this address inside that network.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herkomst::assess {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
  auto operator<=>(const IpAddress&) const = default;

  // Dotted quad or RFC 4291 text (any valid spelling); nullopt for anything else.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string str() const;  // dotted quad, RFC 5952
  // Not a unicast host address outside the site's own addressing: loopback, link-local,
  // multicast, broadcast, unspecified. Such addresses never count as "outside the site".
  bool local_scope() const;
};

struct Cidr {
  IpAddress network;
  int prefix = 0;  // 0..32 or 0..128
  auto operator<=>(const Cidr&) const = default;

  // "a.b.c.d/n" or "v6/n"; a bare address is a /32 or /128. The host bits must be zero
  // (error text says so).
  static std::optional<Cidr> parse(std::string_view text, std::string* error = nullptr);
  bool contains(const IpAddress& a) const;
  std::string str() const;
};

}  // namespace herkomst::assess
