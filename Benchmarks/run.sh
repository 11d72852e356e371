#!/usr/bin/env bash
# Audit benchmark (issue 5). Release build; every figure is measured in the same run as the
# read floor (cat of every record to /dev/null), and reported as a ratio to it.
#   bash Benchmarks/run.sh [N ...]        default: 10000 100000
# Also: callgrind instructions per record (difference of a 400- and a 200-record audit, so
# start-up cancels out), and the wall time of one `secured inspect` (median of 21 runs).
# Corpora are cached in Benchmarks/.work (git-ignored); delete it to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
work=Benchmarks/.work
mkdir -p "$work"
swift build -c release --product secured >/dev/null
bin=.build/release/secured
[ -f "$work/bench.key" ] || "$bin" keygen --id bench --out "$work/bench.key" >/dev/null 2>&1
timer() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1; }
printf '| N | run | seconds | records/s | MB/s | x read floor | peak RSS MB |\n|---|---|---|---|---|---|---|\n'
for n in "${@:-10000 100000}"; do
  corpus="$work/c$n"
  [ -d "$corpus" ] || python3 Benchmarks/generate_corpus.py "$corpus" "$n" "$work/bench.key"
  mb=$(du -sm "$corpus" | cut -f1)
  floor=$(timer sh -c "find '$corpus' -type f -name '*.md' -exec cat {} + > /dev/null")
  fs=${floor% *}
  for run in "read floor (cat)" "audit --key" "audit (no key)"; do
    case "$run" in
      "read floor (cat)") r="$floor" ;;
      "audit --key") r=$(timer "$bin" audit "$corpus" --key "$work/bench.key" --require-signature) ;;
      *) r=$(timer "$bin" audit "$corpus") ;;
    esac
    s=${r% *}; rss=${r#* }
    python3 -c "s=max($s,0.001); print('| $n | $run | %.2f | %.0f | %.1f | %.1f | %.0f |' % (s, $n/s, $mb/s, s/max($fs,0.001), $rss/1024))"
  done
done

# Copies of one sealed record (SR015 for every one): time must grow about linearly.
for n in 2000 20000; do
  corpus="$work/copies$n"
  if [ ! -d "$corpus" ]; then
    mkdir -p "$corpus"
    one=$(find Examples/corpus -name '*.md' | sort | head -1)
    for i in $(seq -w 1 "$n"); do cp "$one" "$corpus/c$i.md"; done
  fi
  r=$(timer "$bin" audit "$corpus")
  s=${r% *}; rss=${r#* }
  python3 -c "s=max($s,0.001); print('| $n | audit, $n copies of one record (SR015 each) | %.2f | %.0f | - | - | %.0f |' % (s, $n/s, $rss/1024))"
done

# Instructions per record: deterministic, unlike wall time on a shared machine.
if command -v valgrind >/dev/null; then
  src="$work/c10000"
  [ -d "$src" ] || python3 Benchmarks/generate_corpus.py "$src" 10000 "$work/bench.key"
  # valgrind cannot read the Swift binary's DWARF: profile a copy without it.
  objcopy --strip-debug "$bin" "$work/secured-nodebug"
  ir() {
    rm -rf "$work/cg" && mkdir -p "$work/cg" && ls "$src/000" | head -"$1" | sed "s|^|$src/000/|" | xargs cp -t "$work/cg"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/secured-nodebug" audit "$work/cg" \
      --key "$work/bench.key" --require-signature --jobs 1 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  a=$(ir 200); b=$(ir 400)
  echo
  echo "callgrind, audit --key --jobs 1: $a instructions for 200 records, $b for 400: $(( (b - a) / 200 )) instructions per record"
fi

# One inspect, start-up included.
rec=$(find Examples/corpus -name '*.md' | sort | head -1)
python3 - "$bin" "$rec" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(21):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "inspect", sys.argv[2], "--key", "Keys/demo.key"], capture_output=True, check=True)
    runs.append(time.perf_counter() - t)
print("inspect of one record (start-up included): median %.1f ms, min %.1f ms over 21 runs" % (
    statistics.median(runs) * 1000, min(runs) * 1000))
PY
