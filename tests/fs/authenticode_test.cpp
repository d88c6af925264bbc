// Authenticode verification (authenticode_digest.hpp, authenticode_verify.hpp) over PE32+ files
// generated at test time (pe_test_support.hpp) and signed by osslsigncode with keys made by the
// openssl CLI (signing_support.hpp): valid signatures with SHA-1/256/384/512, a flipped section
// byte (digest-mismatch), corrupted signature bytes (bad-signature), a nested SHA-256 signature
// over a SHA-1 one, an RFC 3161 timestamp from a TSA on 127.0.0.1 (python3's http.server calling
// `openssl ts -reply`), a trust store, the size limit, and hostile mutations and truncations.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "pe_test_support.hpp"
#include "scanner/fs/authenticode_digest.hpp"
#include "scanner/fs/authenticode_verify.hpp"
#include "scanner/fs/catalogers.hpp"
#include "scanner/fs/der_reader.hpp"
#include "scanner/fs/pe_cataloger.hpp"
#include "scanner/fs/pe_file.hpp"
#include "scanner/fs/to_inventory.hpp"
#include "signing_support.hpp"

using namespace herkomst::fs;
using herkomst::test::make_pe;
using herkomst::test::PeSpec;
using herkomst::test::Signed;
using herkomst::test::TempDir;

