// The reader's suite: its API contract (errors and their codes, opaque and storable keys,
// size limits), BLAKE2b test vectors, and records opened concurrently.

import { BLAKE2B_ABC, check, enc, expectCode, hex, named, sha256 } from "./suite-helpers.mjs";

// Many records at once (the reader reuses a scratch buffer for R': it must not mix them).
async function concurrentRecords({ reader, load, sets, keysFor }) {
  const { openRecord } = reader;
  const good = [];
  for (const { base, cases } of sets) {
    for (const c of cases) if (c.kind === "record" && c.expect.sha256) good.push({ c, base });
  }
  const results = await Promise.all(good.map(async ({ c, base }) => {
    const bytes = await load(base + c.record);
    const r = await openRecord(bytes, { keys: await keysFor(base, c.keys), allowUnsigned: c.allowUnsigned });
    return (await sha256(r.content)) === c.expect.sha256;
  }));
  check(results.length > 20 && results.every(Boolean), `${results.filter((x) => !x).length} of ${results.length} differ`);
}

// BLAKE2b: RFC 7693 Appendix A, and block edges.
async function blake2bABC({ reader }) {
  check(hex(reader.blake2b(enc.encode("abc"))) === BLAKE2B_ABC, "BLAKE2b-512('abc') differs from RFC 7693");
}

async function blake2bEmpty({ reader }) {
  check(
    hex(reader.blake2b(new Uint8Array(0))) ===
      "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
    "BLAKE2b-512('') differs",
  );
}

async function failuresAreErrors({ reader }) {
  const { openRecord, SecuredReaderError } = reader;
  const e = await expectCode(openRecord(enc.encode("no front matter\n"), { keys: [] }), "SR001", "plain text");
  check(e instanceof SecuredReaderError && e instanceof Error, "not a SecuredReaderError");
  check(typeof e.message === "string" && e.message.includes("SR001"), "message does not name the code");
}

async function unusableKeyFile({ reader }) {
  const { parseKey, openRecord } = reader;
  const secret = btoa("twenty bytes of key!"); // 20 bytes: not an AES key size
  const e = await expectCode(parseKey(`id: x\nenc: ${secret}\n`), "KEY", "enc of 20 bytes");
  check(!e.message.includes(secret.slice(0, 12)), "the message holds the key's base64");
  check(e.field === "enc" && e.line === 2, `the error names field ${e.field}, line ${e.line}`);
  await expectCode(parseKey("-----BEGIN AGE ENCRYPTED FILE-----\nabc\n"), "KEY", "age file");
  await expectCode(parseKey("untrusted comment: x\nnot base64\n"), "KEY", "bad pub");
  await expectCode(openRecord(enc.encode("---\n---\n"), { keys: [{ id: "forged" }] }), "KEY", "a plain object as a key");
}

async function opaqueKeys({ reader }) {
  const { parseKey } = reader;
  const k = await parseKey("id: t\nenc: " + btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) + "\n");
  check(k.type === "read-only" && k.id === "t", `parsed ${JSON.stringify(k)}`);
  const json = JSON.stringify(k);
  check(!json.includes("BwcH"), "JSON of a parsed key shows key bytes");
}

async function escapedManifestPaths({ reader }) {
  const { verifyManifest, checkListed } = reader;
  const e = await expectCode(checkListed(new Map(), "a\u001b[31mb.md", enc.encode("x")), "SR018", "unlisted path");
  check(!e.message.includes("\u001b") && e.message.includes("\\x1b"), `message ${JSON.stringify(e.message)}`);
  await expectCode(verifyManifest(new Uint8Array(100), null, { keys: [], sizeLimit: 10 }), "SR018", "manifest over the size limit");
}

async function passphraseNeeded({ reader }) {
  const { parseKey, openRecord } = reader;
  const file = "untrusted comment: secured passphrase key x members\npbkdf2-sha256;600000;AAAAAAAAAAAAAAAAAAAAAA==\n" + btoa("n".repeat(60)) + "\n";
  await expectCode(parseKey(file), "KEY", "no passphrase");
  await expectCode(openRecord(enc.encode("---\n---\n"), { keys: [file] }), "KEY", "a .key.pw among the keys");
  await expectCode(parseKey(file, { passphrase: "\ud800 lone surrogate" }), "KEY", "a passphrase that is not Unicode text");
  const none = await expectCode(parseKey(file, { passphrase: new Uint8Array(0) }), "KEY", "a passphrase of no bytes");
  check(none.message.includes("needs the passphrase"), `a passphrase of no bytes: ${none.message}`);
}

async function storedKeys({ reader }) {
  const { parseKey, storableKey, restoreKey } = reader;
  const secret = await parseKey(`id: s\nenc: ${btoa("e".repeat(32))}\nmac: ${btoa("m".repeat(32))}\n`);
  await expectCode((async () => storableKey(secret))(), "KEY", "a secret key stored");
  const readOnly = await parseKey(`id: r\nenc: ${btoa("e".repeat(32))}\n`);
  const stored = storableKey(readOnly);
  check(stored.enc.extractable === false && stored.label === null, `stored ${JSON.stringify(stored)}`);
  const extractable = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "AES-CBC" }, true, ["decrypt"]);
  await expectCode((async () => restoreKey({ ...stored, enc: extractable }))(), "KEY", "an extractable key restored");
  await expectCode((async () => restoreKey({ ...stored, id: "bad id" }))(), "KEY", "a bad id restored");
  await expectCode((async () => restoreKey({ ...stored, enc: "raw bytes" }))(), "KEY", "no CryptoKey restored");
}

async function oversizedRecord({ reader }) {
  const { openRecord } = reader;
  await expectCode(openRecord(new Uint8Array(64), { keys: [], sizeLimit: 32 }), "SR017", "over the size limit");
}

export function apiTests(ctx) {
  return named(ctx, [
    ["api: records opened concurrently each get their own content", concurrentRecords],
    ["blake2b: RFC 7693 appendix A ('abc')", blake2bABC],
    ["blake2b: empty input", blake2bEmpty],
    ["api: every failure is a SecuredReaderError with a code", failuresAreErrors],
    ["api: a key file the reader cannot use is KEY, and the message holds no key bytes", unusableKeyFile],
    ["api: parseKey results are opaque (no key bytes in JSON)", opaqueKeys],
    ["api: control characters from a manifest's paths are escaped in messages", escapedManifestPaths],
    ["api: a passphrase key file needs the passphrase; passing it among the keys of openRecord is KEY", passphraseNeeded],
    ["api: only read-only keys are stored, and only well-formed stored keys are restored", storedKeys],
    ["api: oversized record is SR017 before anything else", oversizedRecord],
  ]);
}
