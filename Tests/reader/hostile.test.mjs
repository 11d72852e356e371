// node --test Tests/reader/  — hostile inputs that need Node to be measured or built: the
// memory a manifest or .minisig of line feeds costs before it is refused (peak RSS), and a
// manifest signed with the demo key (node:crypto, independent of the reader: Ed25519 over
// OpenSSL's BLAKE2b-512, HMAC-SHA256) listing two names that are not UTF-8.
// The memory tests come first: the peak RSS of this process only grows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash, createHmac, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { repo, reader } from "./node-support.mjs";

const MiB = 1024 * 1024;
const peakMiB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

// The growth of the peak RSS (MiB) and the time (ms) one refused call costs.
async function cost(what, f, code) {
  const before = peakMiB();
  const heap = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await assert.rejects(f(), (e) => e.code === code || assert.fail(`${what}: ${e.code} ${e.message}`));
  const ms = performance.now() - t0;
  const grown = peakMiB() - before;
  const heapGrown = (process.memoryUsage().heapUsed - heap) / MiB;
  console.log(`measure: ${what}: refused (${code}) in ${ms.toFixed(0)} ms, peak RSS +${grown.toFixed(0)} MiB, heap +${heapGrown.toFixed(0)} MiB`);
  return { ms, grown };
}

const demoPub = readFileSync(join(repo, "Keys/demo.pub"), "utf8");

test("memory: a 16 MiB manifest of line feeds, without a signature or with a wrong one, is SR019 without growing the heap", async () => {
  const lf = new Uint8Array(16 * MiB).fill(0x0a);
  const otherManifest = readFileSync(join(repo, "Examples/corpus/MANIFEST.sha256.minisig"), "utf8");
  for (const [what, f] of [
    ["16 MiB of line feeds, no signature", () => reader.verifyManifest(lf, null, { keys: [demoPub] })],
    ["16 MiB of line feeds, another manifest's .minisig", () => reader.verifyManifest(lf, otherManifest, { keys: [demoPub] })],
  ]) {
    const { grown } = await cost(what, f, "SR019");
    assert.ok(grown < 64, `${what}: the peak RSS grew by ${grown.toFixed(0)} MiB`);
  }
});

test("memory: a 16 MiB .minisig of line feeds is SR019 without growing the heap", async () => {
  const manifest = readFileSync(join(repo, "Examples/corpus/MANIFEST.sha256"));
  const asBytes = new Uint8Array(16 * MiB).fill(0x0a);
  const asText = "\n".repeat(16 * MiB);
  for (const [what, minisig] of [["16 MiB .minisig (bytes)", asBytes], ["16 MiB .minisig (text)", asText]]) {
    const { grown } = await cost(what, () => reader.verifyManifest(manifest, minisig, { keys: [demoPub] }), "SR019");
    assert.ok(grown < 64, `${what}: the peak RSS grew by ${grown.toFixed(0)} MiB`);
  }
});

test("memory: a manifest of line feeds at the tool's limit (64 MiB, the reader's sizeLimit raised to it) is SR019, and the process lives", async () => {
  const lf = new Uint8Array(64 * MiB).fill(0x0a);
  const sizeLimit = 64 * MiB;
  const { grown } = await cost("64 MiB of line feeds, no signature", () => reader.verifyManifest(lf, null, { keys: [demoPub], sizeLimit }), "SR019");
  // The reader copies its input once (a buffer changed meanwhile must not change what it
  // reads): one copy of the 64 MiB, plus the same 64 MiB of slack as the smaller cases.
  assert.ok(grown < 64 + lf.length / MiB, `the peak RSS grew by ${grown.toFixed(0)} MiB`);
});

// A hostile server's manifest is hashed whole before its signature fails: by default the
// reader reads at most 16 MiB (the tool writes up to 64 MiB), so a larger one costs nothing
// but the check of its length; sizeLimit raises it.
test("a manifest over the default 16 MiB is SR018 before it is copied or hashed; sizeLimit raises the limit", async () => {
  const minisig = readFileSync(join(repo, "Examples/corpus/MANIFEST.sha256.minisig"), "utf8");
  const over = new Uint8Array(16 * MiB + 1).fill(0x61);
  const t0 = performance.now();
  await assert.rejects(reader.verifyManifest(over, minisig, { keys: [demoPub] }), (e) => {
    assert.equal(e.code, "SR018");
    assert.match(e.message, /larger than 16777216 bytes; not read \(the option sizeLimit raises the limit\)/);
    return true;
  });
  const ms = performance.now() - t0;
  assert.ok(ms < 100, `refused in ${ms.toFixed(0)} ms`);
  await assert.rejects(reader.verifyManifest(over.subarray(1), minisig, { keys: [demoPub] }), (e) => e.code === "SR019" || assert.fail(e.message));
  await assert.rejects(reader.verifyManifest(over, minisig, { keys: [demoPub], sizeLimit: 16 * MiB + 1 }), (e) => e.code === "SR019" || assert.fail(e.message));
  await assert.rejects(reader.verifyManifest("a".repeat(16 * MiB + 1), minisig, { keys: [demoPub] }), (e) => e.code === "SR018" || assert.fail(e.message));
});

