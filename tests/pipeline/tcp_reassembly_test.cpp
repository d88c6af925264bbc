// TCP reassembly: order, retransmissions, overlaps, gaps, limits.
#include <catch2/catch.hpp>

#include <string>

#include "scanner/passive/tcp_reassembly.hpp"

using namespace herkomst;
using namespace herkomst::passive;

namespace {

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kFin = 0x01, kRst = 0x04;

struct Wire {
  std::vector<std::vector<std::uint8_t>> keep;  // payload storage outliving the packets
  capture::DecodedPacket segment(int client_port, bool from_client, std::uint32_t seq, const std::string& text,
                                 std::uint8_t flags = kAck) {
    capture::DecodedPacket p;
    capture::IpAddress a, b;
    a.bytes[0] = 10, a.bytes[3] = 1;
    b.bytes[0] = 10, b.bytes[3] = 2;
    p.ip_protocol = 6;
    p.ip_src = from_client ? a : b;
    p.ip_dst = from_client ? b : a;
    p.src_port = static_cast<std::uint16_t>(from_client ? client_port : 502);
    p.dst_port = static_cast<std::uint16_t>(from_client ? 502 : client_port);
    p.tcp_seq = seq;
    p.tcp_flags = flags;
    keep.emplace_back(text.begin(), text.end());
    p.payload = keep.back();
    return p;
  }
};

// Consumes complete lines ("...\n"), records them.
struct LineConsumer {
  std::vector<std::string> lines;
  std::vector<bool> from_server;
  TcpConsumed operator()(const TcpChunk& c) {
    TcpConsumed used;
    std::string text(c.data.begin(), c.data.end());
    std::size_t pos;
    while ((pos = text.find('\n', used.bytes)) != std::string::npos) {
      lines.push_back(text.substr(used.bytes, pos - used.bytes));
      from_server.push_back(c.from_server);
      used.bytes = pos + 1;
    }
    return used;
  }
};

capture::Frame frame_at(std::int64_t us) {
  capture::Frame f;
  f.time_us = us;
  return f;
}

}  // namespace

TEST_CASE("in-order, out-of-order, retransmitted and overlapping segments give one clean stream") {
  Wire w;
  LineConsumer lines;
  TcpConsumer consumer = std::ref(lines);
  TcpReassembler r;
  r.add(w.segment(40000, true, 999, "", kSyn), frame_at(1), consumer);
  r.add(w.segment(40000, false, 4999, "", kSyn | kAck), frame_at(2), consumer);
  r.add(w.segment(40000, true, 1000, "hel"), frame_at(3), consumer);
  r.add(w.segment(40000, true, 1009, "ld\nsec"), frame_at(4), consumer);  // early
  r.add(w.segment(40000, true, 1002, "llo wor"), frame_at(5), consumer);  // fills the gap, overlaps "l"
  r.add(w.segment(40000, true, 1000, "hello"), frame_at(6), consumer);    // retransmission
  r.add(w.segment(40000, true, 1015, "ond\n"), frame_at(7), consumer);
  r.add(w.segment(40000, false, 5000, "reply\n"), frame_at(8), consumer);
  REQUIRE(lines.lines == std::vector<std::string>{"hello world", "second", "reply"});
  CHECK(lines.from_server == std::vector<bool>{false, false, true});
  CHECK(r.counters().at("tcp.segments.retransmitted") == 1);
  CHECK(r.counters().at("tcp.segments.out_of_order") == 1);
  CHECK(r.counters().at("tcp.segments.overlapping") == 1);
}

TEST_CASE("sequence numbers wrap around 2^32") {
  Wire w;
  LineConsumer lines;
  TcpConsumer consumer = std::ref(lines);
  TcpReassembler r;
  r.add(w.segment(40001, true, 0xFFFFFFFDu, "", kSyn), frame_at(1), consumer);
  r.add(w.segment(40001, true, 0xFFFFFFFEu, "ab"), frame_at(2), consumer);
  r.add(w.segment(40001, true, 0x00000000u, "c\n"), frame_at(3), consumer);
  CHECK(lines.lines == std::vector<std::string>{"abc"});
}

