#!/usr/bin/env bash
# Audit benchmark (issues 5, 10, 11 and 19). Release build; every figure is measured in the same
# run as the read floor, and reported as a ratio to it.
#   bash Benchmarks/run.sh [N]            default N = 100000
#   BEFORE=path/to/older/secured bash Benchmarks/run.sh [N]
#                                         also times that binary on the HMAC corpora, in the
#                                         same rounds, and counts its instructions per record
# The read floor is Benchmarks/readfloor.c (built here): one process walks the corpus and
# reads every record once with open/read. `cat` (one fork per batch of files, a pipe) is
# slower than that and is shown for comparison with earlier results only. On the HMAC
# corpora the crypto floor (Benchmarks/cryptofloor.c) adds what any keyed audit must spend
# before it parses a byte: HMAC-SHA256 over every record and AES-CBC over its ciphertext's
# length, on as many threads as the audit's jobs (OpenSSL, the key prepared once a thread).
# Corpora (Benchmarks/generate_corpus.py, sealed and signed by Python):
#   realistic  shaped like the live corpus, from ../shared/real-sample (non-ASCII, emoji,
#              nested provider/images, related items with images, 1% CRLF, 1% BOM)
#   sized      the realistic records, each 10 to 12 KB (the live corpus averages 10.8 KB)
#   ed25519    the realistic records signed with Ed25519
#   fallback   the same with one construct per record that only libyaml decides
#   synthetic  the corpus of issue 5 (ASCII words), kept so its figures stay comparable
# Each row says what share of records the one-pass YAML check decided; every time is the
# best of three runs, the page cache warmed by an untimed pass first. Then: Ed25519 with one
# and two workers on 20,000 records, copies of one record (SR015), callgrind instructions
# per record for each corpus, the fallback's cost against libyaml's own event parser, and
# one `secured inspect`.
# Corpora are cached in Benchmarks/.work (git-ignored); delete it to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
work=Benchmarks/.work
sample=../shared/real-sample
n=${1:-100000}
mkdir -p "$work"
swift build -c release --product secured >/dev/null
bin=.build/release/secured
before=${BEFORE:-}
cc -O2 -o "$work/readfloor" Benchmarks/readfloor.c
cc -O2 -o "$work/cryptofloor" Benchmarks/cryptofloor.c -lcrypto -lpthread
[ -f "$work/bench.key" ] || "$bin" keygen --id bench --out "$work/bench.key" >/dev/null 2>&1
chmod 600 "$work/bench.key"
grep -q '^sign:' "$work/bench.key" || "$bin" keygen --add-sign "$work/bench.key" >/dev/null 2>&1
# Best of three runs (seconds) and the largest peak RSS (KB). This VM reclaims page cache
# eagerly, so a single run of a 1 GB corpus may re-read some of it from disk.
timer() {
  local best="" rss=0 r
  for _ in 1 2 3; do
    r=$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1)
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if ${r% *} < $best else 1)"; then best=${r% *}; fi
    [ "${r#* }" -gt "$rss" ] && rss=${r#* }
  done
  echo "$best $rss"
}
share() { "$bin" audit "$1" --format json 2>/dev/null | python3 -c \
  'import json,sys; y=json.load(sys.stdin)["yamlChecks"]; t=y["onePass"]+y["libyaml"]; print("%.1f%%" % (100*y["onePass"]/max(t,1)))'; }

if [ -d "$sample" ]; then
  echo "one-pass YAML check on ../shared/real-sample: $(share "$sample") of its records"
else
  echo "../shared/real-sample not found: its one-pass share is not measured"
