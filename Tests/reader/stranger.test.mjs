// node --test Tests/reader/  — a security tester's findings against the reader, each rebuilt
// the way it was found (Tests/reader/stranger-support.mjs signs with the public demo key, on
// node:crypto only). Every test here failed on the reader before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import vm from "node:vm";
import {
  demoKeyText, demoPubText, demoReadOnlyText, record, minisign, hmacManifest, sha256hex, passphraseFile, sharedCopy,
  KN, PK, publicKeyFile, seal, P, le32, Y8, offCurve, medianMs, timed,
} from "./stranger-support.mjs";
import { reader } from "./node-support.mjs";

const { parseKey, openRecord, verifyRecord, verifyManifest, checkListed, blake2b } = reader;
const utf8 = new TextEncoder();
const isCode = (code) => (e) => (e?.name === "SecuredReaderError" && e.code === code) || assert.fail(`expected ${code}, got ${e?.name} ${e?.code}: ${e?.message}`);

// 1. A buffer another thread writes: every byte input is copied once, at the call.

test("1: a record in a SharedArrayBuffer that a worker keeps changing: openRecord never returns content other than the signed one", async () => {
  const keys = [await parseKey(demoReadOnlyText), await parseKey(demoPubText)];
  const legit = record("legit content, block one.\n");
  const view = sharedCopy(utf8.encode(legit));
  const pos = legit.indexOf(";", legit.indexOf('secured: "')) + 1; // the IV's first base64 character
  const orig = view[pos];
  const alt = orig === 0x41 ? 0x42 : 0x41;
  const worker = new Worker(
    `const { workerData: { sab, pos, orig, alt } } = require("node:worker_threads");
     const v = new Uint8Array(sab);
     for (;;) { Atomics.store(v, pos, alt); Atomics.store(v, pos, orig); }`,
    { eval: true, workerData: { sab: view.buffer, pos, orig, alt } },
  );
  try {
    // The worker is running: the main thread sees both values.
    const seen = new Set();
    for (let t0 = Date.now(); seen.size < 2 && Date.now() - t0 < 5000; ) seen.add(Atomics.load(view, pos));
    assert.equal(seen.size, 2, "the worker did not start flipping the byte");
    const outcomes = { signed: 0, refused: 0, other: [] };
    const t0 = Date.now();
    for (let i = 0; i < 2000 && Date.now() - t0 < 6000; i++) {
      try {
        const r = await openRecord(view, { keys });
        if (r.text === "legit content, block one.\n") outcomes.signed++;
        else outcomes.other.push(r.content);
      } catch (e) {
        assert.equal(e.name, "SecuredReaderError", e.message);
        outcomes.refused++;
      }
    }
    assert.equal(outcomes.other.length, 0, `openRecord returned ${outcomes.other.length} times content that the signature does not cover`);
    assert.ok(outcomes.signed + outcomes.refused > 0);
  } finally {
    await worker.terminate();
  }
});

test("1: input changed right after the call (plain and shared buffers): each function reads the bytes it was given, once", async () => {
  const keyTexts = () => [demoReadOnlyText, demoPubText]; // a new array each call: the ring is built (awaited) first
  const first = utf8.encode(record("first\n"));
  const other = utf8.encode(record("other\n"));
  assert.equal(first.length, other.length);
  for (const make of [(b) => b.slice(), sharedCopy]) {
    const buf = make(first);
    const opened = openRecord(buf, { keys: keyTexts() });
    buf.set(other);
    assert.equal((await opened).text, "first\n", "openRecord read the record after it was called");
    const buf2 = make(first);
    const verified = verifyRecord(buf2, { keys: keyTexts() });
    buf2.fill(0x20);
    assert.deepEqual(await verified, { keyId: "demo", signature: "ed25519" });
    const body = utf8.encode(`${sha256hex(first)}  a.md\n`);
    const manifest = make(body);
    const minisig = make(utf8.encode(minisign(body)));
    const entries = verifyManifest(manifest, minisig, { keys: keyTexts() });
    manifest.fill(0x23);
    minisig.fill(0x0a);
    assert.deepEqual([...(await entries).keys()], ["a.md"], "verifyManifest read the manifest after it was called");
    const keyBytes = make(utf8.encode(demoKeyText));
    const parsed = parseKey(keyBytes);
    keyBytes.fill(0x20);
    assert.equal((await parsed).id, "demo");
  }
});

