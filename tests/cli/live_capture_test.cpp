// `herkomst scan --iface`: live capture end to end.
//
// Run with "--live" (ctest: live_capture) the tests capture on a veth pair whose two ends sit in
// two network namespaces this test creates (no default route: the traffic it sends cannot leave
// them) and remove again, also on failure. Without root or `ip netns` they report themselves
// skipped (exit 77). Without "--live" (ctest: live_capture_options) only the command-line
// checks run, which need no privileges.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "run_process.hpp"

using namespace herkomst::test;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string kHerkomst = HERKOMST_BINARY;
const std::string kSample = HERKOMST_SAMPLE_CAPTURE;
const std::string kIeeeEnv = "HERKOMST_IEEE_DIR=" HERKOMST_IEEE_DIR;
constexpr std::uint16_t kPort = 47999;
constexpr const char* kCaptureAddress = "10.199.77.1";  // only inside the test's own namespaces
constexpr const char* kPeerAddress = "10.199.77.2";
constexpr const char* kNetnsPrefix = "herkomst-test-";

std::string ip_binary() {
  for (const char* p : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"})
    if (access(p, X_OK) == 0) return p;
  return {};
}

void ip(const std::vector<std::string>& args) {
  const auto r = run_process(ip_binary(), args);
  INFO("ip " << args.front() << " ...: " << r.err);
  REQUIRE(r.exit_code == 0);
}

// Namespaces left behind by test runs that died (their pid is gone).
void remove_stale_namespaces() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/run/netns", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kNetnsPrefix, 0) != 0) continue;
    const std::string rest = name.substr(std::string(kNetnsPrefix).size());
    const long pid = std::strtol(rest.c_str(), nullptr, 10);
    if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) run_process(ip_binary(), {"netns", "del", name});
  }
}

// Two namespaces joined by a veth pair: hk0 (kCaptureAddress) in `capture`, hk1
// (kPeerAddress) in `peer`. Deleted with the object.
struct VethLab {
  std::string capture, peer;
  explicit VethLab(const std::string& tag)
      : capture(kNetnsPrefix + std::to_string(getpid()) + "-" + tag + "-cap"),
        peer(kNetnsPrefix + std::to_string(getpid()) + "-" + tag + "-peer") {
    ip({"netns", "add", capture});
    ip({"netns", "add", peer});
    ip({"-n", capture, "link", "add", "hk0", "type", "veth", "peer", "name", "hk1", "netns", peer});
    ip({"-n", capture, "addr", "add", std::string(kCaptureAddress) + "/24", "dev", "hk0"});
    ip({"-n", peer, "addr", "add", std::string(kPeerAddress) + "/24", "dev", "hk1"});
    for (const auto& [ns, dev] : {std::pair{capture, "hk0"}, std::pair{peer, "hk1"}}) {
      ip({"-n", ns, "link", "set", "lo", "up"});
      ip({"-n", ns, "link", "set", dev, "up"});
    }
  }
  ~VethLab() {
    run_process(ip_binary(), {"netns", "del", peer});
    run_process(ip_binary(), {"netns", "del", capture});
  }
  VethLab(const VethLab&) = delete;
  VethLab& operator=(const VethLab&) = delete;

