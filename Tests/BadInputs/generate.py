#!/usr/bin/env python3
"""Writes the bad-input corpus into OUT_DIR, deterministically.

  generate.py OUT_DIR

Every file is made here, by rule, with Python's `cryptography` (an implementation
independent of the one under test): at least one file per SR code SR001-SR017 and the
nasty cases. OUT_DIR/expected.json gives, for each record, the codes that
`secured audit OUT_DIR --key OUT_DIR/keys --require-secured` must report ("default"), and
those with `--require-signature` added ("strict"). The key is OUT_DIR/keys/bad.key (key
files are not records, so the audit skips them). Not hand-edited: change this script.
"""
import base64, hashlib, hmac, json, os, random, sys
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

out = sys.argv[1]
rng = random.Random(6)
KEY = {"id": "bad", "enc": bytes(rng.randrange(256) for _ in range(32)), "mac": bytes(rng.randrange(256) for _ in range(32))}
OTHER = {"id": "stranger", "enc": bytes(rng.randrange(256) for _ in range(32)), "mac": bytes(rng.randrange(256) for _ in range(32))}
b64 = lambda b: base64.b64encode(b).decode()
expected = {}


def iv():
    return bytes(rng.randrange(256) for _ in range(16))


def encrypt(key, plaintext, nonce):
    p = padding.PKCS7(128).padder()
    e = Cipher(algorithms.AES(key["enc"]), modes.CBC(nonce)).encryptor()
    return e.update(p.update(plaintext) + p.finalize()) + e.finalize()


def padding_ok(key, ct, nonce):
    d = Cipher(algorithms.AES(key["enc"]), modes.CBC(nonce)).decryptor()
    u = padding.PKCS7(128).unpadder()
    try:
        u.update(d.update(ct) + d.finalize()) + u.finalize()
        return True
    except ValueError:
        return False


def sign(key, record):
    """SPEC section 4: insert the signature line after `secured`, or before the closing ---."""
    text = record.replace(b"\r\n", b"\n").removeprefix(b"\xef\xbb\xbf")
    tag = hmac.new(key["mac"], b"secured-record-v1\n" + text, hashlib.sha256).digest()
    line = b'signature: "v1;%s;%s"\n' % (key["id"].encode(), b64(tag).encode())
    lines = record.split(b"\n")
    for i, l in enumerate(lines):
        if l.startswith(b"secured:"):
            return b"\n".join(lines[: i + 1] + [line[:-1]] + lines[i + 1 :])
    head, sep, tail = record.partition(b"\n---\n")
    return head + b"\n" + line[:-1] + sep + tail


def sealed(front, body=b"\nsealed body text\n", key=KEY, nonce=None, signed=True):
    nonce = nonce or iv()
    blob = '%s;%s' % (b64(encrypt(key, body, nonce)), b64(nonce))
    record = b"---\n" + front + b'secured: "' + blob.encode() + b'"\n---\n\n'
    return sign(key, record) if signed else record


def put(name, data, default, signed=True):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    codes = sorted(default)
    strict = set(codes)
    if not signed and not strict & {"SR001", "SR002", "SR017"}:
        strict = (strict - {"SR012", "SR013"}) | {"SR008"}
    expected[name] = {"default": codes, "strict": sorted(strict)}


os.makedirs(os.path.join(out, "keys"), exist_ok=True)
with open(os.path.join(out, "keys", "bad.key"), "w") as f:
    f.write("# test key for the bad-input corpus\nid: bad\nenc: %s\nmac: %s\n" % (b64(KEY["enc"]), b64(KEY["mac"])))
os.chmod(os.path.join(out, "keys", "bad.key"), 0o600)
T = b"title: bad input\n"

put("good.md", sealed(T), [])
put("sr001-no-front-matter.md", b"no front matter here\n", ["SR001"], signed=False)
put("sr001-unterminated.md", b"---\ntitle: x\nbody without a closing line\n", ["SR001"], signed=False)
put("sr002-duplicate-key.md", sealed(b"title: a\ntitle: b\n"), ["SR002"])
put("sr002-duplicate-deep-in-related.md",
    sealed(T + b"related:\n  - title: one\n    url: https://e/1\n  - title: two\n    url: https://e/2\n    url: https://e/3\n"), ["SR002"])
put("sr002-secured-in-multiline-string.md",
    b"---\ntitle: t\nexcerpt: 'it begins\nsecured: \"QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoLDA0ODw==\"\n  and ends'\n---\n\n",
    ["SR002"], signed=False)