fi
echo
printf '| corpus | N | run | seconds | records/s | MB/s | x read floor | one-pass | peak RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
keyed="--key $work/bench.key --require-secured --require-signature --jobs 2"
for kind in realistic sized ed25519 fallback synthetic; do
  corpus="$work/$kind$n"
  [ -d "$corpus" ] || python3 Benchmarks/generate_corpus.py "$kind" "$corpus" "$n" "$work/bench.key" "$sample"
  mb=$(du -sm "$corpus/" | cut -f1)   # the trailing slash: a corpus may be a symbolic link
  # Page cache warm for every run, the read floor included: one untimed pass first.
  "$work/readfloor" "$corpus" > /dev/null
  floor=$(timer "$work/readfloor" "$corpus")
  fs=${floor% *}
  onepass=$(share "$corpus")
  runs=("read floor (open/read)" "read floor (cat)")
  [ "$kind" != ed25519 ] && runs+=("crypto floor (read, HMAC, AES; 2 threads)")
  runs+=("audit --key --require-secured --require-signature")
  if [ -n "$before" ] && { [ "$kind" = realistic ] || [ "$kind" = sized ]; }; then runs+=("the same, BEFORE"); fi
  runs+=("audit (no key)")
  for run in "${runs[@]}"; do
    case "$run" in
      "read floor (open/read)") r="$floor" ;;
      "read floor (cat)") r=$(timer sh -c "find '$corpus/' -type f -name '*.md' -exec cat {} + > /dev/null") ;;
      "crypto floor"*) r=$(timer "$work/cryptofloor" 2 "$corpus") ;;
      "audit --key"*) r=$(timer "$bin" audit "$corpus" $keyed) ;;
      "the same, BEFORE") r=$(timer "$before" audit "$corpus" $keyed) ;;
      *) r=$(timer "$bin" audit "$corpus") ;;
    esac
    s=${r% *}; rss=${r#* }
    python3 -c "s=max($s,0.001); print('| $kind | $n | $run | %.2f | %.0f | %.1f | %.2f | %s | %.0f |' % (s, $n/s, $mb/s, s/max($fs,0.001), '$onepass', $rss/1024))"
    [ "$run" = "audit --key --require-secured --require-signature" ] && eval "audit_$kind=$s"
  done
done

# A policy file (issue 13): its globs are matched for every record (include, exclude, and the
# require globs), and the audit should cost about the same as with the flags alone.
policy="$work/realistic$n/.secured.yaml"
trap 'rm -f "$policy"' EXIT
printf 'include: ["**/*.md"]\nexclude: ["drafts/**", "*.tmp.md"]\nrequire-secured: true\nrequire-signature: ["0*/**", "[1-9]*/**"]\nignore: [SR015]\n' > "$policy"
# The corpus was evicted by the ones after it: warm the page cache again first.
"$work/readfloor" "$work/realistic$n" > /dev/null
without=$(timer "$bin" audit "$work/realistic$n" --key "$work/bench.key" --require-signature --require-secured --jobs 2 --no-policy)
with=$(timer "$bin" audit "$work/realistic$n" --key "$work/bench.key" --jobs 2)
rm -f "$policy"
python3 -c "
w, o = ${with% *}, ${without% *}
print()
print('policy file (5 globs, require-secured, require-signature by glob): %.2f s; the same rules as flags: %.2f s; ratio %.2f' % (w, o, w / max(o, 0.001)))
"

# Ed25519 against HMAC (issue 11): the Ed25519 row must come within 1.25x of the HMAC row's
# time plus N verifications spread over 2 cores, at the rate `openssl speed` measures here.
rate=$(openssl speed -seconds 3 ed25519 2>/dev/null | awk '/Ed25519/ && $NF ~ /^[0-9.]+$/ {print $NF}' | tail -1)
if [ -n "$rate" ]; then
  python3 -c "
hmac, ed, rate, n = $audit_realistic, $audit_ed25519, $rate, $n
bound = 1.25 * (hmac + n / rate / 2)
print()
print('Ed25519: %.2f s for %d records; HMAC row %.2f s; openssl speed: %.0f verifications/s a core; bound 1.25 x (%.2f + %d / %.0f / 2) = %.2f s: %s' % (ed, n, hmac, rate, hmac, n, rate, bound, 'met' if ed <= bound else 'NOT met'))
"
fi

# Ed25519 with one and two workers (issue 19): on 20,000 records two workers must take at
# most 1/1.8 of one worker's time (each verification is independent; nothing may serialize them).
ed="$work/ed25519-20000"
[ -d "$ed" ] || python3 Benchmarks/generate_corpus.py ed25519 "$ed" 20000 "$work/bench.key" "$sample"
"$work/readfloor" "$ed" > /dev/null
one=$(timer "$bin" audit "$ed" --key "$work/bench.key" --require-signature --jobs 1)
two=$(timer "$bin" audit "$ed" --key "$work/bench.key" --require-signature --jobs 2)
python3 -c "
one, two = ${one% *}, ${two% *}
print()
print('Ed25519, 20000 records: --jobs 1 %.2f s, --jobs 2 %.2f s: %.2fx (target at least 1.8x: %s)' % (one, two, one / max(two, 0.001), 'met' if one / max(two, 0.001) >= 1.8 else 'NOT met'))
"

# Copies of one sealed record (SR015 for every one): time must grow about linearly.
echo
printf '| copies of one record (SR015 each) | seconds | records/s | peak RSS MB |\n|---|---|---|---|\n'
for c in 2000 20000; do
  corpus="$work/copies$c"
  if [ ! -d "$corpus" ]; then
    mkdir -p "$corpus"
    one=$(find Examples/corpus -name '*.md' | sort | head -1)
    for i in $(seq -w 1 "$c"); do cp "$one" "$corpus/c$i.md"; done
  fi
  r=$(timer "$bin" audit "$corpus")
  s=${r% *}; rss=${r#* }
  python3 -c "s=max($s,0.001); print('| $c | %.2f | %.0f | %.0f |' % (s, $c/s, $rss/1024))"
done

# Instructions per record: deterministic, unlike wall time on a shared machine.
if command -v valgrind >/dev/null; then
  # valgrind cannot read the Swift binary's DWARF: profile a copy without it.
  objcopy --strip-debug "$bin" "$work/secured-nodebug"
  echo
  [ -n "$before" ] && objcopy --strip-debug "$before" "$work/secured-before-nodebug"
  for kind in realistic sized ed25519 fallback synthetic; do
    src="$work/$kind$n"
    ir() {
      rm -rf "$work/cg" && mkdir -p "$work/cg" && ls "$src/000" | head -"$1" | sed "s|^|$src/000/|" | xargs cp -t "$work/cg"
      valgrind --tool=callgrind --callgrind-out-file="$work/cg.out.$1" "$2" audit "$work/cg" \
        --key "$work/bench.key" --require-secured --require-signature --jobs 1 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    a=$(ir 200 "$work/secured-nodebug"); b=$(ir 400 "$work/secured-nodebug")
    echo "callgrind, $kind, audit --key --require-secured --require-signature --jobs 1: $(( (b - a) / 200 )) instructions per record"
    if [ -n "$before" ] && { [ "$kind" = realistic ] || [ "$kind" = sized ]; }; then
      a=$(ir 200 "$work/secured-before-nodebug"); b=$(ir 400 "$work/secured-before-nodebug")
      echo "  BEFORE: $(( (b - a) / 200 )) instructions per record"
      a=$(ir 200 "$work/secured-nodebug"); b=$(ir 400 "$work/secured-nodebug")  # the fallback's profile below
    fi
    if [ "$kind" = fallback ] && command -v callgrind_annotate >/dev/null; then
      # The fallback's cost against libyaml's own event parser, in the same run.
      callgrind_annotate --inclusive=yes "$work/cg.out.400" 2>/dev/null | python3 -c '
import re, sys
cost = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) .*?(?:\([^)]*\))?\s+\S*?:(\S+)", line)
    if m:
        cost.setdefault(m.group(2), int(m.group(1).replace(",", "")))
parse = next((v for k, v in cost.items() if k.startswith("yaml_parser_parse")), 0)
ours = next((v for k, v in cost.items() if "YAMLValidator" in k and "read" in k), 0)
if parse and ours:
    print("  fallback: YAML check %d instructions, of which libyaml event parsing %d: %.2fx the parser alone" % (ours, parse, ours / parse))
'
    fi
  done
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
