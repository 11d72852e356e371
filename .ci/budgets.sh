#!/usr/bin/env bash
# Size budgets, held by CI (.ci/run runs this right after the format step):
#   - no Swift or JavaScript source file over 400 lines;
#   - no function over 80 lines.
# Exit 0 when every budget holds; otherwise exit 1 after listing each offender as
# `file:line: name: N lines (budget B)`. Run from anywhere: bash .ci/budgets.sh
#
# Files: `git ls-files '*.swift' '*.mjs' '*.js'` (tracked files only), except those under
# Vendor/ (third-party code kept as upstream wrote it: Vendor/swift-argument-parser); add any
# other such path to EXCLUDE below.
#
# Functions are found by a brace-matching heuristic, not a parser. A function's length is
# the number of lines from its declaration's first line to the line of its body's closing
# brace, both included (so a multi-line signature counts).
#   Swift: declarations of `func` (operators too), `init` (also `init?`/`init!`), `deinit` and `subscript`,
#     whatever attributes and modifiers precede them, at any nesting. The body is the first
#     `{` outside parentheses and brackets after the keyword; a declaration whose line ends
#     (outside parentheses) before any `{`, neither that line continuing (it ends in `<`, `,`,
#     `->`, `&` or `:`) nor the next (it starts with `->`, `throws`, `rethrows`, `async`,
#     `where`, `{`, `>` or `)`), has no body (a protocol requirement) and is skipped.
#     Computed properties and closures are not counted (their lines count in their file).
#   JavaScript (.mjs, .js): `function` declarations and named function expressions
#     (`function name(`, `async function`, `function*`, `export`/`export default`), class
#     and object-literal methods (a line starting with `name(…) {`, optionally `static`,
#     `async`, `get`, `set`, `*`, `#name`; `if`, `for`, `while`, `switch`, `catch`, … are
#     not names), and functions assigned at top level (`const|let|var name = function…`,
#     `… = (…) => {`, `… = x => {`, `export` allowed, no indentation). Anonymous callbacks
#     (e.g. a test's `async () => { … }`) are not counted on their own: they count in their
#     enclosing function, if any.
#   While matching braces, the scanner skips comments (`//`, `/* */`, nested in Swift), and
#   string literals: Swift "…", """…""" and raw #"…"# strings (interpolations included);
#   JavaScript '…', "…", template literals (a `${…}` inside one is scanned as code) and
#   regular expression literals (a `/` after one of `(,=:[!&|?{};+-*%<>~^` or `return`,
#   `typeof`, or at the start of a line, opens one).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.swift' '*.mjs' '*.js' | FILE_BUDGET=400 FUNCTION_BUDGET=80 EXCLUDE='Vendor/' python3 -c '
import os, re, sys

FILE_BUDGET = int(os.environ["FILE_BUDGET"])
FUNCTION_BUDGET = int(os.environ["FUNCTION_BUDGET"])
EXCLUDE = [p for p in os.environ.get("EXCLUDE", "").split(":") if p]

SWIFT_DECL = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|static|class|"
    r"final|override|mutating|nonmutating|convenience|required|dynamic|nonisolated|isolated|consuming|"
    r"borrowing|indirect|lazy|optional|unowned|weak|(?:private|fileprivate|internal|public|package)\(set\))\s+)*"
    r"(?:func\s+(?P<func>[A-Za-z_`][\w`]*|[^\sA-Za-z_`(]+)|(?P<init>init[?!]?)\s*[(<]|(?P<deinit>deinit)\b|(?P<sub>subscript)\s*[(<])")
JS_KEYWORDS = {"if", "for", "while", "switch", "catch", "function", "return", "with", "do", "else", "try",
               "new", "typeof", "await", "yield", "delete", "void", "super", "import", "export"}
JS_FUNCTION = re.compile(r"^\s*(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*\*?\s*(?P<name>[\w$]*)\s*\(")
JS_NAMED_EXPR = re.compile(r"\bfunction\s*\*?\s*(?P<name>[\w$]+)\s*\(")
JS_METHOD = re.compile(r"^\s*(?:static\s+)?(?:async\s+)?(?:(?:get|set)\s+)?\*?\s*(?P<name>#?[\w$]+)\s*\([^;]*$")
JS_TOP_ASSIGN = re.compile(
    r"^(?:export\s+)?(?:const|let|var)\s+(?P<name>[\w$]+)\s*=\s*(?:async\s+)?"
    r"(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>|\($)")


def scan_swift(text):
    """Yields, for each character outside comments and string literals, (index, char)."""
    i, n, depth_comment = 0, len(text), 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i): depth, i = depth + 1, i + 2
                elif text.startswith("*/", i): depth, i = depth - 1, i + 2
                else: i += 1
            continue
        m = re.compile(r"(#*)(\"\"\"|\")").match(text, i)
        if m and (m.group(1) or c == "\""):
            hashes, quote = m.group(1), m.group(2)
            close = quote + hashes
            i = m.end()
            while i < n and not text.startswith(close, i):
                if text[i] == "\\" and not hashes: i += 2
                elif quote == "\"" and text[i] == "\n": break
                else: i += 1
            i += len(close)
            continue
        yield i, c
        i += 1


