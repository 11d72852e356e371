#!/usr/bin/env python3
"""Fixtures the reader's suite runs besides the committed vectors, made fresh on each run:

  tool:    records the Swift tool seals now ($SECURED keygen, share --read-only, seal,
           seal --hmac), with front matters taken from ../shared/real-sample when present,
           and a passphrase key file it writes (share --passphrase --passphrase-file), with
           copies changed in each line;
  python:  records made by an independent implementation written here from SPEC sections
           2-4 with Python's `cryptography` (AES-CBC, HMAC-SHA256, pure Ed25519, key
           numbers, R'), keys included;
  passphrase (python): passphrase key files written from SPEC section 3 (pwfile.py), good
           and bad;
  blake2b: random inputs and their BLAKE2b-512 from Python's hashlib.

    python3 make_fixtures.py OUTDIR [SECURED]

Writes OUTDIR/fixtures.json: {"sets": [{"label", "cases"}]}, paths relative to OUTDIR, in
the format of Tests/Vectors/reader/cases.json.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import pwfile  # noqa: E402

OUT = Path(sys.argv[1]).resolve()
SECURED = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("SECURED", "secured")
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "real-sample"  # only ../shared beside the checkout
SEED = int(os.environ.get("READER_FIXTURE_SEED", random.randrange(1 << 30)))
rng = random.Random(SEED)

b64 = lambda b: base64.b64encode(b).decode()


def front_matters(limit):
    """Front-matter lines of real records, without their secured/signature lines."""
    out = []
    if SAMPLE.is_dir():
        for p in sorted(SAMPLE.rglob("*.md")):
            text = p.read_bytes().decode("utf-8")
            lines = text.replace("\r\n", "\n").split("\n")
            if lines[0] != "---" or "---" not in lines[1:]:
                continue
            end = lines.index("---", 1)
            fm = [l for l in lines[1:end] if not (l.startswith("secured:") or l.startswith("signature:"))]
            out.append(fm)
            if len(out) >= limit:
                break
    else:
        print(f"{SAMPLE} (../shared/real-sample beside the checkout) not found: generated front matters used instead", file=sys.stderr)
    while len(out) < limit:
        n = len(out)
        out.append([f'title: "Generated record {n}, ünïcode"', "topics:", "  - Security", f"quality: {n}"])
    return out


def body_text(n):
    words = ["privacy", "modèle", "données", "東京", "𝄞", "audit", "key", "ruling", "🔐", "camera"]
    paras = []
    for p in range(1 + n % 4):
        paras.append(" ".join(rng.choice(words) for _ in range(20 + 7 * p)) + ".")
    return "\n# Record " + str(n) + "\n\n" + "\n\n".join(paras) + "\n"


def record(fm, body, nl="\n", bom=False):
    text = nl.join(["---", *fm, "---"]) + nl + body.replace("\n", nl)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def ok(content, key_id, signature, warnings=()):
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {"sha256": hashlib.sha256(content).hexdigest(), "text": text, "keyId": key_id, "signature": signature,
            "warnings": list(warnings)}


def tool_set():
    d = OUT / "tool"
    d.mkdir(parents=True)

    def run(*args):
        r = subprocess.run([str(a) for a in args], capture_output=True)
        if r.returncode != 0:
            sys.exit(f"{' '.join(map(str, args))} failed:\n{r.stderr.decode()}")

    run(SECURED, "keygen", "--id", "tool-key", "--out", d / "tool-key.key")
    run(SECURED, "share", d / "tool-key.key", "--read-only", "--out", d / "tool-key.readonly.key")
    cases = []
    for n, fm in enumerate(front_matters(8)):
        body = body_text(n)
        nl = "\r\n" if n % 3 == 1 else "\n"
        name = f"tool-{n}.md"
        (d / name).write_bytes(record(fm, body, nl=nl, bom=(n % 4 == 2)))
        hmac_flag = ["--hmac"] if n % 4 == 3 else []
        run(SECURED, "seal", d / name, "--key", d / "tool-key.key", "--no-policy", *hmac_flag)
        keys = ["tool/tool-key.key"] if hmac_flag else ["tool/tool-key.readonly.key", "tool/tool-key.pub"]
        cases.append({"id": f"{name} ({'v1' if hmac_flag else 'ed25519'}{', CRLF' if nl != chr(10) else ''})",
                      "kind": "record", "record": f"tool/{name}", "keys": keys, "allowUnsigned": False,
                      "expect": ok(body.replace("\n", nl).encode(), "tool-key", "v1" if hmac_flag else "ed25519")})
        if n == 0:
            # The same record, changed after sealing: a byte of the title.
            data = (d / name).read_bytes()
            i = data.index(b"\n", 4) - 2
            changed = data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1:]
            (d / "tool-changed.md").write_bytes(changed)
            cases.append({"id": "tool-changed.md (one byte of the front matter)", "kind": "record",
                          "record": "tool/tool-changed.md", "keys": keys, "allowUnsigned": False,
                          "expect": {"code": "SR011"}})
    # A passphrase key file the tool writes (the passphrase from --passphrase-file), and the
    # same file changed: the reader unwraps the one and refuses the others.
    passphrase = "tool passphrase: caf\u00e9, \u6771\u4eac \U0001f510"
    (d / "passphrase.txt").write_text(passphrase + "\n")
    run(SECURED, "share", d / "tool-key.key", "--passphrase", "--label", "members", "--passphrase-file", d / "passphrase.txt",
        "--out", d / "tool-key.members.key.pw")
    good = (d / "tool-key.members.key.pw").read_text()
    enc_line = next(l for l in (d / "tool-key.readonly.key").read_text().splitlines() if l.startswith("enc: "))
    if pwfile.unwrap(good, passphrase).decode() != f"id: tool-key\n{enc_line}\n":
        sys.exit("the tool's passphrase key file does not hold the key's read-only part (id and enc)")
    (d / "pw").mkdir()
    cases += pwfile.cases(d / "pw", "tool/pw", "", "tool-key", passphrase, cases[0]["record"], "tool/tool-key.pub", good,
                          cases[0]["expect"])
    return {"label": "tool", "cases": cases}


# ---- an independent writer, from the SPEC

class Key:
    def __init__(self, kid, enc_len=32):
        self.id = kid
        self.enc = os.urandom(enc_len)
        self.mac = os.urandom(32)
        self.seed = os.urandom(32)
        priv = Ed25519PrivateKey.from_private_bytes(self.seed)
        self.priv = priv
        self.pk = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.kn = hashlib.sha256(b"secured-keynum-v1\n" + self.pk).digest()[:8]

    def write(self, d):
        (d / f"{self.id}.key").write_text(
            f"# made by make_fixtures.py\nid: {self.id}\nenc: {b64(self.enc)}\nmac: {b64(self.mac)}\nsign: {b64(self.seed)}\n")
        (d / f"{self.id}.readonly.key").write_text(f"id: {self.id}\nenc: {b64(self.enc)}\n")
        (d / f"{self.id}.pub").write_text(
            f"untrusted comment: secured public key {self.id}\n{b64(b'Ed' + self.kn + self.pk)}\n")


def aes_cbc(key, iv, data):
    padder = padding.PKCS7(128).padder()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(padder.update(data) + padder.finalize()) + enc.finalize()


def padding_ok(key, iv, ct):
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    try:
        unpadder = padding.PKCS7(128).unpadder()
        unpadder.update(dec.update(ct) + dec.finalize()) + unpadder.finalize()
        return True
    except ValueError:
        return False


def r_prime(data):
    """R': no BOM, CRLF as LF (the record has no signature line yet)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.replace(b"\r\n", b"\n")


