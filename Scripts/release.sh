#!/usr/bin/env bash
# Builds a release that anyone can verify with standard tools:
#
#   Scripts/release.sh VERSION --key RELEASE_KEY [--out DIR] [--binary PATH]
#
# writes into DIR (default: dist/VERSION):
#   secured-VERSION-linux-x86_64.tar.gz   secured-VERSION/: the stripped binary, LICENSE,
#                                         README.md, SPEC.md, secured.1, completions/, INSTALL.txt
#   secured-reader-X.Y.Z.tgz              npm pack of reader/
#   secured-reader.bundle.mjs             the reader in one ES module (reader/bundle.sh, esbuild),
#   secured-reader.d.ts                   and its types, for those who vendor one file
#   SHA256SUMS, SHA256SUMS.minisig        written by `secured manifest build` with RELEASE_KEY
#   secured-release.pub                   the release key's public key (not listed in SHA256SUMS)
#
# Verify: minisign -Vm SHA256SUMS -p secured-release.pub && sha256sum -c SHA256SUMS
#
# The release key's public half is committed as Keys/secured-release.pub (the Action checks
# SHA256SUMS.minisig with it); its secret half never enters the repository. Publishing: upload
# the files to the GitHub release vVERSION, and pin the line this script prints in action.yml.
#
# RELEASE_KEY is a secured key file with 'sign' (secured keygen); the HMAC line a key with
# 'mac' adds to SHA256SUMS starts with '#', which sha256sum -c (even --strict) skips.
#
# --binary PATH packages an already built release binary (built with --static-swift-stdlib)
# instead of building one; it is copied, then stripped, never changed in place.
# The archives depend only on the binary, the sources and SOURCE_DATE_EPOCH (default: the
# commit time): packaging the same binary twice gives byte-identical archives
# (Tests/release/release_test.sh checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C TZ=UTC

usage() { echo "usage: Scripts/release.sh VERSION --key RELEASE_KEY [--out DIR] [--binary PATH]" >&2; exit 2; }
fail() { echo "release: error: $*" >&2; exit 1; }
note() { echo "release: $*" >&2; }

