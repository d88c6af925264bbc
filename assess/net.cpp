#include "assess/net.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace herkomst::assess {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN] = "";
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::local_scope() const {
  const auto& b = bytes;
  if (!v6) {
    if (b[0] == 0 || b[0] == 127) return true;               // this network, loopback
    if (b[0] == 169 && b[1] == 254) return true;             // link-local
    if (b[0] >= 224) return true;                            // multicast, reserved, broadcast
    return false;
  }
  static constexpr std::array<std::uint8_t, 16> kZero{};
  std::array<std::uint8_t, 16> loopback{};
  loopback[15] = 1;
  if (b == kZero || b == loopback) return true;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10
  if (b[0] == 0xff) return true;                            // multicast
  return false;
}

std::optional<Cidr> Cidr::parse(std::string_view text, std::string* error) {
  // The message is quoted text, then what is wrong with it (built by append: GCC 12 warns
  // falsely, -Wrestrict, on "literal" + std::string at -O2).
  auto fail = [&](std::string_view what) -> std::optional<Cidr> {
    if (error) {
      error->assign(1, '\'');
      error->append(text);
      error->push_back('\'');
      error->append(what);
    }
    return std::nullopt;
  };
  const auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return fail(" is not an IP network (a.b.c.d/n or IPv6/n)");
  const int max = address->v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return fail(" has no valid prefix length");
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return fail(" has no valid prefix length");
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max) return fail(": prefix length above " + std::to_string(max));
  }
  Cidr c{*address, prefix};
  for (int bit = prefix; bit < max; ++bit)
    if (c.network.bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8)))
      return fail(" has host bits set (the network is " + [&] {
        Cidr masked = c;
        for (int b = prefix; b < max; ++b)
          masked.network.bytes[static_cast<std::size_t>(b / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (b % 8)));
        return masked.str();
      }() + ")");
  return c;
}

bool Cidr::contains(const IpAddress& a) const {
  if (a.v6 != network.v6) return false;
  const int full = prefix / 8;
  if (std::memcmp(a.bytes.data(), network.bytes.data(), static_cast<std::size_t>(full)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a.bytes[static_cast<std::size_t>(full)] & mask) == (network.bytes[static_cast<std::size_t>(full)] & mask);
}

std::string Cidr::str() const { return network.str() + "/" + std::to_string(prefix); }

}  // namespace herkomst::assess
