#!/usr/bin/env python3
"""Writes the reader's passphrase key file vectors (SPEC 1.2 section 3) in this folder.

Run once, by hand, and commit the result; tests never regenerate them:

    python3 Tests/Vectors/reader/passphrase/generate.py

The read-only key inside is the vector key's (`../keys/vec.readonly.key`), so the file
unwrapped with its passphrase opens `../records/ed25519.md` beside `../keys/vec.pub` (the
content's SHA-256 is the one `../cases.json` gives that record). `python/` holds a file
written by an implementation written from the spec with Python's `cryptography`
(`Tests/reader/pwfile.py`), and files changed from it: one character of each line, counts
out of range, wrong passphrases, each with its expected outcome in cases.json (same format
as `../cases.json`, kind "passphrase": keyFile, passphrase, record, keys, expect).
"""

import base64
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent
sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(VECTORS.parents[1] / "reader"))
import pwfile  # noqa: E402

PASSPHRASE = "vector passphrase: caf\u00e9, \u6771\u4eac"


def enc_of(path):
    for line in path.read_text().splitlines():
        if line.startswith("enc: "):
            return base64.b64decode(line[5:], validate=True)
    sys.exit(f"{path}: no enc")


def expectation(record_path):
    for c in json.loads((VECTORS / "cases.json").read_text())["cases"]:
        if c.get("record") == record_path and c["expect"].get("sha256") and c["keys"] == ["keys/vec.readonly.key", "keys/vec.pub"]:
            return {k: c["expect"][k] for k in ("sha256", "text", "keyId", "signature", "warnings")}
    sys.exit(f"no case of {record_path} opened with the read-only vector key")


def main():
    record, pub = "records/ed25519.md", "keys/vec.pub"
    opened = expectation(record)
    enc = enc_of(VECTORS / "keys/vec.readonly.key")
    out = HERE / "python"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    good = pwfile.wrap("vec", "members", enc, PASSPHRASE)
    cases = pwfile.cases(out, "passphrase/python", "python: ", "vec", PASSPHRASE, record, pub, good, opened)
    (HERE / "cases.json").write_text(json.dumps({"version": 1, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases in {HERE / 'cases.json'}")


if __name__ == "__main__":
    main()
