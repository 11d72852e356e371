#!/usr/bin/env bash
# Self-test of Scripts/release.sh with a throwaway key:
#   bash Tests/release/release_test.sh [RELEASE_BINARY]
# RELEASE_BINARY: a `swift build -c release --static-swift-stdlib --product secured` binary
# (default: that build, made or reused here). Checks, with standard tools only: the signature
# and checksums, the extracted binary (version, an audit of Examples/corpus), the README's
# install steps (install_test.sh), the npm tarball installed offline into a fresh project, the
# single-file reader bundle imported alone,
# that a second packaging (with another key) gives identical archives, and the Action's
# release path against both (action_release.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export LC_ALL=C

binary=${1:-}
if [ -z "$binary" ]; then
  swift build -c release --static-swift-stdlib --product secured
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/secured"
fi
fail() { echo "release test: FAIL: $*" >&2; exit 1; }
pass() { echo "release test: ok: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$("$binary" --version)
version=${version%% *}

"$binary" keygen --id release-test --out "$tmp/release.key" >/dev/null
[ -f "$tmp/release.pub" ] || fail "keygen wrote no release.pub"

bash Scripts/release.sh "$version" --key "$tmp/release.key" --out "$tmp/out" --binary "$binary"
tarball="secured-$version-linux-x86_64.tar.gz"
for file in "$tarball" SHA256SUMS SHA256SUMS.minisig secured-release.pub secured-reader.bundle.mjs secured-reader.d.ts; do
  [ -f "$tmp/out/$file" ] || fail "no $file"
done
reader_tgz=$(cd "$tmp/out" && ls secured-reader-*.tgz)
cmp -s "$tmp/out/secured-release.pub" "$tmp/release.pub" || fail "secured-release.pub is not the key's .pub"

# A stranger's check, with the public key alone.
(cd "$tmp/out" && minisign -Vm SHA256SUMS -p "$tmp/release.pub" && sha256sum -c SHA256SUMS) || fail "verification"
(cd "$tmp/out" && sha256sum --strict -c SHA256SUMS >/dev/null) || fail "sha256sum --strict"
listed=$(grep -v '^#' "$tmp/out/SHA256SUMS" | awk '{print $2}' | tr '\n' ' ')
[ "$listed" = "$tarball $reader_tgz secured-reader.bundle.mjs secured-reader.d.ts " ] || fail "SHA256SUMS lists '$listed'"
cmp -s "$tmp/out/secured-reader.d.ts" reader/secured-reader.d.ts || fail "secured-reader.d.ts is not reader/'s"
pass "minisign -Vm SHA256SUMS && sha256sum -c SHA256SUMS"

# The archive: sorted entries, 0/0, the expected files.
listing=$(tar -tzvf "$tmp/out/$tarball")
if awk '{print $2}' <<<"$listing" | grep -v '^0/0$'; then fail "an entry not owned by 0/0"; fi
names=$(tar -tzf "$tmp/out/$tarball")
[ "$names" = "$(sort <<<"$names")" ] || fail "entries not sorted"
for entry in secured LICENSE README.md SPEC.md secured.1 INSTALL.txt completions/secured.bash completions/_secured completions/secured.fish; do
  grep -qx "secured-$version/$entry" <<<"$names" || fail "no secured-$version/$entry in the tarball"
done
# Read whole first: `grep -q` stops at the first match, and with pipefail the SIGPIPE it leaves
# tar would fail the pipeline now and then.
manual=$(tar -xzOf "$tmp/out/$tarball" "secured-$version/secured.1")
grep -qE '^\.Dt SECURED 1' <<<"$manual" || fail "secured.1 is not generate-manual's man page (mdoc)"
pass "tarball entries; secured.1 by generate-manual"

# The binary, extracted to ~/.local/bin of an empty HOME, with no Swift on PATH.
home="$tmp/home"
mkdir -p "$home/.local/bin"
tar -xzf "$tmp/out/$tarball" -C "$home/.local/bin" --strip-components=1 "secured-$version/secured"
run() { env -i HOME="$home" PATH="$home/.local/bin:/usr/bin:/bin" "$@"; }
[ "$(run secured --version)" = "$("$binary" --version)" ] || fail "the extracted secured --version"
size=$(stat -c %s "$home/.local/bin/secured")
[ "$size" -le 12000000 ] || fail "the released binary is $size bytes, over 12 MB"
symbols=$(nm "$binary") # read whole: grep -q would leave nm a SIGPIPE (see secured.1 above)
if grep -q -e FoundationEssentials -e _StringProcessing <<<"$symbols"; then
  fail "the binary links FoundationEssentials or _StringProcessing (Vendor/swift-argument-parser/README.md)"
fi
if ldd "$home/.local/bin/secured" | grep -i swift; then fail "links Swift libraries"; fi
run secured audit Examples/corpus --key Keys/demo.pub --require-signature || fail "audit with the extracted binary"
pass "extracted binary: $(run secured --version), $size bytes, no Foundation, no regex engine"

# The README's "Install without Swift", run as written against this release.
bash Tests/release/install_test.sh "$tmp/out" "$tmp/release.pub"

# The reader, installed offline into a fresh Node project.
project="$tmp/node-project"
mkdir -p "$project"
printf '{ "name": "release-test", "version": "0.0.0", "private": true, "type": "module" }\n' >"$project/package.json"
(cd "$project" && npm install --offline --no-audit --no-fund --cache "$tmp/npm-cache" "$tmp/out/$reader_tgz" >/dev/null) ||
  fail "npm install of $reader_tgz"
exports=$(cd "$project" && node -e 'import("secured-reader").then(m => console.log(Object.keys(m).length))')
[ "$exports" -gt 0 ] 2>/dev/null || fail "import(\"secured-reader\") gave '$exports'"
pass "npm install $reader_tgz: $exports exports"

# The single-file bundle, copied alone into an empty folder: it imports nothing, and exports
# what the npm package exports.
mkdir -p "$tmp/vendored"
cp "$tmp/out/secured-reader.bundle.mjs" "$tmp/vendored/"
bundled=$(cd "$tmp/vendored" && node -e 'import("./secured-reader.bundle.mjs").then(m => console.log(Object.keys(m).sort().join(" ")))')
packaged=$(cd "$project" && node -e 'import("secured-reader").then(m => console.log(Object.keys(m).sort().join(" ")))')
[ -n "$bundled" ] && [ "$bundled" = "$packaged" ] || fail "the bundle exports '$bundled', the package '$packaged'"
head -1 "$tmp/out/secured-reader.bundle.mjs" | grep -q "^// secured-reader [0-9]" || fail "the bundle has no banner"
pass "secured-reader.bundle.mjs alone: the same $exports exports as the package"

# A second packaging of the same binary, signed with another key: the same archives, the same
# checksums; only the signature (and the HMAC comment line of SHA256SUMS) differ.
"$binary" keygen --id other-release --out "$tmp/other.key" >/dev/null
bash Scripts/release.sh "$version" --key "$tmp/other.key" --out "$tmp/out2" --binary "$binary" 2>/dev/null
for file in "$tarball" "$reader_tgz" secured-reader.bundle.mjs; do
  cmp "$tmp/out/$file" "$tmp/out2/$file" || fail "$file differs between two packagings"
done
[ "$(grep -v '^#' "$tmp/out/SHA256SUMS")" = "$(grep -v '^#' "$tmp/out2/SHA256SUMS")" ] ||
  fail "SHA256SUMS lists other checksums in a second packaging"
if (cd "$tmp/out2" && minisign -Vqm SHA256SUMS -p "$tmp/release.pub" 2>/dev/null); then fail "the other key's SHA256SUMS verifies with the first key"; fi
pass "two packagings: byte-identical $tarball and $reader_tgz, the same checksums"

# The Action's release path, offline: both releases served on 127.0.0.1, the first pinned.
python3 Tests/securedCLITests/Support/Action/action_harness.py . "$tmp/action" --release-only \
  --release "$tmp/out" --other-key-release "$tmp/out2" >"$tmp/action.log" 2>&1 || {
  cat "$tmp/action.log" >&2
  fail "the Action's release path (Tests/securedCLITests/Support/Action/action_release.py)"
}
pass "the Action installs the pinned, signed release and refuses a flipped byte and another key ($(grep -c '^ok:' "$tmp/action.log") checks)"
cd "$repo"
