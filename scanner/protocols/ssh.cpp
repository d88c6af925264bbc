#include "scanner/protocols/ssh.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herkomst::protocols {

IdentityResult decode_ssh_stream(std::span<const std::uint8_t> bytes, bool from_server) {
  IdentityResult result;
  constexpr std::string_view kPrefix = "SSH-";
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::size_t n = text.size() < kPrefix.size() ? text.size() : kPrefix.size();
  if (text.substr(0, n) != kPrefix.substr(0, n)) return result;  // not_protocol

  const std::size_t lf = text.substr(0, kSshMaxIdentification).find('\n');
  if (lf == std::string_view::npos) {
    if (text.size() >= kSshMaxIdentification) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "ssh: identification line has no LF within " + std::to_string(kSshMaxIdentification) + " bytes";
      return result;
    }
    result.outcome = DecodeOutcome::need_more;
    return result;
  }
  std::string_view line = text.substr(0, lf);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 || c == 0x7F) {
      result.outcome = DecodeOutcome::malformed;
      result.error = "ssh: identification line has control byte " + std::to_string(c) + " at offset " + std::to_string(i);
      result.consumed = lf + 1;
      return result;
    }
  }
  // SSH-protoversion-softwareversion[ SP comments]
  const std::string_view after = line.substr(4);
  const std::size_t dash = after.find('-');
  const std::string_view proto = after.substr(0, dash);
  bool proto_ok = !proto.empty() && dash != std::string_view::npos;
  for (char c : proto)
    if ((c < '0' || c > '9') && c != '.') proto_ok = false;
  if (!proto_ok) {
    result.outcome = DecodeOutcome::malformed;
    result.error = "ssh: protocol version \"" + sanitize_text(proto, 32) + "\" is not digits and dots";
    result.consumed = lf + 1;
    return result;
  }
  std::string_view software_full = after.substr(dash + 1);
  std::string_view comments;
  if (const std::size_t sp = software_full.find(' '); sp != std::string_view::npos) {
    comments = software_full.substr(sp + 1);
    software_full = software_full.substr(0, sp);
  }
  // Name and version: "OpenSSH_8.4p1", "dropbear_2020.81"; else "Cisco-1.25", "ROSSSH" (none).
  std::string_view software = software_full, version;
  if (const std::size_t us = software_full.find('_'); us != std::string_view::npos) {
    software = software_full.substr(0, us);
    version = software_full.substr(us + 1);
  } else if (const std::size_t last = software_full.rfind('-');
             last != std::string_view::npos && last + 1 < software_full.size() && software_full[last + 1] >= '0' &&
             software_full[last + 1] <= '9') {
    software = software_full.substr(0, last);
    version = software_full.substr(last + 1);
  }
  std::vector<Field> fields;
  fields.push_back({"banner", sanitize_text(line)});
  fields.push_back({"protocol", sanitize_text(proto)});
  fields.push_back({"software", sanitize_text(software)});
  fields.push_back({"version", sanitize_text(version)});
  fields.push_back({"comments", sanitize_text(comments)});
  fields.push_back({"role", std::string(from_server ? "server" : "client")});
  result.outcome = DecodeOutcome::identified;
  result.consumed = lf + 1;
  result.identities.push_back(make_identity("ssh.banner", std::move(fields)));
  return result;
}

}  // namespace herkomst::protocols