  // Sends `count` UDP datagrams from the peer namespace to kCaptureAddress:kPort, `gap` apart.
  // A child process joins the namespace, so this process's own namespace is never touched.
  void send_datagrams(int count, std::chrono::milliseconds gap = 20ms) const {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int ns = open(("/run/netns/" + peer).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) _exit(10);
      const int sock = socket(AF_INET, SOCK_DGRAM, 0);
      if (sock < 0) _exit(11);
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_port = htons(kPort);
      if (inet_pton(AF_INET, kCaptureAddress, &to.sin_addr) != 1) _exit(12);
      const char payload[] = "herkomst live capture test";
      for (int i = 0; i < count; ++i) {
        if (sendto(sock, payload, sizeof payload, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) _exit(13);
        std::this_thread::sleep_for(gap);
      }
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
};

// herkomst started in the background with its output in files; killed and reaped if the test
// ends before it does.
struct Background {
  pid_t pid = -1;
  std::string out, err;
  std::optional<int> exit_code;  // once finished; -1 when ended by a signal

  Background(const std::string& dir, const std::vector<std::string>& args) : out(dir + "/stdout"), err(dir + "/stderr") {
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0 || in < 0) _exit(126);
      dup2(in, 0);
      dup2(o, 1);
      dup2(e, 2);
      putenv(const_cast<char*>(kIeeeEnv.c_str()));
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Background() {
    if (!exit_code) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  bool finished_within(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!exit_code) {
      int status = 0;
      const pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }
  // Waits until herkomst says it is capturing (the handle is open, privileges are dropped).
  bool capturing_within(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (read_file(err).find("capturing on") != std::string::npos) return true;
      if (finished_within(0ms)) return false;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  // "Uid:" line of /proc/PID/status: real, effective, saved, filesystem.
  std::string uid_line() const {
    const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
    const auto at = status.find("Uid:");
    return at == std::string::npos ? std::string() : status.substr(at, status.find('\n', at) - at);
  }
};

struct Workspace {
  std::string dir, db, out;
  explicit Workspace(const std::string& name) : dir(fresh_dir(name)), db(dir + "/h.db"), out(dir + "/out") {}
  std::vector<std::string> herkomst_in(const VethLab& lab, std::vector<std::string> args) const {
    std::vector<std::string> all{ip_binary(), "netns", "exec", lab.capture, kHerkomst, "--db", db};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  // herkomst run to the end inside the lab's capture namespace.
  ProcessResult run_in(const VethLab& lab, const std::vector<std::string>& args) const {
    auto all = herkomst_in(lab, args);
    all.erase(all.begin());
    return run_process(ip_binary(), all, {kIeeeEnv});
  }
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run_process(kHerkomst, args, {kIeeeEnv});
  }
  json scans() const {
    auto r = run({"scans", "list", "--json"});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out)["scans"];
  }
};

std::uint64_t counter(const json& scan, const std::string& name) {
  INFO("counter " << name << " in " << scan["counters"].dump());
  REQUIRE(scan["counters"].contains(name));
  return scan["counters"][name].get<std::uint64_t>();
}

const json* asset_with_ip(const json& assets, const std::string& address) {
  for (const auto& a : assets)
    if (a["keys"].contains("ipv4"))
      for (const auto& v : a["keys"]["ipv4"])
        if (v == address) return &a;
  return nullptr;
}

void keep_for_validation(const std::string& bom, const std::string& name) {
  fs::create_directories(HERKOMST_TEST_BOM_DIR);
  fs::copy_file(bom, fs::path(HERKOMST_TEST_BOM_DIR) / (name + ".cdx.json"), fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("a live capture with filter and duration stores what the peer sent", "[live]") {
  VethLab lab("dur");
  Workspace ws("live-duration");
  Background herkomst(ws.dir, ws.herkomst_in(lab, {"scan", "--iface", "hk0", "--filter", "udp port 47999",
                                                   "--duration", "3", "--out", ws.out, "--json"}));
  REQUIRE(herkomst.capturing_within(20s));
  // Root gave way to nobody before the first packet (real, effective, saved and fs uid 65534).
  CHECK(herkomst.uid_line() == "Uid:\t65534\t65534\t65534\t65534");
  const auto sent_at = std::chrono::steady_clock::now();
  lab.send_datagrams(6);
  REQUIRE(herkomst.finished_within(30s));
  // --duration ends the capture; it does not wait for more.
  CHECK(std::chrono::steady_clock::now() - sent_at < 10s);
  INFO(read_file(herkomst.err));
  REQUIRE(herkomst.exit_code == 0);

  const json result = json::parse(read_file(herkomst.out));
  const json& scan = result["scan"];
  CHECK(scan["status"] == "complete");
  REQUIRE(scan["inputs"].size() == 1);
  CHECK(scan["inputs"][0]["path"] == "iface:hk0");
  CHECK(scan["inputs"][0]["format"] == "live");
  CHECK(scan["inputs"][0]["status"] == "read");
  CHECK(counter(scan, "frames") >= 6);
  CHECK(counter(scan, "capture.received") >= 6);
  CHECK(counter(scan, "capture.dropped") == 0);
  CHECK(scan["counters"].contains("capture.if_dropped"));
  CHECK(counter(scan, "frames.malformed") == 0);
  // The peer is an asset: its MAC with its address.
  const json* peer = asset_with_ip(result["assets"], kPeerAddress);
  REQUIRE(peer);
  CHECK((*peer)["keys"].contains("mac"));
  CHECK_FALSE(asset_with_ip(result["assets"], kCaptureAddress));  // it only received

  // Stored in the database (written after the drop through the connection opened before it),
  // and the BOM was written.
  const json scans = ws.scans();
  REQUIRE(scans.size() == 1);
  CHECK(scans[0]["status"] == "complete");
  const std::string bom = result["outputs"]["bom"];
  REQUIRE(fs::file_size(bom) > 100);
  CHECK(json::parse(read_file(bom))["bomFormat"] == "CycloneDX");
  keep_for_validation(bom, "live-veth");
}

TEST_CASE("--count stops a live capture after that many frames", "[live]") {
  VethLab lab("count");
  Workspace ws("live-count");
  Background herkomst(ws.dir, ws.herkomst_in(lab, {"scan", "--iface", "hk0", "--filter", "udp port 47999", "--count",
                                                   "5", "--out", ws.out, "--json"}));
  REQUIRE(herkomst.capturing_within(20s));
  lab.send_datagrams(20, 10ms);
  REQUIRE(herkomst.finished_within(20s));
  INFO(read_file(herkomst.err));
  REQUIRE(herkomst.exit_code == 0);
  const json result = json::parse(read_file(herkomst.out));
  CHECK(result["scan"]["status"] == "complete");
  CHECK(counter(result["scan"], "frames") == 5);
}

TEST_CASE("SIGINT and SIGTERM stop a running capture quickly and the scan is stored complete", "[live]") {
  const int signal_number = GENERATE(SIGINT, SIGTERM);
  VethLab lab(signal_number == SIGINT ? "int" : "term");
  Workspace ws(signal_number == SIGINT ? "live-sigint" : "live-sigterm");
  // No limit: only the signal ends it. This one keeps root's rights.
  Background herkomst(ws.dir, ws.herkomst_in(lab, {"scan", "--iface", "hk0", "--filter", "udp port 47999",
                                                   "--no-drop-privileges", "--out", ws.out, "--json"}));
  REQUIRE(herkomst.capturing_within(20s));
  CHECK(herkomst.uid_line() == "Uid:\t0\t0\t0\t0");
  lab.send_datagrams(4);
  std::this_thread::sleep_for(500ms);  // let the capture take them in
  REQUIRE_FALSE(herkomst.finished_within(0ms));
  const auto signalled = std::chrono::steady_clock::now();
  REQUIRE(kill(herkomst.pid, signal_number) == 0);
  REQUIRE(herkomst.finished_within(10s));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - signalled);
  INFO("exit " << took.count() << " ms after the signal; " << read_file(herkomst.err));
  CHECK(took < 1s);
  REQUIRE(herkomst.exit_code == 0);
  const json result = json::parse(read_file(herkomst.out));
  CHECK(result["scan"]["status"] == "complete");
  CHECK(counter(result["scan"], "frames") >= 4);
  CHECK(asset_with_ip(result["assets"], kPeerAddress));
  CHECK(ws.scans()[0]["status"] == "complete");
  CHECK(fs::file_size(result["outputs"]["bom"].get<std::string>()) > 100);
}

TEST_CASE("an interface that vanishes part-way keeps what was seen and marks the scan incomplete", "[live]") {
  VethLab lab("gone");
  Workspace ws("live-vanished");
  Background herkomst(ws.dir, ws.herkomst_in(lab, {"scan", "--iface", "hk0", "--filter", "udp port 47999", "--out",
                                                   ws.out, "--json"}));
  REQUIRE(herkomst.capturing_within(20s));
  lab.send_datagrams(3);
  std::this_thread::sleep_for(300ms);
  ip({"-n", lab.peer, "link", "del", "hk1"});  // takes hk0 with it
  REQUIRE(herkomst.finished_within(10s));
  INFO(read_file(herkomst.err));
  REQUIRE(herkomst.exit_code == 0);
  const json result = json::parse(read_file(herkomst.out));
  CHECK(result["scan"]["status"] == "incomplete");
  CHECK(result["scan"]["inputs"][0]["status"] == "interrupted");
  CHECK_THAT(result["scan"]["inputs"][0]["error"].get<std::string>(), Catch::Contains("interface hk0: "));
  CHECK(counter(result["scan"], "frames") >= 3);
  CHECK(asset_with_ip(result["assets"], kPeerAddress));
  CHECK(ws.scans()[0]["status"] == "incomplete");
}

TEST_CASE("a bad BPF filter or an unknown --user fails naming it, and nothing is stored", "[live]") {
  VethLab lab("bad");
  Workspace ws("live-bad-filter");
  auto r = ws.run_in(lab, {"scan", "--iface", "hk0", "--filter", "udp prot 47999", "--duration", "1", "--out", ws.out});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("udp prot 47999") && Catch::Contains("hk0"));

  r = ws.run_in(lab, {"scan", "--iface", "hk0", "--user", "herkomst-no-such-user", "--duration", "1", "--out", ws.out});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("herkomst-no-such-user") && Catch::Contains("no such user"));

  r = ws.run_in(lab, {"scan", "--iface", "hk9", "--duration", "1", "--out", ws.out});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("interface hk9: no such device"));
  CHECK(ws.scans().empty());
  CHECK_FALSE(fs::exists(ws.out));
}

TEST_CASE("a missing interface fails with exit 2 naming it", "[options]") {
  // Works without privileges too: then it is the permission that is missing, still named.
  Workspace ws("live-missing");
  auto r = ws.run({"scan", "--iface", "hk-missing0", "--duration", "1", "--out", ws.out});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("interface hk-missing0: "));
  CHECK_FALSE(fs::exists(ws.out));
}