version="" key="" out="" binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --key) [ $# -ge 2 ] || usage; key=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --binary) [ $# -ge 2 ] || usage; binary=$2; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$version" ] || usage; version=$1; shift ;;
  esac
done
[ -n "$version" ] && [ -n "$key" ] || usage
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || fail "VERSION must look like 1.2.3, not '$version'"
[ -f "$key" ] || fail "no key file $key"
out=${out:-dist/$version}
for tool in strip ldd tar gzip sha256sum npm esbuild; do
  command -v "$tool" >/dev/null || fail "missing $tool"
done

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
[[ "$SOURCE_DATE_EPOCH" =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH must be a number of seconds"

build_flags=(-c release --static-swift-stdlib)
if [ -z "$binary" ]; then
  note "building (swift build ${build_flags[*]} --product secured)"
  swift build "${build_flags[@]}" --product secured >&2
  binary="$(swift build "${build_flags[@]}" --show-bin-path)/secured"
fi
[ -x "$binary" ] || fail "no executable $binary"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the binary: stripped, no Swift library needed at run time -------------------------------
bin="$work/secured"
strip -o "$bin" "$binary"
chmod 0755 "$bin"
size=$(stat -c %s "$bin")
# At most 12 MB (10^6 bytes). What weighed most, and why it is gone: FoundationEssentials
# (swift-argument-parser, patched in Vendor/, and JSON output, now Sources/JSONText) and the
# regex engine with the Unicode name tables (String.contains(String), replacing(_:with:):
# SecuredRecords' includes and replacingEach instead).
limit=12000000
if [ "$size" -gt "$limit" ]; then
  symbols=$(nm "$binary" 2>/dev/null || true)
  for module in FoundationEssentials _StringProcessing; do
    if grep -q "$module" <<<"$symbols"; then note "the binary links $module (see Vendor/swift-argument-parser/README.md)"; fi
  done
  fail "the stripped binary is $size bytes, over the limit of $limit (12 MB)"
fi
note "stripped binary: $size bytes (limit $limit)"
if ! libs=$(ldd "$bin"); then fail "ldd $bin failed"; fi
if grep -i 'libswift' <<<"$libs" >&2; then fail "the binary needs Swift libraries at run time (above): build with --static-swift-stdlib"; fi
if grep 'not found' <<<"$libs" >&2; then fail "libraries not found (above)"; fi
note "runtime libraries: $(awk '{print $1}' <<<"$libs" | grep -v '^linux-vdso' | tr '\n' ' ')"

built=$("$bin" --version)
[ "${built%% *}" = "$version" ] || fail "the binary says '$built', not $version (SecuredVersion.current)"
case "$built" in *-dirty*|*unknown*) note "warning: built from a tree that differs from a commit: $built" ;; esac

# --- the folder inside the tarball -------------------------------------------------------------
name="secured-$version"
stage="$work/stage/$name"
mkdir -p "$stage/completions"
install -m 0755 "$bin" "$stage/secured"
for file in LICENSE README.md SPEC.md; do install -m 0644 "$file" "$stage/$file"; done
"$bin" --generate-completion-script bash >"$stage/completions/secured.bash"
"$bin" --generate-completion-script zsh >"$stage/completions/_secured"
"$bin" --generate-completion-script fish >"$stage/completions/secured.fish"

# The man page: swift-argument-parser's generate-manual over the binary's own help
# (the generate-manual plugin would rebuild the whole package); a roff page of each
# command's --help when that tool cannot be built.
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
manual_made=false
if swift build "${build_flags[@]}" --product generate-manual >"$work/generate-manual.log" 2>&1; then
  generate="$(swift build "${build_flags[@]}" --show-bin-path)/generate-manual"
  mkdir -p "$work/man"
  if "$generate" "$bin" --date "$date" --section 1 --output-directory "$work/man" >&2 && [ -s "$work/man/secured.1" ]; then
    cp "$work/man/secured.1" "$stage/secured.1"
    manual_made=true
  fi
fi
if ! $manual_made; then
  note "generate-manual unavailable ($(tail -1 "$work/generate-manual.log")); writing secured.1 from --help"
  bash Scripts/help-to-man.sh "$bin" "$date" >"$stage/secured.1"
fi
chmod 0644 "$stage/secured.1" "$stage"/completions/*

cat >"$stage/INSTALL.txt" <<EOF
secured $version for Linux x86_64

The binary links the Swift runtime statically. At run time it needs OpenSSL 3 and
libyaml, with the C and C++ runtime every Debian/Ubuntu system has:

  sudo apt-get install libssl3 libyaml-0-2      # Debian 12+, Ubuntu 22.04+

Verify the download first (minisign, sha256sum), with the release key published in the
repository's README:

  minisign -Vm SHA256SUMS -p secured-release.pub && sha256sum -c --ignore-missing SHA256SUMS

Install for one user (a folder on PATH):

  tar -xzf secured-$version-linux-x86_64.tar.gz
  install -m 0755 secured-$version/secured ~/.local/bin/secured
  secured --version

Or for everyone: install -m 0755 secured-$version/secured /usr/local/bin/secured

The manual page: install -m 0644 secured-$version/secured.1 ~/.local/share/man/man1/secured.1
(or /usr/local/share/man/man1/), then man secured.

Shell completions (completions/):
  bash: install completions/secured.bash as ~/.local/share/bash-completion/completions/secured
  zsh:  copy completions/_secured into a folder of \$fpath
  fish: copy completions/secured.fish into ~/.config/fish/completions/
EOF
chmod 0644 "$stage/INSTALL.txt"

# --- deterministic archives ---------------------------------------------------------------------
mkdir -p "$out"
tarball="$name-linux-x86_64.tar.gz"
tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
  --mtime="@$SOURCE_DATE_EPOCH" --mode='u+rwX,go+rX,go-w' \
  -C "$work/stage" -cf - "$name" | gzip -n -9 >"$work/$tarball"
mv "$work/$tarball" "$out/$tarball"

# npm pack writes fixed mtimes and owners itself; offline, no scripts in reader/package.json.
reader_tgz=$(cd reader && npm pack --offline --silent --pack-destination "$work" 2>/dev/null | tail -1)
[ -f "$work/$reader_tgz" ] || fail "npm pack of reader/ failed"
mv "$work/$reader_tgz" "$out/$reader_tgz"
# The single-file bundle and its types (esbuild's output depends only on the sources).
bash reader/bundle.sh "$work/secured-reader.bundle.mjs" || fail "reader/bundle.sh failed"
install -m 0644 "$work/secured-reader.bundle.mjs" "$out/secured-reader.bundle.mjs"
install -m 0644 reader/secured-reader.d.ts "$out/secured-reader.d.ts"

# --- checksums, signed with the release key ---------------------------------------------------
rm -f "$out/SHA256SUMS" "$out/SHA256SUMS.minisig" "$out/secured-release.pub"
"$bin" manifest build "$out" --key "$key" --no-policy --include '*' --size-limit $((1024 * 1024 * 1024)) \
  --out "$out/SHA256SUMS" >&2
[ -f "$out/SHA256SUMS.minisig" ] || fail "$key has no 'sign': no SHA256SUMS.minisig (secured keygen --add-sign $key)"
"$bin" pubkey "$key" >"$out/secured-release.pub"
(cd "$out" && sha256sum --strict --quiet -c SHA256SUMS) || fail "sha256sum -c SHA256SUMS failed"
if command -v minisign >/dev/null; then
  (cd "$out" && minisign -Vm SHA256SUMS -p secured-release.pub >/dev/null) || fail "minisign cannot verify SHA256SUMS"
fi

note "to let the Action install it, pin in action.yml (RELEASES): $version $(sha256sum "$out/$tarball" | cut -d ' ' -f 1)"
note "wrote $out:"
(cd "$out" && ls -l --time-style=+ | tail -n +2 >&2)
echo "$size bytes: stripped secured" >&2
