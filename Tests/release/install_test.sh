#!/usr/bin/env bash
# The README's "Install without Swift" section, run as written against a release built here:
#   bash Tests/release/install_test.sh RELEASE_DIR RELEASE_PUB
# RELEASE_DIR: a folder Scripts/release.sh wrote; RELEASE_PUB: the public key of the key that
# signed it (Tests/release/release_test.sh runs this with its throwaway key).
#
# The section's shell blocks run in order, as one terminal session, in an empty download
# folder with a temporary HOME and no Swift on PATH, after two substitutions, each checked
# first: the GitHub release URL becomes a local HTTP server on 127.0.0.1 serving RELEASE_DIR,
# and the committed release key (Keys/secured-release.pub, given with -P) becomes
# RELEASE_PUB's. The `sudo apt-get install` line is not run: the packages it names must be
# installed here and be the ones the binary loads. Then the README's first audit (First
# commands) runs with the installed binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
[ $# -eq 2 ] || { echo "usage: $0 RELEASE_DIR RELEASE_PUB" >&2; exit 2; }
release=$(cd "$1" && pwd) pub=$2

fail() { echo "install test: FAIL: $*" >&2; exit 1; }
pass() { echo "install test: ok: $*"; }

tmp=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT

section=$(awk '/^## Install without Swift$/ { on = 1; next } on && /^## / { exit } on' README.md)
[ -n "$section" ] || fail "README.md has no '## Install without Swift' section"
blocks=$(awk '/^```sh$/ { on = 1; next } /^```$/ { on = 0; next } on' <<<"$section")
[ "$(grep -c '^```sh$' <<<"$section")" -ge 2 ] || fail "the section has fewer than two sh blocks"

# What the README names must be what this repository holds.
url='https://github.com/OWNER/secured/releases/download/v$v'
grep -qF "\"$url/{" <<<"$blocks" || fail "the README does not download from $url"
committed=$(sed -n 2p Keys/secured-release.pub)
grep -qF -- "-P $committed " <<<"$blocks" || fail "the README's -P key is not Keys/secured-release.pub"
version=$(sed -n 's/^ *public static let current = "\(.*\)"$/\1/p' Sources/SecuredRecords/Version.swift)
grep -q "^v=$version;" <<<"$blocks" || fail "the README installs another version than $version"
[ -f "$release/secured-$version-linux-x86_64.tar.gz" ] || fail "no secured-$version-linux-x86_64.tar.gz in $release"
pass "the section downloads release $version from GitHub and checks it with Keys/secured-release.pub"

# The release, served on 127.0.0.1.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$release" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/SHA256SUMS" && break; sleep 0.1; done

script=$(grep -v '^sudo apt-get install ' <<<"$blocks")
script=${script//"$url"/"http://127.0.0.1:$port"}
script=${script//"$committed"/"$(sed -n 2p "$pub")"}
home="$tmp/home"
mkdir -p "$home" "$tmp/download"
run() { env -i HOME="$home" PATH="$home/.local/bin:/usr/bin:/bin" "$@"; }
(cd "$tmp/download" && run bash -euo pipefail -c "$script") >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  fail "the README's install steps"
}
grep -q 'Signature and comment signature verified' "$tmp/install.log" || fail "minisign did not verify"
grep -qx "secured-$version-linux-x86_64.tar.gz: OK" "$tmp/install.log" || fail "sha256sum did not check the archive"
[ "$(run bash -c 'command -v secured')" = "$home/.local/bin/secured" ] || fail "secured is not on PATH from ~/.local/bin"
got=$(run secured --version)
[ "${got%% *}" = "$version" ] || fail "secured --version says '$got'"
pass "installed as the README says: secured $got"

# The man page and the completions where the README puts them, usable.
grep -qE '^\.(TH|Dt) SECURED 1' "$home/.local/share/man/man1/secured.1" || fail "no man page"
run bash -c 'source ~/.local/share/bash-completion/completions/secured && complete -p secured' >/dev/null ||
  fail "the bash completion does not load"
[ -s "$home/.local/share/zsh/site-functions/_secured" ] && [ -s "$home/.config/fish/completions/secured.fish" ] ||
  fail "no zsh or fish completion"
pass "man page and bash, zsh and fish completions installed"

# The runtime packages the README names are those of the libraries the binary loads.
packages=$(grep '^sudo apt-get install ' <<<"$blocks" | sed 's/^sudo apt-get install //')
for lib in libssl.so.3 libcrypto.so.3 libyaml-0.so.2; do
  path=$(ldd "$home/.local/bin/secured" | awk -v l="$lib" '$1 == l { print $3 }')
  [ -n "$path" ] || fail "the binary does not load $lib"
  owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null) ||
    fail "no package owns $path"
  owner=${owner%%:*}
  grep -qw -- "${owner%t64}" <<<"$packages" || fail "$lib comes from $owner, which the README does not name ($packages)"
done
pass "runtime packages: $packages"

# The README's first audit, with the installed binary instead of swift run.
audit=$(awk '/^## First commands$/ { on = 1 } on && /^swift run -c release secured audit / { print; exit }' README.md)
[ -n "$audit" ] || fail "no first audit in the README's First commands"
audit=${audit#swift run -c release }
run bash -euo pipefail -c "$audit" >"$tmp/audit.log" 2>&1 || {
  cat "$tmp/audit.log" >&2
  fail "the README's first audit with the installed binary: $audit"
}
pass "the README's first audit: $(grep '^audit:' "$tmp/audit.log")"
