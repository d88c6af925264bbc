// open_capture() and the readers behind it, on pcap and pcapng files written by the test:
// byte orders, nanosecond magic, interfaces that libpcap refuses (at open and mid-file),
// if_tsresol / if_tsoffset, SPB, PB, several sections, and every kind of broken file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "scanner/capture/capture_source.hpp"
#include "scanner/capture/libpcap_source.hpp"
#include "scanner/capture/packet.hpp"
#include "scanner/capture/pcapng_reader.hpp"
#include "tests/capture/capture_files.hpp"

using namespace herkomst::capture;
using namespace herkomst::capture::testing;

namespace {

struct FrameCopy {
  std::uint64_t number = 0;
  std::int64_t time_us = 0;
  int linktype = 0;
  std::uint32_t original_length = 0;
  Buf data;
};

struct ReadAll {
  std::vector<FrameCopy> frames;
  NextResult last = NextResult::end;
  std::string error;
  std::string format;
  std::uint64_t bytes_read = 0;
};

ReadAll drain(CaptureSource& source) {
  ReadAll all;
  all.format = source.format();
  Frame frame;
  std::uint64_t previous_position = 0;
  for (;;) {
    all.last = source.next(frame);
    const std::uint64_t position = source.bytes_read();
    CHECK(position >= previous_position);
    previous_position = position;
    if (all.last != NextResult::frame) break;
    all.frames.push_back(FrameCopy{frame.number, frame.time_us, frame.linktype, frame.original_length,
                                   Buf(frame.data.begin(), frame.data.end())});
  }
  if (all.last == NextResult::error) all.error = source.error().message;
  all.bytes_read = source.bytes_read();
  return all;
}

ReadAll read_all(const std::string& path) {
  auto opened = open_capture(path);
  if (auto* error = std::get_if<CaptureError>(&opened)) FAIL("open failed: " << error->message);
  return drain(*std::get<std::unique_ptr<CaptureSource>>(opened));
}

std::string open_error(const std::string& path) {
  auto opened = open_capture(path);
  REQUIRE(std::holds_alternative<CaptureError>(opened));
  return std::get<CaptureError>(opened).message;
}

void check_numbering(const ReadAll& all) {
  for (std::size_t i = 0; i < all.frames.size(); ++i) CHECK(all.frames[i].number == i + 1);
}

const Buf kEthFrame = concat({ethernet(kMacB, kMacA, 0x0800), ipv4(Ipv4Options{}, 20), tcp(1, 502, 0, 2)});
const Buf kRawFrame = concat({ipv4(Ipv4Options{}, 20), tcp(2, 102, 0, 2)});
constexpr std::uint32_t kSeconds = 1700000000;

}  // namespace

TEST_CASE("Classic pcap in all four magic variants", "[capture][pcap]") {
  TempDir dir;
  for (bool big : {false, true}) {
    for (bool nanos : {false, true}) {
      INFO("big endian " << big << ", nanoseconds " << nanos);
      const std::vector<PcapRecord> records = {
          {kSeconds, nanos ? 123456789U : 123456U, kEthFrame, 0},
          {kSeconds + 1, nanos ? 999999999U : 999999U, filled(60), 1514},
          {kSeconds + 2, 0, Buf{}, 0},
      };
      const Buf file = pcap_file(big, nanos, 1, records);
      const std::string path = dir.write(std::to_string(big) + std::to_string(nanos) + "-variant.pcap", file);
      const ReadAll all = read_all(path);
      CHECK(all.last == NextResult::end);
      CHECK(all.format == "pcap");
      REQUIRE(all.frames.size() == 3);
      check_numbering(all);
      CHECK(all.frames[0].time_us == std::int64_t{kSeconds} * 1000000 + 123456);
      CHECK(all.frames[1].time_us == std::int64_t{kSeconds + 1} * 1000000 + 999999);
      CHECK(all.frames[0].linktype == kLinkEthernet);
      CHECK(all.frames[0].data == kEthFrame);
      CHECK(all.frames[1].original_length == 1514);
      CHECK(all.frames[1].data.size() == 60);
      CHECK(all.frames[2].data.empty());
      CHECK(all.bytes_read == file.size());
      CHECK(decode_packet(all.frames[0].linktype, all.frames[0].data).dst_port == 502);
    }
  }
}

