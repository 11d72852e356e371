#!/usr/bin/env python3
"""Writes the reader conformance vectors (SPEC 1.2 section 9) in this folder.

Run once, by hand, and commit the result; tests never regenerate them:

    python3 Tests/Vectors/reader/generate.py /path/to/secured

Every key, seal, signature and manifest is made by the `secured` tool (keygen, seal, sign,
share --read-only, manifest build); the bad cases are hand edits of those bytes, made here.
Two things the tool cannot make are made here with Python's `cryptography` and then signed
by the tool: a blob whose content is not UTF-8 (SR013) and a signed blob with bad padding
(SR012). A second manifest is signed by minisign itself (`minisign -S`, prehashed and
legacy), when minisign is installed.

cases.json lists every case: the record (or manifest), the key files given to the reader,
allowUnsigned, and the expected outcome: a failure, {"code": "SR0xx" | "NO_DECRYPTION_KEY" |
"KEY", "line": the 1-based line blamed (of the record, key file or manifest) or null, "field":
the field blamed or null}, or the content's SHA-256, its text (null when not UTF-8), keyId,
signature and warnings (README.md describes every field). The lines and fields are the Swift
library's, which the JavaScript reader matches.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = Path(__file__).resolve().parent
SECURED = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SECURED", "secured")


def run(*args, cwd=None, check=True):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True)
    if check and result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{result.stderr.decode()}")
    return result


def secured(*args, check=True):
    return run(SECURED, *args, check=check)


def key_fields(path):
    fields = {}
    for line in Path(path).read_text().splitlines():
        if ":" in line and not line.startswith("#"):
            name, value = line.split(":", 1)
            fields[name.strip()] = value.strip()
    return fields


def aes_cbc(key, iv, data):
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(padded) + enc.finalize()


def padding_ok(key, iv, ct):
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = dec.update(ct) + dec.finalize()
    try:
        unpadder = padding.PKCS7(128).unpadder()
        unpadder.update(padded) + unpadder.finalize()
        return True
    except ValueError:
        return False


FRONT = """---
category: news
title: "Vector record: café, naïve, 東京"
excerpt: "A record with non-ASCII text in its front matter."
publishedDateTime: 2026-04-22T06:00:00Z
provider:
  name: Example Wire
  domain: example.org
topics:
  - Security
  - "Privacy"