// 5. A string is refused over the size limit before it is encoded.

test("5: a record or manifest string longer than the size limit is refused without being UTF-8 encoded", async () => {
  const encode = TextEncoder.prototype.encode;
  const encoded = [];
  TextEncoder.prototype.encode = function (s) {
    encoded.push(String(s).length);
    return encode.call(this, s);
  };
  try {
    const big = "\u20ac".repeat(20_000);
    await assert.rejects(openRecord(big, { keys: [], sizeLimit: 1024 }), isCode("SR017"));
    await assert.rejects(verifyRecord(big, { keys: [], sizeLimit: 1024 }), isCode("SR017"));
    await assert.rejects(verifyManifest(big, null, { keys: [], sizeLimit: 1024 }), isCode("SR018"));
    assert.deepEqual(encoded.filter((n) => n >= 20_000), [], "a string over the limit was encoded");
  } finally {
    TextEncoder.prototype.encode = encode;
  }
  // Within the limit in UTF-16 units but not in bytes: still refused, after encoding.
  const euros = "\u20ac".repeat(400); // 1200 bytes
  await assert.rejects(openRecord(euros, { keys: [], sizeLimit: 1024 }), (e) => isCode("SR017")(e) && /larger than the size limit/.test(e.message));
});

// 7. Bytes of any kind and realm; blake2b's length; strings with no UTF-8.

test("7: key texts as a DataView, another realm's Uint8Array or ArrayBuffer, or a shared buffer are keys", async () => {
  const rec = record("any realm\n");
  const bytes = utf8.encode(demoKeyText);
  const realm = vm.runInNewContext("({ U8: Uint8Array, AB: ArrayBuffer })");
  const foreignBuffer = new realm.AB(bytes.length);
  new Uint8Array(foreignBuffer).set(bytes);
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes, 4);
  const forms = {
    "DataView": new DataView(bytes.buffer.slice(0)),
    "DataView at an offset": new DataView(padded.buffer, 4, bytes.length),
    "another realm's Uint8Array": new realm.U8(foreignBuffer),
    "another realm's ArrayBuffer": foreignBuffer,
    "a SharedArrayBuffer": sharedCopy(bytes).buffer,
  };
  for (const [what, k] of Object.entries(forms)) {
    const r = await openRecord(rec, { keys: [k] }).catch((e) => assert.fail(`${what}: ${e.name} ${e.code ?? ""} ${e.message}`));
    assert.equal(r.text, "any realm\n", what);
    assert.equal((await parseKey(k)).id, "demo", what);
    assert.equal((await verifyRecord(new realm.U8(utf8.encode(rec)), { keys: [k] })).keyId, "demo", what);
  }
  assert.equal(Buffer.from(blake2b(new DataView(utf8.encode("abc").buffer))).toString("hex"), Buffer.from(blake2b("abc")).toString("hex"));
  assert.equal(Buffer.from(blake2b(foreignBuffer)).toString("hex"), Buffer.from(blake2b(bytes)).toString("hex"));
  await assert.rejects(parseKey({ byteLength: 3, [Symbol.toStringTag]: "ArrayBuffer" }), TypeError);
});

test("7: blake2b's output length is an integer 1-64, else a RangeError", () => {
  for (const bad of [1.5, "2", 0, 65, NaN, Infinity, null, 2n, [2]]) {
    assert.throws(() => blake2b("a", bad), RangeError, `outLen ${String(bad)}`);
  }
  for (const good of [1, 32, 64]) assert.equal(blake2b("a", good).length, good);
  assert.equal(blake2b("a").length, 64);
});

test("7: a string with a lone surrogate (no UTF-8) is refused, never signed-and-opened as U+FFFD", async () => {
  // Signed over the bytes a lossy encoder makes of the string (U+FFFD): the string is not those bytes.
  const text = record("x\n", { title: "\ufffd" }).replace("\ufffd", "\ud800");
  const keys = [demoKeyText];
  await assert.rejects(openRecord(text, { keys }), (e) => isCode("SR017")(e) && e.line === 2);
  await assert.rejects(verifyRecord(text, { keys }), isCode("SR017"));
  const body = `${sha256hex("\ufffd")}  a.md\n`;
  const entries = await verifyManifest(hmacManifest(body), null, { keys });
  await assert.rejects(checkListed(entries, "a.md", "\ud800"), isCode("SR018"));
  await assert.rejects(verifyManifest(hmacManifest(body).replace("a.md", "a\udc00.md"), null, { keys }), (e) => isCode("SR018")(e) && e.line === 1);
});

