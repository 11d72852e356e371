#!/usr/bin/env python3
"""Deterministic benchmark corpora, sealed and signed by Python's `cryptography` and `hmac`
(an implementation independent of the one under test).

  generate_corpus.py KIND OUT_DIR N KEYFILE [REAL_SAMPLE_DIR]

KIND:
  synthetic  the corpus of issue 5 (ASCII words, `related` items of three flat keys), kept so
             that its figures stay comparable;
  realistic  shaped like the live corpus: front matters taken from ../shared/real-sample as
             templates (nested `provider` mappings, `images` lists, `topics`), `related` items
             that hold their own `provider` and `images`, titles and excerpts drawn from the real
             records' text (about a third of records with non-ASCII front matter, at least 5%
             with characters beyond the BMP: emoji, mathematical bold), Markdown bodies with
             non-ASCII text, 1% CRLF line ends, 1% with a byte-order mark;
  fallback   the realistic records, each with one construct the one-pass YAML check leaves to
             libyaml: a block scalar, an anchor and alias, a flow mapping, a multi-line plain
             scalar, or a tab inside a quoted string;
  ed25519    the realistic records signed with Ed25519 (the key's `sign`) instead of HMAC;
  sized      the realistic records, each 10 to 12 KB (the live corpus averages 10.8 KB): the
             Markdown body is cut or extended with more paragraphs to land in that range.

The text is deterministic (seed 42); IVs are random, as writers must draw them.
"""
import base64, copy, hashlib, hmac, os, random, sys
import yaml
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

WORDS = ("model data privacy court ruling camera network training dataset lawsuit policy city agency "
         "research paper benchmark open source release security audit record signal face vendor").split()
NON_ASCII = ["Café", "naïve", "Zürich", "São Paulo", "Kraków", "東京", "데이터", "Ελλάδα", "«guillemets»",
             "“curly quotes”", "— dash", "résumé", "Dvořák", "Ærø", "İstanbul", "ünïcödé"]