TEST_CASE("pcap link types come back as LINKTYPE values", "[capture][pcap]") {
  TempDir dir;
  for (std::uint32_t linktype : {101U, 228U, 229U, 0U, 108U, 113U, 276U}) {
    const std::string path = dir.write(std::to_string(linktype) + "-linktype.pcap",
                                       pcap_file(false, false, linktype, {{kSeconds, 0, kRawFrame, 0}}));
    const ReadAll all = read_all(path);
    REQUIRE(all.frames.size() == 1);
    CHECK(all.frames[0].linktype == static_cast<int>(linktype));
  }
}

TEST_CASE("pcapng with agreeing interfaces is read (via libpcap)", "[capture][pcapng]") {
  TempDir dir;
  for (bool big : {false, true}) {
    PcapngBuilder b(big);
    b.section().interface(1, 65535).interface(1, 65535);
    b.block(4, Buf(8, 0));  // name resolution block: skipped
    b.enhanced(0, std::uint64_t{kSeconds} * 1000000 + 5, kEthFrame);
    b.block(0x00000BAD, Buf(12, 0x77));  // custom block: skipped
    b.enhanced(1, std::uint64_t{kSeconds} * 1000000 + 6, filled(61), 1000);
    b.block(5, Buf(20, 0));  // interface statistics: skipped
    const std::string path = dir.write(big ? "big.pcapng" : "little.pcapng", b.bytes());
    const ReadAll all = read_all(path);
    CHECK(all.last == NextResult::end);
    CHECK(all.format == "pcapng");
    REQUIRE(all.frames.size() == 2);
    check_numbering(all);
    CHECK(all.frames[0].time_us == std::int64_t{kSeconds} * 1000000 + 5);
    CHECK(all.frames[0].data == kEthFrame);
    CHECK(all.frames[1].data.size() == 61);
    CHECK(all.frames[1].original_length == 1000);
    CHECK(all.bytes_read == b.bytes().size());
  }
}

TEST_CASE("pcapng whose interfaces differ in link type and snaplen from the start", "[capture][pcapng]") {
  TempDir dir;
  PcapngBuilder b;
  b.section().interface(1, 65535).interface(101, 262144);
  b.enhanced(0, 1, kEthFrame).enhanced(1, 2, kRawFrame).enhanced(0, 3, kEthFrame).enhanced(1, 4, kRawFrame);
  const std::string path = dir.write("two-interfaces.pcapng", b.bytes());

  // libpcap itself refuses this file.
  auto libpcap = LibpcapSource::open(path, "pcapng", b.bytes().size());
  if (auto* source = std::get_if<std::unique_ptr<LibpcapSource>>(&libpcap)) {
    CHECK(drain(**source).last == NextResult::error);
  }

  const ReadAll all = read_all(path);
  CHECK(all.last == NextResult::end);
  REQUIRE(all.frames.size() == 4);
  check_numbering(all);
  CHECK(all.frames[0].linktype == kLinkEthernet);
  CHECK(all.frames[1].linktype == kLinkRaw);
  CHECK(all.frames[2].linktype == kLinkEthernet);
  CHECK(all.frames[3].linktype == kLinkRaw);
  CHECK(all.frames[1].data == kRawFrame);
  CHECK(decode_packet(all.frames[1].linktype, all.frames[1].data).dst_port == 102);
  CHECK(decode_packet(all.frames[2].linktype, all.frames[2].data).dst_port == 502);
  CHECK(all.frames[3].time_us == 4);
}

