#!/usr/bin/env python3
"""Reads the C2SP age test kit (../shared/vectors/age-testkit) for the Swift tests.

    age_testkit.py DIR OUT

Writes each vector's age file to OUT/<name>, zlib-decompressed where the vector says
`compressed: zlib` (Swift's standard library has no zlib), and prints one JSON list: for each
vector, its name and its header fields (expect, payload, identities, passphrase, armored, ...).
"""
import json
import os
import sys
import zlib

out = []
directory, target = sys.argv[1], sys.argv[2]
os.makedirs(target, exist_ok=True)
for name in sorted(os.listdir(directory)):
    data = open(os.path.join(directory, name), "rb").read()
    head, _, body = data.partition(b"\n\n")
    fields = {"identity": []}
    for line in head.decode().split("\n"):
        key, _, value = line.partition(": ")
        if key == "identity":
            fields["identity"].append(value)
        else:
            fields[key] = value
    if fields.get("compressed") == "zlib":
        body = zlib.decompress(body)
    fields["name"] = name
    with open(os.path.join(target, name), "wb") as f:
        f.write(body)
    out.append(fields)
json.dump(out, sys.stdout)
