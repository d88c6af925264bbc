// libFuzzer target for the DHCP decoder (scanner/protocols/dhcp.hpp), one UDP datagram. Checks,
// besides ASan/UBSan, the IdentityResult invariants of fuzz/protocol_fuzz_support.hpp.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/dhcp.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  herkomst::fuzz::check(decode_dhcp(payload), size, true, {"dhcp:"});
  return 0;
}
