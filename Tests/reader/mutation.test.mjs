// The suite must catch a reader that skips verification or decrypts before verifying: each
// mutant is a copy of the reader (secured-reader.mjs and src/) with the one file that holds
// the mutation point changed by string replacement, run through the whole suite, which must
// then fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSuite, runAll } from "./suite.mjs";
import { repo, load, sets } from "./node-support.mjs";

// The reader's files, relative to reader/: the front door and its modules.
const files = ["secured-reader.mjs", ...readdirSync(join(repo, "reader/src")).filter((f) => f.endsWith(".mjs")).map((f) => `src/${f}`)];
const sources = Object.fromEntries(files.map((f) => [f, readFileSync(join(repo, "reader", f), "utf8")]));

export const mutants = {
  // Verification computed, its result ignored.
  "skips verification": ["  if (!ok) {\n    throw fail(\"SR011\"", "  if (false) {\n    throw fail(\"SR011\""],
  // Decrypts first (and throws away what it learned), then verifies: same results on every
  // record, so only the order of the WebCrypto calls can give it away.
  "decrypts before verifying": [
    "  const { form, keyId } = await verifyParsed(b, ring, o);\n  const { iv, ciphertext } = form;",
    "  { const early = await readForm(b, o.name); for (const f of ring.order) await decrypt(f.enc, early.iv, early.ciphertext); }\n" +
      "  const { form, keyId } = await verifyParsed(b, ring, o);\n  const { iv, ciphertext } = form;",
  ],
  // An unsigned record opened although the caller did not allow it.
  "opens unsigned records unasked": ["    if (!o.allowUnsigned) {", "    if (false) {"],
  // Any key of the ring decrypts, not only the one whose id signed.
  "ignores the signer's id when decrypting": ["    const file = ring.files.get(keyId);\n    if (!file) {", "    const file = ring.order[0];\n    if (!file) {"],
  // Passphrase key files: the count not checked (the suite's spy refuses to start a
  // derivation of more than 10,000,000 iterations, so this mutant cannot make it spin).
  "takes any iteration count": ["  if (!(iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS)) {", "  if (false) {"],
  // The key-encryption key derived extractable (its bytes reachable from JavaScript).
  "derives an extractable key": ['subtle.deriveKey(params, material, AES_GCM_256, false,', 'subtle.deriveKey(params, material, AES_GCM_256, true,'],
  // Line 2 (the count and salt) left out of the associated data.
  "does not bind line 2": ["encoder.encode(\"\\n\"), encoder.encode(kdf));", "encoder.encode(\"\\n\"));"],
  // The id inside the wrapped key not compared with the comment's.
  "ignores the wrapped key's id": ["    const head = encoder.encode(`id: ${id}\\nenc: `);", "    const head = plain.subarray(0, plain.indexOf(0x0a) + 6);"],
};

const dir = mkdtempSync(join(tmpdir(), "reader-mutants-"));
const allSets = sets();

// The mutants are copies of the source modules: with READER_MODULE (the bundle) they would
// test the sources again, not the module under test.
const skip = process.env.READER_MODULE ? "READER_MODULE is set: mutants are made of the source modules" : false;

for (const [name, [from, to]] of Object.entries(mutants)) {
  test(`mutant "${name}" fails the suite`, { skip }, async () => {
    const holders = files.filter((f) => sources[f].includes(from));
    assert.equal(holders.length, 1, `the mutation point of "${name}" is in ${holders.length} files of the reader, not one`);
    const copy = join(dir, name.replace(/\W+/g, "-"));
    mkdirSync(join(copy, "src"), { recursive: true });
    for (const f of files) writeFileSync(join(copy, f), f === holders[0] ? sources[f].replace(from, to) : sources[f]);
    const mutant = await import(pathToFileURL(join(copy, "secured-reader.mjs")).href);
    const { passed, failed } = await runAll(await buildSuite({ reader: mutant, load, sets: allSets, report: () => {} }));
    console.log(`mutant "${name}": ${failed.length} of ${passed + failed.length} tests fail, e.g.\n` +
      failed.slice(0, 3).map((f) => `  ${f.name}: ${f.message}`).join("\n"));
    assert.ok(failed.length > 0, `the suite passes with the mutant "${name}"`);
  });
}