---
"""

BODY = "\n# Vector record\n\nPlain text of the article, with é and ü and 日本語.\n\nA second paragraph.\n"
NON_BMP_BODY = "\n# Beyond the BMP\n\nMusic 𝄞, emoji 🔐🗝️, math 𝔸𝔹ℂ, and a flag 🇪🇺.\n"


def main():
    for sub in ("keys", "records", "manifests"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
        (HERE / sub).mkdir()
    keys = HERE / "keys"
    records = HERE / "records"
    work = Path(tempfile.mkdtemp(prefix="reader-vectors-"))

    # Keys, all made by the tool.
    for kid in ("vec", "other"):
        secured("keygen", "--id", kid, "--out", keys / f"{kid}.key")
    secured("keygen", "--id", "legacy", "--out", work / "legacy.key")
    secured("share", keys / "vec.key", "--read-only", "--out", keys / "vec.readonly.key")
    secured("share", keys / "other.key", "--read-only", "--out", keys / "other.readonly.key")
    # A legacy key (enc only) is what --read-only writes.
    secured("share", work / "legacy.key", "--read-only", "--out", keys / "legacy.key")
    # Keys a reader must refuse (code KEY): hand edits of the tool's files.
    vec = key_fields(keys / "vec.key")
    (keys / "bad-enc-length.key").write_text(f"id: vec\nenc: {base64.b64encode(b'x' * 20).decode()}\n")
    (keys / "bad-enc-equals-mac.key").write_text(f"id: vec\nenc: {vec['enc']}\nmac: {vec['enc']}\n")
    (keys / "bad-unknown-field.key").write_text(f"id: vec\nenc: {vec['enc']}\npassword: hunter2\n")
    pub_lines = (keys / "other.pub").read_text().splitlines()
    (keys / "mismatch-vec.pub").write_text(f"untrusted comment: secured public key vec\n{pub_lines[1]}\n")
    (keys / "bad-pub-length.pub").write_text("untrusted comment: secured public key vec\n" + base64.b64encode(b"Ed" + b"\0" * 30).decode() + "\n")
    for p in keys.iterdir():
        p.chmod(0o644 if p.suffix == ".pub" else 0o600)

    cases = []

    def case(cid, record, key_files, expect, allow_unsigned=False, note=""):
        cases.append({
            "id": cid,
            "kind": "record",
            "record": f"records/{record}",
            "keys": [f"keys/{k}" for k in key_files],
            "allowUnsigned": allow_unsigned,
            "expect": expect,
            "note": note,
        })

    def err(code, line, field):
        """A failure: its code, and the 1-based line and the field it blames (None: none)."""
        return {"code": code, "line": line, "field": field}

    def ok(content, key_id, signature, warnings=()):
        text = None
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        return {"sha256": hashlib.sha256(content).hexdigest(), "text": text, "keyId": key_id,
                "signature": signature, "warnings": list(warnings)}

    def seal(name, text_bytes, key, *flags):
        path = records / name
        path.write_bytes(text_bytes)
        secured("seal", path, "--key", keys / key, "--no-policy", *flags)
        return path.read_bytes()

    def variant(name, data):
        (records / name).write_bytes(data)
        return data

    def sign(name, key="vec.key", *flags):
        secured("sign", records / name, "--key", keys / key, "--no-policy", *flags)
        return (records / name).read_bytes()

    plain = (FRONT + BODY).encode()
    body = BODY.encode()
    ro = ["vec.readonly.key", "vec.pub"]

    # Good records.
    ed = seal("ed25519.md", plain, "vec.key")
    case("ed25519-readonly-and-pub", "ed25519.md", ro, ok(body, "vec", "ed25519"), note="read-only key beside its .pub: one key")
    case("ed25519-pub-then-readonly", "ed25519.md", ["vec.pub", "vec.readonly.key"], ok(body, "vec", "ed25519"))
    case("ed25519-secret-key", "ed25519.md", ["vec.key"], ok(body, "vec", "ed25519"))
    case("ed25519-secret-and-pub", "ed25519.md", ["vec.key", "vec.pub"], ok(body, "vec", "ed25519"))
    case("ed25519-among-other-keys", "ed25519.md", ["other.readonly.key", "other.pub", "vec.readonly.key", "vec.pub"],
         ok(body, "vec", "ed25519"))
    seal("hmac.md", plain, "vec.key", "--hmac")
    case("v1-hmac-secret-key", "hmac.md", ["vec.key"], ok(body, "vec", "v1"))
    crlf_plain = plain.replace(b"\n", b"\r\n")
    seal("crlf.md", crlf_plain, "vec.key")
    case("crlf-sealed", "crlf.md", ro, ok(body.replace(b"\n", b"\r\n"), "vec", "ed25519"), note="record written with CRLF, sealed as such")
    variant("crlf-converted.md", ed.replace(b"\n", b"\r\n"))
    case("crlf-after-signing", "crlf-converted.md", ro, ok(body, "vec", "ed25519"), note="autocrlf after signing: R' turns CRLF back into LF")
    seal("bom.md", b"\xef\xbb\xbf" + plain, "vec.key")
    case("bom-sealed", "bom.md", ro, ok(body, "vec", "ed25519"))
    variant("bom-added.md", b"\xef\xbb\xbf" + ed)
    case("bom-added-after-signing", "bom-added.md", ro, ok(body, "vec", "ed25519"))
    seal("nonbmp.md", (FRONT.replace("東京", "𝄞🔐") + NON_BMP_BODY).encode(), "vec.key")
    case("non-bmp-text", "nonbmp.md", ro, ok(NON_BMP_BODY.encode(), "vec", "ed25519"))
    seal("legacy.md", plain, "legacy.key")
    case("unsigned-legacy-allowed", "legacy.md", ["legacy.key"], ok(body, "legacy", None), allow_unsigned=True)
    case("unsigned-legacy-second-key", "legacy.md", ["vec.readonly.key", "legacy.key"], ok(body, "legacy", None), allow_unsigned=True,
         note="each key with enc is tried in turn")
    lines = ed.split(b"\n")
    sig_index = next(i for i, l in enumerate(lines) if l.startswith(b"signature:"))
    sig_line = lines.pop(sig_index)
    lines.insert(1, sig_line)  # directly after the opening '---'

    variant("signature-moved.md", b"\n".join(lines))
    case("signature-line-moved", "signature-moved.md", ro, ok(body, "vec", "ed25519"), note="moving the signature line keeps it valid")
    quoted = ed.replace(b'secured: "', b"secured: '").replace(b'=="\n', b"=='\n", 1)
    variant("single-quotes.md", quoted)
    sign("single-quotes.md")
    case("single-quoted-secured", "single-quotes.md", ro, ok(body, "vec", "ed25519"))
    # Content that is not UTF-8: the blob made here with the key's enc, signed by the tool.
    enc = base64.b64decode(vec["enc"])
    raw = b"\nnot UTF-8: \xff\xfe\xc3\x28 end\n"
    iv = bytes(range(16))
    blob = base64.b64encode(aes_cbc(enc, iv, raw)).decode() + ";" + base64.b64encode(iv).decode()
    variant("not-utf8-content.md", (FRONT[:-4] + f'secured: "{blob}"\n---\n\n').encode())
    sign("not-utf8-content.md")
    case("content-not-utf8", "not-utf8-content.md", ro, ok(raw, "vec", "ed25519", ["SR013"]), note="returned as bytes, text null, warning SR013")

    # Bad records: one case or more for every code a reader can return.
    variant("sr017-not-utf8.md", ed.replace(b"caf\xc3\xa9", b"caf\xe9", 1))
    case("SR017-not-utf8", "sr017-not-utf8.md", ro, err("SR017", 3, None))
    variant("sr001-no-front-matter.md", b"# Just a title\n\n" + body)
    case("SR001-no-front-matter", "sr001-no-front-matter.md", ro, err("SR001", 1, None))
    closing_at = ed.index(b"\n---\n", 4)
    variant("sr001-unterminated.md", ed[:closing_at + 1])
    case("SR001-not-terminated", "sr001-unterminated.md", ro, err("SR001", 1, None))
    secured_line = next(l for l in ed.split(b"\n") if l.startswith(b"secured:"))
    variant("sr002-two-secured.md", ed.replace(b"category: news\n", b"category: news\n" + secured_line + b"\n", 1))
    case("SR002-second-secured-line", "sr002-two-secured.md", ro, err("SR002", 13, "secured"))
    variant("sr003-no-secured.md", plain)
    sign("sr003-no-secured.md")
    case("SR003-no-secured", "sr003-no-secured.md", ro, err("SR003", None, "secured"), note="signed, but nothing sealed")
    variant("sr004-comment.md", ed.replace(secured_line, secured_line + b" # note", 1))
    case("SR004-comment-after-value", "sr004-comment.md", ro, err("SR004", 12, "secured"))
    half = len(secured_line) // 2
    variant("sr004-continued.md", ed.replace(secured_line, secured_line[:half] + b"\n  " + secured_line[half:], 1))
    case("SR004-continuation-line", "sr004-continued.md", ro, err("SR004", 12, "secured"))
    variant("sr004-two-semicolons.md", ed.replace(secured_line, secured_line[:-1] + b';AAAA"', 1))
    case("SR004-two-semicolons", "sr004-two-semicolons.md", ro, err("SR004", 12, "secured"))
    value = secured_line[len(b'secured: "'):-1]
    ct_b64, iv_b64 = value.split(b";")
    # IV of 16 bytes ends in '==': the last character before them carries 4 unused bits.
    last = iv_b64[-3:-2]
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    noncanon = bytes([alphabet[(alphabet.index(last) & ~0x0F) | 0x01]])
    variant("sr005-noncanonical.md", ed.replace(iv_b64, iv_b64[:-3] + noncanon + b"==", 1))
    case("SR005-noncanonical-iv", "sr005-noncanonical.md", ro, err("SR005", 12, "secured"))
    variant("sr006-iv-12-bytes.md", ed.replace(iv_b64, base64.b64encode(b"\1" * 12), 1))
    case("SR006-iv-length", "sr006-iv-12-bytes.md", ro, err("SR006", 12, "secured"))
    variant("sr007-ciphertext-length.md", ed.replace(ct_b64, base64.b64encode(base64.b64decode(ct_b64)[:-1]), 1))
    case("SR007-ciphertext-length", "sr007-ciphertext-length.md", ro, err("SR007", 12, "secured"))
    case("SR008-unsigned-not-allowed", "legacy.md", ["legacy.key"], err("SR008", 12, "signature"))
    sig_value = sig_line[len(b'signature: "'):-1]
    variant("sr009-unknown-version.md", ed.replace(b'"ed25519;', b'"ed448;', 1))
    case("SR009-unknown-version", "sr009-unknown-version.md", ro, err("SR009", 13, "signature"))
    variant("sr009-two-signatures.md", ed.replace(b"category: news\n", b"category: news\n" + sig_line + b"\n", 1))
    case("SR009-second-signature-line", "sr009-two-signatures.md", ro, err("SR009", 14, "signature"))
    short = base64.b64encode(base64.b64decode(sig_value.split(b";")[2])[:32])
    variant("sr009-short-signature.md", ed.replace(sig_value.split(b";")[2], short, 1))
    case("SR009-ed25519-of-32-bytes", "sr009-short-signature.md", ro, err("SR009", 13, "signature"))
    case("SR010-other-key-only", "ed25519.md", ["other.readonly.key", "other.pub"], err("SR010", 13, "signature"))
    case("SR010-readonly-without-pub", "ed25519.md", ["vec.readonly.key"], err("SR010", 13, "signature"), note="a read-only key cannot verify")
    case("SR010-v1-with-pub-only", "hmac.md", ["vec.pub"], err("SR010", 13, "signature"), note="HMAC needs the secret key's mac")
    case("SR010-v1-with-readonly", "hmac.md", ro, err("SR010", 13, "signature"))
    case("SR010-no-keys", "ed25519.md", [], err("SR010", 13, "signature"))
    variant("sr011-title-changed.md", ed.replace(b"Vector record:", b"Vector record;", 1))
    case("SR011-title-changed", "sr011-title-changed.md", ro, err("SR011", 13, "signature"))
    ct = bytearray(base64.b64decode(ct_b64))
    ct[5] ^= 0x01
    variant("sr011-ciphertext-changed.md", ed.replace(ct_b64, base64.b64encode(bytes(ct)), 1))
    case("SR011-ciphertext-changed", "sr011-ciphertext-changed.md", ro, err("SR011", 13, "signature"), note="never decrypted: no padding oracle")
    case("SR011-wrong-public-key", "ed25519.md", ["vec.readonly.key", "mismatch-vec.pub"], err("SR011", 13, "signature"),
         note="a .pub named vec holding another key")
    hm = (records / "hmac.md").read_bytes()
    variant("sr011-hmac-body-changed.md", hm + b"extra\n")
    case("SR011-v1-body-changed", "sr011-hmac-body-changed.md", ["vec.key"], err("SR011", 13, "signature"))
    # SR012: a signed blob whose padding fails (made here, signed by the tool).
    for n in range(256):
        bad_ct = hashlib.sha256(b"bad padding %d" % n).digest()
        if not padding_ok(enc, iv, bad_ct):
            break
    bad_blob = base64.b64encode(bad_ct).decode() + ";" + base64.b64encode(iv).decode()
    variant("sr012-bad-padding.md", ed.replace(secured_line, b'secured: "' + bad_blob.encode() + b'"', 1))
    sign("sr012-bad-padding.md")
    case("SR012-signed-bad-padding", "sr012-bad-padding.md", ro, err("SR012", 12, "secured"))
    legacy_bytes = (records / "legacy.md").read_bytes()
    lv = next(l for l in legacy_bytes.split(b"\n") if l.startswith(b"secured:"))[len(b'secured: "'):-1]
    lct, liv = (base64.b64decode(x) for x in lv.split(b";"))
    assert not padding_ok(enc, liv, lct), "the vec key happens to pass the legacy record's padding: run again"
    case("SR012-unsigned-wrong-key", "legacy.md", ["vec.readonly.key"], err("SR012", 12, "secured"), allow_unsigned=True)
    case("NO_DECRYPTION_KEY-pub-only", "ed25519.md", ["vec.pub"], err("NO_DECRYPTION_KEY", 12, "secured"))
    case("NO_DECRYPTION_KEY-other-readonly", "ed25519.md", ["other.readonly.key", "vec.pub"], err("NO_DECRYPTION_KEY", 12, "secured"))
    case("KEY-enc-length", "ed25519.md", ["bad-enc-length.key", "vec.pub"], err("KEY", 2, "enc"))
    case("KEY-enc-equals-mac", "hmac.md", ["bad-enc-equals-mac.key"], err("KEY", 3, "mac"))
    case("KEY-unknown-field", "ed25519.md", ["bad-unknown-field.key", "vec.pub"], err("KEY", 3, None))
    case("KEY-pub-differs-from-secret", "ed25519.md", ["vec.key", "mismatch-vec.pub"], err("KEY", None, "id"))
    case("KEY-two-key-files-one-id", "ed25519.md", ["vec.key", "vec.readonly.key"], err("KEY", None, "id"))
    case("KEY-pub-not-42-bytes", "ed25519.md", ["vec.readonly.key", "bad-pub-length.pub"], err("KEY", 2, None))

    # Manifests: a corpus of three records, built by the tool (HMAC line and .minisig).
    mroot = HERE / "manifests"

    def corpus(name):
        root = mroot / name
        for sub, src in (("a", "ed25519.md"), ("b", "hmac.md"), ("b", "nonbmp.md")):
            (root / sub).mkdir(parents=True, exist_ok=True)
            shutil.copy(records / src, root / sub / src)
        return root

    def mcase(cid, name, key_files, expect, minisig=True, note=""):
        root = mroot / name
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*.md"))
        cases.append({
            "id": cid,
            "kind": "manifest",
            "manifest": f"manifests/{name}/MANIFEST.sha256",
            "minisig": f"manifests/{name}/MANIFEST.sha256.minisig" if minisig else None,
            "records": files,
            "keys": [f"keys/{k}" for k in key_files],
            "expect": expect,
            "note": note,
        })

    root = corpus("good")
    secured("manifest", "build", root, "--key", keys / "vec.key", "--no-policy")
    mcase("manifest-minisig-pub", "good", ["vec.pub"], {"entries": 3})
    mcase("manifest-hmac-and-minisig", "good", ["vec.key"], {"entries": 3})
    hmac_only = corpus("hmac-only")
    shutil.copy(root / "MANIFEST.sha256", hmac_only / "MANIFEST.sha256")
    mcase("manifest-hmac-only", "hmac-only", ["vec.key"], {"entries": 3}, minisig=False)
    mcase("SR019-manifest-foreign-key", "good", ["other.pub"], err("SR019", 4, None))
    mcase("SR019-manifest-no-keys", "good", [], err("SR019", 4, None))
    mcase("SR019-manifest-hmac-needs-mac", "hmac-only", ["vec.pub"], err("SR019", 4, None), minisig=False,
          note="only the HMAC line, and no secret key: unverifiable")
    for name, edit in (
        ("tampered", lambda m, s: (m.replace(m[:8], b"00000000", 1), s)),
        ("trusted-comment", lambda m, s: (m, s.replace(b"timestamp:", b"timestamp:1", 1))),
        ("malformed-minisig", lambda m, s: (m, s.split(b"\n", 1)[1])),
    ):
        r = corpus(name)
        m = (root / "MANIFEST.sha256").read_bytes()
        s = (root / "MANIFEST.sha256.minisig").read_bytes()
        m, s = edit(m, s)
        (r / "MANIFEST.sha256").write_bytes(m)
        (r / "MANIFEST.sha256.minisig").write_bytes(s)
    mcase("SR019-manifest-changed", "tampered", ["vec.pub"], err("SR019", None, None))
    mcase("SR019-trusted-comment-changed", "trusted-comment", ["vec.pub"], err("SR019", None, None))
    mcase("SR019-malformed-minisig", "malformed-minisig", ["vec.pub"], err("SR019", None, None))
    r = corpus("record-changed")
    shutil.copy(root / "MANIFEST.sha256", r / "MANIFEST.sha256")
    shutil.copy(root / "MANIFEST.sha256.minisig", r / "MANIFEST.sha256.minisig")
    (r / "a" / "ed25519.md").write_bytes((records / "crlf-converted.md").read_bytes())
    mcase("SR018-record-swapped", "record-changed", ["vec.pub"], err("SR018", None, None),
          note="a validly signed older version swapped in: caught by its hash")
    r = corpus("record-added")
    shutil.copy(root / "MANIFEST.sha256", r / "MANIFEST.sha256")
    shutil.copy(root / "MANIFEST.sha256.minisig", r / "MANIFEST.sha256.minisig")
    shutil.copy(records / "bom.md", r / "a" / "bom.md")
    mcase("SR018-record-not-listed", "record-added", ["vec.pub"], err("SR018", None, None))
    # Signed by minisign itself (a key made by minisign: id minisign-<key ID>).
    if shutil.which("minisign"):
        mk = work / "mk"
        run("minisign", "-G", "-W", "-p", keys / "minisign.pub", "-s", mk)
        for name, flags in (("minisign-prehashed", []), ("minisign-legacy", ["-l"])):
            r = corpus(name)
            secured("manifest", "build", r, "--key", keys / "vec.key", "--no-policy")
            (r / "MANIFEST.sha256.minisig").unlink()
            run("minisign", "-S", *flags, "-s", mk, "-m", r / "MANIFEST.sha256", "-t", "signed by minisign")
            mcase(f"manifest-{name}", name, ["minisign.pub"], {"entries": 3}, note="a .minisig made by minisign 0.11")
    else:
        print("minisign not installed: the minisign-made manifests are not written", file=sys.stderr)

    (HERE / "cases.json").write_text(json.dumps({"version": 1, "cases": cases}, indent=2, ensure_ascii=False) + "\n")
    shutil.rmtree(work)
    print(f"{len(cases)} cases written to {HERE / 'cases.json'}")


if __name__ == "__main__":
    main()
