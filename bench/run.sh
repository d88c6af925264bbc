#!/usr/bin/env bash
# run.sh: herkomst against tshark and a bare libpcap loop, on the same files.
#
# Builds (once, in the scratch folder; nothing is written in the repository):
#   big.pcap    >= 1 GiB, the Ethernet corpus repeated (make-big-capture.sh)
#   small.pcap  the first tenth of big.pcap (the same corpus copies, 10x fewer)
#   corpus.pcap the corpus once
#   pcap_loop   bench/pcap_loop.c compiled with cc -O2 -lpcap
# then measures, RUNS times (default 3), on each file, with /usr/bin/time (wall seconds, peak RSS):
#   (a) pcap_loop FILE                               the floor: read every frame, decode nothing
#   (b) tshark -r FILE -T fields -e <the fields herkomst extracts> -n > /dev/null
#   (c) herkomst -q --db NEW.db scan --pcap FILE --out NEW/ --json   (fresh database each run)
# (/usr/bin/time -f "%e %M %U %S": also user+system CPU seconds) and prints a Markdown table of
# the medians. Raw figures: $SCRATCH/results.tsv.
#
# Environment:
#   HERKOMST            herkomst binary (default: build/cli/herkomst in the repository; use a Release build)
#   HERKOMST_BENCH_DIR  scratch folder (default /tmp/herkomst-bench); needs ~1.2 GB free
#   HERKOMST_PCAPS      corpus folder (default ../shared/pcaps next to the repository)
#   RUNS                repetitions (default 3; medians are reported)
#   SIZES               which files, in order (default "corpus small big")
#   TOOLS               which tools (default "pcap_loop tshark herkomst")
#   MIN_BYTES           size of big.pcap (default 1073741824)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
scratch="${HERKOMST_BENCH_DIR:-/tmp/herkomst-bench}"
herkomst="${HERKOMST:-$repo/build/cli/herkomst}"
runs="${RUNS:-3}"
sizes="${SIZES:-corpus small big}"
tools="${TOOLS:-pcap_loop tshark herkomst}"
min_bytes="${MIN_BYTES:-1073741824}"
export HERKOMST_BENCH_DIR="$scratch"

die() { echo "run.sh: $*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
command -v tshark >/dev/null || die "tshark not found (apt-get install tshark)"
command -v cc >/dev/null || die "cc not found (apt-get install gcc)"
[[ -x "$herkomst" ]] || die "herkomst binary '$herkomst' not found; build it (see bench/README.md) or set HERKOMST"
herkomst="$(realpath "$herkomst")"
cache="$(dirname "$(dirname "$herkomst")")/CMakeCache.txt"
if [[ -f "$cache" ]] && ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$cache"; then
  echo "run.sh: warning: $herkomst is not a Release build ($(grep '^CMAKE_BUILD_TYPE' "$cache"))" >&2
fi
mkdir -p "$scratch"
scratch="$(realpath "$scratch")"
case "$scratch/" in "$repo"/*) die "scratch folder '$scratch' is inside the repository" ;; esac

# --- inputs --------------------------------------------------------------------------------
echo "== building the captures (reused when present)" >&2
"$here/make-big-capture.sh" "$scratch/big.pcap" "$min_bytes" >&2
big_bytes="$(stat -c %s "$scratch/big.pcap")"
"$here/make-big-capture.sh" "$scratch/small.pcap" $(( big_bytes / 10 )) >&2
"$here/make-big-capture.sh" "$scratch/corpus.pcap" 1 >&2
cmp -n "$(stat -c %s "$scratch/small.pcap")" "$scratch/small.pcap" "$scratch/big.pcap" >/dev/null \
  || die "small.pcap is not a prefix of big.pcap (corpus changed?): delete $scratch/*.pcap and run again"

cc -O2 -Wall -o "$scratch/pcap_loop" "$here/pcap_loop.c" -lpcap

# --- measuring -----------------------------------------------------------------------------
fields=(-e eth.src -e eth.dst -e vlan.id -e ip.src -e ip.dst -e ip.ttl -e ipv6.src
        -e arp.src.hw_mac -e arp.src.proto_ipv4 -e tcp.srcport -e tcp.flags)
results="$scratch/results.tsv"
printf 'run\tsize\ttool\tbytes\twall_s\tmaxrss_kib\tframes\tnote\tload1_before\tcpu_s\n' > "$results"
timef="$scratch/time.out"
log="$scratch/last.out"

# measure RUN SIZE TOOL: one timed run; appends a line to results.tsv.
measure() {
  local run="$1" size="$2" tool="$3" file="$scratch/$2.pcap" rc=0 frames="" note=""
  local -a cmd
  local load1; load1="$(cut -d' ' -f1 /proc/loadavg)"
  case "$tool" in
    pcap_loop) cmd=("$scratch/pcap_loop" "$file") ;;
    tshark)    cmd=(tshark -r "$file" -T fields "${fields[@]}" -n) ;;
    herkomst)  rm -rf "$scratch/herkomst-out"; mkdir -p "$scratch/herkomst-out"
               cmd=("$herkomst" -q --db "$scratch/herkomst-out/scan.db" scan --pcap "$file"
                    --out "$scratch/herkomst-out" --json) ;;
  esac
  if [[ "$tool" == tshark ]]; then
    /usr/bin/time -f '%e %M %U %S' -o "$timef" "${cmd[@]}" >/dev/null 2>"$log" || rc=$?
  else
    /usr/bin/time -f '%e %M %U %S' -o "$timef" "${cmd[@]}" >"$log" 2>&1 || rc=$?
  fi
  local wall rss user sys cpu
  read -r wall rss user sys < <(tail -n 1 "$timef")
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
  case "$tool" in
    pcap_loop) frames="$(sed -n 's/^frames \([0-9]*\) .*/\1/p' "$log")" ;;
    herkomst)  frames="$(grep -o '"frames": [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
               # the scan's own counters come first in the JSON (before the per-asset ones)
               for key in observations sightings.dropped assets; do
                 note+="$key=$(grep -m1 -o "\"$key\": [0-9]*" "$log" | grep -o '[0-9]*$' || true) "
               done ;;
  esac
  if (( rc != 0 )); then
    note="FAILED exit $rc: $(head -c 300 "$log" | tr '\n\t' '  ')"
    echo "run.sh: $tool on $size.pcap failed (exit $rc). Command: ${cmd[*]}" >&2
    sed -n 1,20p "$log" >&2
    cp "$log" "$scratch/failed-$tool-$size-$run.log"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$size" "$tool" "$(stat -c %s "$file")" \
    "$wall" "$rss" "$frames" "$note" "$load1" "$cpu" >> "$results"
  printf '  run %s  %-6s %-9s %8s s (cpu %7s s) %9s KiB  load %-5s %s\n' "$run" "$size" "$tool" "$wall" "$cpu" "$rss" "$load1" "${frames:+frames $frames }$note" >&2
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)" >&2
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average before: $load_before" >&2
for (( r = 1; r <= runs; r++ )); do
  for size in $sizes; do
    for tool in $tools; do
      measure "$r" "$size" "$tool"
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average after: $load_after" >&2

