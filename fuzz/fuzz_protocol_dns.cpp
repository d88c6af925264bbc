// libFuzzer target for the DNS and mDNS decoders (scanner/protocols/dns.hpp), one UDP datagram. Checks,
// besides ASan/UBSan, the IdentityResult invariants of fuzz/protocol_fuzz_support.hpp.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/dns.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  herkomst::fuzz::check(decode_dns(payload), size, true, {"dns:"});
  herkomst::fuzz::check(decode_mdns(payload), size, true, {"dns:"});
  return 0;
}