put("sr002-tab-indented.md", sealed(T + b"related:\n\t- title: tab\n"), ["SR002"])
put("sr002-merge-key.md", sealed(b"<<: {title: merged}\n"), ["SR002"])
put("sr003-no-secured.md", b"---\ntitle: plain\n---\nplain body\n", ["SR003"], signed=False)
put("sr004-comment-after-value.md",
    sign(KEY, b'---\ntitle: t\nsecured: "QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoLDA0ODw==" # note\n---\n\n'), ["SR004"])
split = sealed(T).replace(b'secured: "', b'secured: "QUFB\n  ', 1)
put("sr004-secured-split-over-two-lines.md", split, ["SR004", "SR011"])
put("sr005-non-canonical.md",
    sign(KEY, b'---\ntitle: t\nsecured: "QUFBQUFBQUFBQUFBQUFBQR==;AAECAwQFBgcICQoLDA0ODw=="\n---\n\n'), ["SR005"])
put("sr006-iv-length.md", sign(KEY, b'---\ntitle: t\nsecured: "QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoL"\n---\n\n'), ["SR006"])
put("sr007-ciphertext-length.md", sign(KEY, b'---\ntitle: t\nsecured: "QUFB;AAECAwQFBgcICQoLDA0ODw=="\n---\n\n'), ["SR007"])
put("sr008-unsigned.md", sealed(T, signed=False), [], signed=False)
put("sr009-unknown-version.md", sealed(T).replace(b'signature: "v1;', b'signature: "v2;'), ["SR009"])
put("sr010-unknown-key-id.md", sealed(T, key=OTHER), ["SR010"])
# SR011: one ciphertext bit flipped under a signature that looks valid; never decrypted.
good = sealed(T)
i = good.index(b'secured: "') + 12
flipped = good[:i] + (b"B" if good[i:i + 1] != b"B" else b"C") + good[i + 1:]
put("sr011-flipped-ciphertext-bit.md", flipped, ["SR011"])
# SR012: a blob under another key, unsigned, whose padding does not check out under ours.
while True:
    nonce = iv()
    ct = encrypt(OTHER, b"\nother key\n", nonce)
    if not padding_ok(KEY, ct, nonce):
        break
put("sr012-wrong-key-unsigned.md", b'---\ntitle: t\nsecured: "%s;%s"\n---\n\n' % (b64(ct).encode(), b64(nonce).encode()),
    ["SR012"], signed=False)
put("sr013-content-not-utf8.md", sealed(T, body=b"\xff\xfe not UTF-8\n"), ["SR013"])
shared_iv = iv()
put("sr014-iv-reuse-a.md", sealed(T, body=b"\none\n", nonce=shared_iv), ["SR014"])
put("sr014-iv-reuse-b.md", sealed(T, body=b"\ntwo, different\n", nonce=shared_iv), ["SR014"])
copy = sealed(T, body=b"\ncopied\n")
put("sr015-copy-a.md", copy, ["SR015"])
put("sr015-copy-b.md", copy, ["SR015"])
put("sr016-body-beside-sealed.md", sign(KEY, sealed(T, signed=False) + b"leaked plaintext\n"), ["SR016"])
put("sr017-front-matter-not-utf8.md", b"---\ntitle: \xc3\x28\n---\n", ["SR017"], signed=False)
put("sr017-body-not-utf8.md", b"---\ntitle: t\n---\n\xff\n", ["SR017"], signed=False)
put("sr017-twenty-megabytes.md", b"---\ntitle: big\n---\n" + b"x" * (20 * 1024 * 1024), ["SR017"], signed=False)
# The nasty ones.
put("nasty-empty.md", b"", ["SR001"], signed=False)
# Not UTF-8 is SR017 before any other check (SPEC 1.1 section 1), even with no front matter.
put("nasty-binary-junk.md", b"\x00\xff" + bytes(rng.randrange(256) for _ in range(4096)), ["SR017"], signed=False)
put("nasty-one-megabyte-line.md", sealed(b'title: "' + b"m" * (1024 * 1024) + b'"\n'), [])
crlf = b"\xef\xbb\xbf" + sealed(T + b"related:\n  - title: crlf\n").replace(b"\n", b"\r\n")
put("nasty-crlf-and-bom.md", crlf, [])
put("nasty-crlf-only.md", sealed(T).replace(b"\n", b"\r\n"), [])
put("nasty-signature-in-nested-mapping.md",
    sealed(T + b'meta:\n  signature: "v1;bad;AAAA"\n', signed=False), [], signed=False)
bomb = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"]
bomb += [b"a%d: &a%d [%s]\n" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 10)) for i in range(1, 10)]
put("nasty-alias-bomb-as-key.md", sealed(b"".join(bomb) + b"? *a9\n: key\n"), ["SR002"])
put("nasty-lone-cr.md", b"---\ntitle: x\r---\n", ["SR001"], signed=False)

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