TEST_CASE("pcapng with a differing interface after some packets switches readers mid-file", "[capture][pcapng]") {
  TempDir dir;
  PcapngBuilder b;
  b.section().interface(1, 65535);
  for (std::uint64_t i = 1; i <= 3; ++i) b.enhanced(0, i, kEthFrame);
  b.interface(101, 1500);  // differs in both link type and snapshot length
  b.enhanced(1, 4, kRawFrame).enhanced(0, 5, kEthFrame).enhanced(1, 6, kRawFrame);
  const std::string path = dir.write("mid-file.pcapng", b.bytes());

  // libpcap delivers the first three frames, then gives up.
  auto libpcap = LibpcapSource::open(path, "pcapng", b.bytes().size());
  REQUIRE(std::holds_alternative<std::unique_ptr<LibpcapSource>>(libpcap));
  const ReadAll partial = drain(*std::get<std::unique_ptr<LibpcapSource>>(libpcap));
  CHECK(partial.frames.size() == 3);
  CHECK(partial.last == NextResult::error);
  CHECK_THAT(partial.error, Catch::Contains("different from"));

  const ReadAll all = read_all(path);
  CHECK(all.last == NextResult::end);
  CHECK(all.error.empty());
  REQUIRE(all.frames.size() == 6);
  check_numbering(all);
  for (std::size_t i = 0; i < 6; ++i) CHECK(all.frames[i].time_us == static_cast<std::int64_t>(i + 1));
  CHECK(all.frames[2].linktype == kLinkEthernet);
  CHECK(all.frames[3].linktype == kLinkRaw);
  CHECK(all.frames[4].linktype == kLinkEthernet);
  CHECK(all.frames[5].data == kRawFrame);
  CHECK(all.bytes_read == b.bytes().size());
}

TEST_CASE("pcapng sections: same interfaces, and a second section in the other byte order", "[capture][pcapng]") {
  TempDir dir;
  SECTION("same byte order and interface") {
    PcapngBuilder b;
    b.section().interface(1, 65535).enhanced(0, 1, kEthFrame);
    b.section().interface(1, 65535).enhanced(0, 2, kEthFrame).enhanced(0, 3, kEthFrame);
    const ReadAll all = read_all(dir.write("sections.pcapng", b.bytes()));
    CHECK(all.last == NextResult::end);
    REQUIRE(all.frames.size() == 3);
    check_numbering(all);
  }
  SECTION("byte order and link type change between sections") {
    PcapngBuilder b(false);
    b.section().interface(1, 65535).enhanced(0, 1, kEthFrame).enhanced(0, 2, kEthFrame);
    b.section(true).interface(101, 65535).interface(1, 128).enhanced(0, 3, kRawFrame).enhanced(1, 4, kEthFrame);
    const ReadAll all = read_all(dir.write("mixed-sections.pcapng", b.bytes()));
    CHECK(all.last == NextResult::end);
    CHECK(all.error.empty());
    REQUIRE(all.frames.size() == 4);
    check_numbering(all);
    CHECK(all.frames[2].linktype == kLinkRaw);
    CHECK(all.frames[3].linktype == kLinkEthernet);
    CHECK(all.frames[3].time_us == 4);
  }
  SECTION("first section without packets") {
    PcapngBuilder b;
    b.section().interface(101, 65535);
    b.section().interface(1, 65535).enhanced(0, 7, kEthFrame);
    const ReadAll all = read_all(dir.write("empty-first.pcapng", b.bytes()));
    REQUIRE(all.frames.size() == 1);
    CHECK(all.frames[0].linktype == kLinkEthernet);
  }
}

