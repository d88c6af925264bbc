// MacAddress / IpAddress text forms (RFC 5952 for IPv6) and classification.
#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "scanner/capture/packet.hpp"

using namespace herkomst::capture;

namespace {

IpAddress v6(std::array<std::uint16_t, 8> groups) {
  IpAddress address;
  address.v6 = true;
  for (std::size_t i = 0; i < 8; ++i) {
    address.bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    address.bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return address;
}

IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  const std::array<std::uint8_t, 4> four{a, b, c, d};
  return IpAddress::from_v4(four);
}

}  // namespace

TEST_CASE("MAC addresses", "[addresses]") {
  const std::array<std::uint8_t, 6> siemens{0x00, 0x1B, 0x1B, 0xAB, 0xCD, 0xEF};
  const MacAddress mac = MacAddress::from(siemens);
  CHECK(mac.str() == "00:1b:1b:ab:cd:ef");
  CHECK_FALSE(mac.is_multicast());
  CHECK_FALSE(mac.is_broadcast());
  CHECK_FALSE(mac.is_locally_administered());
  CHECK_FALSE(mac.is_zero());
  CHECK(MacAddress{}.is_zero());
  CHECK(MacAddress{}.str() == "00:00:00:00:00:00");
  MacAddress broadcast;
  broadcast.bytes.fill(0xff);
  CHECK(broadcast.is_broadcast());
  CHECK(broadcast.is_multicast());
  const MacAddress lldp = MacAddress{{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}};
  CHECK(lldp.is_multicast());
  CHECK_FALSE(lldp.is_broadcast());
  CHECK(MacAddress{{0x02, 0, 0, 0, 0, 1}}.is_locally_administered());
  CHECK(MacAddress{{0, 0, 0, 0, 0, 1}} < MacAddress{{0, 0, 0, 0, 0, 2}});
}

TEST_CASE("IPv4 text and classes", "[addresses]") {
  CHECK(v4(192, 168, 0, 1).str() == "192.168.0.1");
  CHECK(v4(0, 0, 0, 0).str() == "0.0.0.0");
  CHECK(v4(255, 255, 255, 255).str() == "255.255.255.255");
  CHECK(v4(10, 100, 9, 200).str() == "10.100.9.200");
  CHECK(v4(255, 255, 255, 255).is_broadcast());
  CHECK_FALSE(v4(192, 168, 0, 255).is_broadcast());
  CHECK(v4(224, 0, 0, 251).is_multicast());
  CHECK(v4(239, 255, 255, 250).is_multicast());
  CHECK_FALSE(v4(240, 0, 0, 1).is_multicast());
  CHECK(v4(0, 0, 0, 0).is_unspecified());
  CHECK(v4(169, 254, 3, 4).is_link_local());
  CHECK(v4(127, 0, 0, 2).is_loopback());
  CHECK_FALSE(v4(128, 0, 0, 1).is_loopback());
}

TEST_CASE("IPv6 text follows RFC 5952", "[addresses]") {
  CHECK(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}).str() == "2001:db8::1");
  CHECK(v6({0, 0, 0, 0, 0, 0, 0, 0}).str() == "::");
  CHECK(v6({0, 0, 0, 0, 0, 0, 0, 1}).str() == "::1");
  CHECK(v6({1, 0, 0, 0, 0, 0, 0, 0}).str() == "1::");
  // A single zero group is not compressed.
  CHECK(v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}).str() == "2001:db8:0:1:1:1:1:1");
  // The longest run wins; the first wins a tie.
  CHECK(v6({0x2001, 0, 0, 1, 0, 0, 0, 1}).str() == "2001:0:0:1::1");
  CHECK(v6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}).str() == "2001:db8::1:0:0:1");
  // Lower case, no leading zeros.
  CHECK(v6({0xFE80, 0, 0, 0, 0x021B, 0x1BFF, 0xFE12, 0x3456}).str() == "fe80::21b:1bff:fe12:3456");
  CHECK(v6({0x2001, 0x0db8, 0xabcd, 0x0012, 0, 0, 0, 0x000a}).str() == "2001:db8:abcd:12::a");
  CHECK(v6({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}).str() ==
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  CHECK(v6({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201}).str() == "::ffff:192.0.2.1");
  CHECK(v6({1, 2, 3, 4, 5, 6, 7, 0}).str() == "1:2:3:4:5:6:7:0");
}

TEST_CASE("IPv6 classes", "[addresses]") {
  CHECK(v6({0xff02, 0, 0, 0, 0, 0, 0, 1}).is_multicast());
  CHECK_FALSE(v6({0xfe80, 0, 0, 0, 0, 0, 0, 1}).is_multicast());
  CHECK(v6({0xfe80, 0, 0, 0, 0, 0, 0, 1}).is_link_local());
  CHECK(v6({0xfebf, 0, 0, 0, 0, 0, 0, 1}).is_link_local());
  CHECK_FALSE(v6({0xfec0, 0, 0, 0, 0, 0, 0, 1}).is_link_local());
  CHECK(v6({0, 0, 0, 0, 0, 0, 0, 0}).is_unspecified());
  CHECK(v6({0, 0, 0, 0, 0, 0, 0, 1}).is_loopback());
  CHECK_FALSE(v6({0, 0, 0, 0, 0, 0, 0, 1}).is_unspecified());
  CHECK_FALSE(v6({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}).is_broadcast());
  // v4 and v6 forms of "zero" are different addresses.
  CHECK(v4(0, 0, 0, 0) != v6({0, 0, 0, 0, 0, 0, 0, 0}));
}