namespace {

constexpr std::size_t kSecurityEntry = herkomst::test::kPeOptionalAt + 112 + 4 * 8;

AuthenticodeVerification verify(std::string_view bytes, const AuthenticodeOptions& options = {}) {
  MemoryReader reader(bytes);
  const PeFile pe = std::get<PeFile>(read_pe(reader));
  auto v = verify_authenticode(reader, pe, options);
  if (auto* e = std::get_if<PeError>(&v)) FAIL("verify_authenticode: " << e->to_string());
  REQUIRE(std::get<std::optional<AuthenticodeVerification>>(v));
  return *std::get<std::optional<AuthenticodeVerification>>(v);
}

// The status, or "error" when the signature could not be read at all.
std::string status_of(std::string_view bytes) {
  MemoryReader reader(bytes);
  auto headers = read_pe(reader);
  if (!std::holds_alternative<PeFile>(headers)) return "error";
  auto v = verify_authenticode(reader, std::get<PeFile>(headers));
  if (!std::holds_alternative<std::optional<AuthenticodeVerification>>(v)) return "error";
  const auto& o = std::get<std::optional<AuthenticodeVerification>>(v);
  if (!o) return "unsigned";
  return std::string(to_string(o->signatures.front().status));
}

std::uint32_t u32(std::string_view b, std::size_t at) { return le32(b, at); }

// The length of the WIN_CERTIFICATE at `at` without the padding to 8 bytes: header + the DER.
std::uint32_t certificate_length(std::string_view b, std::size_t at) {
  std::string_view der = b.substr(at + 8);
  const auto item = der_next(der);
  REQUIRE(item);
  return 8 + static_cast<std::uint32_t>(item->whole.size());
}

// "Calculated message digest : 3A4B..." of `osslsigncode verify`, lower case.
std::string osslsigncode_digest(const std::filesystem::path& file) {
  std::string command = "osslsigncode verify -in ";
  command += herkomst::test::quoted(file);
  command += " 2>&1 | grep -m1 'Calculated message digest' || true";
  std::string line = herkomst::test::run(command);
  line = line.substr(line.find(':') + 1);
  std::string out;
  for (char c : line) {
    if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The file ranges of what the signature covers: the ContentInfo (SpcIndirectDataContent), the
// SignerInfo's authenticated attributes and its encryptedDigest (RFC 2315 9.1, 9.2).
std::vector<std::pair<std::size_t, std::size_t>> signed_ranges(std::string_view file, std::size_t cert_at) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const auto range = [&](const DerItem& item) {
    const auto from = static_cast<std::size_t>(item.whole.data() - file.data());
    out.emplace_back(from, from + item.whole.size());
  };
  std::string_view in = file.substr(cert_at + 8);
  auto content_info = der_expect(in, kDerSequence);
  REQUIRE(content_info);
  std::string_view ci = content_info->content;
  REQUIRE(der_expect(ci, kDerOid));
  auto explicit0 = der_next(ci);
  REQUIRE(explicit0);
  std::string_view e = explicit0->content;
  auto signed_data = der_expect(e, kDerSequence);
  REQUIRE(signed_data);
  std::string_view sd = signed_data->content;
  der_next(sd);  // version
  der_next(sd);  // digestAlgorithms
  auto spc = der_expect(sd, kDerSequence);
  REQUIRE(spc);
  range(*spc);
  auto item = der_next(sd);
  while (item && item->tag != 0x31) item = der_next(sd);  // past [0] certificates, [1] crls
  REQUIRE(item);
  std::string_view infos = item->content;
  auto signer_info = der_expect(infos, kDerSequence);
  REQUIRE(signer_info);
  std::string_view si = signer_info->content;
  der_next(si);  // version
  der_next(si);  // issuerAndSerialNumber
  der_next(si);  // digestAlgorithm
  auto attributes = der_next(si);
  REQUIRE(attributes);
  REQUIRE(attributes->tag == 0xA0);
  range(*attributes);
  der_next(si);  // digestEncryptionAlgorithm
  auto encrypted = der_expect(si, kDerOctetString);
  REQUIRE(encrypted);
  range(*encrypted);
  return out;
}

// Inverts each byte of the certificate table of `bytes` in turn: the verifier gives an error or a
// status each time (under ASan: no memory error), at most the primary and kMaxNestedSignatures
// nested ones, and none it did not have is valid. (An inverted length byte can split the one
// nested value into several DER values that OpenSSL accepts: seen with some random keys.)
void mutate_certificate_table(const std::string& bytes, std::size_t signatures) {
  const std::uint32_t cert_at = le32(bytes, kSecurityEntry);
  std::string mutated = bytes;
  std::size_t checked = 0;
  for (std::size_t at = cert_at; at < mutated.size(); ++at) {
    mutated[at] = static_cast<char>(mutated[at] ^ 0xFF);
    MemoryReader reader(mutated);
    const PeFile pe = std::get<PeFile>(read_pe(reader));
    auto v = verify_authenticode(reader, pe);
    if (const auto* o = std::get_if<std::optional<AuthenticodeVerification>>(&v); o && *o) {
      INFO("byte " << at << " inverted");
      CHECK((*o)->signatures.size() <= 1 + kMaxNestedSignatures);
      for (std::size_t i = signatures; i < (*o)->signatures.size(); ++i)
        CHECK((*o)->signatures[i].status != SignatureStatus::valid);
      ++checked;
    }
    mutated[at] = bytes[at];
  }
  CHECK(checked > 0);
}

}  // namespace

TEST_CASE("Authenticode: a valid osslsigncode signature, the digest as osslsigncode computes it", "[authenticode]") {
  const Signed s(make_pe());
  const AuthenticodeVerification v = verify(s.bytes);
  REQUIRE(v.signatures.size() == 1);
  const AuthenticodeSignature& sig = v.signatures[0];
  INFO(sig.reason);
  CHECK(sig.status == SignatureStatus::valid);
  CHECK(sig.digest_algorithm == "sha256");
  CHECK(sig.image_digest == sig.signed_digest);
  CHECK(sig.image_digest == osslsigncode_digest(s.out));
  CHECK(sig.image_digest.size() == 64);
  CHECK(sig.chain == ChainStatus::not_checked);
  CHECK(sig.chain_reason == "no trust store given");
  CHECK(sig.signer.subject_o == "Example Automation GmbH");
  CHECK(sig.timestamps.empty());

  MemoryReader reader(s.bytes);
  const ParseResult r = parse_pe(reader, "hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.properties.at("pe.signature.status") == "valid");
  CHECK(p.properties.at("pe.signature.digest_algorithm") == "sha256");
  CHECK(p.properties.at("pe.signature.digest") == sig.signed_digest);
  CHECK(p.properties.at("pe.signature.chain") == "not-checked");
  CHECK(p.properties.at("pe.signature.subject_o") == "Example Automation GmbH");
  CHECK(p.properties.count("pe.signature.reason") == 0);
  REQUIRE(p.more_suppliers.size() == 1);
  CHECK(p.more_suppliers[0].confidence == Approx(kPeSignerConfidence));
  CHECK(reader.bytes_read() >= s.bytes.size());  // the whole image was hashed

  const FsInventory inv = to_inventory(r.packages, "/mnt/eng01");
  REQUIRE(inv.observations.size() == 1);
  CHECK(inv.observations[0].field_text("property.pe.signature.status") == "valid");
  CHECK(inv.observations[0].field_text("property.pe.signature.chain") == "not-checked");
}

TEST_CASE("Authenticode: SHA-1, SHA-384 and SHA-512 image digests", "[authenticode]") {
  for (const std::string algorithm : {"sha1", "sha384", "sha512"}) {
    const Signed s(make_pe(), "-h " + algorithm);
    const AuthenticodeVerification v = verify(s.bytes);
    INFO(algorithm << ": " << v.signatures[0].reason);
    CHECK(v.signatures[0].status == SignatureStatus::valid);
    CHECK(v.signatures[0].digest_algorithm == algorithm);
    CHECK(v.signatures[0].image_digest == osslsigncode_digest(s.out));
  }
}

TEST_CASE("Authenticode: a PE32 (32-bit) file, whose certificate directory entry is 16 bytes earlier", "[authenticode]") {
  PeSpec spec;
  spec.pe32 = true;
  const Signed s(make_pe(spec));
  MemoryReader reader(s.bytes);
  const PeFile pe = std::get<PeFile>(read_pe(reader));
  REQUIRE_FALSE(pe.pe32_plus);
  CHECK(pe_machine_name(pe.machine) == "i386");
  const AuthenticodeVerification v = verify(s.bytes);
  INFO(v.signatures[0].reason);
  CHECK(v.signatures[0].status == SignatureStatus::valid);
  CHECK(v.signatures[0].image_digest == osslsigncode_digest(s.out));
  const ParseResult r = parse_pe(reader, "hmirt32.exe");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "Example HMI Studio");
  std::string changed = s.bytes;
  changed[0x201] = 'x';
  CHECK(verify(changed).signatures[0].status == SignatureStatus::digest_mismatch);
}

TEST_CASE("Authenticode: one byte changed in a section after signing is a digest mismatch", "[authenticode]") {
  const Signed s(make_pe());
  std::string changed = s.bytes;
  changed[0x201] = static_cast<char>(changed[0x201] ^ 0x01);  // .text, after the ret
  const AuthenticodeVerification v = verify(changed);
  const AuthenticodeSignature& sig = v.signatures[0];
  CHECK(sig.status == SignatureStatus::digest_mismatch);
  CHECK(sig.reason.find("changed after signing") != std::string::npos);
  CHECK(sig.image_digest != sig.signed_digest);
  CHECK(sig.signer.subject_o == "Example Automation GmbH");  // who claims to have signed

  // The claim is dropped: a signer O from a signature that does not match raises nothing.
  MemoryReader reader(changed);
  const ParseResult r = parse_pe(reader, "hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.at("pe.signature.status") == "digest-mismatch");
  CHECK(r.packages[0].more_suppliers.empty());
  CHECK(r.packages[0].properties.at("authenticode.subject.O") == "Example Automation GmbH");

  PeSpec unversioned;
  unversioned.with_version = false;
  const Signed bare(make_pe(unversioned));
  changed = bare.bytes;
  changed[0x201] = 'x';
  MemoryReader bare_reader(changed);
  const ParseResult b = parse_pe(bare_reader, "drv.sys");
  REQUIRE(b.packages.size() == 1);
  CHECK(b.packages[0].more_suppliers.empty());
  CHECK(b.packages[0].cpe.empty());  // no vendor from a broken signature
}

TEST_CASE("Authenticode: corrupted signature bytes are a bad signature", "[authenticode]") {
  const Signed s(make_pe());
  const std::uint32_t cert_at = u32(s.bytes, kSecurityEntry);
  const std::uint32_t length = certificate_length(s.bytes, cert_at);
  std::string changed = s.bytes;
  changed[cert_at + length - 10] = static_cast<char>(changed[cert_at + length - 10] ^ 0x55);  // in the RSA signature value
  AuthenticodeVerification v = verify(changed);
  CHECK(v.signatures[0].status == SignatureStatus::bad_signature);
  CHECK(v.signatures[0].reason.find("signature does not verify") != std::string::npos);

  // The signed image digest changed: the messageDigest attribute no longer matches.
  const std::string signed_digest = verify(s.bytes).signatures[0].signed_digest;
  std::string raw;
  for (std::size_t i = 0; i < signed_digest.size(); i += 2)
    raw += static_cast<char>(std::stoi(signed_digest.substr(i, 2), nullptr, 16));
  const auto at = s.bytes.find(raw, cert_at);
  REQUIRE(at != std::string::npos);
  changed = s.bytes;
  changed[at] = static_cast<char>(changed[at] ^ 0x01);
  v = verify(changed);
  CHECK(v.signatures[0].status == SignatureStatus::bad_signature);
  CHECK(v.signatures[0].reason == "messageDigest attribute is not the hash of SpcIndirectDataContent");

  MemoryReader reader(changed);
  const ParseResult r = parse_pe(reader, "hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.at("pe.signature.status") == "bad-signature");
  CHECK(r.packages[0].more_suppliers.empty());
}

TEST_CASE("Authenticode: a nested SHA-256 signature over a SHA-1 one, both signers reported", "[authenticode]") {
  const Signed first(make_pe(), "-h sha1");
  const auto second = herkomst::test::make_signing_key(first.dir, "second", "/O=Second Signer AG/C=CH/CN=Second Signer");
  const auto nested = first.dir.path / "nested.exe";
  herkomst::test::osslsign(second, first.out, nested, "-nest -h sha256");
  const std::string bytes = herkomst::test::slurp(nested);
  const AuthenticodeVerification v = verify(bytes);
  REQUIRE(v.signatures.size() == 2);
  CHECK(v.signatures[0].status == SignatureStatus::valid);
  CHECK(v.signatures[0].digest_algorithm == "sha1");
  CHECK(v.signatures[0].signer.subject_o == "Example Automation GmbH");
  INFO(v.signatures[1].reason);
  CHECK(v.signatures[1].status == SignatureStatus::valid);
  CHECK(v.signatures[1].digest_algorithm == "sha256");
  CHECK(v.signatures[1].signer.subject_o == "Second Signer AG");
  CHECK(v.signatures[1].signer.subject_cn == "Second Signer");

  MemoryReader reader(bytes);
  const ParseResult r = parse_pe(reader, "hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.properties.at("pe.signature.nested.count") == "1");
  CHECK(p.properties.at("pe.signature.nested.1.subject_o") == "Second Signer AG");
  CHECK(p.properties.at("pe.signature.nested.1.status") == "valid");
  CHECK(p.properties.at("pe.signature.nested.1.digest_algorithm") == "sha256");
  REQUIRE(p.more_suppliers.size() == 2);
  CHECK(p.more_suppliers[1].text == "Second Signer AG");

  std::string changed = bytes;  // both digests cover the same image
  changed[0x201] = 'x';
  const AuthenticodeVerification broken = verify(changed);
  REQUIRE(broken.signatures.size() == 2);
  CHECK(broken.signatures[0].status == SignatureStatus::digest_mismatch);
  CHECK(broken.signatures[1].status == SignatureStatus::digest_mismatch);
  mutate_certificate_table(bytes, 2);
}

namespace {

// An RFC 3161 TSA on 127.0.0.1: python3's http.server answering each POST with
// `openssl ts -reply`, with a TSA key and certificate (EKU timeStamping) made by openssl.
constexpr std::string_view kTsaScript = R"(import base64, http.server, os, subprocess, sys, time
d = sys.argv[1]
def tlv(b, i):  # DER: tag, start and end of the value at i
    tag, length, i = b[i], b[i + 1], i + 2
    if length & 0x80:
        n = length & 0x7f
        length, i = int.from_bytes(b[i:i + n], 'big'), i + n
    return tag, i, i + length
def legacy_signature(request):  # TimeStampRequest { type, blob { type, [0] { OCTET STRING } } }
    _, i, _ = tlv(request, 0)
    _, _, i = tlv(request, i)
    _, i, _ = tlv(request, i)
    _, _, i = tlv(request, i)
    _, i, _ = tlv(request, i)
    _, start, end = tlv(request, i)
    return request[start:end]
def path(name):
    return os.path.join(d, name)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        if self.headers.get('Content-Type', '') == 'application/timestamp-query':
            with open(path('query.tsq'), 'wb') as f:
                f.write(body)
            subprocess.run(['openssl', 'ts', '-reply', '-config', path('tsa.cnf'), '-queryfile', path('query.tsq'),
                            '-out', path('reply.der')], check=True)
            content_type = 'application/timestamp-reply'
        else:  # the Authenticode (PKCS#9 counter-signature) protocol: base64 in, base64 out
            with open(path('signature.bin'), 'wb') as f:
                f.write(legacy_signature(base64.b64decode(body)))
            subprocess.run(['openssl', 'cms', '-sign', '-binary', '-nodetach', '-nosmimecap', '-md', 'sha256',
                            '-outform', 'DER', '-signer', path('tsa.pem'), '-inkey', path('tsa.key.pem'),
                            '-in', path('signature.bin'), '-out', path('reply.der')], check=True)
            content_type = 'application/octet-stream'
        with open(path('reply.der'), 'rb') as f:
            reply = f.read()
        if content_type == 'application/octet-stream':
            reply = base64.encodebytes(reply)  # 76-character lines, as MIME base64
        self.send_response(200)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
server.timeout = 0.5
with open(path('port.tmp'), 'w') as f:
    f.write(str(server.server_address[1]))
os.rename(path('port.tmp'), path('port'))
deadline = time.time() + 120
while time.time() < deadline and not os.path.exists(path('stop')):
    server.handle_request()
)";

struct LocalTsa {
  TempDir dir{"tsa"};
  long pid = 0;
  std::string url;
  LocalTsa() {
    using herkomst::test::quoted;
    using herkomst::test::run;
    const auto d = dir.path;
    std::string req = "openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout ";
    req += quoted(d / "tsa.key.pem");
    req += " -out ";
    req += quoted(d / "tsa.pem");
    req += " -subj '/O=Example Time Authority/CN=Example Test TSA' -addext 'extendedKeyUsage=critical,timeStamping' 2>&1";
    run(req);
    std::string config = "[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = ";
    config += d.string();
    config +=
        "\nserial = $dir/serial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.pem\ncerts = $dir/tsa.pem\n"
        "signer_key = $dir/tsa.key.pem\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n"
        "digests = sha1, sha256, sha384, sha512\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n"
        "ess_cert_id_chain = no\ness_cert_id_alg = sha1\n";
    dir.write("tsa.cnf", config);
    dir.write("serial", "01\n");
    dir.write("tsa.py", kTsaScript);
    std::string start = "python3 ";
    start += quoted(d / "tsa.py");
    start += " ";
    start += quoted(d);
    start += " >";
    start += quoted(d / "tsa.log");
    start += " 2>&1 & echo $!";
    pid = std::stol(run(start));
    for (int i = 0; i < 100 && !std::filesystem::exists(d / "port"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(std::filesystem::exists(d / "port"));
    url = "http://127.0.0.1:";
    url += herkomst::test::slurp(d / "port");
  }
  ~LocalTsa() {
    dir.write("stop", "");
    if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGTERM);
  }
  LocalTsa(const LocalTsa&) = delete;
  LocalTsa& operator=(const LocalTsa&) = delete;
};

}  // namespace

namespace {

// A timestamp from the test's TSA, of this kind, bound to its signature, itself verified, taken
// between `before` and `after` (seconds, with 2 of slack).
void check_timestamp(const AuthenticodeTimestamp& t, const std::string& kind, std::int64_t before, std::int64_t after) {
  CHECK(t.kind == kind);
  CHECK(t.tsa == "Example Test TSA");
  CHECK(t.bound);
  CHECK(t.signature_ok);
  CHECK(t.unix_time >= before - 2);
  CHECK(t.unix_time <= after + 2);
}

}  // namespace

TEST_CASE("Authenticode: an RFC 3161 timestamp from a TSA on 127.0.0.1", "[authenticode]") {
  ::setenv("no_proxy", "127.0.0.1", 1);  // loopback only, never through a proxy
  ::setenv("NO_PROXY", "127.0.0.1", 1);
  LocalTsa tsa;
  const std::int64_t before = static_cast<std::int64_t>(std::time(nullptr));
  const Signed s(make_pe(), "-ts " + tsa.url);
  const std::int64_t after = static_cast<std::int64_t>(std::time(nullptr));
  const AuthenticodeVerification v = verify(s.bytes);
  const AuthenticodeSignature& sig = v.signatures[0];
  CHECK(sig.status == SignatureStatus::valid);
  REQUIRE(sig.timestamps.size() == 1);
  const AuthenticodeTimestamp& t = sig.timestamps[0];
  check_timestamp(t, "rfc3161", before, after);
  CHECK(t.time.size() == 20);
  CHECK(t.time.back() == 'Z');

  MemoryReader reader(s.bytes);
  const ParseResult r = parse_pe(reader, "hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.at("pe.signature.timestamp") == t.time);
  CHECK(r.packages[0].properties.at("pe.signature.timestamp.kind") == "rfc3161");
  CHECK(r.packages[0].properties.at("pe.signature.timestamp.tsa") == "Example Test TSA");
  CHECK(r.packages[0].properties.at("pe.signature.timestamp.verified") == "true");

  // The token's own signature value corrupted: still bound, no longer verified.
  const std::uint32_t cert_at = u32(s.bytes, kSecurityEntry);
  const std::uint32_t length = certificate_length(s.bytes, cert_at);
  std::string changed = s.bytes;
  changed[cert_at + length - 10] = static_cast<char>(changed[cert_at + length - 10] ^ 0x55);  // the token is last
  const AuthenticodeVerification broken = verify(changed);
  CHECK(broken.signatures[0].status == SignatureStatus::valid);  // unauthenticated attribute: not signed over
  REQUIRE(broken.signatures[0].timestamps.size() == 1);
  CHECK_FALSE(broken.signatures[0].timestamps[0].signature_ok);
  mutate_certificate_table(s.bytes, 1);
}

TEST_CASE("Authenticode: a PKCS#9 counter-signature timestamp from a TSA on 127.0.0.1", "[authenticode]") {
  ::setenv("no_proxy", "127.0.0.1", 1);
  ::setenv("NO_PROXY", "127.0.0.1", 1);
  LocalTsa tsa;
  const std::int64_t before = static_cast<std::int64_t>(std::time(nullptr));
  const Signed s(make_pe(), "-t " + tsa.url);
  const std::int64_t after = static_cast<std::int64_t>(std::time(nullptr));
  const AuthenticodeSignature sig = verify(s.bytes).signatures[0];
  CHECK(sig.status == SignatureStatus::valid);
  REQUIRE(sig.timestamps.size() == 1);
  const AuthenticodeTimestamp& t = sig.timestamps[0];
  check_timestamp(t, "authenticode", before, after);

  // The counter-signature's signature value corrupted (the last bytes of the blob): not verified.
  const std::uint32_t cert_at = u32(s.bytes, kSecurityEntry);
  const std::uint32_t length = certificate_length(s.bytes, cert_at);
  std::string changed = s.bytes;
  changed[cert_at + length - 10] = static_cast<char>(changed[cert_at + length - 10] ^ 0x55);
  const AuthenticodeSignature broken = verify(changed).signatures[0];
  REQUIRE(broken.timestamps.size() == 1);
  CHECK(broken.timestamps[0].bound);
  CHECK_FALSE(broken.timestamps[0].signature_ok);
  mutate_certificate_table(s.bytes, 1);
}

TEST_CASE("Authenticode: the chain against a trust store, offline", "[authenticode]") {
  const Signed s(make_pe());
  AuthenticodeOptions options;
  options.trust_store = s.cert.string();
  AuthenticodeVerification v = verify(s.bytes, options);
  CHECK(v.signatures[0].status == SignatureStatus::valid);
  CHECK(v.signatures[0].chain == ChainStatus::trusted);

  const auto other = herkomst::test::make_signing_key(s.dir, "other", "/O=Someone Else/CN=Other Root");
  options.trust_store = other.cert.string();
  v = verify(s.bytes, options);
  CHECK(v.signatures[0].chain == ChainStatus::untrusted);
  CHECK_FALSE(v.signatures[0].chain_reason.empty());

  const auto hashed = s.dir.path / "ca-dir";  // an OpenSSL hashed directory
  std::filesystem::create_directories(hashed);
  std::filesystem::copy_file(s.cert, hashed / "signer.pem");
  herkomst::test::run("openssl rehash " + herkomst::test::quoted(hashed) + " 2>&1");
  options.trust_store = hashed.string();
  v = verify(s.bytes, options);
  CHECK(v.signatures[0].chain == ChainStatus::trusted);

  options.trust_store = (s.dir.path / "missing.pem").string();
  v = verify(s.bytes, options);
  CHECK(v.signatures[0].chain == ChainStatus::not_checked);
  CHECK(v.signatures[0].chain_reason.find("could not be read") != std::string::npos);

  MemoryReader reader(s.bytes);
  options.trust_store = s.cert.string();
  const ParseResult r = parse_pe_with(reader, "hmirt.exe", options);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.at("pe.signature.chain") == "trusted");
}

TEST_CASE("Authenticode: a trust store loaded once serves many files and wins over the path", "[authenticode]") {
  const Signed s(make_pe());
  auto loaded = load_trust_store(s.cert.string());
  REQUIRE(std::holds_alternative<TrustStore>(loaded));
  AuthenticodeOptions options;
  options.store = std::get<TrustStore>(loaded);
  options.trust_store = (s.dir.path / "missing.pem").string();  // not read: the loaded store is used
  for (int i = 0; i < 3; ++i) CHECK(verify(s.bytes, options).signatures[0].chain == ChainStatus::trusted);
  // The PE cataloger of the walk carries the options to every file.
  MemoryReader reader(s.bytes);
  const ParseResult r = pe_cataloger(options).parse_file(reader, "Program Files/x/hmirt.exe");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].properties.at("pe.signature.chain") == "trusted");

  const auto missing = load_trust_store((s.dir.path / "missing.pem").string());
  REQUIRE(std::holds_alternative<std::string>(missing));
  CHECK(std::get<std::string>(missing).find("missing.pem could not be read") != std::string::npos);
  const auto junk = s.dir.write("junk.pem", "not a certificate\n");
  CHECK(std::holds_alternative<std::string>(load_trust_store(junk.string())));
}

TEST_CASE("Authenticode: a file over the size limit is not checked, the signer kept lower", "[authenticode]") {
  const Signed s(make_pe());
  AuthenticodeOptions options;
  options.max_image_bytes = 1024;
  MemoryReader reader(s.bytes);
  const ParseResult r = parse_pe_with(reader, "hmirt.exe", options);
  REQUIRE(r.packages.size() == 1);
  const Package& p = r.packages[0];
  CHECK(p.properties.at("pe.signature.status") == "not-checked");
  CHECK(p.properties.at("pe.signature.reason").find("file too large") != std::string::npos);
  REQUIRE(p.more_suppliers.size() == 1);
  CHECK(p.more_suppliers[0].confidence == Approx(kPeUnverifiedSignerConfidence));
  CHECK(p.more_suppliers[0].confidence < supplier_confidence(p));  // below CompanyName's
  CHECK(reader.bytes_read() < 8192);  // the image was not read
}

TEST_CASE("Authenticode: data after the certificate table is unsupported, not valid", "[authenticode]") {
  const Signed s(make_pe());
  std::string appended = s.bytes;
  appended += "payload appended after signing";
  const AuthenticodeVerification v = verify(appended);
  CHECK(v.signatures[0].status == SignatureStatus::unsupported);
  CHECK(v.signatures[0].reason.find("data after the certificate table") != std::string::npos);
}

TEST_CASE("Authenticode hostile: mutations of the image and of the signature, truncated DER", "[authenticode]") {
  const Signed s(make_pe());
  REQUIRE(status_of(s.bytes) == "valid");
  const std::uint32_t cert_at = u32(s.bytes, kSecurityEntry);
  const std::uint32_t length = certificate_length(s.bytes, cert_at);
  const std::size_t checksum = herkomst::test::kPeOptionalAt + 64;
  std::string mutated = s.bytes;
  const std::vector<std::pair<std::size_t, std::size_t>> signed_parts = signed_ranges(s.bytes, cert_at);
  REQUIRE(signed_parts.size() == 3);
  for (std::size_t at = 0; at < mutated.size(); ++at) {
    mutated[at] = static_cast<char>(mutated[at] ^ 0xFF);
    const std::string status = status_of(mutated);
    INFO("byte " << at << " status " << status);
    if (at < cert_at && (at < checksum || at >= checksum + 4)) CHECK(status != "valid");
    for (const auto& [from, to] : signed_parts) {
      if (at >= from && at < to) CHECK(status != "valid");
    }
    mutated[at] = s.bytes[at];
  }
  // Only bytes no check covers may stay valid: the certificate's own signature and padding.
  // Bytes no check covers may stay valid: the versions, the certificates' own signatures, padding.

  // The PKCS#7 cut at every length, with the WIN_CERTIFICATE and the directory entry agreeing.
  for (std::uint32_t cut = 0; cut + 8 < length; ++cut) {
    std::string cut_file = s.bytes.substr(0, cert_at + 8 + cut);
    herkomst::test::put32(cut_file, cert_at, 8 + cut);
    herkomst::test::put32(cut_file, kSecurityEntry + 4, 8 + cut);
    INFO("cut at " << cut);
    CHECK(status_of(cut_file) != "valid");
  }
}

TEST_CASE("Authenticode digest: unsigned file, lying headers", "[authenticode]") {
  const std::string pe = make_pe();
  MemoryReader reader(pe);
  PeFile headers = std::get<PeFile>(read_pe(reader));
  auto digest = authenticode_image_digest(reader, headers, DigestAlgorithm::sha256);
  REQUIRE(std::holds_alternative<std::string>(digest));
  CHECK(std::get<std::string>(digest).size() == 32);
  headers.file_size += 100;  // the file is shorter than it claims
  digest = authenticode_image_digest(reader, headers, DigestAlgorithm::sha256);
  REQUIRE(std::holds_alternative<PeError>(digest));
  CHECK(std::get<PeError>(digest).message == "file shorter than its headers say");
  headers = std::get<PeFile>(read_pe(reader));
  headers.security = {0x100, 0x10};  // inside the headers
  digest = authenticode_image_digest(reader, headers, DigestAlgorithm::sha256);
  REQUIRE(std::holds_alternative<PeError>(digest));
  CHECK(std::get<PeError>(digest).message.find("certificate table") != std::string::npos);

  CHECK(digest_algorithm_from_oid(std::string_view("\x2b\x0e\x03\x02\x1a", 5)) == DigestAlgorithm::sha1);
  CHECK_FALSE(digest_algorithm_from_oid(std::string_view("\x2a\x86\x48\x86\xf7\x0d\x02\x05", 8)));  // MD5
  CHECK(hex_bytes(digest_bytes(DigestAlgorithm::sha1, "abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("DER reader: lying lengths, indefinite forms, multi-byte tags", "[authenticode]") {
  std::string_view in("\x30\x03\x04\x01\x41", 5);
  auto item = der_next(in);
  REQUIRE(item);
  CHECK(item->tag == kDerSequence);
  CHECK(item->content.size() == 3);
  CHECK(in.empty());
  for (std::string_view bad : {std::string_view("\x30\x84\xff\xff\xff\xff", 6), std::string_view("\x30\x80\x00\x00", 4),
                               std::string_view("\x30\x05\x00", 3), std::string_view("\x1f\x01\x00", 3),
                               std::string_view("\x30\x85\x01\x00\x00\x00\x00", 7), std::string_view("\x30", 1)}) {
    std::string_view copy = bad;
    CHECK_FALSE(der_next(copy));
  }
  std::string_view octet("\x04\x00", 2);
  CHECK_FALSE(der_expect(octet, kDerSequence));
}