def seal(fm, content, key, nl="\n", bom=False, sign=None):
    iv = os.urandom(16)
    blob = b64(aes_cbc(key.enc, iv, content)) + ";" + b64(iv)
    quote = rng.choice(['"', "'", ""])
    lines = [*fm, f"secured: {quote}{blob}{quote}"]
    data = (b"\xef\xbb\xbf" if bom else b"") + (nl.join(["---", *lines, "---"]) + nl + nl).encode()
    if sign is None:
        return data
    message = b"secured-record-v1\n" + r_prime(data)
    if sign == "ed25519":
        value = f"ed25519;{key.id};{b64(key.priv.sign(message))}"
    else:
        value = f"v1;{key.id};{b64(hmac.new(key.mac, message, hashlib.sha256).digest())}"
    # Directly after the secured line, in the record's own line terminator.
    marker = f"secured: {quote}{blob}{quote}{nl}".encode()
    return data.replace(marker, marker + f'signature: "{value}"{nl}'.encode(), 1)


def python_set():
    d = OUT / "python"
    d.mkdir(parents=True)
    alice = Key("py-alice")
    bob = Key("py.bob_2")
    short = Key("py-aes128", enc_len=16)
    for k in (alice, bob, short):
        k.write(d)
    cases = []

    def add(cid, data, keys, expect, allow=False):
        name = f"{len(cases):02d}.md"
        (d / name).write_bytes(data)
        cases.append({"id": f"{name} {cid}", "kind": "record", "record": f"python/{name}",
                      "keys": [f"python/{k}" for k in keys], "allowUnsigned": allow, "expect": expect})

    fms = front_matters(40)
    for n, fm in enumerate(fms[:24]):
        content = body_text(n).encode()
        nl = "\r\n" if n % 5 == 1 else "\n"
        bom = n % 7 == 3
        kind = ["ed25519", "v1", "ed25519", None][n % 4]
        key = [alice, bob, short][n % 3]
        data = seal(fm, content, key, nl=nl, bom=bom, sign=kind)
        tag = f"({kind or 'unsigned'}, key {key.id}{', CRLF' if nl != chr(10) else ''}{', BOM' if bom else ''})"
        if kind == "ed25519":
            keys = [f"{key.id}.readonly.key", f"{key.id}.pub"]
        elif kind == "v1":
            keys = [f"{key.id}.key"]
        else:
            # Each key with enc is tried in turn; a wrong key put first only when its padding
            # check fails here (it passes about once in 256 tries: not authentication).
            keys = [f"{key.id}.readonly.key"]
            iv, ct = (base64.b64decode(x) for x in data.split(b"secured: ")[1].split(b"\n")[0].strip(b"\r\"'").split(b";")[::-1])
            if key is not bob and not padding_ok(bob.enc, iv, ct):
                keys.insert(0, f"{bob.id}.readonly.key")
        add(tag, data, keys, ok(content, key.id, kind), allow=kind is None)
        if n % 6 == 0 and kind:
            # Changed after signing: one byte of the blob's ciphertext, or of the front matter.
            i = data.index(b"secured: ") + 20 if n % 12 == 0 else data.index(b"\n", 8) - 1
            flipped = data[:i] + (b"A" if data[i:i + 1] != b"A" else b"B") + data[i + 1:]
            add(f"{tag} changed", flipped, keys, {"code": "SR011"})
    # Content that is not UTF-8 (SR013): bytes back, text null.
    raw = os.urandom(40) + b"\xff"
    add("(ed25519, content not UTF-8)", seal(fms[30], raw, alice, sign="ed25519"),
        [f"{alice.id}.readonly.key", f"{alice.id}.pub"], ok(raw, alice.id, "ed25519", ["SR013"]))
    # Signed by one key, claiming another's id.
    forged = seal(fms[31], b"forged\n", bob, sign="ed25519").replace(f";{bob.id};".encode(), f";{alice.id};".encode())
    add("(ed25519 by bob, naming alice)", forged, [f"{alice.id}.readonly.key", f"{alice.id}.pub"], {"code": "SR011"})
    add("(signed, only the .pub given)", seal(fms[32], b"x\n", alice, sign="ed25519"), [f"{alice.id}.pub"],
        {"code": "NO_DECRYPTION_KEY"})
    add("(unsigned, not allowed)", seal(fms[33], b"x\n", alice), [f"{alice.id}.readonly.key"], {"code": "SR008"})
    return {"label": "python", "cases": cases}