// The demo key's `sign` seed and `mac`, read here and never shown.
function demoSecrets() {
  const fields = Object.fromEntries(readFileSync(join(repo, "Keys/demo.key"), "utf8").split("\n")
    .map((l) => /^(sign|mac): *(\S+)/.exec(l)).filter(Boolean).map((m) => [m[1], Buffer.from(m[2], "base64")]));
  assert.equal(fields.sign?.length, 32, "Keys/demo.key has no 'sign' seed");
  assert.equal(fields.mac?.length, 32, "Keys/demo.key has no 'mac'");
  return fields;
}

/** The manifest body signed as `secured manifest build` signs (SPEC section 6): HMAC line and .minisig. */
function signWithDemoKey(body) {
  const { sign: seed, mac } = demoSecrets();
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  const pk = createPublicKey(priv).export({ format: "der", type: "spki" }).subarray(-32);
  const kn = createHash("sha256").update("secured-keynum-v1\n").update(pk).digest().subarray(0, 8);
  const tag = createHmac("sha256", mac).update("secured-manifest-v1\n").update(body).digest("base64");
  const manifest = Buffer.concat([body, Buffer.from(`# signature: v1;demo;${tag}\n`)]);
  const signature = sign(null, createHash("blake2b512").update(manifest).digest(), priv);
  const trusted = "timestamp:1765000000\tfile:MANIFEST.sha256\thashed";
  const global = sign(null, Buffer.concat([signature, Buffer.from(trusted)]), priv);
  const minisig = `untrusted comment: secured manifest signature, key demo\n${Buffer.concat([Buffer.from("ED"), kn, signature]).toString("base64")}\n` +
    `trusted comment: ${trusted}\n${global.toString("base64")}\n`;
  return { manifest, minisig };
}

const sha = (s) => createHash("sha256").update(s).digest("hex");

test("manifest signed with the demo key: 'a\\xfe.md' and 'a\\xff.md' are SR018 (not UTF-8), never one entry", async () => {
  const demoKey = readFileSync(join(repo, "Keys/demo.key"), "utf8");
  const list = (names) => Buffer.concat(names.map(([name, content]) => Buffer.concat([Buffer.from(`${sha(content)}  `), name, Buffer.from("\n")])));
  // The signing is right: the same manifest with names in UTF-8 verifies, both ways.
  const good = signWithDemoKey(list([[Buffer.from("a\u00fe.md"), "first"], [Buffer.from("a\u00ff.md"), "second"]]));
  for (const keys of [[demoPub], [demoKey]]) {
    const entries = await reader.verifyManifest(good.manifest, good.minisig, { keys });
    assert.deepEqual([...entries.keys()], ["a\u00fe.md", "a\u00ff.md"]);
    await reader.checkListed(entries, "a\u00fe.md", "first");
    await reader.checkListed(entries, "a\u00ff.md", "second");
  }
  const bad = signWithDemoKey(list([[Buffer.from([0x61, 0xfe, 0x2e, 0x6d, 0x64]), "first"], [Buffer.from([0x61, 0xff, 0x2e, 0x6d, 0x64]), "second"]]));
  for (const keys of [[demoPub], [demoKey]]) {
    await assert.rejects(reader.verifyManifest(bad.manifest, bad.minisig, { keys }), (e) => {
      assert.equal(e.code, "SR018", e.message);
      assert.equal(e.line, 1);
      assert.match(e.message, /MANIFEST\.sha256:1: SR018 'a\\xFE\.md' is not valid UTF-8/);
      return true;
    });
  }
  // A repeated line, signed: SR018 naming the second.
  const twice = signWithDemoKey(list([[Buffer.from("a.md"), "first"], [Buffer.from("a.md"), "first"]]));
  await assert.rejects(reader.verifyManifest(twice.manifest, twice.minisig, { keys: [demoPub] }), (e) => e.code === "SR018" && e.line === 2 && /listed twice/.test(e.message));
});
