// libFuzzer target for the SSDP decoder (scanner/protocols/ssdp.hpp), one UDP datagram. Checks,
// besides ASan/UBSan, the IdentityResult invariants of fuzz/protocol_fuzz_support.hpp.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/ssdp.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  herkomst::fuzz::check(decode_ssdp(payload), size, true, {"ssdp:"});
  return 0;
}