// 3. A polluted Object.prototype (a JSON deep-merge gadget) changes nothing WebCrypto does.

const POLLUTIONS = {
  length: 8, hash: "SHA-1", name: "AES-CTR", iterations: 1, salt: new Uint8Array(1), iv: new Uint8Array(16),
  tagLength: 32, additionalData: new Uint8Array(1), namedCurve: "P-256",
};

// Every API, with keys parsed while the prototype is polluted (keys are imported when parsed).
async function everyAnswer() {
  const pw = passphraseFile("correct horse battery staple");
  const out = {};
  const answer = async (what, f) => {
    try {
      out[what] = await f();
    } catch (e) {
      out[what] = e?.name === "SecuredReaderError" ? `${e.code}: ${e.message}` : `RAW ${e?.constructor?.name}: ${e?.message}`;
    }
  };
  const secret = await parseKey(demoKeyText).catch((e) => e);
  const pub = await parseKey(demoPubText).catch((e) => e);
  const readOnly = await parseKey(demoReadOnlyText).catch((e) => e);
  await answer("secret key", async () => ({ ...secret }));
  await answer("public key", async () => ({ ...pub }));
  await answer("read-only key", async () => ({ ...readOnly }));
  await answer("passphrase key", async () => ({ ...(await parseKey(pw, { passphrase: "correct horse battery staple" })) }));
  await answer("wrong passphrase", () => parseKey(pw, { passphrase: "not the passphrase at all" }));
  await answer("ed25519 record", async () => (await openRecord(FIXED.ed, { keys: [readOnly, pub] })).text);
  await answer("v1 record", async () => (await openRecord(FIXED.v1, { keys: [secret] })).text);
  await answer("verifyRecord", () => verifyRecord(FIXED.ed, { keys: [pub] }));
  await answer("changed record", () => verifyRecord(FIXED.ed.replace("title: x", "title: y"), { keys: [pub] }));
  await answer("manifest", async () => {
    const entries = await verifyManifest(FIXED.manifest, FIXED.minisig, { keys: [secret] });
    return [...entries, await checkListed(entries, "a.md", FIXED.ed)];
  });
  await answer("changed manifest", () => verifyManifest(FIXED.manifest.replace("a.md", "b.md"), FIXED.minisig, { keys: [pub] }));
  await answer("blake2b", async () => Buffer.from(blake2b("abc", 32)).toString("hex"));
  return out;
}

const FIXED = (() => {
  const ed = record("signed with ed25519\n");
  const manifest = hmacManifest(`${sha256hex(ed)}  a.md\n`);
  return { ed, v1: record("signed with HMAC\n", { kind: "v1" }), manifest, minisig: minisign(manifest) };
})();

test("3: Object.prototype polluted with a WebCrypto member (length, hash, name, iv, ...): every API gives the clean answer", async () => {
  const clean = await everyAnswer();
  assert.equal(clean["ed25519 record"], "signed with ed25519\n");
  assert.equal(clean["passphrase key"].type, "read-only");
  assert.match(clean["wrong passphrase"], /^KEY: .*wrong passphrase or damaged file/);
  assert.match(clean["changed manifest"], /^SR019/);
  for (const [member, value] of Object.entries(POLLUTIONS)) {
    let polluted;
    Object.prototype[member] = value;
    try {
      polluted = await everyAnswer();
    } finally {
      delete Object.prototype[member];
    }
    // Node 20's own PBKDF2 importKey reads `length` from a dictionary it makes (no caller's value
    // reaches it): there, and only there, a clean KEY naming the pollution is the answer.
    for (const what of ["passphrase key", "wrong passphrase"]) {
      if (member === "length" && polluted[what] !== clean[what]) {
        assert.match(polluted[what], /^KEY: .*WebCrypto refused it \(DataError\); Object\.prototype has been given 'length' \(prototype pollution\)/);
        polluted[what] = clean[what];
      }
    }
    assert.deepEqual(polluted, clean, `Object.prototype.${member} changed an answer`);
  }
});