def passphrase_set():
    """Passphrase key files written here from SPEC section 3 (pwfile.py: cryptography's
    PBKDF2HMAC and AESGCM), unwrapped by the reader; bad ones refused."""
    d = OUT / "passphrase"
    d.mkdir(parents=True)
    key = Key("pw-reader")
    key.write(d)
    passphrase = "corr\u00e8ct horse battery staple \U0001f510"
    content = body_text(99).encode()
    (d / "record.md").write_bytes(seal(front_matters(1)[0], content, key, sign="ed25519"))
    record, pub = "passphrase/record.md", f"passphrase/{key.id}.pub"
    good = pwfile.wrap(key.id, "members", key.enc, passphrase)
    cases = pwfile.cases(d, "passphrase", "python ", key.id, passphrase, record, pub, good, ok(content, key.id, "ed25519"))
    extra = []

    def add(cid, text, expect, given=passphrase):
        name = f"x{len(extra):02d}.key.pw"
        (d / name).write_text(text, newline="")
        extra.append({"id": f"python {name} {cid}", "kind": "passphrase", "keyFile": f"passphrase/{name}", "passphrase": given,
                      "record": record, "keys": [pub], "expect": expect})

    opened = {**ok(content, key.id, "ed25519"), "label": "members"}
    add("(CRLF, BOM, 100,000 iterations: the fewest taken)", "\ufeff" + pwfile.wrap(key.id, "members", key.enc, passphrase, 100_000, newline="\r\n"), opened)
    add("(no final line terminator)", pwfile.wrap(key.id, "members", key.enc, passphrase, 100_000).rstrip("\n"), opened)
    add("(1,000 iterations, properly wrapped: still refused, before deriving)",
        pwfile.wrap(key.id, "members", key.enc, passphrase, 1_000), {"code": "KEY", "message": "out of range", "derives": False})
    damaged = {"code": "KEY", "message": "wrong passphrase or damaged file", "derives": True}
    add("(wrapped key names another id)", pwfile.wrap(key.id, "members", key.enc, passphrase, 100_000,
        plaintext=f"id: other\nenc: {b64(key.enc)}\n".encode()), damaged)
    add("(wrapped key holds mac too)", pwfile.wrap(key.id, "members", key.enc, passphrase, 100_000,
        plaintext=f"id: {key.id}\nenc: {b64(key.enc)}\nmac: {b64(key.mac)}\n".encode()), damaged)
    add("(wrapped key of 20 bytes)", pwfile.wrap(key.id, "members", key.enc, passphrase, 100_000,
        plaintext=f"id: {key.id}\nenc: {b64(os.urandom(20))}\n".encode()), damaged)
    add("(an ASCII passphrase of 12 characters)", pwfile.wrap(key.id, "members", key.enc, "twelve chars", 100_000), opened,
        given="twelve chars")
    # The writer's own reader agrees on the good file (a check of the writer, not of ours).
    assert pwfile.unwrap(good, passphrase) == f"id: {key.id}\nenc: {b64(key.enc)}\n".encode()
    return {"label": "passphrase (python)", "cases": cases + extra}


def blake2b_set():
    d = OUT / "blake2b"
    d.mkdir(parents=True)
    cases = []
    lengths = [0, 1, 3, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4096, 100_000]
    lengths += [rng.randrange(1, 20_000) for _ in range(10)]
    for n, length in enumerate(lengths):
        data = rng.randbytes(length)
        (d / f"{n:02d}.bin").write_bytes(data)
        cases.append({"id": f"random input of {length} bytes", "kind": "blake2b", "input": f"blake2b/{n:02d}.bin",
                      "expect": hashlib.blake2b(data, digest_size=64).hexdigest()})
    return {"label": "blake2b (hashlib)", "cases": cases}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    sets = [tool_set(), python_set(), passphrase_set(), blake2b_set()]
    (OUT / "fixtures.json").write_text(json.dumps({"seed": SEED, "sets": sets}, indent=1, ensure_ascii=False))
    print(f"fixtures in {OUT} (seed {SEED}): " + ", ".join(f"{s['label']} {len(s['cases'])}" for s in sets))


if __name__ == "__main__":
    main()