TEST_CASE("a stream picked up mid-connection starts at the first segment, and the server is the lower port") {
  Wire w;
  LineConsumer lines;
  TcpConsumer consumer = std::ref(lines);
  TcpReassembler r;
  r.add(w.segment(40002, false, 777, "late\n"), frame_at(1), consumer);
  REQUIRE(lines.lines == std::vector<std::string>{"late"});
  CHECK(lines.from_server[0]);
  CHECK(r.counters().at("tcp.streams.midstream") == 1);
}

TEST_CASE("too many early segments: the gap is skipped and the stream restarts") {
  Wire w;
  LineConsumer lines;
  TcpConsumer consumer = std::ref(lines);
  TcpLimits limits;
  limits.max_out_of_order = 2;
  TcpReassembler r(limits);
  r.add(w.segment(40003, true, 99, "", kSyn), frame_at(1), consumer);
  r.add(w.segment(40003, true, 100, "partial"), frame_at(2), consumer);  // never completed
  r.add(w.segment(40003, true, 200, "a\n"), frame_at(3), consumer);      // gap 107..199 lost
  r.add(w.segment(40003, true, 202, "b\n"), frame_at(4), consumer);
  r.add(w.segment(40003, true, 204, "c\n"), frame_at(5), consumer);
  CHECK(lines.lines == std::vector<std::string>{"a", "b", "c"});
  CHECK(r.counters().at("tcp.gaps.skipped") == 1);
}

TEST_CASE("a consumer that never consumes is cut off at the buffer limit") {
  Wire w;
  int calls = 0;
  TcpConsumer consumer = [&calls](const TcpChunk&) {
    ++calls;
    return TcpConsumed{};
  };
  TcpLimits limits;
  limits.max_buffered_per_direction = 10;
  TcpReassembler r(limits);
  r.add(w.segment(40004, true, 1, "0123456789"), frame_at(1), consumer);
  r.add(w.segment(40004, true, 11, "0123456789"), frame_at(2), consumer);
  r.add(w.segment(40004, true, 21, "0123456789"), frame_at(3), consumer);
  CHECK(calls == 2);
  CHECK(r.counters().at("tcp.streams.overflow") == 1);
}

TEST_CASE("give_up stops a direction, resync restarts it at the next segment") {
  Wire w;
  std::vector<std::string> seen;
  TcpConsumer consumer = [&seen](const TcpChunk& c) {
    std::string text(c.data.begin(), c.data.end());
    seen.push_back(text);
    TcpConsumed used;
    if (text == "junk") used.resync = true;
    else if (text == "stop") used.give_up = true;
    else used.bytes = text.size();
    return used;
  };
  TcpReassembler r;
  r.add(w.segment(40005, true, 1, "junk"), frame_at(1), consumer);
  r.add(w.segment(40005, true, 5, "good"), frame_at(2), consumer);
  r.add(w.segment(40005, true, 9, "stop"), frame_at(3), consumer);
  r.add(w.segment(40005, true, 13, "never"), frame_at(4), consumer);
  CHECK(seen == std::vector<std::string>{"junk", "good", "stop"});
}

TEST_CASE("flows end on RST or two FINs, and the table stays within max_flows") {
  Wire w;
  LineConsumer lines;
  TcpConsumer consumer = std::ref(lines);
  TcpLimits limits;
  limits.max_flows = 8;
  TcpReassembler r(limits);
  r.add(w.segment(41000, true, 1, "x\n"), frame_at(1), consumer);
  CHECK(r.flows() == 1);
  r.add(w.segment(41000, true, 3, "", kRst), frame_at(2), consumer);
  CHECK(r.flows() == 0);
  for (int i = 0; i < 100; ++i) r.add(w.segment(42000 + i, true, 1, "y\n"), frame_at(10 + i), consumer);
  CHECK(r.flows() <= 8);
  CHECK(lines.lines.size() == 101);
  CHECK(r.counters().at("tcp.flows.evicted") > 0);
  r.add(w.segment(50000, true, 1, "z", kAck), frame_at(500), consumer);
  r.add(w.segment(50000, true, 2, "", kFin | kAck), frame_at(501), consumer);
  r.add(w.segment(50000, false, 9, "", kFin | kAck), frame_at(502), consumer);
  r.clear();
  CHECK(r.flows() == 0);
}