def scan_js(text):
    i, n = 0, len(text)
    last = ""      # the last significant character
    lastword = ""
    stack = []     # template literal nesting: brace depth at each ${
    depth = 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in "\x27\"":
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
            last = "a"
            continue
        if c == "`" or (c == "}" and stack and stack[-1] == depth):
            if c == "}": stack.pop()
            i += 1
            while i < n and text[i] != "`":
                if text[i] == "\\": i += 2
                elif text.startswith("${", i):
                    stack.append(depth)
                    i += 2
                    break
                else: i += 1
            else:
                i += 1
            last = "a"
            continue
        if c == "/" and (last == "" or last in "(,=:[!&|?{};+-*%<>~^\n" or lastword in ("return", "typeof")):
            i += 1
            klass = False
            while i < n and text[i] != "\n":
                if text[i] == "\\": i += 2; continue
                if text[i] == "[": klass = True
                elif text[i] == "]": klass = False
                elif text[i] == "/" and not klass: break
                i += 1
            i += 1
            last = "a"
            continue
        if c == "{": depth += 1
        elif c == "}": depth -= 1
        yield i, c
        if c == "\n":
            if last in ("", "\n") or last in "(,=:[!&|?{};+-*%<>~^": last = "\n" if last in ("", "\n") else last
        elif not c.isspace():
            last = c
        if c.isalnum() or c in "_$":
            j = i
            while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_$"): j -= 1
            lastword = text[j:i + 1]
        elif not c.isspace():
            lastword = ""
        i += 1


def line_starts(text):
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n": starts.append(k + 1)
    return starts


def functions(path, text):
    """Yields (line, name, length) for each function found."""
    js = not path.endswith(".swift")
    chars = list((scan_js if js else scan_swift)(text))
    pos = {k: idx for idx, (k, _) in enumerate(chars)}
    starts = line_starts(text)
    lines = text.split("\n")
    def line_of(k):
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= k: lo = mid
            else: hi = mid - 1
        return lo + 1
    for number, line in enumerate(lines, 1):
        name = None
        if js:
            m = JS_FUNCTION.match(line) or JS_TOP_ASSIGN.match(line)
            if m: name = m.group("name") or "(anonymous function)"
            else:
                m = JS_NAMED_EXPR.search(line)
                if m: name = m.group("name")
                else:
                    m = JS_METHOD.match(line)
                    if m and m.group("name") not in JS_KEYWORDS and line.rstrip().endswith(("{", "(", ",")) \
                            and "=" not in line.split("(")[0]:
                        name = m.group("name")
            at = starts[number - 1] + (m.start("name") if m else 0)
        else:
            m = SWIFT_DECL.match(line)
            if m:
                name = m.group("func") or m.group("init") or m.group("deinit") or m.group("sub")
                at = starts[number - 1] + m.start(next(g for g in ("func", "init", "deinit", "sub") if m.group(g)))
        if not name: continue
        # The first significant character at or after the declaration keyword.
        k = at
        while k < len(text) and k not in pos: k += 1
        if k >= len(text): continue
        idx = pos[k]
        parens = 0
        body = None
        while idx < len(chars):
            k, c = chars[idx]
            if c in "([": parens += 1
            elif c in ")]": parens -= 1
            elif c == "{" and parens == 0:
                body = idx
                break
            elif c == ";" and parens == 0 and js:
                break
            elif c == "\n" and parens == 0:
                rest = text[k + 1:].lstrip()
                before = text[:k].rstrip()
                if not js and not rest.startswith(("->", "throws", "rethrows", "async", "where", "{", ">", ")")) \
                        and not before.endswith(("<", ",", "->", "&", ":")):
                    break
                if js and not rest.startswith(("{", "=>")) and not text[:k].rstrip().endswith(("=>", "(", ",")):
                    break
            idx += 1
        if body is None: continue
        depth = 0
        for k, c in chars[body:]:
            if c == "{": depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    yield number, name, line_of(k) - number + 1
                    break


offenders = []
for path in sys.stdin.read().split("\0"):
    if not path or any(path == e or path.startswith(e.rstrip("/") + "/") for e in EXCLUDE): continue
    with open(path, encoding="utf-8") as f: text = f.read()
    count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if count > FILE_BUDGET:
        offenders.append(f"{path}:1: file: {count} lines (budget {FILE_BUDGET})")
    for number, name, length in functions(path, text):
        if length > FUNCTION_BUDGET:
            offenders.append(f"{path}:{number}: {name}: {length} lines (budget {FUNCTION_BUDGET})")
if offenders:
    print("size budgets exceeded:", file=sys.stderr)
    for o in offenders: print("  " + o, file=sys.stderr)
    sys.exit(1)
print("size budgets hold: files <= %d lines, functions <= %d lines" % (FILE_BUDGET, FUNCTION_BUDGET))
'
