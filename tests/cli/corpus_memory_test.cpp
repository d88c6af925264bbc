// A run over the whole corpus finishes, and herkomst's memory does not grow with the capture:
// the corpus's Ethernet captures are joined into one file once and four times over, and the
// peak RSS of scanning the long one must stay within a few MiB of the short one (the issue's
// "bounded memory": state is per device, flow and identity, not per frame). Also, every corpus
// capture in one run (each file its own input). Skipped (exit 77) when ../shared is absent.
#include <catch2/catch.hpp>
#include <pcap/pcap.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "corpus_support.hpp"
#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void put32(std::ofstream& out, std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); }
void put16(std::ofstream& out, std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); }

// Writes a classic pcap (Ethernet) of every Ethernet capture's frames, `copies` times over.
// Returns the number of frames written.
std::uint64_t join(const std::vector<fs::path>& files, const fs::path& out_path, int copies) {
  std::ofstream out(out_path, std::ios::binary);
  put32(out, 0xa1b2c3d4);
  put16(out, 2);
  put16(out, 4);
  put32(out, 0);
  put32(out, 0);
  put32(out, 262144);
  put32(out, 1);  // LINKTYPE_ETHERNET
  std::uint64_t frames = 0;
  for (int copy = 0; copy < copies; ++copy)
    for (const auto& f : files) {
      std::array<char, PCAP_ERRBUF_SIZE> err{};
      pcap_t* p = pcap_open_offline(f.c_str(), err.data());
      if (!p) continue;
      if (pcap_datalink(p) == DLT_EN10MB) {
        pcap_pkthdr* h = nullptr;
        const u_char* data = nullptr;
        while (pcap_next_ex(p, &h, &data) == 1) {
          put32(out, static_cast<std::uint32_t>(h->ts.tv_sec));
          put32(out, static_cast<std::uint32_t>(h->ts.tv_usec));
          put32(out, h->caplen);
          put32(out, h->len);
          out.write(reinterpret_cast<const char*>(data), h->caplen);
          ++frames;
        }
      }
      pcap_close(p);
    }
  return frames;
}

// ASan keeps freed memory in a quarantine (256 MiB by default), which would look like growth.
const std::vector<std::string> kEnv{"HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR,
                                    "ASAN_OPTIONS=quarantine_size_mb=4:detect_leaks=1"};

}  // namespace

TEST_CASE("memory does not grow with the length of the capture") {
  const std::string dir = fresh_dir("corpus-memory");
  const auto files = corpus_files();
  REQUIRE(files.size() >= 20);
  const std::uint64_t once = join(files, dir + "/once.pcap", 1);
  const std::uint64_t four = join(files, dir + "/four.pcap", 4);
  REQUIRE(once > 10000);
  REQUIRE(four == 4 * once);

  const auto scan = [&](const std::string& name) {
    const auto r = run_process(HERKOMST_BINARY, {"-q", "--db", dir + "/" + name + ".db", "scan", "--pcap",
                                                 dir + "/" + name + ".pcap", "--out", dir + "/" + name, "--json"},
                               kEnv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["scan"]["status"] == "complete");
    CHECK(j["scan"]["counters"]["sightings.dropped"] == 0);
    return std::make_pair(r.max_rss_kib, j["scan"]["counters"]["frames"].get<std::uint64_t>());
  };
  const auto [rss_once, frames_once] = scan("once");
  const auto [rss_four, frames_four] = scan("four");
  CHECK(frames_once == once);
  CHECK(frames_four == four);
  INFO("peak RSS: " << rss_once << " KiB for " << once << " frames, " << rss_four << " KiB for " << four);
  // Four times the frames may not cost more than a little: 8 MiB or 10 %, whichever is more.
  CHECK(rss_four <= rss_once + std::max(8L * 1024, rss_once / 10));
}

TEST_CASE("all corpus captures in one run: no crash, every input read") {
  const std::string dir = fresh_dir("corpus-all");
  const auto files = corpus_files();
  std::vector<std::string> args{"-q", "--db", dir + "/all.db", "scan", "--out", dir, "--json"};
  for (const auto& f : files) {
    args.push_back("--pcap");
    args.push_back(f.string());
  }
  const auto r = run_process(HERKOMST_BINARY, args, kEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["scan"]["status"] == "complete");
  REQUIRE(j["scan"]["inputs"].size() == files.size());
  for (const auto& input : j["scan"]["inputs"]) {
    INFO(input.dump());
    CHECK(input["status"] == "read");
  }
  CHECK(j["assets"].size() > 100);
}