test("3: a WebCrypto call that throws becomes a SecuredReaderError with a code, never a raw DOMException", async () => {
  const subtle = globalThis.crypto.subtle;
  const pub = await parseKey(demoPubText);
  const secret = await parseKey(demoKeyText);
  for (const method of ["verify", "importKey", "digest", "exportKey", "deriveKey"]) {
    const saved = Object.getOwnPropertyDescriptor(subtle, method);
    Object.defineProperty(subtle, method, { configurable: true, writable: true, value: () => Promise.reject(new DOMException("refused", "NotSupportedError")) });
    try {
      const cases = {
        verify: [[() => openRecord(FIXED.ed, { keys: [pub] }), "SR011"], [() => verifyManifest(FIXED.manifest, FIXED.minisig, { keys: [pub] }), "SR019"],
          [() => verifyManifest(FIXED.manifest, null, { keys: [secret] }), "SR019"], [() => verifyRecord(FIXED.v1, { keys: [secret] }), "SR011"]],
        importKey: [[() => parseKey(demoKeyText), "KEY"], [() => parseKey(demoPubText), "KEY"], [() => parseKey(passphraseFile("correct horse battery staple"), { passphrase: "correct horse battery staple" }), "KEY"]],
        digest: [[() => parseKey(demoKeyText), "KEY"], [() => checkListed(new Map([["a.md", "00"]]), "a.md", "x"), "SR018"]],
        exportKey: [[() => parseKey(demoKeyText), "KEY"]],
        deriveKey: [[() => parseKey(passphraseFile("correct horse battery staple"), { passphrase: "correct horse battery staple" }), "KEY"]],
      }[method];
      for (const [f, code] of cases) {
        await assert.rejects(f(), (e) => isCode(code)(e) && /WebCrypto refused it \(NotSupportedError\)/.test(e.message), `${method}: ${f}`);
      }
    } finally {
      if (saved) Object.defineProperty(subtle, method, saved);
      else delete subtle[method];
    }
  }
});

// 4. Public keys: the key number derived from PK, degenerate points refused, a fingerprint.

test("4: a 'secured public key' file whose key number is not its PK's, or whose PK is degenerate, is KEY; the forged universal signature verifies nothing", async () => {
  const identity = le32(1n);
  const universal = Buffer.concat([identity, Buffer.alloc(32)]).toString("base64"); // R = identity, S = 0
  // The tester's file: the identity point under the genuine key number.
  const forged = publicKeyFile("demo", identity, KN);
  await assert.rejects(parseKey(forged), (e) => isCode("KEY")(e) && e.line === 2);
  // The genuine key under another key number.
  await assert.rejects(parseKey(publicKeyFile("demo", PK, Buffer.alloc(8, 7))), (e) => isCode("KEY")(e) && /key number does not match/.test(e.message));
  // Small-order points (either sign), non-canonical encodings, a point off the curve: with their own key number, and as foreign minisign keys.
  const flip = (b) => { const c = b.slice(); c[31] ^= 0x80; return c; };
  const bad = { "y = 0": le32(0n), identity, "y = -1": le32(P - 1n), "order 8": le32(Y8), "order 8'": le32(P - Y8), "y = p": le32(P), "y = p + 1": le32(P + 1n), "y = 2^255 - 1": le32((1n << 255n) - 1n), "off the curve": offCurve() };
  for (const [what, point] of Object.entries(bad)) {
    for (const pk of [point, flip(point)]) {
      await assert.rejects(parseKey(publicKeyFile("x", pk)), isCode("KEY"), what);
      const foreign = publicKeyFile("x", pk).replace("secured public key x", "minisign public key 0123");
      await assert.rejects(parseKey(foreign), isCode("KEY"), `${what} (minisign)`);
    }
  }
  // What WebCrypto itself does with the identity point (reported, not relied upon).
  const imported = await crypto.subtle.importKey("raw", identity, { name: "Ed25519" }, false, ["verify"]).then(() => "accepts", (e) => `refuses (${e.name})`);
  console.log(`measure: this platform's WebCrypto importKey ${imported} the Ed25519 identity point`);
  // The repro's record and manifest, "signed" with the universal signature: never opened or verified.
  const rec = `---\nsecured: "${seal("Forged article text\n")}"\nsignature: "ed25519;demo;${universal}"\n---\n`;
  await assert.rejects(openRecord(rec, { keys: [forged, demoReadOnlyText] }), isCode("KEY"));
  await assert.rejects(openRecord(rec, { keys: [demoPubText, demoReadOnlyText] }), isCode("SR011"));
  const manifest = `${sha256hex(rec)}  news/anything.md\n`;
  const minisig = `untrusted comment: x\n${Buffer.concat([Buffer.from("ED"), KN, Buffer.from(universal, "base64")]).toString("base64")}\ntrusted comment: anything\n${universal}\n`;
  await assert.rejects(verifyManifest(manifest, minisig, { keys: [forged] }), isCode("KEY"));
  await assert.rejects(verifyManifest(manifest, minisig, { keys: [demoPubText] }), isCode("SR019"));
});

