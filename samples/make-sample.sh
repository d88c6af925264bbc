#!/bin/sh
# Rebuilds make_sample_plant and regenerates samples/sample-plant.pcapng from it.
#
#   samples/make-sample.sh            # builds in $BUILD_DIR (default: <repo>/build)
#
# The capture is deterministic: commit the new file together with the change to
# make_sample_plant.cpp (the test sample_capture_reproducible compares the two).
# With tshark installed, the new capture is also checked: every frame must decode without
# malformed packets, expert errors or warnings, and with correct IPv4/TCP/UDP checksums.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build}
out="$here/sample-plant.pcapng"

cmake -S "$repo" -B "$build" >/dev/null
cmake --build "$build" --target make_sample_plant
"$build/samples/make_sample_plant" "$out"

if command -v tshark >/dev/null 2>&1; then
  checks="-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
  # shellcheck disable=SC2086 # $checks is a list of options
  expert=$(tshark -r "$out" $checks -z expert -q 2>/dev/null)
  if printf '%s\n' "$expert" | grep -Eq '^(Errors|Warns) \('; then
    printf '%s\n' "$expert" >&2
    echo "make-sample.sh: tshark reports errors or warnings in $out" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  bad=$(tshark -r "$out" $checks -Y '_ws.malformed or ip.checksum.status == 0 or tcp.checksum.status == 0 or udp.checksum.status == 0 or icmp.checksum.status == 0 or icmpv6.checksum.status == 0' 2>/dev/null)
  if [ -n "$bad" ]; then
    printf '%s\n' "$bad" >&2
    echo "make-sample.sh: malformed frames or bad checksums in $out" >&2
    exit 1
  fi
  echo "tshark: $(tshark -r "$out" 2>/dev/null | wc -l) frames decode cleanly"
else
  echo "tshark not installed: capture not checked" >&2
fi
