#!/usr/bin/env bash
# Leak benchmark (issue 29, item 2). Release build; every figure against a floor measured in
# the same rounds.
#   bash Benchmarks/leaks.sh [SIZE_MB]        default 500: the site's size; history is 60%
#   BEFORE=path/to/older/secured bash Benchmarks/leaks.sh
#                                             also times that binary, in the same rounds
# Data (Benchmarks/generate_leaks.py, cached in Benchmarks/.work/leaksSIZE, git-ignored;
# delete it to regenerate): a corpus of 200 sealed and 60 public records shaped like
# ../shared/real-sample, sealed by Python with a generated key; a built-site-like tree (HTML
# pages with markup and character references, RSS and Atom feeds, a JSON search index, gzip
# files) with 9 planted leaks; a git repository with about 0.6 x SIZE_MB of blobs in history,
# one of them a sealed record's plaintext.
# Rows, each timed in 3 interleaved rounds after an untimed warm-up, best wall time kept
# (with the CPU time, user + sys, of that run) and the largest peak RSS:
#   read floor   find SITE -type f -exec cat {} + >/dev/null  (the issue's floor)
#   scan floor   Benchmarks/leakfloor.c on 2 threads: read, split, hash, look up (no decoding)
#   leaks        secured leaks over the site, --jobs 2 and --jobs 1
#   cat-file     git cat-file --batch-all-objects --batch >/dev/null (the history floor)
#   history      secured leaks --history (the corpus and every blob; no site)
# Before timing, one run checks that every planted leak is found with its record, and
# nothing else: a scanner that does nothing cannot pass.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
work=Benchmarks/.work
sample=../shared/real-sample
size=${1:-500}
mkdir -p "$work"
swift build -c release --product secured >/dev/null
bin=$PWD/.build/release/secured
before=${BEFORE:-}
[ -n "$before" ] && before=$(realpath "$before")
cc -O2 -o "$work/leakfloor" Benchmarks/leakfloor.c -lpthread
[ -f "$work/bench.key" ] || "$bin" keygen --id bench --out "$work/bench.key" >/dev/null 2>&1
chmod 600 "$work/bench.key"
data="$work/leaks$size"
[ -f "$data/expected" ] || { rm -rf "$data"; python3 Benchmarks/generate_leaks.py "$data" "$work/bench.key" "$sample" "$size" $((size * 6 / 10)); }
cd "$data"
key=$(realpath ../bench.key)

# The planted leaks, each found with its record; nothing else.
set +e
"$bin" leaks --key "$key" --corpus repo/content --history site --format json >found.json 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || { echo "secured leaks exited $rc, not 1 (leaks)"; exit 1; }
python3 - <<'EOF'
import json, sys
doc = json.load(open("found.json"))
other = [f for f in doc["findings"] if isinstance(f, dict) and f.get("code") not in ("SR020", "SR021")]
if other:
    sys.exit("not searched: %s" % other[:3])
found = {(f["code"], f["file"] if f["code"] == "SR020" else "-", f["record"].rsplit("/", 1)[-1])
         for f in doc["findings"] if f["code"] in ("SR020", "SR021")}
want = set()
for line in open("expected"):
    kind, file, record = line.split()
    want.add(("SR020", "site/" + file, record) if kind == "site" else ("SR021", "-", record))
if found != want:
    sys.exit("planted leaks: missed %s, unexpected %s" % (sorted(want - found), sorted(found - want)))
print("planted leaks: all %d found with their records, nothing else" % len(want))
EOF

site_bytes=$(../leakfloor -j 1 site | cut -d' ' -f2)
blob_bytes=$(git -C repo cat-file --batch-all-objects --batch | wc -c)
nproc_=$(nproc)
declare -A cmd best cpu rss
rows=("read floor" "scan floor" "leaks --jobs 2" "leaks --jobs 1")
cmd["read floor"]="find site -type f -exec cat {} + >/dev/null"
cmd["scan floor"]="../leakfloor -j 2 site >/dev/null"
cmd["leaks --jobs 2"]="'$bin' leaks --key '$key' --corpus repo/content site --jobs 2 >/dev/null 2>&1"
cmd["leaks --jobs 1"]="'$bin' leaks --key '$key' --corpus repo/content site --jobs 1 >/dev/null 2>&1"
if [ -n "$before" ]; then
  rows+=("BEFORE leaks --jobs 2")
  cmd["BEFORE leaks --jobs 2"]="'$before' leaks --key '$key' --corpus repo/content site --jobs 2 >/dev/null 2>&1"
fi
rows+=("cat-file" "leaks --history")
cmd["cat-file"]="git -C repo cat-file --batch-all-objects --batch >/dev/null"
cmd["leaks --history"]="'$bin' leaks --key '$key' --corpus repo/content --history >/dev/null 2>&1"
if [ -n "$before" ]; then
  rows+=("BEFORE leaks --history")
  cmd["BEFORE leaks --history"]="'$before' leaks --key '$key' --corpus repo/content --history >/dev/null 2>&1"
fi
# Warm-up, then 3 interleaved rounds.
for row in "${rows[@]}"; do sh -c "${cmd[$row]}" || true; done
for _ in 1 2 3; do
  for row in "${rows[@]}"; do
    r=$({ /usr/bin/time -f '%e %U %S %M' sh -c "${cmd[$row]}" 2>&1 || true; } | tail -1)
    read -r e u s m <<<"$r"
    if [ -z "${best[$row]:-}" ] || python3 -c "import sys; sys.exit(0 if $e < ${best[$row]} else 1)"; then
      best[$row]=$e
      cpu[$row]=$(python3 -c "print('%.2f' % ($u + $s))")
    fi
    [ "${rss[$row]:-0}" -gt "$m" ] || rss[$row]=$m
  done
done
echo
echo "$nproc_ cores; load average $(cut -d' ' -f1-3 /proc/loadavg); site $site_bytes bytes in $(find site -type f | wc -l) files; history $blob_bytes bytes of cat-file output"
printf '| run | seconds | CPU s (user+sys) | MB/s | x its floor | peak RSS MB |\n|---|---|---|---|---|---|\n'
for row in "${rows[@]}"; do
  case "$row" in
  "cat-file" | *history) bytes=$blob_bytes floor=${best["cat-file"]} ;;
  *) bytes=$site_bytes floor=${best["read floor"]} ;;
  esac
  python3 -c "print('| %s | %s | %s | %.0f | %.2f | %.0f |' % ('$row', '${best[$row]}', '${cpu[$row]}', $bytes / 1e6 / max(${best[$row]}, 0.01), ${best[$row]} / max($floor, 0.01), ${rss[$row]} / 1024))"
done