test("4: a public key has a fingerprint derived from its PK (the key number in hex); the genuine file is read as before", async () => {
  const pub = await parseKey(demoPubText);
  assert.equal(pub.fingerprint, Buffer.from(KN).toString("hex"));
  assert.equal(pub.minisignKeyId, Buffer.from(KN).reverse().toString("hex").toUpperCase());
  // A foreign minisign key (random key number) keeps its key ID; its fingerprint is still PK's.
  const foreign = await parseKey(publicKeyFile("x", PK, Buffer.alloc(8, 0xab)).replace("secured public key x", "minisign public key ABAB"));
  assert.equal(foreign.id, "minisign-ABABABABABABABAB");
  assert.equal(foreign.fingerprint, pub.fingerprint);
  assert.equal((await verifyRecord(record("x\n"), { keys: [pub] })).keyId, "demo");
});

// 2. Manifest rollback and substitution: what the .minisig's trusted comment says is checked and returned.

test("2: an older manifest (timestamp) or another file's manifest (file:) signed by the same key is SR019 when the caller says what it expects; what was verified is returned", async () => {
  const keys = [demoPubText, demoReadOnlyText];
  // Day 1: a record and its manifest; day 2: a retraction; and a drafts manifest signed by the same key.
  const oldRec = record("Correction pending: the mayor took the bribe.\n");
  const oldMan = `${sha256hex(oldRec)}  news/a.md\n`;
  const oldSig = minisign(oldMan, "timestamp:1700000000\tfile:MANIFEST.sha256\thashed");
  const newRec = record("Retracted: the mayor did not take the bribe.\n");
  const newMan = `${sha256hex(newRec)}  news/a.md\n`;
  const newSig = minisign(newMan, "timestamp:1800000000\tfile:MANIFEST.sha256\thashed");
  const draftsSig = minisign(oldMan, "timestamp:1900000000\tfile:DRAFTS-NOT-PUBLISHED.sha256\thashed");
  const expect = { keys, name: "site/MANIFEST.sha256", notBefore: 1800000000 };

  const current = await verifyManifest(newMan, newSig, expect);
  await checkListed(current, "news/a.md", newRec);
  assert.deepEqual([...current], [["news/a.md", sha256hex(newRec)]], "still a Map of path -> SHA-256");
  assert.deepEqual({ signedBy: current.signedBy, signature: current.signature, signatures: [...current.signatures], timestamp: current.timestamp, file: current.file },
    { signedBy: "demo", signature: "minisig", signatures: ["minisig"], timestamp: 1800000000, file: "MANIFEST.sha256" });
  assert.equal(current.trustedComment, "timestamp:1800000000\tfile:MANIFEST.sha256\thashed");
  assert.deepEqual(Object.keys(current), [], "the properties are not enumerable");
  assert.throws(() => { "use strict"; current.timestamp = 1; }, TypeError);
  assert.equal(current.timestamp, 1800000000);

  await assert.rejects(verifyManifest(oldMan, oldSig, expect), (e) => isCode("SR019")(e) && /signed at 1700000000, before 1800000000/.test(e.message));
  await assert.rejects(verifyManifest(oldMan, draftsSig, expect), (e) => isCode("SR019")(e) && /for file 'DRAFTS-NOT-PUBLISHED\.sha256', not 'MANIFEST\.sha256'/.test(e.message));
  // Without the options, as before: accepted, and what was signed can be read off the result.
  const rolledBack = await verifyManifest(oldMan, oldSig, { keys });
  assert.equal(rolledBack.timestamp, 1700000000);
  assert.equal((await verifyManifest(oldMan, draftsSig, { keys })).file, "DRAFTS-NOT-PUBLISHED.sha256");
  // A manifest checked by its HMAC line only: signed by 'demo', no timestamp to compare.
  const hmacOnly = await verifyManifest(hmacManifest(newMan), null, { keys: [demoKeyText] });
  assert.deepEqual([hmacOnly.signature, hmacOnly.signedBy, hmacOnly.timestamp, hmacOnly.file], ["hmac", "demo", null, null]);
  await assert.rejects(verifyManifest(hmacManifest(newMan), null, { keys: [demoKeyText], notBefore: 1 }), (e) => isCode("SR019")(e) && /no verified signature holds one/.test(e.message));
  const both = await verifyManifest(hmacManifest(newMan), minisign(hmacManifest(newMan)), { keys: [demoKeyText] });
  assert.deepEqual([both.signature, [...both.signatures]], ["minisig", ["hmac", "minisig"]]);
  await assert.rejects(verifyManifest(newMan, newSig, { keys, notBefore: "1800000000" }), TypeError);
});

