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

const enc = new TextEncoder();

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(bytes) {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function expectCode(promise, code, what) {
  let result;
  try {
    result = await promise;
  } catch (e) {
    if (e?.name !== "SecuredReaderError") throw new Error(`${what}: expected ${code}, got a ${e?.name}: ${e?.message}`);
    check(e.code === code, `${what}: expected ${code}, got ${e.code} (${e.message})`);
    return e;
  }
  throw new Error(`${what}: expected ${code}, but it succeeded${result?.text != null ? " and returned content" : ""}`);
}

// Watches crypto.subtle: which calls happen, in what order. Verification must come
// before decryption, and a record that fails its checks must never be decrypted. PBKDF2
// work is watched too: a count out of range must be refused before anything is derived
// (a derivation of more than 10,000,000 iterations is not even started: a reader that
// tried one would otherwise spin here), and every key made must be non-extractable.
const WATCHED = ["decrypt", "verify", "importKey", "deriveKey", "deriveBits", "exportKey"];
const isPBKDF2 = (alg) => (typeof alg === "string" ? alg : alg?.name)?.toUpperCase() === "PBKDF2";

function spyOnSubtle() {
  const subtle = globalThis.crypto.subtle;
  const calls = [];
  const pbkdf2 = [];
  const made = [];
  const saved = {};
  for (const name of WATCHED) {
    saved[name] = Object.getOwnPropertyDescriptor(subtle, name);
    const original = subtle[name];
    Object.defineProperty(subtle, name, {
      configurable: true,
      writable: true,
      value: function (...args) {
        calls.push(name);
        if ((name === "importKey" && isPBKDF2(args[2])) || ((name === "deriveKey" || name === "deriveBits") && isPBKDF2(args[0]))) {
          pbkdf2.push(name);
          if (name !== "importKey" && !(args[0].iterations <= 10_000_000)) {
            return Promise.reject(new Error(`${name} with ${args[0].iterations} iterations: a reader must refuse that count first`));
          }
        }
        const result = original.apply(this, args);
        if (name === "importKey" || name === "deriveKey") result.then((k) => made.push({ name, key: k }), () => {});
        return result;
      },
    });
  }
  return {
    calls,
    pbkdf2,
    made,
    restore() {
      for (const name of WATCHED) {
        if (saved[name]) Object.defineProperty(subtle, name, saved[name]);
        else delete subtle[name];
      }
    },
  };
}

const BLAKE2B_ABC =
  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

export async function buildSuite({ reader, load, sets, report = (line) => console.log(line) }) {
  const { parseKey, openRecord, verifyRecord, verifyManifest, checkListed, SecuredReaderError, blake2b, storableKey, restoreKey } = reader;
  const tests = [];
  const add = (name, run) => tests.push({ name, run });
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
  const decodeOrNull = (bytes) => {
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return null;
    }
  };

  // ---- every case of every set
  for (const { label, base, cases } of sets) {
    for (const c of cases) {
      const name = `${label}: ${c.id}`;
      if (c.kind === "record") {
        add(name, async () => {
          const bytes = await load(base + c.record);
          const keys = await keysFor(base, c.keys);
          const options = { keys, allowUnsigned: c.allowUnsigned, name: c.record };
          const spy = spyOnSubtle();
          try {
            if (c.expect.code) {
              await expectCode(openRecord(bytes, options), c.expect.code, c.id);
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
        });
      } else if (c.kind === "manifest") {
        add(name, async () => {
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
            await expectCode(run(), c.expect.code, c.id);
          } else {
            const entries = await run();
            check(entries.size === c.expect.entries, `${c.id}: ${entries.size} entries, expected ${c.expect.entries}`);
          }
        });
      } else if (c.kind === "passphrase") {
        add(name, async () => {
          const text = new TextDecoder().decode(await load(base + c.keyFile));
          const others = await keysFor(base, c.keys);
          const options = c.passphrase == null ? { source: c.keyFile } : { source: c.keyFile, passphrase: c.passphrase };
          const spy = spyOnSubtle();
          let key;
          let elapsed;
          const started = performance.now();
          try {
            if (c.expect.code) {
              const e = await expectCode(parseKey(text, options), c.expect.code, c.id);
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
        });
      } else if (c.kind === "blake2b") {
        add(name, async () => {
          const input = await load(base + c.input);
          check(hex(blake2b(input)) === c.expect, `${c.id}: BLAKE2b-512 differs from hashlib's`);
        });
      }
    }
  }

  // ---- many records at once (the reader reuses a scratch buffer for R': it must not mix them)
  add("api: records opened concurrently each get their own content", async () => {
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
  });

  // ---- BLAKE2b: RFC 7693 Appendix A, and block edges
  add("blake2b: RFC 7693 appendix A ('abc')", async () => {
    check(hex(blake2b(enc.encode("abc"))) === BLAKE2B_ABC, "BLAKE2b-512('abc') differs from RFC 7693");
  });
  add("blake2b: empty input", async () => {
    check(
      hex(blake2b(new Uint8Array(0))) ===
        "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
      "BLAKE2b-512('') differs",
    );
  });

  // ---- API contract
  add("api: every failure is a SecuredReaderError with a code", async () => {
    const e = await expectCode(openRecord(enc.encode("no front matter\n"), { keys: [] }), "SR001", "plain text");
    check(e instanceof SecuredReaderError && e instanceof Error, "not a SecuredReaderError");
    check(typeof e.message === "string" && e.message.includes("SR001"), "message does not name the code");
  });
  add("api: a key file the reader cannot use is KEY, and the message holds no key bytes", async () => {
    const secret = btoa("twenty bytes of key!"); // 20 bytes: not an AES key size
    const e = await expectCode(parseKey(`id: x\nenc: ${secret}\n`), "KEY", "enc of 20 bytes");
    check(!e.message.includes(secret.slice(0, 12)), "the message holds the key's base64");
    check(e.field === "enc" && e.line === 2, `the error names field ${e.field}, line ${e.line}`);
    await expectCode(parseKey("-----BEGIN AGE ENCRYPTED FILE-----\nabc\n"), "KEY", "age file");
    await expectCode(parseKey("untrusted comment: x\nnot base64\n"), "KEY", "bad pub");
    await expectCode(openRecord(enc.encode("---\n---\n"), { keys: [{ id: "forged" }] }), "KEY", "a plain object as a key");
  });
  add("api: parseKey results are opaque (no key bytes in JSON)", async () => {
    const k = await parseKey("id: t\nenc: " + btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) + "\n");
    check(k.type === "read-only" && k.id === "t", `parsed ${JSON.stringify(k)}`);
    const json = JSON.stringify(k);
    check(!json.includes("BwcH"), "JSON of a parsed key shows key bytes");
  });
  add("api: control characters from a manifest's paths are escaped in messages", async () => {
    const e = await expectCode(checkListed(new Map(), "a\u001b[31mb.md", enc.encode("x")), "SR018", "unlisted path");
    check(!e.message.includes("\u001b") && e.message.includes("\\x1b"), `message ${JSON.stringify(e.message)}`);
    await expectCode(verifyManifest(new Uint8Array(100), null, { keys: [], sizeLimit: 10 }), "SR018", "manifest over the size limit");
  });
  add("api: a passphrase key file needs the passphrase; passing it among the keys of openRecord is KEY", async () => {
    const file = "untrusted comment: secured passphrase key x members\npbkdf2-sha256;600000;AAAAAAAAAAAAAAAAAAAAAA==\n" + btoa("n".repeat(60)) + "\n";
    await expectCode(parseKey(file), "KEY", "no passphrase");
    await expectCode(openRecord(enc.encode("---\n---\n"), { keys: [file] }), "KEY", "a .key.pw among the keys");
    await expectCode(parseKey(file, { passphrase: "\ud800 lone surrogate" }), "KEY", "a passphrase that is not Unicode text");
    const none = await expectCode(parseKey(file, { passphrase: new Uint8Array(0) }), "KEY", "a passphrase of no bytes");
    check(none.message.includes("needs the passphrase"), `a passphrase of no bytes: ${none.message}`);
  });
  add("api: only read-only keys are stored, and only well-formed stored keys are restored", async () => {
    const secret = await parseKey(`id: s\nenc: ${btoa("e".repeat(32))}\nmac: ${btoa("m".repeat(32))}\n`);
    await expectCode((async () => storableKey(secret))(), "KEY", "a secret key stored");
    const readOnly = await parseKey(`id: r\nenc: ${btoa("e".repeat(32))}\n`);
    const stored = storableKey(readOnly);
    check(stored.enc.extractable === false && stored.label === null, `stored ${JSON.stringify(stored)}`);
    const extractable = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "AES-CBC" }, true, ["decrypt"]);
    await expectCode((async () => restoreKey({ ...stored, enc: extractable }))(), "KEY", "an extractable key restored");
    await expectCode((async () => restoreKey({ ...stored, id: "bad id" }))(), "KEY", "a bad id restored");
    await expectCode((async () => restoreKey({ ...stored, enc: "raw bytes" }))(), "KEY", "no CryptoKey restored");
  });
  add("api: oversized record is SR017 before anything else", async () => {
    await expectCode(openRecord(new Uint8Array(64), { keys: [], sizeLimit: 32 }), "SR017", "over the size limit");
  });
  // ---- hostile inputs (found by a stranger): time linear in the input, memory before authentication
  const vectorBase = sets.find((s) => s.cases.some((c) => c.id === "ed25519-readonly-and-pub"))?.base;
  const vector = async (path) => load(vectorBase + path);
  const vectorText = async (path) => new TextDecoder().decode(await vector(path));
  const b64 = (bytes) => {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  };
  const join = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  // A minisign key made here (WebCrypto), and .minisig files of given bytes (SPEC section 6:
  // prehashed ED over BLAKE2b-512, then the global signature over signature || trusted comment).
  let signer = null;
  async function manifestSigner() {
    if (signer) return signer;
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const pk = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    const kn = crypto.getRandomValues(new Uint8Array(8));
    const pub = `untrusted comment: minisign public key\n${b64(join(enc.encode("Ed"), kn, pk))}\n`;
    const sign = async (bytes) => {
      const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, blake2b(bytes)));
      const trusted = "timestamp:0\tfile:MANIFEST.sha256\thashed";
      const global = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, join(signature, enc.encode(trusted))));
      return `untrusted comment: test signature\n${b64(join(enc.encode("ED"), kn, signature))}\ntrusted comment: ${trusted}\n${b64(global)}\n`;
    };
    signer = { pub, sign };
    return signer;
  }
  const HASH_A = "a".repeat(64);
  const HASH_B = "b".repeat(64);
  const line = (hash, path) => join(enc.encode(`${hash}  `), typeof path === "string" ? enc.encode(path) : path, enc.encode("\n"));

  // Each kind of input the reader parses, at 8 KB and at 64 KB of hostile content: the time
  // of the larger may be 8 times that of the smaller (give or take: 24 times), never the 64
  // times of a quadratic parse. Best of several runs; times under 4 ms count as 4 ms.
  add("hostile: every parser takes time linear in its input (8 KB vs 64 KB of blanks, '-', base64, ';', CRs)", async () => {
    const { pub, sign } = await manifestSigner();
    const pwComment = "untrusted comment: secured passphrase key x members";
    const rep = (s, n) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
    const kinds = {
      "key file": [
        (n) => "created: 2026" + rep(" \t", n) + "x",
        (n) => "id: x\ncreated: 2026" + rep(" \t", n) + "\n",
        (n) => "created: 'x'" + rep(" \t", n) + "#",
        (n) => "created: x" + rep(" #", n),
        (n) => rep("  \t\n", n) + "id",
        (n) => "id:" + rep("-", n),
        (n) => "enc: " + rep("A", n) + "\n",
        (n) => rep("\r", n),
        (n) => rep("\r\n", n),
        (n) => "created: \"" + rep(" ", n),
        (n) => "id: x\n" + rep("#", n),
      ],
      "public key file": [
        (n) => "untrusted comment: " + rep(" \t", n) + "\n" + rep("A", n) + "\n",
        (n) => "untrusted comment: secured public key " + rep("-", n) + "\nAAAA\n",
        (n) => "untrusted comment: x\n" + rep("A", n) + "=\n",
        (n) => "untrusted comment: x\n" + rep("\r\n", n),
        (n) => "untrusted comment: x\n" + rep(";", n),
      ],
      "passphrase key file": [
        (n) => pwComment.replace(" members", rep(" ", n)) + "\npbkdf2-sha256;600000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n",
        (n) => pwComment + "\npbkdf2-sha256;" + rep("1", n) + ";AAAA\nAAAA\n",
        (n) => pwComment + "\npbkdf2-sha256;01" + rep("0", n) + ";AAAA\nAAAA\n",
        (n) => pwComment + "\n" + rep(";", n) + "\nAAAA\n",
        (n) => pwComment + "\npbkdf2-sha256;600000;" + rep("A", n) + "\nAAAA\n",
        (n) => pwComment + "\npbkdf2-sha256;1;AAAAAAAAAAAAAAAAAAAAAA==\n" + rep("A", n) + "\n",
        (n) => pwComment + "\n" + rep("\r", n),
      ],
      record: [
        (n) => "---\nsecured: " + rep(" ", n) + "x\n---\n",
        (n) => "---\nsecured: " + rep("A", n) + ";" + rep("A", n) + "\n---\n",
        (n) => "---\nsecured: " + rep(";", n) + "\n---\n",
        (n) => "---\nsecured: AAAA;AAAA\nsignature: ed25519;" + rep(";", n) + "\n---\n",
        (n) => "---\nsecured: AAAA;AAAA\nsignature: " + rep("-", n) + "\n---\n",
        (n) => "---\n" + rep("-", n) + "\n---\n",
        (n) => "---\nsecured: AAAA;AAAA\n" + rep(" \t\n", n) + "---\n",
        (n) => "---\n" + rep("s\n", n) + "---\n",
        (n) => "---\n" + rep("\r", n),
        (n) => "---\r\n" + rep("secured: A\r\n", n) + "---\r\n",
        (n) => "---\nsecured: '" + rep(" ", n),
      ],
      manifest: [
        (n) => rep(`${HASH_A}  a.md\n`, n),
        (n) => "#" + rep("#", n),
        (n) => "# signature:" + rep(" ", n) + "v1;x;" + rep("A", n) + "\n",
        (n) => "# signature: v1;x;" + rep(";", n) + "\n",
        (n) => rep("\n", n),
        (n) => rep("\r\n", n),
        (n) => rep("-", n),
        (n) => `${HASH_A}  ` + rep("A", n) + "\n",
        (n) => `${HASH_A}  ` + rep(";", n) + "\n",
        (n) => `${HASH_A}  ` + rep(" ", n) + "\n",
      ],
      minisig: [
        (n) => rep("\n", n),
        (n) => "untrusted comment: " + rep(" ", n) + "\n" + rep("A", n) + "\n",
        (n) => rep("\r", n),
        (n) => rep("A", n),
      ],
    };
    const keys = [pub];
    const run = {
      "key file": (text) => parseKey(text, { source: "hostile.key" }),
      "public key file": (text) => parseKey(text, { source: "hostile.pub" }),
      "passphrase key file": (text) => parseKey(text, { source: "hostile.key.pw", passphrase: "p" }),
      record: (text) => openRecord(text, { keys }),
      manifest: (input) => verifyManifest(input.bytes, input.minisig, { keys }),
      minisig: (text) => verifyManifest(enc.encode(`${HASH_A}  a.md\n`), text, { keys }),
    };
    const best = async (f, input) => {
      let least = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        try {
          await f(input);
        } catch (e) {
          if (e?.name !== "SecuredReaderError") throw e;
        }
        least = Math.min(least, performance.now() - t0);
      }
      return least;
    };
    const slow = [];
    let worst = "";
    let worstRatio = 0;
    for (const [kind, makers] of Object.entries(kinds)) {
      for (const [i, make] of makers.entries()) {
        const inputs = [];
        // 8,000 and 64,000: a key file of 64,000 characters and a few more is still read (the limit is 65,536).
        for (const n of [8000, 64000]) {
          const text = make(n);
          inputs.push(kind === "manifest" ? { bytes: enc.encode(text), minisig: await sign(enc.encode(text)) } : text);
        }
        const small = await best(run[kind], inputs[0]);
        const large = await best(run[kind], inputs[1]);
        const ratio = large / Math.max(small, 4);
        if (ratio > worstRatio) [worstRatio, worst] = [ratio, `${kind} (input ${i + 1}): ${small.toFixed(1)} ms (8 KB), ${large.toFixed(1)} ms (64 KB)`];
        if (ratio > 24) slow.push(`${kind} (input ${i + 1}): ${small.toFixed(1)} ms for 8 KB, ${large.toFixed(1)} ms for 64 KB`);
      }
    }
    report(`measure: hostile inputs, the largest growth 8 KB -> 64 KB: ${worst}`);
    check(slow.length === 0, `time grows faster than the input: ${slow.join("; ")}`);
  });

  // A manifest, or a .minisig, of 16 MiB of line feeds: refused (SR019) before one object
  // per line is made (the reader used to allocate 1.5 GB, then die at 64 MiB).
  add("hostile: 16 MiB manifests and .minisig files of line feeds are refused quickly (SR019)", async () => {
    const { pub, sign } = await manifestSigner();
    const lf = new Uint8Array(16 * 1024 * 1024).fill(0x0a);
    const otherSig = await sign(enc.encode(`${HASH_A}  a.md\n`));
    const cases = [
      ["a manifest of line feeds without a signature", () => verifyManifest(lf, null, { keys: [pub] })],
      ["a manifest of line feeds with another manifest's .minisig", () => verifyManifest(lf, otherSig, { keys: [pub] })],
      ["a .minisig of line feeds (bytes)", () => verifyManifest(enc.encode(`${HASH_A}  a.md\n`), lf, { keys: [pub] })],
      ["a .minisig of line feeds (text)", () => verifyManifest(enc.encode(`${HASH_A}  a.md\n`), "\n".repeat(lf.length), { keys: [pub] })],
    ];
    const times = [];
    for (const [what, f] of cases) {
      const t0 = performance.now();
      await expectCode(f(), "SR019", what);
      const t = performance.now() - t0;
      times.push(`${t.toFixed(0)} ms`);
      check(t < 2500, `${what}: ${t.toFixed(0)} ms`);
    }
    report(`measure: 16 MiB of line feeds refused in ${times.join(", ")}`);
    const big = await expectCode(verifyManifest(enc.encode(`${HASH_A}  a.md\n`), "x".repeat(4097), { keys: [pub] }), "SR019", "a .minisig of 4097 bytes");
    check(big.message.includes("4096"), big.message);
  });

  // Two names that are not UTF-8 (a\xfe.md, a\xff.md) in a correctly signed manifest were
  // read as one entry 'a\uFFFD.md' with the second hash: a path that is not UTF-8 is SR018.
  add("manifest: a listed path that is not UTF-8, or a path listed twice, is SR018 naming the line (never merged)", async () => {
    const { pub, sign } = await manifestSigner();
    const verify = async (bytes) => verifyManifest(bytes, await sign(bytes), { keys: [pub] });
    const notUTF8 = join(line(HASH_A, "0.md"), line(HASH_A, new Uint8Array([0x61, 0xfe, 0x2e, 0x6d, 0x64])), line(HASH_B, new Uint8Array([0x61, 0xff, 0x2e, 0x6d, 0x64])));
    const e = await expectCode(verify(notUTF8), "SR018", "a\\xfe.md and a\\xff.md");
    check(e.line === 2 && e.message.includes("a\\xFE.md") && e.message.includes("UTF-8"), `message ${JSON.stringify(e.message)}, line ${e.line}`);
    const overlong = join(line(HASH_A, new Uint8Array([0x61, 0xc0, 0xaf, 0x2e, 0x6d, 0x64])));
    await expectCode(verify(overlong), "SR018", "an overlong '/'");
    const twice = join(line(HASH_A, "a.md"), line(HASH_B, "a.md"));
    const t = await expectCode(verify(twice), "SR018", "a path listed twice");
    check(t.line === 2 && t.message.includes("listed twice"), `message ${JSON.stringify(t.message)}, line ${t.line}`);
    const same = join(line(HASH_A, "a.md"), line(HASH_A, "a.md"));
    await expectCode(verify(same), "SR018", "a line repeated");
    // Names in UTF-8 that differ stay distinct.
    const good = join(line(HASH_A, "a\u00fe.md"), line(HASH_B, "a\u00ff.md"));
    const entries = await verify(good);
    check(entries.size === 2 && entries.get("a\u00fe.md") === HASH_A && entries.get("a\u00ff.md") === HASH_B, `entries ${JSON.stringify([...entries])}`);
  });

  // `Object.prototype.allowUnsigned = true` anywhere in a page made openRecord take the
  // unsigned path: options are read as the caller's own properties only.
  add("api: options are own properties only (a polluted Object.prototype changes nothing)", async () => {
    const signed = await vector("records/ed25519.md");
    const legacy = await vector("records/legacy.md");
    const readOnly = await vectorText("keys/vec.readonly.key");
    const vecPub = await vectorText("keys/vec.pub");
    const legacyKey = await vectorText("keys/legacy.key");
    const pwCase = sets.flatMap((s) => s.cases.map((c) => ({ c, base: s.base }))).find(({ c }) => c.kind === "passphrase" && !c.expect.code && !c.measure);
    check(pwCase, "no passphrase key file case to use");
    const pwFile = new TextDecoder().decode(await load(pwCase.base + pwCase.c.keyFile));
    const { pub, sign } = await manifestSigner();
    const manifest = join(line(HASH_A, "a.md"), line(HASH_B, "b.md"));
    const minisig = await sign(manifest);
    const parsedReadOnly = await parseKey(readOnly);
    const outcome = async (f) => {
      try {
        const r = await f();
        if (r instanceof Map) return `ok ${JSON.stringify([...r])}`;
        return `ok ${JSON.stringify(r, (k, v) => (v instanceof Uint8Array ? hex(v) : typeof CryptoKey !== "undefined" && v instanceof CryptoKey ? "CryptoKey" : v))}`;
      } catch (e) {
        return `${e?.name} ${e?.code} ${e?.line} ${e?.field} ${e?.message}`;
      }
    };
    const calls = {
      "openRecord signed": () => openRecord(signed, { keys: [readOnly, vecPub] }),
      "openRecord unsigned, not allowed": () => openRecord(legacy, { keys: [legacyKey] }),
      "openRecord without keys": () => openRecord(signed, {}),
      "openRecord, no options": () => openRecord(signed),
      "openRecord, keys with a hole": () => openRecord(signed, { keys: new Array(1) }),
      "verifyRecord": () => verifyRecord(signed, { keys: [vecPub] }),
      "verifyRecord without keys": () => verifyRecord(signed, {}),
      "parseKey .key.pw without passphrase": () => parseKey(pwFile, { source: "members.key.pw" }),
      "parseKey .key.pw, no options": () => parseKey(pwFile),
      "parseKey without source": () => parseKey("id: x\n", {}),
      "parseKey a public key": () => parseKey(vecPub),
      "verifyManifest": () => verifyManifest(manifest, minisig, { keys: [pub] }),
      "verifyManifest without keys": () => verifyManifest(manifest, minisig, {}),
      "storableKey of a read-only key": async () => {
        const s = storableKey(parsedReadOnly);
        return { ...s, restored: restoreKey(s) };
      },
      "restoreKey without a label": async () => {
        const { label, ...rest } = storableKey(parsedReadOnly);
        return restoreKey(rest);
      },
      "checkListed": () => checkListed(new Map([["a.md", HASH_A]]), "a.md", enc.encode("x")),
    };
    const clean = {};
    for (const [what, f] of Object.entries(calls)) clean[what] = await outcome(f);
    check(clean["openRecord unsigned, not allowed"].includes("SR008"), clean["openRecord unsigned, not allowed"]);
    const pollution = {
      allowUnsigned: true,
      keys: [legacyKey, readOnly, vecPub, pub],
      passphrase: pwCase.c.passphrase,
      source: "POLLUTED",
      name: "POLLUTED",
      sizeLimit: 1,
      label: "POLLUTED",
      line: 99,
      field: "POLLUTED",
      reason: "POLLUTED",
      ok: false,
      format: "secured-stored-key-v1",
      0: readOnly,
    };
    const changed = [];
    for (const [prop, value] of Object.entries(pollution)) {
      try {
        Object.prototype[prop] = value;
        for (const [what, f] of Object.entries(calls)) {
          const now = await outcome(f);
          if (now !== clean[what]) changed.push(`Object.prototype.${prop}: ${what}: ${now.slice(0, 160)} (clean: ${clean[what].slice(0, 120)})`);
        }
      } finally {
        delete Object.prototype[prop];
      }
    }
    check(changed.length === 0, changed.join("\n"));
  });

  // A source name with control characters was put in messages raw (a log's '::error::'
  // command, a terminal escape): it is escaped as any other outside text.
  add("api: parseKey's source is escaped in messages (line breaks, ESC, BEL, bidi)", async () => {
    const source = "keys/a\n::error::b\u001b[31m\u0007\u2028\u202e.key";
    const e = await expectCode(parseKey("id: x\n", { source }), "KEY", "a key without enc");
    check(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(e.message), `message ${JSON.stringify(e.message)}`);
    check(e.message.startsWith("keys/a\\x0a::error::b\\x1b[31m\\x07\\u{2028}\\u{202e}.key:"), `message ${JSON.stringify(e.message)}`);
    const pw = await expectCode(parseKey("untrusted comment: secured passphrase key x y\nfoo;1;AA==\nAAAA\n", { source, passphrase: "p" }), "KEY", "a .key.pw");
    check(!pw.message.includes("\n") && pw.message.includes("\\x0a::error::"), `message ${JSON.stringify(pw.message)}`);
    const record = await expectCode(openRecord(enc.encode("x"), { keys: [], name: "r\u0085\u2029.md" }), "SR001", "a record name");
    check(record.message.startsWith("r\\x85\\u{2029}.md:"), `message ${JSON.stringify(record.message)}`);
  });
  return tests;
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
