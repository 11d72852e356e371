// The reader's suite: every case of every case list (records, manifests, passphrase key
// files, BLAKE2b digests), each checked against what the list expects.

import { check, enc, expectFailure, hex, sha256, spyOnSubtle } from "./suite-helpers.mjs";

function decodeOrNull(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

async function recordCase({ reader, load, keysFor }, base, c) {
  const { openRecord, verifyRecord } = reader;
  const bytes = await load(base + c.record);
  const keys = await keysFor(base, c.keys);
  const options = { keys, allowUnsigned: c.allowUnsigned, name: c.record };
  const spy = spyOnSubtle();
  try {
    if (c.expect.code) {
      await expectFailure(openRecord(bytes, options), c.expect, c.id);
      // Nothing that failed before decryption was decrypted.
      if (!["SR012", "SR013"].includes(c.expect.code)) {
        check(!spy.calls.includes("decrypt"), `${c.id}: ${c.expect.code}, yet subtle.decrypt was called`);
      }
      return;
    }
    const r = await openRecord(bytes, options);
    check((await sha256(r.content)) === c.expect.sha256, `${c.id}: content SHA-256 differs`);
    check(r.text === c.expect.text, `${c.id}: text differs`);
    check(r.keyId === c.expect.keyId, `${c.id}: keyId ${r.keyId}, expected ${c.expect.keyId}`);
    check(r.signature === c.expect.signature, `${c.id}: signature ${r.signature}, expected ${c.expect.signature}`);
    check(JSON.stringify(r.warnings) === JSON.stringify(c.expect.warnings), `${c.id}: warnings ${r.warnings}`);
    check(r.content instanceof Uint8Array, `${c.id}: content is not a Uint8Array`);
    if (c.expect.signature) {
      const first = spy.calls.indexOf("verify");
      check(first >= 0 && first < spy.calls.indexOf("decrypt"), `${c.id}: decrypted before the signature was verified`);
    }
  } finally {
    spy.restore();
  }
  // verifyRecord agrees, with the public part of the keys only (when there is one).
  if (c.expect.signature === "ed25519") {
    const pubs = keys.filter((k) => k.startsWith("untrusted comment:"));
    if (pubs.length) {
      const v = await verifyRecord(bytes, { keys: pubs });
      check(v.keyId === c.expect.keyId && v.signature === "ed25519", `${c.id}: verifyRecord ${JSON.stringify(v)}`);
    }
  }
  // A string is taken as its UTF-8, and an ArrayBuffer as its bytes.
  if (c.expect.text !== undefined && decodeOrNull(bytes) !== null) {
    const again = await openRecord(new TextDecoder().decode(bytes), options);
    check((await sha256(again.content)) === c.expect.sha256, `${c.id}: opened from a string, content differs`);
  }
  const copy = bytes.slice().buffer;
  const fromBuffer = await openRecord(copy, options);
  check((await sha256(fromBuffer.content)) === c.expect.sha256, `${c.id}: opened from an ArrayBuffer, content differs`);
}

async function manifestCase({ reader, load, keysFor }, base, c) {
  const { verifyManifest, checkListed } = reader;
  const manifest = await load(base + c.manifest);
  const minisig = c.minisig ? new TextDecoder().decode(await load(base + c.minisig)) : null;
  const keys = await keysFor(base, c.keys);
  const dir = c.manifest.slice(0, c.manifest.lastIndexOf("/") + 1);
  const run = async () => {
    const entries = await verifyManifest(manifest, minisig, { keys });
    for (const path of c.records) await checkListed(entries, path, await load(base + dir + path));
    check(entries.size === c.records.length, `${c.id}: ${entries.size} entries, ${c.records.length} records`);
    return entries;
  };
  if (c.expect.code) {
    await expectFailure(run(), c.expect, c.id);
  } else {
    const entries = await run();
    check(entries.size === c.expect.entries, `${c.id}: ${entries.size} entries, expected ${c.expect.entries}`);
  }
}

async function passphraseCase({ reader, load, keysFor, report }, base, c) {
  const { parseKey, openRecord, storableKey, restoreKey } = reader;
  const text = new TextDecoder().decode(await load(base + c.keyFile));
  const others = await keysFor(base, c.keys);
  const options = c.passphrase == null ? { source: c.keyFile } : { source: c.keyFile, passphrase: c.passphrase };
  const spy = spyOnSubtle();
  let key;
  let elapsed;
  const started = performance.now();
  try {
    if (c.expect.code) {
      const e = await expectFailure(parseKey(text, options), c.expect, c.id);
      check(e.message.includes(c.expect.message), `${c.id}: message ${JSON.stringify(e.message)}, expected one with ${JSON.stringify(c.expect.message)}`);
      if (c.expect.message === "wrong passphrase or damaged file") {
        check(e.message === `${c.keyFile}: wrong passphrase or damaged file`, `${c.id}: message ${JSON.stringify(e.message)}`);
      }
      if (c.passphrase) check(!e.message.includes(c.passphrase.slice(0, 6)), `${c.id}: the message shows the passphrase`);
      if (c.expect.derives === false) {
        check(spy.pbkdf2.length === 0, `${c.id}: refused, but only after ${spy.pbkdf2.join(", ")} (the count must be checked before deriving)`);
      } else {
        check(spy.calls.filter((n) => n === "deriveKey").length === 1, `${c.id}: ${spy.calls.join(", ")}: expected one deriveKey`);
      }
      return;
    }
    key = await parseKey(text, options);
    elapsed = performance.now() - started;
  } finally {
    spy.restore();
  }
  if (c.measure) {
    // The first unwrap, then three more: the times of one unwrap (printed, not asserted).
    const again = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await parseKey(text, options);
      again.push(performance.now() - t0);
    }
    report(`measure: one unwrap of ${c.keyFile} (${/;(\d+);/.exec(text)[1]} iterations): ${elapsed.toFixed(0)} ms, then ${again.map((t) => t.toFixed(0)).join(", ")} ms`);
  }
  // The derived key and the imported enc are non-extractable; no bits derived or exported.
  check(!spy.calls.includes("deriveBits") && !spy.calls.includes("exportKey"), `${c.id}: ${spy.calls.join(", ")}`);
  check(spy.made.length >= 2 && spy.made.every(({ key: k }) => k.extractable === false),
    `${c.id}: keys made: ${spy.made.map(({ name: n, key: k }) => `${n} ${k.algorithm.name} extractable=${k.extractable}`).join("; ")}`);
  check(key.type === "read-only" && key.id === c.expect.keyId && key.label === c.expect.label, `${c.id}: parsed ${JSON.stringify(key)}`);
  check(!JSON.stringify(key).includes(c.passphrase), `${c.id}: the key shows its passphrase`);
  const bytes = await load(base + c.record);
  const r = await openRecord(bytes, { keys: [key, ...others], name: c.record });
  check((await sha256(r.content)) === c.expect.sha256, `${c.id}: content SHA-256 differs`);
  check(r.keyId === c.expect.keyId && r.signature === c.expect.signature, `${c.id}: opened as ${r.keyId}, ${r.signature}`);
  if (!c.measure) {
    // The passphrase as UTF-8 bytes: the same key, and the caller's bytes left as they were.
    const bytesGiven = enc.encode(c.passphrase);
    const same = await parseKey(text, { ...options, passphrase: bytesGiven });
    check(same.fingerprint === key.fingerprint, `${c.id}: the passphrase as bytes gives another key`);
    check(new TextDecoder().decode(bytesGiven) === c.passphrase, `${c.id}: the caller's passphrase bytes were changed`);
  }
  // What a page may keep between visits: a structured clone, no key bytes, and it opens.
  const stored = structuredClone(storableKey(key));
  check(stored.enc.extractable === false && Object.keys(stored).sort().join() === "enc,fingerprint,format,id,label",
    `${c.id}: stored ${Object.keys(stored)}`);
  const again = await openRecord(bytes, { keys: [restoreKey(stored), ...others] });
  check((await sha256(again.content)) === c.expect.sha256, `${c.id}: the restored key opens other content`);
}

async function blake2bCase({ reader, load }, base, c) {
  const input = await load(base + c.input);
  check(hex(reader.blake2b(input)) === c.expect, `${c.id}: BLAKE2b-512 differs from hashlib's`);
}

const KINDS = { record: recordCase, manifest: manifestCase, passphrase: passphraseCase, blake2b: blake2bCase };

/** One test a case, named after its list and its id; one test that every failing vector pins its line and field. */
export function caseTests(ctx) {
  const tests = [{
    name: "vector: every failing case pins the line and the field it blames (null when none)",
    run: async () => {
      const failing = ctx.sets.filter((s) => s.label === "vector").flatMap((s) => s.cases).filter((c) => c.expect?.code);
      check(failing.length >= 80, `only ${failing.length} failing vectors`);
      const loose = failing.filter((c) => !("line" in c.expect && "field" in c.expect));
      check(loose.length === 0, `no line or field pinned: ${loose.map((c) => c.id).join(", ")}`);
    },
  }];
  for (const { label, base, cases } of ctx.sets) {
    for (const c of cases) {
      const test = KINDS[c.kind];
      if (test) tests.push({ name: `${label}: ${c.id}`, run: async () => test(ctx, base, c) });
    }
  }
  return tests;
}