BEYOND_BMP = ["😀", "🔥", "🚀", "🤖", "𝐖𝐡𝐚𝐭 𝐢𝐬", "𝐁𝐚𝐫𝐝", "🧠", "📈", "𝔄𝔦"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def seal_and_sign(body, front_lines, key, crlf=False, bom=False, ed25519=False):
    kid, enc, mac, seed = key
    iv = os.urandom(16)
    p = padding.PKCS7(128).padder()
    e = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
    ct = e.update(p.update(body) + p.finalize()) + e.finalize()
    lines = front_lines + ['secured: "%s;%s"' % (base64.b64encode(ct).decode(), base64.b64encode(iv).decode())]
    unsigned = ("\n".join(["---"] + lines) + "\n---\n\n").encode()
    # R' is the record without BOM and signature line, CRLF as LF: sign the LF form.
    if ed25519:
        s = Ed25519PrivateKey.from_private_bytes(seed).sign(b"secured-record-v1\n" + unsigned)
        sig = 'signature: "ed25519;%s;%s"\n' % (kid, base64.b64encode(s).decode())
    else:
        tag = hmac.new(mac, b"secured-record-v1\n" + unsigned, hashlib.sha256).digest()
        sig = 'signature: "v1;%s;%s"\n' % (kid, base64.b64encode(tag).decode())
    head, _ = unsigned.rsplit(b"---\n\n", 1)
    record = head + sig.encode() + b"---\n\n"
    if crlf:
        record = record.replace(b"\n", b"\r\n")
    if bom:
        record = b"\xef\xbb\xbf" + record
    return record


def synthetic(rng, i):
    fm_target = rng.randint(1024, 12 * 1024)
    lines = ["category: news", f'title: "{words(rng, 8)}"', f'excerpt: "{words(rng, 30)}"',
             "publishedDateTime: 2021-03-09T22:47:00Z", f'originalUrl: "https://example.org/{i}"',
             "type: article", f"quality: {rng.randint(1, 99)}", "published: false", "", "related:"]
    size = sum(len(l) + 1 for l in lines)
    while size < fm_target:
        item = [f'  - title: "{words(rng, 8)}"', f'    excerpt: "{words(rng, 25)}"',
                f'    url: "https://example.org/r/{rng.randint(0, 10**9)}"']
        lines += item
        size += sum(len(l) + 1 for l in item)
    body = ("\n" + words(rng, rng.randint(30, 900)) + "\n").encode()
    return lines, body


# --- realistic ------------------------------------------------------------------------------

def load_templates(sample_dir):
    templates, texts = [], []
    for sub in sorted(os.listdir(sample_dir)):
        folder = os.path.join(sample_dir, sub)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            raw = open(os.path.join(folder, name), encoding="utf-8").read().replace("\r\n", "\n")
            if not raw.startswith("---\n"):
                continue
            fm = raw[4:raw.index("\n---", 3)]
            data = yaml.safe_load(fm) or {}
            data.pop("secured", None)
            data.pop("signature", None)
            templates.append(data)
            for k in ("title", "excerpt"):
                if isinstance(data.get(k), str):
                    texts.append(data[k])
    return templates, texts


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    if isinstance(v, (int, float)):
        return str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat().replace("+00:00", "Z")
    s = str(v)
    plain_ok = s and s.isascii() and s.strip() == s and not any(c in s for c in ":#'\"[]{},&*!|>%@`") \
        and s[0] not in "-?" and s.lower() not in ("yes", "no", "true", "false", "on", "off", "null", "~")
    return s if plain_ok and (s.startswith("http") or " " not in s) else quote(s)


def emit(value, indent, out, key=None, in_list=False):
    pad = " " * indent
    if isinstance(value, dict):
        first = True
        for k, v in value.items():
            lead = (pad[:-2] + "- ") if (in_list and first) else pad
            first = False
            if isinstance(v, (dict, list)) and v:
                out.append(f"{lead}{k}:")
                emit(v, indent + 2, out)
            else:
                sv = scalar(v) if not isinstance(v, (dict, list)) else ("{}" if isinstance(v, dict) else "[]")
                out.append(f"{lead}{k}: {sv}".rstrip())
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                emit(item, indent + 2, out, in_list=True)
            else:
                out.append(f"{pad}- {scalar(item)}")


def realistic(rng, i, templates, texts):
    t = copy.deepcopy(rng.choice(templates))
    ascii_texts = [x for x in texts if x.isascii()]
    roll = rng.random()
    if roll < 0.06:  # beyond the BMP
        title = rng.choice(BEYOND_BMP) + " " + rng.choice(texts)[:90]
    elif roll < 0.22:  # non-ASCII (the templates bring more)
        title = rng.choice([x for x in texts if not x.isascii()] or texts)[:120] + " " + rng.choice(NON_ASCII)
    else:
        title = rng.choice(ascii_texts)[:120]
    t["title"] = title
    t["excerpt"] = rng.choice(ascii_texts if roll >= 0.22 else texts)[:300]
    t["quality"] = rng.randint(1, 200)
    related = []
    for _ in range(rng.randint(0, 8)):
        r = rng.choice(templates)
        item = {"title": rng.choice(ascii_texts if roll >= 0.22 else texts)[:120],
                "excerpt": rng.choice(ascii_texts)[:280],
                "publishedDateTime": r.get("publishedDateTime", "2019-12-17T14:01:00Z"),
                "webUrl": f"https://example.org/r/{rng.randint(0, 10**9)}", "type": "article"}
        if isinstance(r.get("provider"), dict):
            item["provider"] = r["provider"]
        item["quality"] = rng.randint(1, 99)
        if isinstance(r.get("images"), list) and r["images"]:
            item["images"] = r["images"][:2]
        related.append(item)
    if related:
        t["related"] = related
    out = []
    emit(t, 0, out)
    paragraphs = []
    for _ in range(rng.randint(2, 20)):
        para = words(rng, rng.randint(10, 60))
        if roll < 0.22 or rng.random() < 0.1:
            para += " " + rng.choice(NON_ASCII + BEYOND_BMP)
        paragraphs.append(("## " if rng.random() < 0.2 else "") + para)
    body = ("\n" + "\n\n".join(paragraphs) + "\n").encode()
    return out, body


def sized_body(rng, lines, body, target):
    """A body that brings the sealed record to about `target` bytes (None: the front matter
    alone is too large)."""
    front = sum(len(l) + 1 for l in lines) + 180  # delimiters, signature, IV, quotes
    room = (target - front) * 3 // 4 - 16  # base64 of the ciphertext, PKCS#7 padding
    if room < 200:
        return None
    text = body.decode()
    while len(text.encode()) < room:
        text += "\n" + words(rng, rng.randint(10, 60)) + "\n"
    cut = text.encode()[:room].decode("utf-8", "ignore")
    return (cut.rsplit(" ", 1)[0] + "\n").encode()


FALLBACK = [
    lambda rng: ["longDescription: |", "  " + words(rng, 12), "  secured-looking: \"x;y\"", "  " + words(rng, 8)],
    lambda rng: ["originRef: &origin", "  name: Example", "  domain: example.org", "mirrorRef: *origin"],
    lambda rng: ["sourceInfo: {name: Example, domain: example.org, rank: %d}" % rng.randint(1, 9)],
    lambda rng: ["summaryText: " + words(rng, 6), "  " + words(rng, 6), "  " + words(rng, 4)],
    lambda rng: ['noteText: "' + words(rng, 3) + "\t" + words(rng, 3) + '"'],
]


def main():
    kind, out, n, keyfile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    sample = sys.argv[5] if len(sys.argv) > 5 else os.path.join(os.path.dirname(__file__), "../../shared/real-sample")
    k = yaml.safe_load(open(keyfile))
    key = (k["id"], base64.b64decode(k["enc"]), base64.b64decode(k["mac"]),
           base64.b64decode(k["sign"]) if "sign" in k else None)
    rng = random.Random(42)
    templates, texts = load_templates(sample) if kind != "synthetic" else ([], [])
    for i in range(n):
        crlf = bom = False
        if kind == "synthetic":
            lines, body = synthetic(rng, i)
        else:
            lines, body = realistic(rng, i, templates, texts)
            if kind == "sized":
                target = rng.randint(10 * 1024 + 300, 12 * 1024 - 300)
                while (sized := sized_body(rng, lines, body, target)) is None:
                    lines, body = realistic(rng, i, templates, texts)
                body = sized
            if kind == "fallback":
                # Between two top-level keys, or at the end, so the YAML stays valid.
                tops = [j for j in range(1, len(lines)) if lines[j][:1] not in ("", " ", "-")] + [len(lines)]
                at = rng.choice(tops)
                lines[at:at] = rng.choice(FALLBACK)(rng)
            crlf = rng.random() < 0.01
            bom = rng.random() < 0.01
            if crlf:
                body = body.replace(b"\n", b"\r\n")
        record = seal_and_sign(body, lines, key, crlf=crlf, bom=bom, ed25519=kind == "ed25519")
        d = os.path.join(out, "%03d" % (i // 1000))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%06d.md" % i), "wb") as f:
            f.write(record)


main()