# --- report --------------------------------------------------------------------------------
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load average before $load_before, after $load_after; $runs runs, medians"
echo "$("$herkomst" version 2>/dev/null | head -n 1) ($herkomst); $(tshark --version 2>/dev/null | head -n 1); libpcap $(pcap-config --version 2>/dev/null || echo '?')"
echo
echo "| file | size | tool | wall (s) | MB/s | CPU user+sys (s) | peak RSS (MiB) | frames | wall of each run (s) | peak RSS of each run (MiB) |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---|---|"
awk -F'\t' -v sizes="$sizes" -v tools="$tools" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR > 1 {
    k = $2 SUBSEP $3
    walls[k] = walls[k] (walls[k] == "" ? "" : " ") $5
    rsss[k] = rsss[k] (rsss[k] == "" ? "" : " ") $6
    mibs[k] = mibs[k] (mibs[k] == "" ? "" : " ") sprintf("%.1f", $6 / 1024)
    cpus[k] = cpus[k] (cpus[k] == "" ? "" : " ") $10
    bytes[$2] = $4; frames[k] = $7
    if ($8 ~ /^FAILED/) failed[k] = 1
  }
  END {
    ns = split(sizes, S, " "); nt = split(tools, T, " ")
    for (i = 1; i <= ns; i++) for (j = 1; j <= nt; j++) {
      k = S[i] SUBSEP T[j]; if (!(k in walls)) continue
      w = median(walls[k]); m = median(rsss[k])
      printf "| %s.pcap | %.1f MB | %s%s | %.2f | %s | %.2f | %.1f | %s | %s | %s |\n", S[i], bytes[S[i]] / 1e6, T[j],
        (k in failed) ? " (FAILED, see results.tsv)" : "", w, (w > 0 ? sprintf("%.1f", bytes[S[i]] / 1e6 / w) : "n/a (< 0.01 s)"),
        median(cpus[k]), m / 1024, (frames[k] == "" ? "n/a" : frames[k]), walls[k], mibs[k]
    }
  }' "$results"
echo
echo "Medians of $runs runs, each column on its own. MB = 10^6 bytes of capture file; MiB = 2^20 bytes; CPU = user + system seconds (less sensitive than wall time to other load on the machine). Raw: $results"
