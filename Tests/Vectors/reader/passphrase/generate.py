#!/usr/bin/env python3
"""Writes the reader's passphrase key file vectors (SPEC 1.2 section 3) in this folder.

Run once, by hand, and commit the result; tests never regenerate them:

    python3 Tests/Vectors/reader/passphrase/generate.py /path/to/secured

The read-only key inside is the vector key's (`../keys/vec.readonly.key`), so the file
unwrapped with its passphrase opens `../records/ed25519.md` beside `../keys/vec.pub` (the
content's SHA-256 is the one `../cases.json` gives that record). `tool/` holds a file the
`secured` tool writes (`secured share ../keys/vec.key --passphrase --label members
--passphrase-file ...`), `python/` one written by an implementation written from the spec
with Python's `cryptography` (`Tests/reader/pwfile.py`); beside each, files changed from it:
one character of each line, counts out of range, wrong passphrases, each with its expected
outcome in cases.json (same format as `../cases.json`, kind "passphrase": keyFile,
passphrase, record, keys, expect).
"""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent
sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(VECTORS.parents[1] / "reader"))
import pwfile  # noqa: E402

SECURED = sys.argv[1] if len(sys.argv) > 1 else "secured"
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
    cases = []
    for writer in ("tool", "python"):
        out = HERE / writer
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        if writer == "tool":
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "passphrase.txt").write_text(PASSPHRASE + "\n")
                written = Path(tmp) / "vec.members.key.pw"
                subprocess.run([SECURED, "share", VECTORS / "keys/vec.key", "--passphrase", "--label", "members",
                                "--passphrase-file", Path(tmp) / "passphrase.txt", "--out", written], check=True)
                good = written.read_text()
        else:
            good = pwfile.wrap("vec", "members", enc, PASSPHRASE)
        if pwfile.unwrap(good, PASSPHRASE) != f"id: vec\nenc: {base64.b64encode(enc).decode()}\n".encode():
            sys.exit(f"the {writer}'s file does not hold the vector key's read-only part")
        cases += pwfile.cases(out, f"passphrase/{writer}", f"{writer}: ", "vec", PASSPHRASE, record, pub, good, opened,
                              measure=False)
    (HERE / "cases.json").write_text(json.dumps({"version": 1, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases in {HERE / 'cases.json'}")


if __name__ == "__main__":
    main()