TEST_CASE("pcapng timestamp resolution and offset", "[capture][pcapng]") {
  TempDir dir;
  const std::int64_t base = std::int64_t{kSeconds} * 1000000;
  SECTION("nanoseconds") {
    PcapngBuilder b;
    b.section().interface(1, 0, std::uint8_t{9}).enhanced(0, std::uint64_t{kSeconds} * 1000000000 + 123456789, kEthFrame);
    const ReadAll all = read_all(dir.write("ns.pcapng", b.bytes()));
    REQUIRE(all.frames.size() == 1);
    CHECK(all.frames[0].time_us == base + 123456);
  }
  SECTION("power of two, with two interfaces so the own reader runs") {
    PcapngBuilder b;
    b.section().interface(1, 0, std::uint8_t{0x94}).interface(101, 0, std::uint8_t{3}, std::int64_t{100});
    b.enhanced(0, (std::uint64_t{kSeconds} << 20) | (1U << 19), kEthFrame);
    b.enhanced(1, 2500, kRawFrame);  // 2.5 s in milliseconds, plus 100 s offset
    const ReadAll all = read_all(dir.write("bin.pcapng", b.bytes()));
    REQUIRE(all.frames.size() == 2);
    CHECK(all.frames[0].time_us == base + 500000);
    CHECK(all.frames[1].time_us == 102500000);
  }
  SECTION("offset through libpcap") {
    PcapngBuilder b;
    b.section().interface(1, 0, std::nullopt, std::int64_t{kSeconds}).enhanced(0, 42, kEthFrame);
    const ReadAll all = read_all(dir.write("offset.pcapng", b.bytes()));
    REQUIRE(all.frames.size() == 1);
    CHECK(all.frames[0].time_us == base + 42);
  }
}

TEST_CASE("Simple and obsolete packet blocks", "[capture][pcapng]") {
  TempDir dir;
  for (bool mixed : {false, true}) {
    INFO("own reader forced: " << mixed);
    PcapngBuilder b;
    b.section().interface(1, 64);
    if (mixed) b.interface(101, 65535);
    b.simple(1514, filled(64));                  // captured: min(1514, snaplen 64)
    b.simple(20, concat({filled(20), Buf(4, 0)}));  // captured: original length 20, padding ignored
    b.obsolete_packet(0, 9, filled(30));
    const ReadAll all = read_all(dir.write(mixed ? "spb-own.pcapng" : "spb.pcapng", b.bytes()));
    CHECK(all.last == NextResult::end);
    REQUIRE(all.frames.size() == 3);
    check_numbering(all);
    CHECK(all.frames[0].data.size() == 64);
    CHECK(all.frames[0].original_length == 1514);
    CHECK(all.frames[0].linktype == kLinkEthernet);
    CHECK(all.frames[1].data.size() == 20);
    CHECK(all.frames[2].data.size() == 30);
    CHECK(all.frames[2].time_us == 9);
  }
}

TEST_CASE("The own pcapng reader reads from memory", "[capture][pcapng]") {
  PcapngBuilder b;
  b.section().interface(1, 0).interface(113, 0).enhanced(1, 1, kRawFrame).simple(4, filled(4));
  PcapngReader reader(b.bytes(), "memory");
  const ReadAll all = drain(reader);
  CHECK(all.last == NextResult::end);
  REQUIRE(all.frames.size() == 2);
  CHECK(all.frames[0].linktype == kLinkLinuxSll);
  CHECK(all.frames[1].linktype == kLinkEthernet);
  CHECK(all.bytes_read == b.bytes().size());
  CHECK(reader.format() == "pcapng");
}

TEST_CASE("Files that cannot be opened", "[capture][errors]") {
  TempDir dir;
  const std::string missing = dir.path("nope.pcap");
  CHECK_THAT(open_error(missing), Catch::StartsWith(missing + ": ") && Catch::Contains("no such file"));

  const std::string empty = dir.write("empty.pcap", {});
  CHECK(open_error(empty) == empty + ": empty file");

  const std::string html = dir.write("page.pcap", Buf{'<', 'h', 't', 'm', 'l', '>'});
  CHECK(open_error(html) == html + ": not a pcap or pcapng file (starts with 3c 68 74 6d)");

  const std::string tiny = dir.write("tiny.pcap", Buf{0xd4, 0xc3});
  CHECK(open_error(tiny) == tiny + ": not a pcap or pcapng file (starts with d4 c3)");

  CHECK_THAT(open_error(dir.path("")), Catch::Contains("directory"));

  // A pcap file header cut short: libpcap's reason, prefixed with the file name.
  const Buf header = pcap_file(false, false, 1, {});
  const std::string short_header = dir.write("short-header.pcap", Buf(header.begin(), header.begin() + 10));
  CHECK_THAT(open_error(short_header), Catch::StartsWith(short_header + ": ") && Catch::Contains("truncated"));

  if (::geteuid() != 0) {  // root reads anything
    const std::string locked = dir.write("locked.pcap", header);
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    CHECK_THAT(open_error(locked), Catch::StartsWith(locked + ": ") && Catch::Contains("ermission"));
  } else {
    WARN("running as root: the unreadable-file check is not meaningful and was left out");
  }
}

