// Speed of the reader against bare WebCrypto (issue 20, item 6). Not a test: run by hand,
//
//   node Benchmarks/reader/bench.mjs [--records 1000] [--rounds 15]
//
// Builds N records of real shapes (front matters of ../shared/real-sample, bodies of 1-8 KB),
// sealed (AES-256-CBC) and Ed25519-signed by node:crypto — not by the reader — then opens
// them one after another with openRecord and a read-only key plus the .pub, both parsed
// once. The floor is the same records' bare WebCrypto cost in the same process:
// subtle.verify over "secured-record-v1\n" || R' plus subtle.decrypt, with R', IV and
// ciphertext prepared beforehand. Rounds alternate; the best rounds are compared (the
// machine is shared: the medians and CPU times are printed too).
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createCipheriv, generateKeyPairSync, randomBytes, sign as edSign, createHash } from "node:crypto";
import { parseKey, openRecord } from "../../reader/secured-reader.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("records", 1000);
const ROUNDS = arg("rounds", 15);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();

// ---- front matters of real records
// Only ../shared beside the checkout: the repository names no path of a machine.
const sampleDir = [join(repo, "../shared/real-sample")].find(existsSync);
const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
let fronts = [];
if (sampleDir) {
  for (const f of walk(sampleDir).filter((p) => p.endsWith(".md"))) {
    const lines = readFileSync(f, "utf8").replace(/\r\n/g, "\n").split("\n");
    const end = lines.indexOf("---", 1);
    if (lines[0] !== "---" || end < 0) continue;
    fronts.push(lines.slice(1, end).filter((l) => !/^(secured|signature):/.test(l)));
  }
} else {
  console.error(`${join(repo, "../shared/real-sample")} (../shared/real-sample beside the checkout) not found: generated front matters used instead`);
  fronts = [["title: \"Generated\"", "topics:", "  - Security"]];
}

// ---- a key, made here (node:crypto), written as the tool writes its files
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const words = "privacy model données 東京 audit key ruling camera recognition dataset court vendor signal édition".split(" ");
const encKey = randomBytes(32);
const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const pk = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
const kn = createHash("sha256").update("secured-keynum-v1\n").update(pk).digest().subarray(0, 8);
const pubText = `untrusted comment: secured public key bench\n${Buffer.concat([Buffer.from("Ed"), kn, pk]).toString("base64")}\n`;
const readOnlyText = `id: bench\nenc: ${encKey.toString("base64")}\n`;

function makeRecord(i) {
  const fm = fronts[i % fronts.length];
  let body = `\n# Record ${i}\n\n`;
  const target = 1000 + Math.floor(rand() * 7000);
  while (body.length < target) body += words[Math.floor(rand() * words.length)] + (rand() < 0.1 ? ".\n\n" : " ");
  const content = enc.encode(body);
  const iv = randomBytes(16);
  const c = createCipheriv("aes-256-cbc", encKey, iv);
  const ct = Buffer.concat([c.update(content), c.final()]);
  const unsigned = ["---", ...fm, `secured: "${ct.toString("base64")};${iv.toString("base64")}"`, "---", "", ""].join("\n");
  const message = Buffer.concat([Buffer.from("secured-record-v1\n"), Buffer.from(unsigned)]);
  const sig = edSign(null, message, privateKey).toString("base64");
  const signed = unsigned.replace(/(secured: "[^"]*"\n)/, `$1signature: "ed25519;bench;${sig}"\n`);
  return { bytes: new Uint8Array(Buffer.from(signed)), rPrime: new Uint8Array(message), sig: Buffer.from(sig, "base64"), iv, ct, contentLength: content.length };
}

const records = Array.from({ length: N }, (_, i) => makeRecord(i));
const bytesTotal = records.reduce((s, r) => s + r.bytes.length, 0);

// ---- the reader: keys parsed once
const keys = [await parseKey(readOnlyText), await parseKey(pubText)];
const options = { keys, allowUnsigned: false };
async function readerRound() {
  let total = 0;
  for (const r of records) total += (await openRecord(r.bytes, options)).content.length;
  return total;
}

// ---- the floor: bare WebCrypto, keys imported once, R', IV and ciphertext ready
const verifyKey = await subtle.importKey("raw", pk, { name: "Ed25519" }, false, ["verify"]);
const aesKey = await subtle.importKey("raw", encKey, { name: "AES-CBC" }, false, ["decrypt"]);
async function floorRound() {
  let total = 0;
  for (const r of records) {
    if (!(await subtle.verify({ name: "Ed25519" }, verifyKey, r.sig, r.rPrime))) throw new Error("floor: bad signature");
    total += (await subtle.decrypt({ name: "AES-CBC", iv: r.iv }, aesKey, r.ct)).byteLength;
  }
  return total;
}

const expected = records.reduce((s, r) => s + r.contentLength, 0);
// Wall time and CPU time (all threads of the process: WebCrypto's jobs run on libuv's pool).
const time = async (fn) => {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const total = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  if (total !== expected) throw new Error("content length differs");
  return { wall, cpu: (c.user + c.system) / 1000 };
};
await readerRound(); // warm-up (JIT) for both
await floorRound();
const reader = [];
const floor = [];
for (let k = 0; k < ROUNDS; k++) {
  // Alternate which goes first, so neither always runs on a warmer machine.
  if (k % 2) {
    floor.push(await time(floorRound));
    reader.push(await time(readerRound));
  } else {
    reader.push(await time(readerRound));
    floor.push(await time(floorRound));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const stat = (runs, key) => ({ min: min(runs.map((r) => r[key])), median: median(runs.map((r) => r[key])) });
const fw = stat(floor, "wall"), rw = stat(reader, "wall"), fc = stat(floor, "cpu"), rc = stat(reader, "cpu");
const us = (ms) => ((ms * 1000) / N).toFixed(1);
console.log(`node ${process.versions.node}, ${N} records (${(bytesTotal / 1024).toFixed(0)} KiB, front matters of ${fronts.length} real records), ${ROUNDS} rounds, load average ${(await import("node:os")).loadavg()[0].toFixed(2)}`);
console.log(`floor  (subtle.verify + subtle.decrypt):   wall min ${fw.min.toFixed(1)} ms (${us(fw.min)} µs a record), median ${fw.median.toFixed(1)} ms; CPU min ${fc.min.toFixed(1)} ms`);
console.log(`reader (openRecord, read-only key + .pub): wall min ${rw.min.toFixed(1)} ms (${us(rw.min)} µs a record), median ${rw.median.toFixed(1)} ms; CPU min ${rc.min.toFixed(1)} ms`);
const ratio = rw.min / fw.min;
console.log(`ratio (wall, best rounds) ${ratio.toFixed(2)}; median rounds ${(rw.median / fw.median).toFixed(2)}; CPU ${(rc.min / fc.min).toFixed(2)} (target 1.5 or less)`);
process.exitCode = ratio <= 1.5 ? 0 : 1;
