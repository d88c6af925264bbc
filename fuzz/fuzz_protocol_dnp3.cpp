// libFuzzer target for the DNP3 decoder (scanner/protocols/dnp3.hpp). Byte 0 bit 7 picks the
// datagram decoder (the rest is one UDP datagram); otherwise the input is a TCP stream as in
// protocol_fuzz_support.hpp, fed with one reassembly memory per run, the way the dispatcher keeps
// one per connection.
#include <cstdint>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/dnp3.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if ((data[0] & 0x80) != 0) {
    const std::span<const std::uint8_t> in(data + 1, size - 1);
    herkomst::fuzz::check(decode_dnp3_datagram(in), in.size(), true, {"dnp3:"});
    return 0;
  }
  Dnp3Reassembly memory;
  herkomst::fuzz::fuzz_stream(
      data, size,
      [&](std::span<const std::uint8_t> b, bool) {
        const auto r = decode_dnp3_stream(b, memory);
        if (memory.pending.size() > kDnp3MaxPending) std::abort();
        for (const auto& p : memory.pending)
          if (p.data.size() > kDnp3MaxFragment) std::abort();
        return r;
      },
      {"dnp3:"});
  return 0;
}
