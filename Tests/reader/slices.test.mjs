// node --test Tests/reader/  — what the reader reads in time slices (so that a large input
// never holds the thread long) gives what reading it in one piece gave: records over the
// sizes where slicing starts (a message over 1 MiB built in its own buffer, UTF-8 checked
// 1 MiB at a time, base64 decoded 64 KiB at a time, CR LF pairs across slices), signed by
// node:crypto (stranger-support.mjs), never by the reader; several opened at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { reader } from "./node-support.mjs";
import { demoKeyText, demoPubText, seal, signText } from "./stranger-support.mjs";

const { openRecord, verifyRecord, parseKey } = reader;

const KiB = 1024;
const MiB = 1024 * KiB;
let seed = 20261206;
const rand = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
// A body of `n` characters drawn from `alphabet`.
const body = (n, alphabet) => Array.from({ length: n }, () => alphabet[rand(alphabet.length)]).join("");

const keys = [await parseKey(demoKeyText)];
const pubKeys = [await parseKey(demoPubText)];
const plain = Buffer.from("sealed content\n");

test("signed records of CR LF, lone CR and LF bodies verify and open, at the sizes around the 1 MiB where the message gets its own buffer", async () => {
  let checked = 0;
  for (const size of [1000, MiB - 300, MiB + 300, 3 * MiB]) {
    for (const [what, alphabet] of [["CR, LF and a", ["\r", "\n", "a"]], ["CR LF lines", ["\r\n", "xy\r\n", "z"]], ["no CR", ["abc\n", "d"]]]) {
      const text = `---\ntitle: t\r\nsecured: "${seal(plain)}"\n---\n${body(Math.ceil(size / 2), alphabet)}`;
      for (const kind of ["ed25519", "v1"]) {
        const record = signText(text, kind);
        const opened = await openRecord(record, { keys });
        assert.equal(Buffer.from(opened.content).toString(), plain.toString(), `${what}, ${record.length} characters, ${kind}`);
        assert.equal(opened.signature, kind);
        if (kind === "ed25519") assert.equal((await verifyRecord(record, { keys: pubKeys })).keyId, "demo");
        // One byte changed anywhere in the body: SR011.
        const at = record.length - 1 - rand(Math.min(record.length - 200, 64 * KiB));
        const changed = record.slice(0, at) + (record[at] === "q" ? "r" : "q") + record.slice(at + 1);
        await assert.rejects(openRecord(changed, { keys }), (e) => e.code === "SR011" || assert.fail(`${what}: ${e.code} ${e.message}`));
        checked++;
      }
    }
  }
  assert.equal(checked, 24);
});

test("large and small records opened at once, their slices interleaved, all verify (the small ones' shared buffer is not the large ones')", async () => {
  const make = (size) => signText(`---\nsecured: "${seal(plain)}"\n---\n${body(size, ["line\r\n", "x\r", "\n"])}`);
  const records = [make(2 * MiB), make(100), make(3 * MiB), make(5000), make(MiB + 10), make(10)];
  const all = await Promise.all([...records, ...records].map((r) => openRecord(r, { keys })));
  for (const opened of all) assert.equal(Buffer.from(opened.content).toString(), plain.toString());
});

// The reference: the line of the first byte a fatal decoder refuses, decoding line by line
// from `from` (a line start: the bytes before it are known to be UTF-8), lines counted before.
function referenceLine(b, from = 0) {
  const fatal = new TextDecoder("utf-8", { fatal: true });
  let before = 1;
  for (let i = 0; i < from; i++) if (b[i] === 0x0a) before++;
  for (let s = from, line = before; s < b.length; line++) {
    let e = b.indexOf(0x0a, s);
    e = e < 0 ? b.length : e + 1;
    try {
      fatal.decode(b.subarray(s, e));
    } catch {
      return line;
    }
    s = e;
  }
  return null;
}

