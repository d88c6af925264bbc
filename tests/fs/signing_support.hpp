// Authenticode signing for the PE tests: a command runner (the test fails when a tool is
// missing or fails), a key and self-signed code-signing certificate made with the openssl CLI,
// and osslsigncode to sign (only options osslsigncode 2.5, Debian 12's, has).
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace herkomst::test {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  INFO(command << "\n" << out);
  REQUIRE(::pclose(pipe) == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

inline std::string quoted(const std::filesystem::path& path) {
  std::string out = "'";
  out += path.string();
  out += "'";
  return out;
}

// A key and self-signed certificate `<name>.key.pem`, `<name>.pem` in `dir` for `subject`.
struct SigningKey {
  std::filesystem::path key, cert;
};
inline SigningKey make_signing_key(const TempDir& dir, const std::string& name, const std::string& subject) {
  SigningKey k{dir.path / (name + ".key.pem"), dir.path / (name + ".pem")};
  std::string req = "openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout ";
  req += quoted(k.key);
  req += " -out ";
  req += quoted(k.cert);
  req += " -subj '";
  req += subject;
  req += "' 2>&1";
  run(req);
  return k;
}

// osslsigncode sign `in` to `out` with `key`; `options` as given ("-h sha1", "-nest", "-ts URL").
inline void osslsign(const SigningKey& key, const std::filesystem::path& in, const std::filesystem::path& out,
                     const std::string& options = {}) {
  std::string sign = "osslsigncode sign ";
  sign += options;
  sign += " -certs ";
  sign += quoted(key.cert);
  sign += " -key ";
  sign += quoted(key.key);
  sign += " -in ";
  sign += quoted(in);
  sign += " -out ";
  sign += quoted(out);
  sign += " 2>&1";
  run(sign);
}

// A signing key and self-signed certificate (O=Example Automation GmbH, C=DE), and `pe` signed
// with them by osslsigncode (`options` passed on), checked with `osslsigncode verify`.
struct Signed {
  TempDir dir{"pe-sign"};
  std::string bytes;
  SigningKey key;
  std::filesystem::path cert, out;
  explicit Signed(const std::string& pe, const std::string& options = {}) {
    key = make_signing_key(dir, "signer", "/O=Example Automation GmbH/C=DE/CN=Example Automation Code Signing");
    cert = key.cert;
    const auto in = dir.write("in.exe", pe);
    out = dir.path / "out.exe";
    osslsign(key, in, out, options);
    std::string verify = "osslsigncode verify -CAfile ";
    verify += quoted(cert);
    verify += " -in ";
    verify += quoted(out);
    verify += " 2>&1";
    REQUIRE(run(verify).find("Signature verification: ok") != std::string::npos);
    bytes = slurp(out);
  }
  std::string x509(const std::string& option) const {
    std::string command = "openssl x509 -noout -dateopt iso_8601 ";
    command += option;
    command += " -in ";
    command += quoted(cert);
    const std::string line = run(command);
    return line.substr(line.find('=') + 1);
  }
};

}  // namespace herkomst::test
