#!/usr/bin/env python3
"""Independent implementation of the secured formats, for interop tests.

Uses only hmac/hashlib (stdlib), PyYAML (key files) and `cryptography` (AES-CBC, Ed25519).
It shares no code with the Swift implementation: it reads SPEC sections 2-4 afresh.

  interop.py sign KEYFILE RECORD OUT          write RECORD signed (HMAC, v1) to OUT (line before closing ---)
  interop.py sign-ed25519 KEYFILE RECORD OUT  the same with an Ed25519 signature (the key's `sign`)
  interop.py verify KEYFILE RECORD            exit 0 if the signature (v1 or ed25519) verifies, 1 if not
  interop.py decrypt KEYFILE BLOB      print the plaintext as hex
  interop.py encrypt KEYFILE HEX       print a blob "B64(C);B64(IV)" of the plaintext
"""
import base64, hashlib, hmac, os, re, sys
import yaml
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def load_key(path):
    with open(path) as f:
        k = yaml.safe_load(f)
    sign = base64.b64decode(k["sign"], validate=True) if "sign" in k else None
    return k["id"], base64.b64decode(k["enc"], validate=True), base64.b64decode(k["mac"], validate=True), sign


def r_prime(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.splitlines(keepends=True)
    # The front matter runs from the first line to the next '---' line.
    out, in_fm, seen_open = [], False, False
    for line in lines:
        bare = line.rstrip(b"\r\n") if line.endswith(b"\n") else line
        if not seen_open:
            seen_open, in_fm = True, True
        elif in_fm and bare == b"---":
            in_fm = False
        elif in_fm and re.match(rb"signature:( |$)", bare):
            continue
        out.append(line)
    return b"".join(out).replace(b"\r\n", b"\n")


def tag(mac_key, data):
    return hmac.new(mac_key, b"secured-record-v1\n" + r_prime(data), hashlib.sha256).digest()


def main():
    cmd = sys.argv[1]
    kid, enc, mac, seed = load_key(sys.argv[2])
    if cmd in ("sign", "sign-ed25519"):
        data = open(sys.argv[3], "rb").read()
        if cmd == "sign":
            value = "v1;%s;%s" % (kid, base64.b64encode(tag(mac, data)).decode())
        else:
            s = Ed25519PrivateKey.from_private_bytes(seed).sign(b"secured-record-v1\n" + r_prime(data))
            value = "ed25519;%s;%s" % (kid, base64.b64encode(s).decode())
        nl = b"\r\n" if data.lstrip(b"\xef\xbb\xbf").startswith(b"---\r\n") else b"\n"
        head, sep, rest = data.partition(nl + b"---" + nl)
        if not sep:
            head, sep, rest = data.rpartition(nl + b"---")
        signed = head + nl + b'signature: "' + value.encode() + b'"' + sep + rest
        open(sys.argv[4], "wb").write(signed)
    elif cmd == "verify":
        data = open(sys.argv[3], "rb").read()
        m = re.search(rb'^signature: "(v1|ed25519);([^;]+);([A-Za-z0-9+/=]+)"\r?$', data, re.M)
        if not m or m.group(2).decode() != kid:
            sys.exit(1)
        sig = base64.b64decode(m.group(3))
        if m.group(1) == b"v1":
            sys.exit(0 if hmac.compare_digest(tag(mac, data), sig) else 1)
        try:
            Ed25519PrivateKey.from_private_bytes(seed).public_key().verify(sig, b"secured-record-v1\n" + r_prime(data))
        except InvalidSignature:
            sys.exit(1)
        sys.exit(0)
    elif cmd == "decrypt":
        ct_b64, iv_b64 = sys.argv[3].split(";")
        d = Cipher(algorithms.AES(enc), modes.CBC(base64.b64decode(iv_b64))).decryptor()
        padded = d.update(base64.b64decode(ct_b64)) + d.finalize()
        u = padding.PKCS7(128).unpadder()
        print((u.update(padded) + u.finalize()).hex())
    elif cmd == "encrypt":
        iv = os.urandom(16)
        p = padding.PKCS7(128).padder()
        padded = p.update(bytes.fromhex(sys.argv[3])) + p.finalize()
        e = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
        ct = e.update(padded) + e.finalize()
        print("%s;%s" % (base64.b64encode(ct).decode(), base64.b64encode(iv).decode()))


main()
