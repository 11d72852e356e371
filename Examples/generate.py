#!/usr/bin/env python3
"""Writes the plain (unsealed) example records: deterministic, shaped like the seeds.

  python3 Examples/generate.py OUT_DIR [COUNT]

Examples/generate.sh runs this, then seals, signs and lists them with the demo key.
"""
import os, random, sys

TOPICS = ["Computer Vision", "AI", "Privacy", "Biometrics", "Policy", "Security", "Open Source", "Robotics"]
SECTIONS = ["news", "research", "opinion"]
WORDS = ("model data privacy court ruling camera network training dataset lawsuit policy city "
         "agency research paper benchmark open source release security audit key record signal "
         "face recognition vendor startup regulator consent storage cloud edge device").split()


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def record(rng, i):
    section = SECTIONS[i % len(SECTIONS)]
    title = sentence(rng, rng.randint(4, 9)).rstrip(".")
    slug = "-".join(title.lower().split()[:5])
    lines = ["---", f"category: {section}", f'title: "{title}"', f'excerpt: "{sentence(rng, 18)}"',
             f"publishedDateTime: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
             f'originalUrl: "https://example.org/{section}/{slug}"', "type: article",
             f"quality: {rng.randint(10, 99)}", "published: false", "", "provider:",
             "  name: Example Wire", "  domain: example.org", "", "topics:"]
    lines += [f"  - {t}" for t in rng.sample(TOPICS, rng.randint(1, 4))]
    lines += ["", "related:"]
    for _ in range(rng.randint(1, 6)):
        lines += [f'  - title: "{sentence(rng, 6).rstrip(".")}"', f'    excerpt: "{sentence(rng, 20)}"',
                  f"    publishedDateTime: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:00:00Z",
                  f'    url: "https://example.org/r/{rng.randint(1000, 9999)}"']
    lines.append("---")
    paragraphs = [" ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 6)))
                  for _ in range(rng.randint(2, 8))]
    body = "\n" + f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"
    return section, f"{i:03d}-{slug}.md", "\n".join(lines) + "\n" + body


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 36
    rng = random.Random(20261121)
    for i in range(count):
        section, name, text = record(rng, i)
        os.makedirs(os.path.join(out, section), exist_ok=True)
        with open(os.path.join(out, section, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


main()
