#include "scanner/protocols/opcua.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <cstdio>
#include <optional>
#include <string_view>
#include <tuple>

#include "scanner/protocols/wire_reader.hpp"

namespace herkomst::protocols {
namespace {

using wire::Bytes;

constexpr std::string_view kPolicyNone = "http://opcfoundation.org/UA/SecurityPolicy#None";
constexpr std::size_t kMaxDepth = 16;  // nested Variant / DataValue / DiagnosticInfo

// Binary encoding node ids (namespace 0).
constexpr std::uint32_t kGetEndpointsResponse = 431;
constexpr std::uint32_t kCreateSessionResponse = 464;
constexpr std::uint32_t kReadRequest = 631;
constexpr std::uint32_t kReadResponse = 634;
constexpr std::uint32_t kBuildInfoEncoding = 340;
constexpr std::uint32_t kServerStatusEncoding = 864;
// ServerStatus.BuildInfo children.
constexpr std::uint32_t kServerStatusNode = 2256;
constexpr std::uint32_t kValueAttribute = 13;

struct NodeId {
  std::uint16_t ns = 0;
  std::uint32_t numeric = 0;
  bool is_numeric = false;
  bool is(std::uint32_t id) const { return is_numeric && ns == 0 && numeric == id; }
};

// A Variant's value as far as identity needs it.
struct Value {
  enum class Kind { other, string, date_time, extension } kind = Kind::other;
  Bytes text;
  std::int64_t ticks = 0;
  NodeId type;  // extension: the encoding id
  Bytes body;   // extension: the binary body
};

// Bounded little-endian reader for the OPC UA binary encoding. The first failure is kept as the
// error ("<what>: ... at body offset N").
class Ua {
 public:
  explicit Ua(Bytes data) : r_(data) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t remaining() const { return r_.remaining(); }
  Bytes rest() const { return r_.rest(); }

  bool fail(std::string what) {
    if (error_.empty()) error_ = std::move(what) + " at body offset " + std::to_string(r_.offset());
    return false;
  }
  bool short_of(const char* what, std::size_t n) {
    return fail(std::string(what) + " needs " + std::to_string(n) + " bytes, " + std::to_string(r_.remaining()) +
                " left");
  }
  bool u8(std::uint8_t& out, const char* what) { return ok() && (r_.u8(out) || short_of(what, 1)); }
  bool u16(std::uint16_t& out, const char* what) { return ok() && (r_.le16(out) || short_of(what, 2)); }
  bool u32(std::uint32_t& out, const char* what) { return ok() && (r_.le32(out) || short_of(what, 4)); }
  bool i64(std::int64_t& out, const char* what) {
    std::uint32_t lo = 0, hi = 0;
    if (!u32(lo, what) || !u32(hi, what)) return false;
    out = static_cast<std::int64_t>((static_cast<std::uint64_t>(hi) << 32) | lo);
    return true;
  }
  bool skip(std::size_t n, const char* what) { return ok() && (r_.skip(n) || short_of(what, n)); }

  // String / ByteString / XmlElement: Int32 length, -1 = null.
  bool string(Bytes& out, const char* what) {
    std::uint32_t raw = 0;
    if (!u32(raw, what)) return false;
    const auto length = static_cast<std::int32_t>(raw);
    out = {};
    if (length == -1) return true;
    if (length < 0) return fail(std::string(what) + " length " + std::to_string(length));
    if (!r_.bytes(static_cast<std::size_t>(length), out))
      return fail(std::string(what) + " length " + std::to_string(length) + " exceeds data (" +
                  std::to_string(r_.remaining()) + " bytes)");
    return true;
  }
  bool skip_string(const char* what) {
    Bytes ignored;
    return string(ignored, what);
  }
  // Array length: -1 = null (0 elements); a count that cannot fit the rest is a lie.
  bool count(std::size_t& out, std::size_t min_element, const char* what) {
    std::uint32_t raw = 0;
    if (!u32(raw, what)) return false;
    const auto n = static_cast<std::int32_t>(raw);
    out = 0;
    if (n == -1) return true;
    if (n < 0) return fail(std::string(what) + " count " + std::to_string(n));
    if (static_cast<std::size_t>(n) > r_.remaining() / min_element)
      return fail(std::string(what) + " count " + std::to_string(n) + " exceeds data (" +
                  std::to_string(r_.remaining()) + " bytes)");
    out = static_cast<std::size_t>(n);
    return true;
  }