test("a record over 1 MiB (UTF-8 checked 1 MiB at a time): the line of its first bad byte is the one found reading it whole", async () => {
  const text = Buffer.from(body(1_000_000, ["é\n", "€", "😀", "a", "\n"])); // about 2.6 MB of 1-4 byte characters
  assert.ok(text.length > 2 * MiB + 16);
  const bad = [[0xff], [0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]];
  let checked = 0;
  for (const step of [MiB, 2 * MiB]) {
    for (let at = step - 3; at <= step + 3; at++) {
      for (const bytes of bad) {
        const b = Buffer.concat([Buffer.from("---\n"), text]);
        b.set(bytes, at);
        const expected = referenceLine(b, b.lastIndexOf(0x0a, at - 8) + 1); // the bytes before at - 8 are the text's
        if (expected === null) continue;
        await assert.rejects(verifyRecord(b, { keys: [] }), (e) => (e.code === "SR017" && e.line === expected) || assert.fail(`${bytes} at ${at}: ${e.code} line ${e.line}, expected ${expected}`));
        checked++;
      }
    }
  }
  // Valid characters straddling the steps, and one cut at the very end.
  const b = Buffer.concat([Buffer.from("---\n"), text]);
  await assert.rejects(verifyRecord(b, { keys: [] }), (e) => e.code === "SR001" || assert.fail(`${e.code} ${e.message}`));
  const cut = Buffer.concat([b, Buffer.from([0xf0, 0x9f, 0x98])]);
  await assert.rejects(verifyRecord(cut, { keys: [] }), (e) => (e.code === "SR017" && e.line === referenceLine(cut)) || assert.fail(`${e.code} line ${e.line}`));
  assert.ok(checked > 50, `${checked} cases`);
});

// An internal module: the sliced base64 decoder against the plain one, on the same bytes.
const { decodeBase64, decodeBase64Sliced } = await import("../../reader/src/bytes.mjs");
const { timeSlicer } = await import("../../reader/src/internal.mjs");

test("base64 over 64 KiB, decoded in slices, gives the bytes or the reason a whole decode gives", async () => {
  const valid = crypto.randomBytes(3 * 70_000 - 3 * 5).toString("base64"); // about 280,000 characters, no padding
  const padded = crypto.randomBytes(3 * 30_000 + 1).toString("base64"); // '=='
  const padded1 = crypto.randomBytes(3 * 30_000 + 2).toString("base64"); // '='
  const at = (text, k, c) => text.slice(0, k) + c + text.slice(k + 1);
  const cases = [valid, padded, padded1, "", "QQ==", valid.slice(1)];
  for (const text of [valid, padded, padded1]) {
    for (const k of [0, 65535, 65536, 65537, 131071, 131072, text.length - 5, text.length - 3, text.length - 2, text.length - 1]) {
      for (const c of ["!", "=", "-", "\u00e9"]) cases.push(at(text, k, c));
    }
    cases.push(at(at(text, 70000, "!"), 68000, "?"), at(at(text, 70000, "!"), text.length - 3, "B"));
  }
  const same = (a, b) => (typeof a === "string" ? a === b : typeof b !== "string" && Buffer.from(a).equals(Buffer.from(b)));
  for (const text of cases) {
    const b = new TextEncoder().encode(`x${text}y`);
    const whole = decodeBase64(b, 1, b.length - 1);
    const sliced = await decodeBase64Sliced(b, 1, b.length - 1, timeSlicer());
    assert.ok(same(whole, sliced), `${text.length} characters: ${typeof whole === "string" ? whole : "bytes"} / ${typeof sliced === "string" ? sliced : "bytes"}`);
  }
  // Through a record: a misplaced '=' deep in a ciphertext is SR005.
  const iv = crypto.randomBytes(16).toString("base64");
  const e = await openRecord(`---\nsecured: "${at(valid, 100_000, "=")};${iv}"\n---\n`, { keys }).catch((x) => x);
  assert.ok(e.code === "SR005" && e.message.includes("'=' padding is misplaced"), e.message);
});

test("a string over 256 Ki code units with a lone surrogate: the line named is the one counted in the whole string", async () => {
  for (const where of [262143, 262144, 262145, 524287]) {
    for (const [what, unit] of [["lone high", "\ud800"], ["lone low", "\udc00"], ["high, then high", "\ud800\ud800"]]) {
      const prefix = "---\n" + "ab\n".repeat(Math.floor(where / 3));
      const text = prefix.slice(0, where) + unit + "x\n---\n";
      let line = 1;
      for (let i = 0; i < where; i++) if (text.charCodeAt(i) === 0x0a) line++;
      await assert.rejects(openRecord(text, { keys }), (e) => (e.code === "SR017" && e.line === line) || assert.fail(`${what} at ${where}: ${e.code} line ${e.line}, expected ${line}`));
    }
    // A pair straddling a piece's end is no lone surrogate.
    const pair = ("---\n" + "ab\n".repeat(Math.floor(where / 3))).slice(0, where - 1) + "\ud83d\ude00\n---\n";
    await assert.rejects(openRecord(pair, { keys }), (e) => e.code === "SR003" || assert.fail(`${where}: ${e.code} ${e.message}`));
  }
});
