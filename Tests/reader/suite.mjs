// The reader's test suite, shared by Node (node --test, reader.test.mjs) and headless
// Chromium (browser.html): it only needs the reader module and a way to load files.
//
//   const tests = await buildSuite({ reader, load, sets });
//   for (const t of tests) await t.run();     // each throws on failure
//
// `load(path)` returns a file's bytes (Uint8Array). `sets` are case lists, each
// { base, cases } with paths relative to `base`: the committed vectors
// (Tests/Vectors/reader/cases.json and passphrase/cases.json) and the fixtures made when the
// suite runs (records the Swift tool seals, records and passphrase key files Python's
// cryptography makes, BLAKE2b digests from hashlib). `report(line)` prints a measurement.
//
// The tests live in themed files beside this one: suite-cases.mjs (the case lists),
// suite-api.mjs (the API contract, BLAKE2b vectors), suite-hostile.mjs (hostile inputs) and
// suite-options.mjs (options and outside text); suite-helpers.mjs holds what they share.

import { makeManifestSigner } from "./suite-helpers.mjs";
import { caseTests } from "./suite-cases.mjs";
import { apiTests } from "./suite-api.mjs";
import { hostileTests } from "./suite-hostile.mjs";
import { optionTests } from "./suite-options.mjs";

export async function buildSuite({ reader, load, sets, report = (line) => console.log(line) }) {
  const keyCache = new Map();
  async function keysFor(base, files) {
    const out = [];
    for (const f of files) {
      const path = base + f;
      if (!keyCache.has(path)) keyCache.set(path, new TextDecoder().decode(await load(path)));
      out.push(keyCache.get(path));
    }
    return out;
  }
  const vectorBase = sets.find((s) => s.cases.some((c) => c.id === "ed25519-readonly-and-pub"))?.base;
  const vector = async (path) => load(vectorBase + path);
  const vectorText = async (path) => new TextDecoder().decode(await vector(path));
  const manifestSigner = makeManifestSigner(reader.blake2b);
  const ctx = { reader, load, sets, report, keysFor, vector, vectorText, manifestSigner };
  return [...caseTests(ctx), ...apiTests(ctx), ...hostileTests(ctx), ...optionTests(ctx)];
}

/** Runs every test; returns { passed, failed: [{ name, message }] }. */
export async function runAll(tests, { timeoutMs = 30000, onResult } = {}) {
  const failed = [];
  let passed = 0;
  for (const t of tests) {
    let timer;
    try {
      await Promise.race([
        t.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      passed++;
      onResult?.(t.name, null);
    } catch (e) {
      failed.push({ name: t.name, message: String(e?.message ?? e) });
      onResult?.(t.name, e);
    } finally {
      clearTimeout(timer);
    }
  }
  return { passed, failed };
}