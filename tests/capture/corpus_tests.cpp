// Reads every capture of the shared corpus: frame counts must equal the manifest's pkts
// column, every file must end cleanly, and every frame must decode without leaving its bytes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/packet.hpp"
#include "tests/capture/corpus.hpp"

using namespace herkomst::capture;
using namespace herkomst::capture::testing;

TEST_CASE("The manifest lists the corpus", "[corpus]") {
  const auto entries = read_manifest(corpus_manifest());
  CHECK(entries.size() >= 30);
}

TEST_CASE("Every corpus capture has the manifest's frame count", "[corpus]") {
  const auto entries = read_manifest(corpus_manifest());
  REQUIRE_FALSE(entries.empty());
  for (const ManifestEntry& entry : entries) {
    const std::string path = (corpus_dir() / entry.file).string();
    INFO(path);
    REQUIRE(std::filesystem::is_regular_file(path));
    CHECK(std::filesystem::file_size(path) == entry.bytes);
    auto opened = open_capture(path);
    if (auto* error = std::get_if<CaptureError>(&opened)) FAIL(error->message);
    CaptureSource& source = *std::get<std::unique_ptr<CaptureSource>>(opened);
    // Judged by content, not by name: lldp_siemens_s7-1200_ktp700.pcap is a pcapng file.
    CHECK((source.format() == "pcap" || source.format() == "pcapng"));

    Frame frame;
    std::uint64_t frames = 0;
    std::map<DecodeStatus, std::uint64_t> statuses;
    NextResult result = NextResult::frame;
    while ((result = source.next(frame)) == NextResult::frame) {
      ++frames;
      CHECK(frame.number == frames);
      const DecodedPacket packet = decode_packet(frame.linktype, frame.data, frame.original_length);
      const bool inside = packet.payload.empty() || (packet.payload.data() >= frame.data.data() &&
                                                     packet.payload.data() + packet.payload.size() <=
                                                         frame.data.data() + frame.data.size());
      CHECK(inside);
      ++statuses[packet.status];
    }
    if (result == NextResult::error) FAIL(source.error().message);
    CHECK(frames == entry.packets);
    CHECK(source.bytes_read() == entry.bytes);
    // Real traffic decodes almost entirely: at most 2% of frames not ok.
    CHECK(statuses[DecodeStatus::ok] * 50 >= frames * 49);
  }
}