  bool node_id(NodeId& out, const char* what) { return node_id_body(out, what, nullptr); }
  bool expanded_node_id(NodeId& out, const char* what) {
    std::uint8_t flags = 0;
    if (!node_id_body(out, what, &flags)) return false;
    if ((flags & 0x80) && !skip_string(what)) return false;  // namespace URI
    if ((flags & 0x40) && !skip(4, what)) return false;      // server index
    return true;
  }
  bool localized_text(Bytes& text, const char* what) {
    std::uint8_t mask = 0;
    text = {};
    if (!u8(mask, what)) return false;
    if ((mask & 0x01) && !skip_string(what)) return false;  // locale
    if ((mask & 0x02) && !string(text, what)) return false;
    return true;
  }
  bool qualified_name(const char* what) { return skip(2, what) && skip_string(what); }
  bool extension_object(NodeId& type, Bytes& body, const char* what) {
    std::uint8_t encoding = 0;
    body = {};
    if (!expanded_node_id(type, what) || !u8(encoding, what)) return false;
    if (encoding == 0) return true;
    if (encoding == 1 || encoding == 2) return string(body, what);
    return fail(std::string(what) + " ExtensionObject encoding " + std::to_string(encoding));
  }
  bool diagnostic_info(std::size_t depth, const char* what) {
    if (depth > kMaxDepth) return fail(std::string(what) + " DiagnosticInfo nested deeper than " +
                                       std::to_string(kMaxDepth));
    std::uint8_t mask = 0;
    if (!u8(mask, what)) return false;
    for (unsigned bit = 1; bit <= 8; bit <<= 1)  // symbolic id, namespace, localized text, locale
      if ((mask & bit) && !skip(4, what)) return false;
    if ((mask & 0x10) && !skip_string(what)) return false;  // additional info
    if ((mask & 0x20) && !skip(4, what)) return false;      // inner status code
    if (mask & 0x40) return diagnostic_info(depth + 1, what);
    return true;
  }
  // One scalar of a Variant built-in type; `out` is filled for String, LocalizedText, DateTime
  // and ExtensionObject.
  bool scalar(std::uint8_t type, Value& out, std::size_t depth, const char* what) {
    switch (type) {
      case 0: return true;
      case 1: case 2: case 3: return skip(1, what);
      case 4: case 5: return skip(2, what);
      case 6: case 7: case 10: case 19: return skip(4, what);
      case 8: case 9: case 11: return skip(8, what);
      case 13:
        out.kind = Value::Kind::date_time;
        return i64(out.ticks, what);
      case 14: return skip(16, what);
      case 12:
        out.kind = Value::Kind::string;
        return string(out.text, what);
      case 15: case 16: return skip_string(what);
      case 17: {
        NodeId ignored;
        return node_id(ignored, what);
      }
      case 18: {
        NodeId ignored;
        return expanded_node_id(ignored, what);
      }
      case 20: return qualified_name(what);
      case 21:
        out.kind = Value::Kind::string;
        return localized_text(out.text, what);
      case 22:
        out.kind = Value::Kind::extension;
        return extension_object(out.type, out.body, what);
      case 23: {
        Value ignored;
        return data_value(ignored, depth + 1, what);
      }
      case 24: {
        Value ignored;
        return variant(ignored, depth + 1, what);
      }
      case 25: return diagnostic_info(depth + 1, what);
      default:
        return fail(std::string(what) + " Variant type " + std::to_string(type));
    }
  }
  bool variant(Value& out, std::size_t depth, const char* what) {
    if (depth > kMaxDepth) return fail(std::string(what) + " Variant nested deeper than " + std::to_string(kMaxDepth));
    std::uint8_t mask = 0;
    if (!u8(mask, what)) return false;
    const auto type = static_cast<std::uint8_t>(mask & 0x3F);
    if (!(mask & 0x80)) return scalar(type, out, depth, what);
    std::size_t n = 0;
    if (!count(n, 1, what)) return false;
    for (std::size_t i = 0; i < n; ++i) {
      Value ignored;
      if (!scalar(type, ignored, depth, what)) return false;
    }
    if (mask & 0x40) {  // array dimensions
      std::size_t dims = 0;
      if (!count(dims, 4, what) || !skip(4 * dims, what)) return false;
    }
    return true;
  }
  bool data_value(Value& out, std::size_t depth, const char* what) {
    if (depth > kMaxDepth) return fail(std::string(what) + " DataValue nested deeper than " + std::to_string(kMaxDepth));
    std::uint8_t mask = 0;
    if (!u8(mask, what)) return false;
    if ((mask & 0x01) && !variant(out, depth + 1, what)) return false;
    if ((mask & 0x02) && !skip(4, what)) return false;  // status code
    if ((mask & 0x04) && !skip(8, what)) return false;  // source timestamp
    if ((mask & 0x10) && !skip(2, what)) return false;  // source picoseconds
    if ((mask & 0x08) && !skip(8, what)) return false;  // server timestamp
    if ((mask & 0x20) && !skip(2, what)) return false;  // server picoseconds
    return true;
  }
  bool request_header(std::uint32_t& handle) {
    NodeId token;
    NodeId extension;
    Bytes ignored;
    return node_id(token, "RequestHeader authenticationToken") && skip(8, "RequestHeader timestamp") &&
           u32(handle, "RequestHeader requestHandle") && skip(4, "RequestHeader returnDiagnostics") &&
           skip_string("RequestHeader auditEntryId") && skip(4, "RequestHeader timeoutHint") &&
           extension_object(extension, ignored, "RequestHeader additionalHeader");
  }
  bool response_header(std::uint32_t& handle, std::uint32_t& status) {
    std::size_t strings = 0;
    if (!skip(8, "ResponseHeader timestamp") || !u32(handle, "ResponseHeader requestHandle") ||
        !u32(status, "ResponseHeader serviceResult") || !diagnostic_info(0, "ResponseHeader serviceDiagnostics") ||
        !count(strings, 4, "ResponseHeader stringTable"))
      return false;
    for (std::size_t i = 0; i < strings; ++i)
      if (!skip_string("ResponseHeader stringTable")) return false;
    NodeId extension;
    Bytes ignored;
    return extension_object(extension, ignored, "ResponseHeader additionalHeader");
  }

