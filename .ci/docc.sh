#!/usr/bin/env bash
# Builds the DocC catalog of each library from the package's symbol graphs; any warning
# (an undocumented parameter, a symbol link that does not resolve) fails.
#   bash .ci/docc.sh [OUTPUT-DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
swift package dump-symbol-graph >/dev/null
graphs="$(swift build --show-bin-path)/../symbolgraph"
status=0
for module in SecuredCrypto SecuredRecords; do
  dir=$(mktemp -d)
  cp "$graphs/$module".symbols.json "$dir/"
  cp "$graphs/$module"@*.symbols.json "$dir/" 2>/dev/null || true
  log=$(mktemp)
  rm -rf "$out/$module.doccarchive"
  docc convert "Sources/$module/Docs.docc" --additional-symbol-graph-dir "$dir" \
    --output-path "$out/$module.doccarchive" --fallback-display-name "$module" \
    --fallback-bundle-identifier "org.secured.$module" >"$log" 2>&1 || { cat "$log" >&2; echo "docc: $module: failed" >&2; status=1; }
  if grep -q "warning:\|error:" "$log"; then
    cat "$log" >&2
    echo "docc: $module: warnings above" >&2
    status=1
  elif [ $status = 0 ]; then
    echo "docc: $module: no warnings ($out/$module.doccarchive)"
  fi
  rm -rf "$dir" "$log"
done
exit $status
