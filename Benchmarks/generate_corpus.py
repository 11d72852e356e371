#!/usr/bin/env python3
"""Deterministic synthetic corpus shaped like the seeds, sealed and signed.

  generate_corpus.py OUT_DIR N KEYFILE

Front matter 1-12 KB with `related` lists, body 0.2-6 KB, sealed (AES-256-CBC, random IV)
and signed (HMAC-SHA256, SPEC section 4) with KEYFILE. The text is deterministic (seed 42);
IVs are random, as writers must draw them. Written with Python's `cryptography`, an
implementation independent of the one under test.
"""
import base64, hashlib, hmac, os, random, sys
import yaml
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

WORDS = ("model data privacy court ruling camera network training dataset lawsuit policy city agency "
         "research paper benchmark open source release security audit record signal face vendor").split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    out, n, keyfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    key = yaml.safe_load(open(keyfile))
    kid, enc, mac = key["id"], base64.b64decode(key["enc"]), base64.b64decode(key["mac"])
    rng = random.Random(42)
    for i in range(n):
        fm_target = rng.randint(1024, 12 * 1024)
        lines = ["---", "category: news", f'title: "{words(rng, 8)}"', f'excerpt: "{words(rng, 30)}"',
                 "publishedDateTime: 2021-03-09T22:47:00Z", f'originalUrl: "https://example.org/{i}"',
                 "type: article", f"quality: {rng.randint(1, 99)}", "published: false", "", "related:"]
        size = sum(len(l) + 1 for l in lines)
        while size < fm_target:
            item = [f'  - title: "{words(rng, 8)}"', f'    excerpt: "{words(rng, 25)}"',
                    f'    url: "https://example.org/r/{rng.randint(0, 10**9)}"']
            lines += item
            size += sum(len(l) + 1 for l in item)
        body = ("\n" + words(rng, rng.randint(30, 900)) + "\n").encode()
        iv = os.urandom(16)
        p = padding.PKCS7(128).padder()
        e = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
        ct = e.update(p.update(body) + p.finalize()) + e.finalize()
        lines.append('secured: "%s;%s"' % (base64.b64encode(ct).decode(), base64.b64encode(iv).decode()))
        unsigned = ("\n".join(lines) + "\n---\n\n").encode()
        tag = hmac.new(mac, b"secured-record-v1\n" + unsigned, hashlib.sha256).digest()
        sig = 'signature: "v1;%s;%s"\n' % (kid, base64.b64encode(tag).decode())
        head, closing = unsigned.rsplit(b"---\n\n", 1)
        record = head + sig.encode() + b"---\n\n"
        d = os.path.join(out, "%03d" % (i // 1000))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%06d.md" % i), "wb") as f:
            f.write(record)


main()