 private:
  bool node_id_body(NodeId& out, const char* what, std::uint8_t* flags) {
    std::uint8_t encoding = 0;
    if (!u8(encoding, what)) return false;
    if (flags) *flags = static_cast<std::uint8_t>(encoding & 0xC0);
    else if (encoding & 0xC0) return fail(std::string(what) + " NodeId encoding 0x" + wire::to_hex(Bytes(&encoding, 1)));
    out = NodeId{};
    switch (encoding & 0x0F) {
      case 0: {
        std::uint8_t id = 0;
        if (!u8(id, what)) return false;
        out.numeric = id;
        out.is_numeric = true;
        return true;
      }
      case 1: {
        std::uint8_t ns = 0;
        std::uint16_t id = 0;
        if (!u8(ns, what) || !u16(id, what)) return false;
        out.ns = ns;
        out.numeric = id;
        out.is_numeric = true;
        return true;
      }
      case 2:
        out.is_numeric = true;
        return u16(out.ns, what) && u32(out.numeric, what);
      case 3: case 5: return u16(out.ns, what) && skip_string(what);
      case 4: return u16(out.ns, what) && skip(16, what);
      default:
        return fail(std::string(what) + " NodeId encoding 0x" + wire::to_hex(Bytes(&encoding, 1)));
    }
  }