TEST_CASE("Truncated pcap files name the file, the frame and the bytes", "[capture][errors]") {
  TempDir dir;
  const Buf file = pcap_file(false, false, 1, {{1, 0, kEthFrame, 0}, {2, 0, kEthFrame, 0}, {3, 0, kEthFrame, 0}});
  const std::size_t record = 16 + kEthFrame.size();
  SECTION("cut in the middle of frame 3's data") {
    const std::size_t size = 24 + 2 * record + 16 + 10;
    const std::string path = dir.write("cut-data.pcap", Buf(file.begin(), file.begin() + static_cast<long>(size)));
    const ReadAll all = read_all(path);
    CHECK(all.frames.size() == 2);
    CHECK(all.last == NextResult::error);
    CHECK(all.error == path + ": truncated: frame 3's data ends at byte " + std::to_string(24 + 3 * record) +
                           ", file has " + std::to_string(size) + " bytes");
  }
  SECTION("cut in the middle of frame 2's header") {
    const std::size_t size = 24 + record + 5;
    const std::string path = dir.write("cut-header.pcap", Buf(file.begin(), file.begin() + static_cast<long>(size)));
    const ReadAll all = read_all(path);
    CHECK(all.frames.size() == 1);
    CHECK(all.error == path + ": truncated: frame 2's header ends at byte " + std::to_string(24 + record + 16) +
                           ", file has " + std::to_string(size) + " bytes");
  }
  SECTION("cut at every length: no crash; frames or an error naming the file") {
    for (std::size_t size = 1; size < file.size(); ++size) {
      const std::string path = dir.write("cut.pcap", Buf(file.begin(), file.begin() + static_cast<long>(size)));
      auto opened = open_capture(path);
      if (auto* error = std::get_if<CaptureError>(&opened)) {
        CHECK_THAT(error->message, Catch::StartsWith(path + ": "));
        continue;
      }
      const ReadAll all = drain(*std::get<std::unique_ptr<CaptureSource>>(opened));
      CHECK(all.frames.size() == (size - 24) / record);
      if ((size - 24) % record != 0) CHECK_THAT(all.error, Catch::StartsWith(path + ": truncated: frame "));
    }
  }
}

