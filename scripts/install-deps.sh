#!/usr/bin/env bash
# Installs everything herkomst needs to build, run and test, from Debian 12 packages only.
# Idempotent and non-interactive: packages already present are not touched, and apt-get update
# runs only when something is missing. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libpcap-dev            # capture files and live interfaces
  libboost-dev           # Asio (header-only) for the active scanner
  nlohmann-json3-dev     # CycloneDX and --json output
  libsqlite3-dev sqlite3 # the scan history
  catch2                 # unit tests (v2)
  libcli11-dev           # command line
  ieee-data              # IEEE MAC registry: /usr/share/ieee-data
  wireshark-common       # IANA enterprise numbers: /usr/share/wireshark/enterprises.tsv
  tshark                 # reference decoder for tests and benchmarks
  nodejs                 # the official CycloneDX validator (tests only)
  time                   # /usr/bin/time for benchmarks
  libarchive-dev         # archives and firmware containers (scan --fs)
  libssl-dev             # Authenticode signatures in PE files (PKCS#7, X.509)
  openssl                # makes test keys and certificates for signed PE fixtures (tests)
  libhivex-dev           # offline Windows registry hives
  libhivex-bin           # hivexregedit: builds registry hive fixtures (tests)
  default-jdk-headless   # jar: builds Java archive fixtures (tests)
  osslsigncode           # signs PE fixtures with Authenticode (tests)
  golang-go              # builds Go binaries with embedded build info (tests)
  db5.3-util             # db5.3_load, db5.3_dump: make and check Berkeley DB rpm databases (tests)
  rpm                    # rpm -qa reads those databases back, as a reference (tests)
  zlib1g-dev             # the walk's look into a gzip stream's first bytes (scan --fs)
  xz-utils bzip2 zstd lz4 gzip  # make compressed-stream fixtures (tests)
  busybox                # a real binary for the binary classifier's test (tests)
  curl openssh-client dropbear-bin dnsmasq-base u-boot-qemu  # more real binaries for it (tests; no server is started)
)
# npm: Debian's package, unless an npm is already on the PATH (e.g. a newer one from npm itself).
command -v npm >/dev/null 2>&1 || packages+=(npm)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # wireshark-common asks whether non-root users may capture; answer no without a prompt.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | as_root debconf-set-selections
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
