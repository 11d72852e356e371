#!/usr/bin/env python3
"""Passphrase key files (SPEC 1.2 section 3, "Passphrase key files"), implemented afresh from
the spec with `cryptography`'s PBKDF2HMAC and AESGCM, for interop tests. It shares no code
with the Swift implementation.

  passphrase_interop.py unwrap FILE PASSPHRASE
      print the read-only key file inside ("id: <id>\\nenc: <B64>\\n"); exit 1 with
      "refused: <why>" on stderr when the file is refused
  passphrase_interop.py wrap KEYFILE LABEL PASSPHRASE ITERATIONS [crlf]
      print a passphrase key file of KEYFILE's id and enc (ITERATIONS as given, so a test can
      make a file that readers must refuse; writers use 600000)
"""
import base64, os, re, sys
import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

COMMENT = "untrusted comment: secured passphrase key "
AAD_PREFIX = b"secured-passphrase-key-v1\n"
MIN_ITERATIONS, MAX_ITERATIONS = 100_000, 10_000_000


def refuse(why):
    print("refused: " + why, file=sys.stderr)
    sys.exit(1)


def b64(text):
    """Canonical base64 only: decoding then encoding must give the text back."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if base64.b64encode(raw).decode() == text else None


def kek(passphrase, salt, iterations):
    # The passphrase's UTF-8 bytes exactly as given: no normalization, no trimming.
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(
        passphrase.encode("utf-8"))


def unwrap(path, passphrase):
    text = open(path, "rb").read().decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    if len(lines) != 3:
        refuse("not three lines")
    m = re.fullmatch(re.escape(COMMENT) + r"([A-Za-z0-9._-]{1,64}) ([A-Za-z0-9_-]{1,32})", lines[0])
    if not m:
        refuse("bad comment line")
    parts = lines[1].split(";")
    if len(parts) != 3 or parts[0] != "pbkdf2-sha256":
        refuse("unknown key derivation")
    if not re.fullmatch(r"[0-9]{1,18}", parts[1]):
        refuse("bad iteration count")
    iterations = int(parts[1])
    # Before deriving anything: a reader must not be made to spin.
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        refuse("iterations %d out of range" % iterations)
    salt = b64(parts[2])
    if salt is None or len(salt) != 16:
        refuse("bad salt")
    blob = b64(lines[2])
    if blob is None or len(blob) <= 12 + 16:
        refuse("bad wrapped key")
    aad = AAD_PREFIX + lines[0].encode() + b"\n" + lines[1].encode()
    try:
        inside = AESGCM(kek(passphrase, salt, iterations)).decrypt(blob[:12], blob[12:], aad)
    except InvalidTag:
        refuse("wrong passphrase or damaged file")
    k = re.fullmatch(rb"id: ([A-Za-z0-9._-]{1,64})\nenc: ([A-Za-z0-9+/=]+)\n", inside)
    if not k or k.group(1).decode() != m.group(1):
        refuse("the inside is not the read-only key file of the comment's id")
    enc = b64(k.group(2).decode())
    if enc is None or len(enc) not in (16, 24, 32):
        refuse("bad enc")
    sys.stdout.write(inside.decode())


def wrap(keyfile, label, passphrase, iterations, newline):
    with open(keyfile) as f:
        key = yaml.safe_load(f)
    enc = base64.b64decode(key["enc"], validate=True)
    if len(passphrase) < 12:  # Python counts code points: Unicode scalars
        refuse("passphrase shorter than 12 characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    line1 = COMMENT + key["id"] + " " + label
    line2 = "pbkdf2-sha256;%d;%s" % (iterations, base64.b64encode(salt).decode())
    inside = ("id: %s\nenc: %s\n" % (key["id"], base64.b64encode(enc).decode())).encode()
    aad = AAD_PREFIX + line1.encode() + b"\n" + line2.encode()
    sealed = AESGCM(kek(passphrase, salt, iterations)).encrypt(nonce, inside, aad)
    line3 = base64.b64encode(nonce + sealed).decode()
    sys.stdout.buffer.write((newline.join([line1, line2, line3]) + newline).encode())


if sys.argv[1] == "unwrap":
    unwrap(sys.argv[2], sys.argv[3])
elif sys.argv[1] == "wrap":
    wrap(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]),
         "\r\n" if len(sys.argv) > 6 and sys.argv[6] == "crlf" else "\n")
else:
    refuse("unknown command")