TEST_CASE("Truncated and corrupt pcapng files name the file and the byte offset", "[capture][errors]") {
  TempDir dir;
  PcapngBuilder b;
  b.section().interface(1, 65535).enhanced(0, 1, kEthFrame).enhanced(0, 2, kEthFrame);
  const Buf& file = b.bytes();
  const std::size_t shb = 28;
  const std::size_t idb = 20;
  const std::size_t epb = 32 + ((kEthFrame.size() + 3) & ~std::size_t{3});
  const auto cut = [&](std::size_t size) { return Buf(file.begin(), file.begin() + static_cast<long>(size)); };

  SECTION("cut in frame 2's data") {
    const std::size_t size = shb + idb + epb + 40;
    const std::string path = dir.write("cut.pcapng", cut(size));
    const ReadAll all = read_all(path);
    CHECK(all.frames.size() == 1);
    CHECK(all.last == NextResult::error);
    CHECK(all.error == path + ": truncated: frame 2's data ends at byte " + std::to_string(shb + idb + 2 * epb) +
                           ", file has " + std::to_string(size) + " bytes");
  }
  SECTION("cut in frame 2's block header") {
    const std::size_t size = shb + idb + epb + 6;
    const std::string path = dir.write("cut-header.pcapng", cut(size));
    const ReadAll all = read_all(path);
    CHECK(all.frames.size() == 1);
    CHECK(all.error == path + ": truncated: frame 2's header ends at byte " + std::to_string(shb + idb + epb + 8) +
                           ", file has " + std::to_string(size) + " bytes");
  }
  SECTION("cut at every length") {
    for (std::size_t size = 1; size < file.size(); ++size) {
      const std::string path = dir.write("every.pcapng", cut(size));
      auto opened = open_capture(path);
      if (auto* error = std::get_if<CaptureError>(&opened)) {
        CHECK_THAT(error->message, Catch::StartsWith(path + ": "));
        continue;
      }
      const ReadAll all = drain(*std::get<std::unique_ptr<CaptureSource>>(opened));
      const bool at_boundary = size == shb || size == shb + idb || size == shb + idb + epb;
      if (at_boundary) {
        CHECK(all.last == NextResult::end);  // a file cut between blocks looks complete
      } else {
        CHECK(all.last == NextResult::error);
        CHECK_THAT(all.error, Catch::StartsWith(path + ": truncated: "));
      }
      CHECK(all.frames.size() == (size >= shb + idb + epb ? 1U : 0U));
    }
  }
  SECTION("block length not a multiple of 4") {
    Buf bad = file;
    bad[shb + idb + 4] = static_cast<std::uint8_t>(epb + 2);
    const std::string path = dir.write("odd.pcapng", bad);
    const ReadAll all = read_all(path);
    CHECK(all.frames.empty());
    CHECK(all.error == path + ": invalid enhanced packet block at byte " + std::to_string(shb + idb) +
                           ": total length " + std::to_string(epb + 2) + " is not a multiple of 4");
  }
  SECTION("trailing length differs") {
    Buf bad = file;
    bad[shb + idb + epb - 4] = 0x44;
    const ReadAll all = read_all(dir.write("trailing.pcapng", bad));
    CHECK(all.frames.empty());
    CHECK_THAT(all.error, Catch::Contains("at byte " + std::to_string(shb + idb)) &&
                              Catch::Contains("differs from its trailing length"));
  }
  SECTION("absurd block length") {
    Buf bad = file;
    bad[shb + idb + epb + 7] = 0x40;  // 1 GiB and change
    const ReadAll all = read_all(dir.write("huge.pcapng", bad));
    CHECK(all.frames.size() == 1);
    CHECK_THAT(all.error, Catch::Contains("at byte " + std::to_string(shb + idb + epb)) &&
                              Catch::Contains("exceeds the limit"));
  }
  SECTION("packet on an undescribed interface") {
    PcapngBuilder c;
    c.section().interface(1, 65535).enhanced(0, 1, kEthFrame).enhanced(3, 2, kEthFrame);
    const std::string path = dir.write("interface.pcapng", c.bytes());
    const ReadAll all = read_all(path);
    CHECK(all.frames.size() == 1);
    CHECK_THAT(all.error, Catch::StartsWith(path + ": frame 2 (enhanced packet block at byte " +
                                            std::to_string(shb + idb + epb) + "): interface 3 is not described"));
  }
  SECTION("captured length beyond its block") {
    Buf bad = file;
    bad[shb + idb + 20] = 0xff;
    const ReadAll all = read_all(dir.write("caplen.pcapng", bad));
    CHECK(all.frames.empty());
    CHECK_THAT(all.error, Catch::Contains("frame 1") && Catch::Contains("exceeds the block"));
  }
  SECTION("bad byte-order magic") {
    Buf bad = file;
    bad[8] = 0x99;
    const std::string path = dir.write("magic.pcapng", bad);
    const ReadAll all = read_all(path);
    CHECK(all.frames.empty());
    CHECK(all.error == path + ": invalid section header block at byte 0: bad byte-order magic");
  }
}