TEST_CASE("scan needs --pcap or --iface, not both, and live options need --iface", "[options]") {
  Workspace ws("live-options");
  auto r = ws.run({"scan", "--out", ws.out});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("--pcap") && Catch::Contains("--iface"));

  r = ws.run({"scan", "--pcap", kSample, "--iface", "lo", "--out", ws.out});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("--pcap") && Catch::Contains("--iface"));

  for (const auto& option : std::vector<std::vector<std::string>>{{"--filter", "udp"},
                                                                  {"--duration", "3"},
                                                                  {"--count", "5"},
                                                                  {"--snaplen", "1500"},
                                                                  {"--user", "nobody"},
                                                                  {"--no-drop-privileges"}}) {
    std::vector<std::string> args{"scan", "--pcap", kSample, "--out", ws.out};
    args.insert(args.end(), option.begin(), option.end());
    r = ws.run(args);
    INFO(option[0] << ": " << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains(option[0]) && Catch::Contains("--iface"));
  }
  r = ws.run({"scan", "--iface", "lo", "--duration", "0", "--out", ws.out});
  CHECK(r.exit_code != 0);
  r = ws.run({"scan", "--iface", "lo", "--snaplen", "300000", "--out", ws.out});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(fs::exists(ws.db));

  auto help = run_process(kHerkomst, {"scan", "--help"});
  CHECK(help.exit_code == 0);
  for (const char* option : {"--iface", "--filter", "--duration", "--count", "--snaplen", "--user",
                             "--no-drop-privileges"}) {
    CHECK_THAT(help.out, Catch::Contains(std::string(option)) && Catch::Contains(std::string("Example: ") + option));
  }
}

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool live = false;
  if (args.size() > 1 && std::string(args[1]) == "--live") {
    live = true;
    args.erase(args.begin() + 1);
  }
  if (live) {
    if (geteuid() != 0) {
      std::cout << "SKIPPED: live capture tests need root (network namespaces, capture rights)\n";
      return 77;
    }
    if (ip_binary().empty()) {
      std::cout << "SKIPPED: no `ip` command (iproute2)\n";
      return 77;
    }
    remove_stale_namespaces();
    const std::string probe = kNetnsPrefix + std::to_string(getpid()) + "-probe";
    if (run_process(ip_binary(), {"netns", "add", probe}).exit_code != 0) {
      std::cout << "SKIPPED: cannot create network namespaces here\n";
      return 77;
    }
    run_process(ip_binary(), {"netns", "del", probe});
  }
  static char live_tag[] = "[live]";
  static char options_tag[] = "[options]";
  if (args.size() == 1) args.push_back(live ? live_tag : options_tag);  // unless a test spec is given
  return Catch::Session().run(static_cast<int>(args.size()), args.data());
}
