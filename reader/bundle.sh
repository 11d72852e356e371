#!/usr/bin/env bash
# Bundles the reader into one ES module, for those who vendor a single file:
#
#   bash reader/bundle.sh [OUT]        (default OUT: reader/secured-reader.bundle.mjs)
#
# esbuild (Debian's package; 0.17 or later) joins reader/secured-reader.mjs and reader/src/*.mjs
# into OUT: the same exports, no minifying (it stays readable), a banner with the version and
# the license. The reader has no dependencies and imports nothing of a platform, so the bundle
# is platform-neutral (browsers, Node 20+, Deno, workers). Its types are reader/secured-reader.d.ts.
# The output depends only on the sources and esbuild's version. Not committed: the release
# (Scripts/release.sh) and the tests (Tests/reader/run.sh) make it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/secured-reader.bundle.mjs}"
command -v esbuild >/dev/null || { echo "bundle.sh: esbuild is missing (apt-get install esbuild)" >&2; exit 1; }
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$here/package.json")
license=$(sed -n 's/^  "license": "\(.*\)",$/\1/p' "$here/package.json")
[[ -n "$version" && -n "$license" ]] || { echo "bundle.sh: no version or license in reader/package.json" >&2; exit 1; }
banner="// secured-reader $version (single-file bundle of reader/secured-reader.mjs and reader/src, made by esbuild $(esbuild --version)).
// License: $license (see LICENSE in the secured repository). Types: secured-reader.d.ts. SPEC.md section 9."
esbuild "$here/secured-reader.mjs" --bundle --format=esm --platform=neutral --target=es2022 \
  --charset=utf8 --legal-comments=inline --log-level=warning --banner:js="$banner" --outfile="$out"
