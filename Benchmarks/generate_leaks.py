#!/usr/bin/env python3
"""The leak benchmark's data (issue 29), deterministic (seed 29; IVs random):

  generate_leaks.py OUT KEYFILE SAMPLE_DIR SITE_MB HISTORY_MB

OUT/repo          a git repository whose history holds about HISTORY_MB of blobs: commits of
                  Markdown posts (fast-import), one of them a sealed record's plaintext
                  committed before it was sealed;
OUT/repo/content  the corpus: 200 sealed records (sealed by Python's `cryptography` with the
                  key's `enc`, signed with its `mac`) and 60 public ones, front matters taken
                  from the real records in SAMPLE_DIR, bodies of words drawn from their text;
OUT/site          a built-site-like tree of about SITE_MB: HTML pages with markup, attributes
                  and character references (`&rsquo;`, `&amp;`, `&#8217;`), RSS and Atom feeds
                  holding escaped HTML, a JSON search index with string escapes, some gzip
                  files; mostly public text with a few planted leaks;
OUT/expected      one line per planted leak: `site|history <file or -> <record>`.
"""
import base64, gzip, hashlib, hmac, io, json, os, random, re, subprocess, sys
import yaml
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

NON_ASCII = ["café", "naïve", "zürich", "kraków", "東京", "데이터", "ελλάδα", "résumé", "dvořák", "ærø"]


def seal(body, front, key):
    kid, enc, mac = key
    iv = os.urandom(16)
    p = padding.PKCS7(128).padder()
    e = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
    ct = e.update(p.update(body) + p.finalize()) + e.finalize()
    lines = front + ['secured: "%s;%s"' % (base64.b64encode(ct).decode(), base64.b64encode(iv).decode())]
    unsigned = ("\n".join(["---"] + lines) + "\n---\n\n").encode()
    tag = hmac.new(mac, b"secured-record-v1\n" + unsigned, hashlib.sha256).digest()
    head, _ = unsigned.rsplit(b"---\n\n", 1)
    return head + ('signature: "v1;%s;%s"\n' % (kid, base64.b64encode(tag).decode())).encode() + b"---\n\n"


def load_sample(sample):
    vocab, fronts = set(), []
    for root, _, names in os.walk(sample):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            raw = open(os.path.join(root, name), encoding="utf-8").read()
            vocab.update(w.lower() for w in re.findall(r"[^\W_]+", raw) if not w.isdigit() and len(w) < 20)
            if raw.startswith("---\n"):
                fm = yaml.safe_load(raw[4:raw.index("\n---", 3)]) or {}
                fronts.append({k: fm[k] for k in ("category", "publishedDateTime", "type") if k in fm})
    return sorted(vocab) + NON_ASCII, fronts


