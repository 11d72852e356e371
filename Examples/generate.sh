#!/usr/bin/env bash
# Regenerates Examples/corpus (sealed with the PUBLIC demo key and signed with Ed25519, so
# Keys/demo.pub alone verifies it, plus a manifest with its HMAC line and its detached
# .minisig), Examples/hmac-signed (three records signed with HMAC, the other kind: only the
# secret key verifies them) and Examples/legacy (the three sealed seeds, key unknown). Run
# from the repo root:
#   bash Examples/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product secured >/dev/null
secured=.build/release/secured
rm -rf Examples/corpus Examples/hmac-signed
python3 Examples/generate.py Examples/corpus 36
"$secured" seal Examples/corpus --key Keys/demo.key
"$secured" manifest build Examples/corpus --key Keys/demo.key
python3 Examples/generate.py Examples/hmac-signed 3
"$secured" seal Examples/hmac-signed --key Keys/demo.key --hmac
if [ -d ../shared/seeds ]; then
  mkdir -p Examples/legacy
  for prefix in 000 001 004; do
    src=$(ls ../shared/seeds/${prefix}_*.txt)
    cp "$src" "Examples/legacy/$(basename "${src%.txt}").md"
  done
fi