  wire::Reader r_;
  std::string error_;
};

std::string text(Bytes b) { return sanitize_text(b); }

// DateTime: 100 ns ticks since 1601-01-01 UTC -> "YYYY-MM-DDTHH:MM:SSZ" (empty when unset).
std::string date_time_text(std::int64_t ticks) {
  constexpr std::int64_t kTicksPerSecond = 10'000'000;
  constexpr std::int64_t kEpochDelta = 11'644'473'600;  // seconds from 1601-01-01 to 1970-01-01
  if (ticks <= 0 || ticks == std::numeric_limits<std::int64_t>::max()) return {};
  const std::int64_t unix_seconds = ticks / kTicksPerSecond - kEpochDelta;
  using namespace std::chrono;
  const sys_seconds tp{seconds{unix_seconds}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::string application_type(std::uint32_t type) {
  switch (type) {
    case 0: return "server";
    case 1: return "client";
    case 2: return "client-and-server";
    case 3: return "discovery-server";
    default: return std::to_string(type);
  }
}

// BuildInfo: productUri, manufacturerName, productName, softwareVersion, buildNumber, buildDate.
bool build_info(Ua& ua, std::vector<Field>& fields) {
  Bytes product_uri, manufacturer, product_name, version, build;
  std::int64_t date = 0;
  if (!ua.string(product_uri, "BuildInfo productUri") || !ua.string(manufacturer, "BuildInfo manufacturerName") ||
      !ua.string(product_name, "BuildInfo productName") || !ua.string(version, "BuildInfo softwareVersion") ||
      !ua.string(build, "BuildInfo buildNumber") || !ua.i64(date, "BuildInfo buildDate"))
    return false;
  fields.push_back({"product.uri", text(product_uri)});
  fields.push_back({"manufacturer", text(manufacturer)});
  fields.push_back({"product.name", text(product_name)});
  fields.push_back({"software.version", text(version)});
  fields.push_back({"build.number", text(build)});
  fields.push_back({"build.date", date_time_text(date)});
  return true;
}

// Build info fields from one DataValue's Variant; `node` is the node read (0 when unknown).
bool build_info_value(const Value& value, std::uint32_t node, std::vector<Field>& fields, std::string& error) {
  if (value.kind == Value::Kind::extension &&
      (value.type.is(kBuildInfoEncoding) || value.type.is(kServerStatusEncoding))) {
    Ua body(value.body);
    if (value.type.is(kServerStatusEncoding))  // startTime, currentTime, state, then buildInfo
      body.skip(20, "ServerStatusDataType");
    if (!build_info(body, fields)) {
      error = body.error();
      return false;
    }
    return true;
  }
  const char* name = nullptr;
  switch (node) {
    case 2261: name = "product.name"; break;
    case 2262: name = "product.uri"; break;
    case 2263: name = "manufacturer"; break;
    case 2264: name = "software.version"; break;
    case 2265: name = "build.number"; break;
    case 2266: name = "build.date"; break;
    default: return true;
  }
  if (node == 2266 && value.kind == Value::Kind::date_time) fields.push_back({name, date_time_text(value.ticks)});
  else if (node != 2266 && value.kind == Value::Kind::string) fields.push_back({name, text(value.text)});
  return true;
}

void merge(std::vector<Field>& into, const std::vector<Field>& fields) {
  for (const Field& f : fields) {
    const auto* s = std::get_if<std::string>(&f.value);
    if (s && s->empty()) continue;
    auto it = std::find_if(into.begin(), into.end(), [&](const Field& g) { return g.name == f.name; });
    if (it == into.end()) into.push_back(f);
    else it->value = f.value;
  }
}

struct Decoder {
  OpcuaRequestMemory* memory = nullptr;
  bool secured = false;
  std::vector<Identity> identities;
  std::string error;  // set: the body lies

  bool fail(std::string_view service, const Ua& ua) {
    error = "opcua: " + std::string(service) + ": " + ua.error();
    return false;
  }

  // EndpointDescription[] -> one "opcua.endpoint" per distinct server application.
  bool endpoints(Ua& ua, std::string_view service) {
    std::size_t n = 0;
    if (!ua.count(n, 8, "EndpointDescription array")) return fail(service, ua);
    std::vector<std::tuple<std::string, std::string, std::string, std::string>> seen;
    for (std::size_t i = 0; i < n && i < kOpcuaMaxEndpoints; ++i) {
      Bytes url, app_uri, product_uri, app_name;
      std::uint32_t app_type = 0, mode = 0;
      std::size_t urls = 0, tokens = 0;
      ua.string(url, "EndpointDescription endpointUrl");
      ua.string(app_uri, "ApplicationDescription applicationUri");
      ua.string(product_uri, "ApplicationDescription productUri");
      ua.localized_text(app_name, "ApplicationDescription applicationName");
      ua.u32(app_type, "ApplicationDescription applicationType");
      ua.skip_string("ApplicationDescription gatewayServerUri");
      ua.skip_string("ApplicationDescription discoveryProfileUri");
      ua.count(urls, 4, "ApplicationDescription discoveryUrls");
      for (std::size_t k = 0; k < urls && ua.ok(); ++k) ua.skip_string("ApplicationDescription discoveryUrls");
      ua.skip_string("EndpointDescription serverCertificate");
      ua.u32(mode, "EndpointDescription securityMode");
      ua.skip_string("EndpointDescription securityPolicyUri");
      ua.count(tokens, 20, "UserTokenPolicy array");
      for (std::size_t k = 0; k < tokens && ua.ok(); ++k) {
        std::uint32_t token_type = 0;
        ua.skip_string("UserTokenPolicy policyId");
        ua.u32(token_type, "UserTokenPolicy tokenType");
        ua.skip_string("UserTokenPolicy issuedTokenType");
        ua.skip_string("UserTokenPolicy issuerEndpointUrl");
        ua.skip_string("UserTokenPolicy securityPolicyUri");
      }
      ua.skip_string("EndpointDescription transportProfileUri");
      ua.skip(1, "EndpointDescription securityLevel");
      if (!ua.ok()) return fail(service, ua);
      auto key = std::make_tuple(text(app_name), text(app_uri), text(product_uri), application_type(app_type));
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      Identity id = make_identity("opcua.endpoint", {{"application.name", std::get<0>(key)},
                                                     {"application.uri", std::get<1>(key)},
                                                     {"product.uri", std::get<2>(key)},
                                                     {"application.type", std::get<3>(key)}});
      identities.push_back(std::move(id));
    }
    return true;
  }

  bool read_request(Ua& ua) {
    std::uint32_t handle = 0;
    std::size_t n = 0;
    if (!ua.request_header(handle) || !ua.skip(12, "ReadRequest maxAge/timestampsToReturn") ||
        !ua.count(n, 12, "ReadValueId array"))
      return fail("ReadRequest", ua);
    OpcuaRequestMemory::PendingRead pending;
    pending.request_handle = handle;
    bool interesting = false;
    for (std::size_t i = 0; i < n; ++i) {
      NodeId node;
      std::uint32_t attribute = 0;
      if (!ua.node_id(node, "ReadValueId nodeId") || !ua.u32(attribute, "ReadValueId attributeId") ||
          !ua.skip_string("ReadValueId indexRange") || !ua.qualified_name("ReadValueId dataEncoding"))
        return fail("ReadRequest", ua);
      const std::uint32_t id = node.is_numeric && node.ns == 0 && attribute == kValueAttribute ? node.numeric : 0;
      interesting = interesting || (id >= kServerStatusNode && id <= 2266);
      if (pending.nodes.size() < kOpcuaMaxNodesPerRead) pending.nodes.push_back(id);
    }
    if (!memory || !interesting) return true;
    auto& reads = memory->reads;
    reads.erase(std::remove_if(reads.begin(), reads.end(),
                               [&](const auto& r) { return r.request_handle == handle; }),
                reads.end());
    if (reads.size() >= kOpcuaMaxPendingReads) reads.erase(reads.begin());
    reads.push_back(std::move(pending));
    return true;
  }

  bool read_response(Ua& ua) {
    std::uint32_t handle = 0, status = 0;
    std::size_t n = 0;
    if (!ua.response_header(handle, status) || !ua.count(n, 1, "DataValue array")) return fail("ReadResponse", ua);
    std::vector<std::uint32_t> nodes;
    if (memory) {
      auto& reads = memory->reads;
      auto it = std::find_if(reads.begin(), reads.end(), [&](const auto& r) { return r.request_handle == handle; });
      if (it != reads.end()) {
        nodes = std::move(it->nodes);
        reads.erase(it);
      }
    }
    std::vector<Field> fields;
    for (std::size_t i = 0; i < n; ++i) {
      Value value;
      if (!ua.data_value(value, 0, "ReadResponse results")) return fail("ReadResponse", ua);
      const std::uint32_t node = i < nodes.size() ? nodes[i] : 0;
      std::string bad;
      if (!build_info_value(value, node, fields, bad)) {
        error = "opcua: ReadResponse: " + bad;
        return false;
      }
    }
    Identity id = make_identity("opcua.build-info", fields);
    if (id.fields.empty()) return true;
    if (memory) {
      merge(memory->build_info, id.fields);
      id = make_identity("opcua.build-info", memory->build_info);
    }
    identities.push_back(std::move(id));
    return true;
  }

  // One service message body (after the sequence header). Returns false when it lies.
  bool service(Bytes body) {
    Ua ua(body);
    NodeId type;
    if (!ua.expanded_node_id(type, "service type id")) return fail("MSG", ua);
    if (type.is(kGetEndpointsResponse) || type.is(kCreateSessionResponse)) {
      std::uint32_t handle = 0, status = 0;
      const char* name = type.is(kGetEndpointsResponse) ? "GetEndpointsResponse" : "CreateSessionResponse";
      if (!ua.response_header(handle, status)) return fail(name, ua);
      if (status & 0x80000000u) return true;  // Bad: no endpoints follow
      if (type.is(kCreateSessionResponse)) {
        NodeId session, token;
        if (!ua.node_id(session, "sessionId") || !ua.node_id(token, "authenticationToken") ||
            !ua.skip(8, "revisedSessionTimeout") || !ua.skip_string("serverNonce") ||
            !ua.skip_string("serverCertificate"))
          return fail(name, ua);
      }
      return endpoints(ua, name);
    }
    if (type.is(kReadRequest)) return read_request(ua);
    if (type.is(kReadResponse)) return read_response(ua);
    return true;
  }
};

bool valid_type(std::string_view type, char chunk) {
  const bool final_only = type == "HEL" || type == "ACK" || type == "ERR" || type == "RHE";
  if (final_only) return chunk == 'F';
  if (type == "OPN" || type == "CLO") return chunk == 'F';
  if (type == "MSG") return chunk == 'F' || chunk == 'C' || chunk == 'A';
  return false;
}

// Whether the first bytes present could begin a message header.
bool plausible_prefix(Bytes b) {
  static constexpr std::string_view kTypes[] = {"HEL", "ACK", "ERR", "RHE", "OPN", "MSG", "CLO"};
  const std::size_t n = std::min<std::size_t>(b.size(), 4);
  for (std::string_view t : kTypes) {
    bool match = true;
    for (std::size_t i = 0; i < n && i < 3; ++i) match = match && static_cast<char>(b[i]) == t[i];
    if (match && n == 4) match = valid_type(t, static_cast<char>(b[3]));
    if (match) return true;
  }
  return false;
}

// A multi-chunk message being put together.
struct Pending {
  bool active = false;
  bool oversized = false;  // beyond kOpcuaMaxMessageSize: the rest of its chunks are skipped
  std::uint32_t request_id = 0;
  std::size_t begin = 0;
  std::vector<std::uint8_t> body;
};

IdentityResult decode(std::span<const std::uint8_t> bytes, OpcuaRequestMemory* memory) {
  IdentityResult result;
  Decoder dec;
  dec.memory = memory;
  dec.secured = memory && memory->secured;
  Pending pending;
  std::size_t pos = 0;
  bool any_message = false;
  auto malformed = [&](std::string error, std::size_t consumed) {
    result.outcome = DecodeOutcome::malformed;
    result.error = std::move(error);
    result.consumed = consumed;
    result.identities = std::move(dec.identities);
    return result;
  };
  while (pos < bytes.size()) {
    const Bytes rest = bytes.subspan(pos);
    if (pos == 0 && !plausible_prefix(rest)) return IdentityResult{};
    if (rest.size() < 8) break;
    const std::string_view type(reinterpret_cast<const char*>(rest.data()), 3);
    const char chunk = static_cast<char>(rest[3]);
    if (!valid_type(type, chunk))
      return malformed("opcua: unknown message type " + wire::to_hex(rest.first(4)) + " at offset " +
                           std::to_string(pos),
                       pos);
    wire::Reader h(rest.subspan(4));
    std::uint32_t size = 0;
    h.le32(size);
    const std::size_t min_size = type == "MSG" || type == "CLO" ? 24 : type == "OPN" ? 12 : 8;
    if (size < min_size)
      return malformed("opcua: " + std::string(type) + " message size " + std::to_string(size) + " below " +
                           std::to_string(min_size) + " at offset " + std::to_string(pos),
                       pos);
    if (size > kOpcuaMaxChunkSize)
      return malformed("opcua: " + std::string(type) + " message size " + std::to_string(size) + " exceeds " +
                           std::to_string(kOpcuaMaxChunkSize) + " at offset " + std::to_string(pos),
                       pos);
    if (rest.size() < size) break;
    const Bytes message = rest.first(size);
    const std::size_t end = pos + size;
    any_message = true;
    if (type == "OPN") {
      Ua ua(message.subspan(12));
      Bytes policy;
      if (!ua.string(policy, "securityPolicyUri")) return malformed("opcua: OPN: " + ua.error() + " at offset " + std::to_string(pos), end);
      const std::string_view uri(reinterpret_cast<const char*>(policy.data()), policy.size());
      if (uri != kPolicyNone) {
        dec.secured = true;
        if (memory) memory->secured = true;
      }
    } else if (type == "MSG" && !dec.secured) {
      wire::Reader m(message.subspan(20));
      std::uint32_t request_id = 0;
      m.le32(request_id);
      const Bytes body = message.subspan(24);
      std::optional<Bytes> whole;
      std::vector<std::uint8_t> joined;
      if (pending.active && pending.request_id != request_id) pending = Pending{};  // another message: drop
      if (chunk == 'A') {
        pending = Pending{};
      } else if (chunk == 'C') {
        if (!pending.active) {
          pending.active = true;
          pending.request_id = request_id;
          pending.begin = pos;
        }
        if (!pending.oversized && pending.body.size() + body.size() > kOpcuaMaxMessageSize) {
          pending.oversized = true;
          pending.body.clear();
          pending.body.shrink_to_fit();
        }
        if (!pending.oversized) pending.body.insert(pending.body.end(), body.begin(), body.end());
      } else if (pending.active) {  // 'F' ending a multi-chunk message
        if (!pending.oversized && pending.body.size() + body.size() <= kOpcuaMaxMessageSize) {
          joined = std::move(pending.body);
          joined.insert(joined.end(), body.begin(), body.end());
          whole = Bytes(joined);
        }
        pending = Pending{};
      } else {
        whole = body;
      }
      if (whole && !dec.service(*whole))
        return malformed(dec.error + " (message at offset " + std::to_string(pos) + ")", end);
    }
    pos = end;
  }
  result.consumed = pending.active ? pending.begin : pos;
  result.identities = std::move(dec.identities);
  set_stream_outcome(result, any_message && result.consumed > 0);
  return result;
}

}  // namespace

IdentityResult decode_opcua_stream(std::span<const std::uint8_t> bytes, bool from_server,
                                   OpcuaRequestMemory& memory) {
  (void)from_server;
  return decode(bytes, &memory);
}

IdentityResult decode_opcua_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  (void)from_server;
  return decode(bytes, nullptr);
}

}  // namespace herkomst::protocols
