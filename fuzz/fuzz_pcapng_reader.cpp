// libFuzzer target for the own pcapng reader, reading from memory. Every frame is decoded.
// Checks, besides ASan/UBSan: frames are numbered 1, 2, 3, ...; frame data lies inside the
// input; bytes_read() never goes backwards nor past the input; an error has a message naming
// the input.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "scanner/capture/packet.hpp"
#include "scanner/capture/pcapng_reader.hpp"

using namespace herkomst::capture;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  PcapngReader reader(input, "fuzz");
  Frame frame;
  std::uint64_t expected = 1;
  std::uint64_t position = 0;
  NextResult result = NextResult::frame;
  while ((result = reader.next(frame)) == NextResult::frame) {
    if (frame.number != expected++) std::abort();
    if (!frame.data.empty() &&
        (frame.data.data() < data || frame.data.data() + frame.data.size() > data + size)) {
      std::abort();
    }
    if (reader.bytes_read() < position || reader.bytes_read() > size) std::abort();
    position = reader.bytes_read();
    const DecodedPacket packet = decode_packet(frame.linktype, frame.data, frame.original_length);
    if (packet.status == DecodeStatus::ok && !packet.stopped_at.empty()) std::abort();
  }
  if (result == NextResult::error && reader.error().message.rfind("fuzz: ", 0) != 0) std::abort();
  return 0;
}
