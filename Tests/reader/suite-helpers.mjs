// Helpers of the reader's suite (suite.mjs and its themes): assertions, a spy on
// crypto.subtle, byte helpers, and a minisign signer for manifests made in the tests.

export const enc = new TextEncoder();

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256(bytes) {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The longest the thread was held in one piece while `f()` ran, in milliseconds: the longest
 * gap between the ticks of a 5 ms timer, the start and the end of the call included.
 */
export async function longestStall(f) {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  try {
    await f();
  } finally {
    clearInterval(timer);
    tick();
  }
  return longest;
}

export async function expectCode(promise, code, what) {
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

/**
 * `expectCode`, then the line and field the error blames, when the case pins them: the
 * committed vectors pin both (null: it blames none), as the Swift library reports them.
 */
export async function expectFailure(promise, expect, what) {
  const e = await expectCode(promise, expect.code, what);
  for (const key of ["line", "field"]) {
    if (key in expect) check(e[key] === expect[key], `${what}: ${expect.code} blames ${key} ${JSON.stringify(e[key])}, expected ${JSON.stringify(expect[key])} (${e.message})`);
  }
  return e;
}

// Watches crypto.subtle: which calls happen, in what order. Verification must come
// before decryption, and a record that fails its checks must never be decrypted. PBKDF2
// work is watched too: a count out of range must be refused before anything is derived
// (a derivation of more than 10,000,000 iterations is not even started: a reader that
// tried one would otherwise spin here), and every key made must be non-extractable.
const WATCHED = ["decrypt", "verify", "importKey", "deriveKey", "deriveBits", "exportKey"];
const isPBKDF2 = (alg) => (typeof alg === "string" ? alg : alg?.name)?.toUpperCase() === "PBKDF2";

export function spyOnSubtle() {
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

export const BLAKE2B_ABC =
  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

export const b64 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
};
export const join = (...parts) => {
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
// `makeManifestSigner(blake2b)` returns a function that makes the key on its first call.
export function makeManifestSigner(blake2b) {
  let signer = null;
  return async () => {
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
  };
}

export const HASH_A = "a".repeat(64);
export const HASH_B = "b".repeat(64);
export const line = (hash, path) => join(enc.encode(`${hash}  `), typeof path === "string" ? enc.encode(path) : path, enc.encode("\n"));

/** Tests of one theme: `[name, test]` pairs, each test run with the suite's context. */
export function named(ctx, list) {
  return list.map(([name, test]) => ({ name, run: async () => test(ctx) }));
}
