#!/usr/bin/env bash
# make-big-capture.sh [OUT] [MIN_BYTES]
#
# Builds a classic pcap of at least MIN_BYTES (default 1 GiB = 1073741824 bytes) by
# repeating the test corpus (../shared/pcaps, or $HERKOMST_PCAPS): every capture whose link
# type is Ethernet (pcap or pcapng) is merged once, in file-name order, into one "unit"
# (`mergecap -F pcap -a`), and the unit is then concatenated with itself as often as needed.
# The output is therefore N exact copies of the corpus; the timestamps jump back at each copy
# (that is what concatenation does, and the tools measured do not mind).
#
# OUT defaults to $HERKOMST_BENCH_DIR/big.pcap (HERKOMST_BENCH_DIR defaults to
# /tmp/herkomst-bench). The file is never written inside the repository.
# Idempotent: an existing OUT of at least MIN_BYTES is reused as it is.
# Prints: path, size in bytes, packet count, number of corpus copies.
#
# Needs mergecap and capinfos (Debian package wireshark-common).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
scratch="${HERKOMST_BENCH_DIR:-/tmp/herkomst-bench}"
out="${1:-$scratch/big.pcap}"
min_bytes="${2:-1073741824}"
pcaps="${HERKOMST_PCAPS:-$repo/../shared/pcaps}"

die() { echo "make-big-capture: $*" >&2; exit 1; }

[[ "$min_bytes" =~ ^[0-9]+$ ]] || die "MIN_BYTES must be a number of bytes, got '$min_bytes'"
for tool in mergecap capinfos; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install wireshark-common)"
done
[[ -d "$pcaps" ]] || die "corpus folder '$pcaps' not found: the benchmark needs the shared captures (../shared/pcaps next to the repository, or set HERKOMST_PCAPS)"

out_abs="$(realpath -m "$out")"
case "$out_abs/" in
  "$repo"/*) die "refusing to write '$out_abs' inside the repository; pick a scratch path" ;;
esac
mkdir -p "$(dirname "$out_abs")"

size_of() { stat -c %s "$1"; }
packets_of() { capinfos -M -c -T -r "$1" | cut -f2; }

if [[ -f "$out_abs" ]] && (( $(size_of "$out_abs") >= min_bytes )); then
  echo "reusing $out_abs"
else
  # 1. The corpus files whose link type is Ethernet (capinfos -E: encapsulation "ether";
  #    a pcapng with several link types says "per-packet" and is left out, as are DLT_NULL files).
  mapfile -t all < <(find "$pcaps" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | LC_ALL=C sort)
  (( ${#all[@]} > 0 )) || die "no capture files under '$pcaps'"
  eth=()
  for f in "${all[@]}"; do
    encap="$(capinfos -T -E -r "$f" 2>/dev/null | cut -f2 || true)"
    if [[ "$encap" == "ether" ]]; then eth+=("$f"); else echo "skipping (link type '${encap:-unreadable}'): ${f#"$pcaps"/}" >&2; fi
  done
  (( ${#eth[@]} > 0 )) || die "no Ethernet captures under '$pcaps'"

  # 2. One copy of the corpus as a classic pcap.
  tmpdir="$(mktemp -d "$(dirname "$out_abs")/.make-big.XXXXXX")"
  trap 'rm -rf "$tmpdir"' EXIT
  unit="$tmpdir/unit.pcap"
  mergecap -F pcap -a -w "$unit" "${eth[@]}"
  unit_bytes="$(size_of "$unit")"
  body=$(( unit_bytes - 24 ))   # everything after the 24-byte pcap file header
  copies=$(( (min_bytes - 24 + body - 1) / body ))
  (( copies >= 1 )) || copies=1
  echo "corpus: ${#eth[@]} Ethernet captures, $unit_bytes bytes, $(packets_of "$unit") packets; $copies copies needed" >&2

  # 3. N copies, concatenated. mergecap -a writes them in one pass.
  args=()
  for (( i = 0; i < copies; i++ )); do args+=("$unit"); done
  mergecap -F pcap -a -w "$tmpdir/out.pcap" "${args[@]}"
  mv -f "$tmpdir/out.pcap" "$out_abs"
fi

bytes="$(size_of "$out_abs")"
(( bytes >= min_bytes )) || die "$out_abs is only $bytes bytes (< $min_bytes)"
echo "file:    $out_abs"
echo "bytes:   $bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.2f GiB", b / 1073741824 }'))"
echo "packets: $(packets_of "$out_abs")"
