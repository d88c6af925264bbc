// libFuzzer target for decode_opcua_stream() (scanner/protocols/opcua.hpp). Input and checks: see
// protocol_fuzz_support.hpp (byte 0: from_server and first chunk size; the rest is one direction
// of a TCP stream, fed at once and as a caller feeds it). Both overloads are fed: without memory,
// and with one OpcuaRequestMemory kept across all calls of an input (as the dispatcher keeps one
// per connection), which must stay within its bounds.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "fuzz/protocol_fuzz_support.hpp"
#include "scanner/protocols/opcua.hpp"

using namespace herkomst::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  herkomst::fuzz::fuzz_stream(
      data, size, [](std::span<const std::uint8_t> b, bool from_server) { return decode_opcua_stream(b, from_server); },
      {"opcua:"});
  OpcuaRequestMemory memory;
  herkomst::fuzz::fuzz_stream(
      data, size,
      [&memory](std::span<const std::uint8_t> b, bool from_server) { return decode_opcua_stream(b, from_server, memory); },
      {"opcua:"});
  if (memory.reads.size() > kOpcuaMaxPendingReads) std::abort();
  for (const auto& read : memory.reads)
    if (read.nodes.size() > kOpcuaMaxNodesPerRead) std::abort();
  return 0;
}
