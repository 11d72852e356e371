#!/usr/bin/env bash
# Writes a plain roff manual page, secured(1), from the --help of every command and
# subcommand: the fallback of Scripts/release.sh when swift-argument-parser's
# generate-manual cannot be built.
#   Scripts/help-to-man.sh BINARY DATE(yyyy-mm-dd) > secured.1
set -euo pipefail
export LC_ALL=C
bin=$1 date=$2

# roff-safe text: backslashes doubled, lines starting with . or ' protected.
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }
subcommands() { # the names under SUBCOMMANDS: in a help text
  awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}
section() { # TITLE, then the help text on stdin
  printf '.SS "%s"\n.nf\n' "$1"
  roff
  printf '.fi\n'
}

version=$("$bin" --version)
printf '.TH SECURED 1 "%s" "secured %s" "General Commands Manual"\n' "$date" "${version%% *}"
printf '.SH NAME\nsecured \\- seal, sign, open and audit secured article records\n'
printf '.SH SYNOPSIS\n.B secured\n.I subcommand\n[options]\n'
printf '.SH DESCRIPTION\n'
top=$("$bin" --help)
section "secured" <<<"$top"
printf '.SH COMMANDS\n'
for sub in $(subcommands <<<"$top"); do
  [ "$sub" = help ] && continue
  text=$("$bin" help "$sub")
  section "secured $sub" <<<"$text"
  for subsub in $(subcommands <<<"$text"); do
    [ "$subsub" = help ] && continue
    "$bin" help "$sub" "$subsub" | section "secured $sub $subsub"
  done
done
printf '.SH SEE ALSO\n.BR minisign (1),\n.BR sha256sum (1),\n.BR age (1)\n'
