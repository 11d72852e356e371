#!/usr/bin/env bash
# Audit benchmark (issue 5). Release build; every figure is measured in the same run as the
# read floor (cat of every record to /dev/null), and reported as a ratio to it.
#   bash Benchmarks/run.sh [N ...]        default: 10000
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
for n in "${@:-10000}"; do
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
