#!/usr/bin/env bash
# Runs everything of the JavaScript reader: the vectors' case lists against their JSON Schema
# (check-jsonschema), the Node suite (node --test: vectors, records
# and passphrase key files the Swift tool writes now, records and passphrase key files
# Python's cryptography makes, BLAKE2b against hashlib, the mutation check), the same Node
# suite against the single-file bundle (reader/bundle.sh, esbuild; READER_MODULE), then the
# same suite and the demo page's test (its passphrase flow included) in headless Chromium. The
# time one passphrase unwrap takes is printed ('measure:' lines, Node then Chromium).
#
#   bash Tests/reader/run.sh PATH/TO/secured        (or SECURED=… bash Tests/reader/run.sh)
#
# Installs what it needs when missing (Debian's chromium, chromium-driver and esbuild by apt,
# selenium and check-jsonschema by pip; nothing downloads a browser). Exit status non-zero
# when any test or page fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
SECURED="${1:-${SECURED:-}}"
if [[ -z "$SECURED" || ! -x "$SECURED" ]]; then
  echo "usage: bash Tests/reader/run.sh PATH/TO/secured (not executable: '${SECURED}')" >&2
  exit 2
fi
SECURED="$(cd "$(dirname "$SECURED")" && pwd)/$(basename "$SECURED")"
export SECURED
start=$(date +%s)

need_node() {
  command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'
}
if ! need_node; then echo "run.sh: Node 20 or later is required" >&2; exit 2; fi
apt_updated=0
apt_install() {
  if [[ $apt_updated == 0 ]]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
python3 -c 'import cryptography' 2>/dev/null || pip install -q cryptography
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  t0=$(date +%s)
  echo "run.sh: installing chromium and chromium-driver (apt)"
  apt_install chromium chromium-driver
  echo "run.sh: chromium installed in $(( $(date +%s) - t0 )) s"
fi
python3 -c 'import selenium' 2>/dev/null || pip install -q selenium
command -v esbuild >/dev/null || apt_install esbuild
command -v check-jsonschema >/dev/null || pip install -q check-jsonschema

work="$(mktemp -d "${TMPDIR:-/tmp}/reader-run.XXXXXX")"
echo "run.sh: work folder $work (fixtures, screenshots)"
python3 "$here/make_fixtures.py" "$work/fixtures" "$SECURED"
export READER_FIXTURES="$work/fixtures"

status=0
echo "== the vectors' case lists against their schema (Tests/Vectors/reader/cases.schema.json)"
vectors="$repo/Tests/Vectors/reader"
check-jsonschema --schemafile "$vectors/cases.schema.json" "$vectors/cases.json" "$vectors/passphrase/cases.json" || status=1

echo "== node --test"
(cd "$repo" && node --test Tests/reader/) > "$work/node.tap" 2>&1 || status=1
grep -E '^# (tests|pass|fail|skipped)|^not ok|^# mutant|^# measure' "$work/node.tap" || true
if [[ $status != 0 ]]; then echo "run.sh: node tests FAILED (full output: $work/node.tap)"; fi

echo "== node --test, against the single-file bundle (reader/bundle.sh; the mutants are skipped)"
bundle="$work/secured-reader.bundle.mjs"
bundle_ok=1
if bash "$repo/reader/bundle.sh" "$bundle"; then
  echo "run.sh: $bundle: $(wc -l <"$bundle") lines, $(wc -c <"$bundle") bytes"
  (cd "$repo" && READER_MODULE="$bundle" node --test Tests/reader/) > "$work/node-bundle.tap" 2>&1 || bundle_ok=0
  grep -E '^# (tests|pass|fail|skipped)|^not ok' "$work/node-bundle.tap" || true
  grep -q '^# pass [1-9]' "$work/node-bundle.tap" || bundle_ok=0
else
  echo "run.sh: reader/bundle.sh FAILED"; bundle_ok=0
fi
if [[ $bundle_ok == 0 ]]; then echo "run.sh: node tests against the bundle FAILED (full output: $work/node-bundle.tap)"; status=1; fi

echo "== tsc: the .d.ts compiles what a caller writes, and refuses misuse (Tests/reader/types)"
(cd "$repo" && tsc -p Tests/reader/types) || { echo "run.sh: tsc FAILED"; status=1; }

echo "== headless Chromium"
mkdir -p "$work/screenshots"
timeout 600 python3 "$here/browser_run.py" --fixtures "$work/fixtures" --screenshot-dir "$work/screenshots" --timeout 120 || status=1

echo "run.sh: $([[ $status == 0 ]] && echo ok || echo FAILED) in $(( $(date +%s) - start )) s; screenshots in $work/screenshots"
exit $status
