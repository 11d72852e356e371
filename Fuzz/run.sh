#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each for a bounded time.
#   bash Fuzz/run.sh [seconds per target]      default 30 (what .ci/run uses)
#   bash Fuzz/run.sh 3600                      a longer local run
# Seed corpora come from the test fixtures, the examples and the seeds; what libFuzzer adds
# stays in Fuzz/.work (git-ignored). A crash leaves Fuzz/.work/crash-<target>-* and fails the
# run: turn it into a regression test, then fix it.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="/opt/swift/usr/bin:$PATH"
# libFuzzer prints the crash; the Swift backtracer would only add a second report under ASan.
export SWIFT_BACKTRACE=enable=no
seconds=${1:-30}
swift build -c release -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -Ev 'Cannot export local symbol' | tail -3
bin=.build/release
work=.work
mkdir -p "$work"

seed() {  # seed TARGET FILES...
  local dir="$work/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"; done
  return 0
}
records=(../Tests/SecuredRecordsTests/Fixtures/records/* ../Examples/legacy/*.md)
records+=($(find ../Examples/corpus -name '*.md' | sort | head -12))
[ -d ../../shared/seeds ] && records+=(../../shared/seeds/*)
seed record "${records[@]}"
seed signverify "${records[@]}"
seed keyfile ../Keys/demo.key ../Keys/demo.pub ../Keys/demo.members.key.pw ../Examples/corpus/MANIFEST.sha256.minisig
seed manifest ../Examples/corpus/MANIFEST.sha256
# age: the C2SP test kit's X25519 and armor files (read from ../shared), plus fresh ones.
if [ -d ../../shared/vectors/age-testkit ]; then
  mkdir -p "$work/corpus/age"
  python3 - ../../shared/vectors/age-testkit "$work/corpus/age" <<'PY'
import os, sys, zlib
src, dst = sys.argv[1:]
for name in sorted(os.listdir(src)):
    if name.startswith("scrypt") or "hybrid" in name:
        continue
    head, _, body = open(os.path.join(src, name), "rb").read().partition(b"\n\n")
    if b"compressed: zlib" in head:
        continue  # 16 MB streams: too large for -max_len
    open(os.path.join(dst, "seed-" + name), "wb").write(body)
PY
fi
mkdir -p "$work/corpus/blob"
i=0
for f in "${records[@]}"; do
  v=$(sed -n 's/^secured: *"\(.*\)" *$/\1/p' "$f" | head -1)
  [ -n "$v" ] && printf '%s' "$v" > "$work/corpus/blob/seed-$i" && i=$((i + 1))
done

status=0
for pair in record:FuzzRecord blob:FuzzBlob keyfile:FuzzKeyFile manifest:FuzzManifest signverify:FuzzSignVerify age:FuzzAge; do
  name=${pair%%:*}; target=${pair#*:}
  log="$work/$target.log"
  if "$bin/$target" "$work/corpus/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/crash-$target-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$target: ${seconds}s, $runs inputs, no crash"
  else
    echo "$target: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
done
exit $status
