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
