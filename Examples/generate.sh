#!/usr/bin/env bash
# Regenerates Examples/corpus (sealed and signed with the PUBLIC demo key, plus a signed
# manifest) and Examples/legacy (the three sealed seeds, key unknown). Run from the repo root:
#   bash Examples/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product secured >/dev/null
secured=.build/release/secured
rm -rf Examples/corpus
python3 Examples/generate.py Examples/corpus 36
"$secured" seal Examples/corpus --key Keys/demo.key
"$secured" manifest build Examples/corpus --key Keys/demo.key
if [ -d ../shared/seeds ]; then
  mkdir -p Examples/legacy
  for prefix in 000 001 004; do
    src=$(ls ../shared/seeds/${prefix}_*.txt)
    cp "$src" "Examples/legacy/$(basename "${src%.txt}").md"
  done
fi