def main():
    out, keyfile, sample, site_mb, history_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    k = yaml.safe_load(open(keyfile))
    key = (k["id"], base64.b64decode(k["enc"]), base64.b64decode(k["mac"]))
    rng = random.Random(29)
    vocab, fronts = load_sample(sample)

    def words(n):
        return " ".join(rng.choice(vocab) for _ in range(n))

    def paragraph():
        s = words(rng.randint(20, 110))
        return s[0].upper() + s[1:] + "."

    # The corpus: sealed and public records.
    content = os.path.join(out, "repo", "content")
    os.makedirs(content, exist_ok=True)
    sealed = []  # (path relative to content, list of paragraphs)
    for i in range(260):
        paras = [paragraph() for _ in range(rng.randint(4, 25))]
        fm = dict(rng.choice(fronts))
        title = words(rng.randint(4, 10))
        front = [f"{a}: {json.dumps(str(b))}" for a, b in fm.items()] + [f"title: {json.dumps(title)}"]
        body = ("\n" + "\n\n".join(paras) + "\n").encode()
        name = "post-%03d.md" % i
        if i < 200:
            data = seal(body, front, key)
            sealed.append((name, paras))
        else:
            data = ("---\n" + "\n".join(front) + "\n---\n").encode() + body
        with open(os.path.join(content, name), "wb") as f:
            f.write(data)

    # A pool of public paragraphs, with the references a generator writes.
    pool = []
    for _ in range(4000):
        p = paragraph()
        p = p.replace(" s ", "&rsquo;s ", 1).replace(" and ", " &amp; ", 1).replace(" t ", "&#8217;t ", 1)
        if rng.random() < 0.3:
            p = p.replace(" the ", ' <a href="https://example.org/%d" title="%s">the</a> ' % (rng.randint(0, 10**6), words(3)), 1)
        if rng.random() < 0.3:
            p = p.replace(" of ", " <em>of</em> ", 1)
        pool.append(p)

    def leak_text(record, n=20):
        paras = sealed[record][1]
        ws = " ".join(paras).split()
        start = rng.randint(0, max(0, len(ws) - n))
        return " ".join(ws[start:start + n]), ws[start:start + n]

    site = os.path.join(out, "site")
    expected = []
    target = site_mb * 1024 * 1024
    written = 0
    posts = []  # (url, title, list of paragraphs)

    def write(rel, data):
        nonlocal written
        path = os.path.join(site, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        written += len(data)

    header = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<title>%s</title>\n'
              '<meta name="description" content="%s">\n<link rel="stylesheet" href="/css/main.css">\n'
              '<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>\n'
              '</head><body>\n<nav class="site-nav"><ul>' + "".join(
                  '<li class="nav-item"><a class="nav-link" href="/tags/%s/">%s</a></li>' % (w, w) for w in vocab[:40]) +
              '</ul></nav>\n<main class="page-content" aria-label="Content"><article class="post h-entry">\n')
    footer = ('</article></main>\n<footer class="site-footer"><p>Copyright &copy; 2026 Example &middot; '
              'All rights reserved.</p></footer>\n</body></html>\n')
    leak_pages = set(rng.sample(range(2000), 6))
    n = 0
    # Pages, until 90% of the size; then feeds, the search index (under 12 MB: the default size
    # limit is 16 MiB), gzip files.
    while written < target * 0.90:
        paras = [rng.choice(pool) for _ in range(rng.randint(20, 90))]
        title = words(rng.randint(4, 9))
        posts.append(("/posts/%05d/" % n, title, list(paras)))  # feeds and the index: no leak
        if n in leak_pages:
            r = rng.randrange(len(sealed))
            text, _ = leak_text(r)
            paras.insert(rng.randrange(len(paras)), text.replace("'", "&#39;"))
            expected.append(("site", "posts/%05d/index.html" % n, sealed[r][0]))
        body = "".join('<p class="para">%s</p>\n' % p for p in paras)
        page = header % (title, paras[0][:150].replace('"', "&quot;")) + '<h1 class="p-name">%s</h1>\n' % title + \
            '<div class="post-content e-content">\n' + body + "</div>\n" + footer
        write("posts/%05d/index.html" % n, page.encode())
        n += 1

    def rss(items, leak=None):
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Example</title>\n']
        for url, title, paras in items:
            html = "".join("<p>%s</p>" % p for p in paras)
            esc = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append("<item><title>%s</title><link>https://example.org%s</link><description>%s</description></item>\n"
                         % (title, url, esc))
        if leak:
            parts.append("<item><title>x</title><description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n" % leak)
        parts.append("</channel></rss>\n")
        return "".join(parts).encode()

    def atom(items):
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n']
        for url, title, paras in items:
            parts.append('<entry><title>%s</title><link href="https://example.org%s"/><content type="html"><![CDATA[%s]]></content></entry>\n'
                         % (title, url, "".join("<p>%s</p>" % p for p in paras)))
        parts.append("</feed>\n")
        return "".join(parts).encode()

    # Feeds per tag (about 10% of the size), one leaking the whole of a sealed paragraph.
    t = 0
    while written < target * 0.97:
        items = rng.sample(posts, min(len(posts), 40))
        leak = None
        if t == 3:
            r = rng.randrange(len(sealed))
            leak = max(sealed[r][1], key=len).replace("&", "&amp;")
            expected.append(("site", "tags/t%03d/index.xml" % t, sealed[r][0]))
        write("tags/t%03d/index.xml" % t, rss(items, leak))
        write("tags/t%03d/atom.xml" % t, atom(items[:20]))
        t += 1
    # The search index (JSON, escapes), its gzip copy, a gzip sitemap.
    index = []
    stop = min(target * 0.995, written + 12 * 1024 * 1024)
    for url, title, paras in posts:
        index.append({"url": url, "title": title, "content": " ".join(paras)[:2000]})
        stop -= len(json.dumps(index[-1]))
        if written > stop:
            break
    r = rng.randrange(len(sealed))
    text, _ = leak_text(r, 30)
    index.append({"url": "/drafts/x/", "title": "draft", "content": text.replace("'", "\u2019") + "\n\"quoted\""})
    search = json.dumps(index, ensure_ascii=True).encode()
    write("search.json", search)
    expected.append(("site", "search.json", sealed[r][0]))
    r = rng.randrange(len(sealed))
    text, _ = leak_text(r)
    write("feed.xml.gz", gzip.compress(rss(posts[:10], text), 6))
    expected.append(("site", "feed.xml.gz", sealed[r][0]))
    write("sitemap.xml.gz", gzip.compress(("".join("<url><loc>https://example.org%s</loc></url>\n" % u for u, _, _ in posts)).encode(), 6))
    write("css/main.css", ("body{margin:0;font:16px/1.5 sans-serif}\n" * 2000).encode())

    # History: fast-import commits of posts, about HISTORY_MB of blobs, then the corpus.
    repo = os.path.join(out, "repo")
    subprocess.run(["git", "init", "-q", repo], check=True)
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)

    def blob_cmd(path, data):
        return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)

    htarget = history_mb * 1024 * 1024
    hwritten, c = 0, 0
    leak_commit = 5
    while hwritten < htarget:
        ops = []
        for j in range(60):
            paras = [rng.choice(pool) for _ in range(rng.randint(10, 60))]
            data = ("---\ntitle: %s\n---\n\n" % words(6) + "\n\n".join(paras) + "\n").encode()
            ops.append(blob_cmd("drafts/d%03d-%02d.md" % (c, j), data))
            hwritten += len(data)
        if c == leak_commit:
            r = rng.randrange(len(sealed))
            plain = ("---\ntitle: draft\n---\n\n" + "\n\n".join(sealed[r][1]) + "\n").encode()
            ops.append(blob_cmd("content/" + sealed[r][0], plain))
            expected.append(("history", "-", sealed[r][0]))
        msg = b"posts %d" % c
        fi.stdin.write(b"commit refs/heads/main\ncommitter Bench <b@example.org> %d +0000\ndata %d\n%s\n"
                       % (1700000000 + c, len(msg), msg))
        fi.stdin.write(b"".join(ops) + b"\n")
        c += 1
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    # The sealed records (in the work tree already) committed over the plaintext draft.
    git = ["git", "-C", repo, "-c", "user.name=Bench", "-c", "user.email=b@example.org"]
    subprocess.run(git + ["symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    subprocess.run(git + ["reset", "-q"], check=True)
    subprocess.run(git + ["add", "content"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "seal"], check=True)
    with open(os.path.join(out, "expected"), "w") as f:
        for kind, file, record in expected:
            f.write("%s %s %s\n" % (kind, file, record))


main()