// 6. Linear with a small constant: refused inputs cost about what ordinary ones of their size do.

test("6: 16 MiB of line feeds ending in 0xFF, and 64 MiB manifests of '#' or '#\\n', cost a few times an ordinary input of the same size at most", async () => {
  const keys = [await parseKey(demoPubText)];
  const N = 16 << 20;
  const M = 64 << 20;
  const lf = new Uint8Array(N).fill(0x0a);
  lf[N - 1] = 0xff;
  const plain = new Uint8Array(N).fill(0x61);
  plain[N - 1] = 0xff;
  const [, e] = await timed(() => verifyRecord(lf, { keys }));
  assert.equal(e.code, "SR017");
  assert.equal(e.line, N, "the line of the bad byte");
  const recordRatio = (await medianMs(() => verifyRecord(lf, { keys }))) / Math.max(20, await medianMs(() => verifyRecord(plain, { keys })));
  const ordinary = Math.max(20, await medianMs(() => verifyManifest(new Uint8Array(M).fill(0x61), null, { keys, sizeLimit: M })));
  const hashes = (await medianMs(() => verifyManifest(new Uint8Array(M).fill(0x23), null, { keys, sizeLimit: M }))) / ordinary;
  const hashLines = new Uint8Array(M);
  for (let i = 0; i < M; i += 2) { hashLines[i] = 0x23; hashLines[i + 1] = 0x0a; }
  const hashLinesRatio = (await medianMs(() => verifyManifest(hashLines, null, { keys, sizeLimit: M }))) / ordinary;
  console.log(`measure: cost relative to ordinary bytes: LF record ${recordRatio.toFixed(1)}x, '#' manifest ${hashes.toFixed(1)}x, '#\\n' manifest ${hashLinesRatio.toFixed(1)}x`);
  for (const [what, ratio] of [["16 MiB of line feeds + 0xFF", recordRatio], ["64 MiB of '#'", hashes], ["64 MiB of '#\\n'", hashLinesRatio]]) {
    assert.ok(ratio < 8, `${what} costs ${ratio.toFixed(1)} times an ordinary input of its size`);
  }
});

test("6: the line of the first byte that is not UTF-8 is the one a line-by-line fatal decode finds", async () => {
  const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  // The reference: decode each line (LF kept) on its own; the first that fails.
  const reference = (b) => {
    let line = 1;
    for (let s = 0; s < b.length; line++) {
      let e = b.indexOf(0x0a, s);
      e = e < 0 ? b.length : e + 1;
      try { fatal.decode(b.subarray(s, e)); } catch { return line; }
      s = e;
    }
    return null;
  };
  const pieces = [[0x0a], [0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80], [0xf8], [0xff], [0x80], [0xe2, 0x82], [0xf0, 0x9f], [0xc3], [0xef, 0xbb, 0xbf], [0xf4, 0x8f, 0xbf, 0xbf]];
  let seed = 12345;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let t = 0; t < 3000; t++) {
    const bytes = [];
    for (let k = rand(12); k >= 0; k--) bytes.push(...pieces[rand(pieces.length)]);
    const b = Uint8Array.from(bytes);
    const expected = reference(b);
    if (expected === null) continue;
    await assert.rejects(verifyRecord(b, { keys: [] }), (e) => isCode("SR017")(e) && e.line === expected, `bytes ${Buffer.from(b).toString("hex")}: line ${expected}`);
  }
});
