// DNS (UDP 53) and multicast DNS / DNS-SD (UDP 5353, 224.0.0.251, ff02::fb): same wire format.
//
// Layouts: RFC 1035 section 4 (header, question, resource record, name compression 4.1.4),
// RFC 6762 (mDNS: QU/cache-flush bits in the class field), RFC 6763 (DNS-SD: PTR
// <service>.<domain> -> <instance>.<service>.<domain>, SRV target/port, TXT key=value
// strings, section 6), RFC 2782 (SRV), RFC 3596 (AAAA).
// Signals and fields: docs/signals-it.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "scanner/protocols/identity.hpp"

namespace herkomst::protocols {

inline constexpr std::size_t kDnsMaxQueries = 8;        // identities per message
inline constexpr std::size_t kDnsMaxRecords = 256;      // resource records read per message
inline constexpr std::size_t kMdnsMaxServices = 16;     // "mdns.service" identities per message
inline constexpr std::size_t kMdnsMaxTxtKeys = 32;      // txt.<key> fields per service

// Decodes one DNS datagram (UDP 53). Queries: one "dns.query" (name, type) per question, at
// most kDnsMaxQueries, about the sender (the device that asks). Responses: no_identity (a
// server's answer is about other hosts).
//
// Outcome: not_protocol when the header cannot be DNS (fewer than 12 bytes, opcode 3 or above
// 5, Z bit set, a query with a response code, no records at all, or counts whose minimum sizes
// exceed the datagram); malformed ("dns: ...") when a name or record runs past the data, a
// compression pointer does not point backwards, a name exceeds 255 bytes or 128 labels.
IdentityResult decode_dns(std::span<const std::uint8_t> payload);

// Decodes one mDNS datagram (UDP 5353). Queries: "dns.query" (name, type, mdns=true) per
// question, about the sender. Responses and announcements: one "mdns.service" (instance,
// service, domain, host, port, txt.<key>) per DNS-SD service instance named by PTR, SRV or TXT
// records (at most kMdnsMaxServices, kMdnsMaxTxtKeys keys each), about the sender; when there
// is no service but an address record for a name, "mdns.host" (host). Same outcomes as
// decode_dns.
IdentityResult decode_mdns(std::span<const std::uint8_t> payload);

}  // namespace herkomst::protocols
