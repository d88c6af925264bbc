// Writes the fuzzers' seed corpora: make_seeds OUT_DIR creates OUT_DIR/packet_decoder and
// OUT_DIR/pcapng_reader with crafted frames (every link type, VLAN, ARP, IPv4 options, IPv6
// extension chains, fragments) and pcapng files (two interfaces, sections in both byte
// orders, if_tsresol, SPB, PB, skipped blocks). Uses the test suite's crafting helpers.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scanner/capture/packet.hpp"
#include "tests/capture/capture_files.hpp"
#include "tests/capture/frame_builder.hpp"

using namespace herkomst::capture;
using namespace herkomst::capture::testing;

namespace {

void write(const std::filesystem::path& file, const Buf& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::uint8_t selector(int linktype) {
  for (std::size_t i = 0; i < kSupportedLinktypes.size(); ++i) {
    if (kSupportedLinktypes[i] == linktype) return static_cast<std::uint8_t>(i);
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out(argv[1]);
  std::filesystem::create_directories(out / "packet_decoder");
  std::filesystem::create_directories(out / "pcapng_reader");

  Ipv4Options udp_options;
  udp_options.protocol = 17;
  udp_options.option_words = 2;
  const Buf tcp4 = concat({ipv4(Ipv4Options{}, 24), tcp(49152, 102, 7, 0x18), filled(4)});
  const Buf udp4 = concat({ipv4(udp_options, 12), udp(47808, 47808, 4), filled(4)});
  const Buf extensions = concat({ipv6_extension(43, 0), ipv6_ah(60, 1), ipv6_extension(44, 0), ipv6_fragment(17, 0, true)});
  const Buf udp6 = concat({ipv6(0, extensions.size() + 12), extensions, udp(161, 161, 4), filled(4)});
  Buf null_header;
  put_le32(null_header, 2);
  Buf loop_header;
  put32(loop_header, 24);

  struct Seed {
    const char* name;
    int linktype;
    Buf frame;
  };
  const std::vector<Seed> seeds = {
      {"eth_tcp", kLinkEthernet, concat({ethernet(kMacB, kMacA, 0x0800), tcp4})},
      {"eth_qinq_udp6", kLinkEthernet,
       concat({ethernet(kMacB, kMacA, 0x88a8), vlan_tag(5, 0x8100), vlan_tag(6, 0x86dd), udp6})},
      {"eth_arp", kLinkEthernet, concat({ethernet(kMacBroadcast, kMacA, 0x0806), arp(1, kMacA, kIpA, Mac{}, kIpB)})},
      {"eth_llc", kLinkEthernet, concat({ethernet(kMacB, kMacA, 3), Buf{0x42, 0x42, 0x03}})},
      {"null_udp", kLinkNull, concat({null_header, udp4})},
      {"loop_udp6", kLinkLoop, concat({loop_header, udp6})},
      {"sll_tcp", kLinkLinuxSll, concat({sll(1, kMacA, 0x0800), tcp4})},
      {"sll2_vlan_udp", kLinkLinuxSll2, concat({sll2(1, kMacA, 0x8100), vlan_tag(9, 0x0800), udp4})},
      {"raw_udp6", kLinkRaw, udp6},
      {"ipv4_tcp", kLinkIpv4, tcp4},
      {"ipv6_udp", kLinkIpv6, udp6},
  };
  for (const Seed& seed : seeds) {
    Buf input{selector(seed.linktype)};
    append(input, seed.frame);
    write(out / "packet_decoder" / seed.name, input);
  }

  PcapngBuilder two;
  two.section().interface(1, 65535, std::uint8_t{9}).interface(101, 1500, std::uint8_t{0x94}, std::int64_t{10});
  two.block(4, Buf(8, 0)).enhanced(0, 1, seeds[0].frame).enhanced(1, 2, tcp4).block(5, Buf(20, 0));
  write(out / "pcapng_reader" / "two_interfaces", two.bytes());

  PcapngBuilder sections(false);
  sections.section().interface(1, 64).simple(100, filled(64)).obsolete_packet(0, 3, seeds[2].frame);
  sections.section(true).interface(113, 0).enhanced(0, 4, seeds[6].frame).block(0x00000BAD, Buf(4, 1));
  write(out / "pcapng_reader" / "sections", sections.bytes());

  PcapngBuilder late;
  late.section().interface(1, 65535).enhanced(0, 1, seeds[0].frame).interface(276, 0).enhanced(1, 2, seeds[7].frame);
  write(out / "pcapng_reader" / "late_interface", late.bytes());

  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}
