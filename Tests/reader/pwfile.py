"""An independent writer and reader of passphrase key files (SPEC 1.2 section 3), written
from the spec with Python's `cryptography` (PBKDF2HMAC, AESGCM), not from this project's
code: the reader's tests check that what it writes unwraps, and that what it refuses is
refused by the JavaScript reader too.

    untrusted comment: secured passphrase key <id> <label>
    pbkdf2-sha256;<iterations>;<B64(salt)>
    <B64(nonce || ciphertext || tag)>

KEK = PBKDF2-HMAC-SHA256(UTF-8 of the passphrase, salt, iterations, 32);
ciphertext || tag = AES-256-GCM(KEK, nonce, "id: <id>\\nenc: <B64>\\n",
AAD = "secured-passphrase-key-v1\\n" || line 1 || "\\n" || line 2).
"""

import base64
import os
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

AAD_PREFIX = b"secured-passphrase-key-v1\n"
b64 = lambda b: base64.b64encode(b).decode()


def kek(passphrase, salt, iterations):
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(
        passphrase.encode("utf-8"))


def wrap(key_id, label, enc, passphrase, iterations=600_000, *, plaintext=None, newline="\n", salt=None, nonce=None):
    """The file's text. `plaintext` replaces the wrapped key file (to make bad files)."""
    salt = salt or os.urandom(16)
    nonce = nonce or os.urandom(12)
    line1 = f"untrusted comment: secured passphrase key {key_id} {label}"
    line2 = f"pbkdf2-sha256;{iterations};{b64(salt)}"
    p = plaintext if plaintext is not None else f"id: {key_id}\nenc: {b64(enc)}\n".encode()
    aad = AAD_PREFIX + line1.encode() + b"\n" + line2.encode()
    sealed = AESGCM(kek(passphrase, salt, iterations)).encrypt(nonce, p, aad)
    return newline.join([line1, line2, b64(nonce + sealed)]) + newline


def unwrap(text, passphrase):
    """The read-only key file inside (bytes), or raises ValueError."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(lines) != 3 or not lines[0].startswith("untrusted comment: secured passphrase key "):
        raise ValueError("malformed")
    kdf, count, salt = lines[1].split(";")
    if kdf != "pbkdf2-sha256" or not 100_000 <= int(count) <= 10_000_000:
        raise ValueError("count out of range")
    blob = base64.b64decode(lines[2], validate=True)
    aad = AAD_PREFIX + lines[0].encode() + b"\n" + lines[1].encode()
    return AESGCM(kek(passphrase, base64.b64decode(salt), int(count))).decrypt(blob[:12], blob[12:], aad)


def change_char(line, index):
    """`line` with the base64 character at `index` replaced by another of the alphabet."""
    c = line[index]
    return line[:index] + ("B" if c != "B" else "C") + line[index + 1:]


def cases(d, rel, prefix, key_id, passphrase, record, pub, good, opened, measure=True):
    """Cases (in the format of Tests/Vectors/reader/cases.json, kind "passphrase") for the
    passphrase key file `good` (text, written for `key_id` with `passphrase`, label
    "members"), and files changed from it written in folder `d` (`rel` from the cases' base):
    one character of each line, counts out of range, wrong passphrases. `record`, opened with
    the unwrapped key and `pub`, must give `opened` (the content's expectation): it proves the
    unwrapped key is the right one. With `measure`, the suite prints how long unwrapping
    `good` takes."""
    cases = []
    # A failure: its code, the 1-based line and the field blamed (None: none), a part of its message.
    unwrap_failure = {"code": "KEY", "line": None, "field": None, "message": "wrong passphrase or damaged file", "derives": True}

    def add(cid, text, expect, given=passphrase, measure=False):
        name = f"{len(cases):02d}.key.pw"
        (d / name).write_bytes(text.encode() if isinstance(text, str) else text)
        case = {"id": f"{prefix}{name} {cid}", "kind": "passphrase", "keyFile": f"{rel}/{name}", "passphrase": given,
                "record": record, "keys": [pub], "expect": expect}
        if measure:
            case["measure"] = True
        cases.append(case)

    add("(as written)", good, {**opened, "label": "members"}, measure=measure)
    lines = good.split("\n")[:3]
    changed = lambda i, line: "\n".join(lines[:i] + [line] + lines[i + 1:]) + "\n"
    add("(line 1 changed: the label)", changed(0, lines[0].replace(" members", " membors")), unwrap_failure)
    add("(line 1 changed: the key id)", changed(0, lines[0].replace(f" {key_id} ", f" {key_id[:-1]}{'x' if key_id[-1] != 'x' else 'y'} ")), unwrap_failure)
    kdf, count, salt = lines[1].split(";")
    add("(line 2 changed: the salt)", changed(1, ";".join([kdf, count, change_char(salt, 3)])), unwrap_failure)
    add("(line 2 changed: the count, still in range)", changed(1, ";".join([kdf, str(int(count) + 1), salt])), unwrap_failure)
    blob = lines[2]
    add("(line 3 changed: the nonce)", changed(2, change_char(blob, 1)), unwrap_failure)
    add("(line 3 changed: the ciphertext)", changed(2, change_char(blob, 30)), unwrap_failure)
    add("(line 3 changed: the tag)", changed(2, change_char(blob, len(blob.rstrip("=")) - 6)), unwrap_failure)
    add("(wrong passphrase: one character less)", good, unwrap_failure, given=passphrase[:-1])
    add("(wrong passphrase: a trailing space, not trimmed)", good, unwrap_failure, given=passphrase + " ")
    add("(wrong passphrase: decomposed, not normalized)", good, unwrap_failure, given=unicodedata.normalize("NFD", passphrase))
    refused = lambda why, line: {"code": "KEY", "line": line, "field": None, "message": why, "derives": False}
    add("(no passphrase given)", good, refused("needs the passphrase", None), given=None)
    for n in (1_000, 99_999, 10_000_001, 2_000_000_000, 10**30):
        add(f"(count {n:,}: refused before deriving)", changed(1, ";".join([kdf, str(n), salt])), refused("out of range", 2))
    add("(count with a leading zero)", changed(1, ";".join([kdf, "0" + count, salt])), refused("leading zeros", 2))
    add("(unknown key derivation)", changed(1, ";".join(["scrypt", count, salt])), refused("unknown key derivation", 2))
    add("(salt of 15 bytes)", changed(1, ";".join([kdf, count, b64(os.urandom(15))])), refused("expected 16", 2))
    add("(four lines)", good + "more\n", refused("three lines", 4))
    add("(a carriage return inside a line)", good.replace("\n", "\r\r\n", 1), refused("carriage return", 1))
    return cases
