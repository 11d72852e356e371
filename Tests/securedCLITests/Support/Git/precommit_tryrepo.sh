#!/usr/bin/env bash
# The pre-commit hooks of this repository, as a user gets them:
#   bash precommit_tryrepo.sh REPO SECURED
# makes a temporary git repository with a policy, runs `pre-commit try-repo REPO` (which
# builds this package with `swift build -c release`, as pre-commit's swift language does),
# and shows a plaintext commit refused and a sealed one accepted. SECURED (a built secured)
# makes the key and seals the record.
set -euo pipefail
repo=$(cd "$1" && pwd)
secured=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
unset SECURED_KEY
fail() { echo "FAIL: $*" >&2; exit 1; }

git init -q -b main "$work/site"
cd "$work/site"
"$secured" keygen --id site --out "$work/site.key" > /dev/null 2>&1
mkdir -p content/private content/public Keys
cp "$work/site.pub" Keys/
cat > .secured.yaml <<'POLICY'
require-secured: [content/private/**]
require-signature: [content/private/**]
keys: [Keys/site.pub]
POLICY
printf -- '---\ntitle: "A"\n---\nThe private body.\n' > content/private/a.md
printf -- '---\ntitle: "B"\n---\nA public body.\n' > content/public/b.md
git add -A

echo "--- a plaintext private record is staged: both hooks refuse it"
for hook in secured-require-sealed secured-audit; do
  if pre-commit try-repo "$repo" "$hook" > "$work/out.txt" 2>&1; then
    cat "$work/out.txt"; fail "$hook accepted a plaintext record"
  fi
  cat "$work/out.txt"
  grep -q "content/private/a.md" "$work/out.txt" || fail "$hook does not name the file"
  if [ "$hook" = secured-require-sealed ]; then
    grep -q "Seal it: secured seal --key KEY -- content/private/a.md && git add -- content/private/a.md" "$work/out.txt" || fail "no command to seal it"
  fi
done
test "$(cat content/private/a.md | tail -n 1)" = "The private body." || fail "a hook changed a file"

echo "--- sealed and staged: both hooks accept it, and the commit goes in"
"$secured" seal content/private/a.md --key "$work/site.key" > /dev/null 2>&1
git add -A
pre-commit try-repo "$repo" secured-require-sealed
pre-commit try-repo "$repo" secured-audit
git commit -qm "sealed"
test "$(git log --oneline | wc -l)" = 1 || fail "no commit"
echo "pre-commit try-repo: plaintext refused, sealed accepted"
