// secured-reader.mjs — a reader of secured article records (SPEC 1.2, section 9).
//
// One ES module, no dependencies: it uses only globalThis.crypto.subtle, TextDecoder and
// TextEncoder, so it runs unchanged in browsers (a secure context: HTTPS, localhost or
// file://), Node 20+, Deno and workers. It reads; it never writes, seals or signs.
//
// The order of the checks is SPEC section 9's, and it stops at the first failure:
//   1. form (SR017, SR001, SR002, SR004/SR009 continuation, SR003, SR004-SR007, SR009);
//   2. the signature, before anything is decrypted (SR010, SR011; SR008 when unsigned
//      records were not allowed), tags compared by subtle.verify (constant time);
//   3. decryption with the enc of the key whose id signed the record (SR012; content that
//      is not UTF-8 comes back as bytes with the warning SR013).
// Keys come only from the caller. Messages name fields and lines, never key bytes or content.
// Passphrase key files (SPEC section 3) are unwrapped with WebCrypto's PBKDF2 and AES-GCM.

const subtle = globalThis.crypto?.subtle;

/** Largest record read by default (SPEC section 1). */
export const DEFAULT_SIZE_LIMIT = 16 * 1024 * 1024;
/** Largest manifest read by default (as the tool: 64 MiB, about 600,000 records). */
const MANIFEST_SIZE_LIMIT = 64 * 1024 * 1024;
/** Largest key file read (as the tool). */
const MAX_KEY_FILE = 64 * 1024;

const encoder = new TextEncoder();
const strictUTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyUTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

const RECORD_DOMAIN = encoder.encode("secured-record-v1\n");
const MANIFEST_DOMAIN = encoder.encode("secured-manifest-v1\n");
const KEYNUM_DOMAIN = encoder.encode("secured-keynum-v1\n");
const FINGERPRINT_DOMAIN = encoder.encode("secured-key-v1\n");

/**
 * Every failure of the reader. `code` is the SPEC section 7 code of the first failing
 * check (`"SR001"`…`"SR019"`), `"NO_DECRYPTION_KEY"` (the signature verifies, but only a
 * public key of that id was given) or `"KEY"` (a key file the reader cannot use).
 */
export class SecuredReaderError extends Error {
  constructor(code, message, where) {
    super(message);
    this.name = "SecuredReaderError";
    this.code = code;
    this.line = own(where, "line") ?? null;
    this.field = own(where, "field") ?? null;
  }
}

function fail(code, name, line, field, reason) {
  let where = name ?? "record";
  if (line != null) where += `:${line}`;
  const text = code === "KEY" || code === "NO_DECRYPTION_KEY" ? `${where}: ${reason}` : `${where}: ${code} ${reason}`;
  return new SecuredReaderError(code, text, { line, field });
}

function requireSubtle() {
  if (!subtle) {
    throw new SecuredReaderError(
      "KEY",
      "WebCrypto (crypto.subtle) is not available: browsers offer it only in a secure context (HTTPS, localhost or file://)",
    );
  }
}

// ---------------------------------------------------------------------------------------
// Bytes, base64, hex

function toBytes(input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (typeof input === "string") return encoder.encode(input);
  throw new TypeError(`${what} must be a Uint8Array, an ArrayBuffer or a string`);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_TABLE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < 64; i++) B64_TABLE[B64.charCodeAt(i)] = i;

/**
 * Canonical RFC 4648 base64 (standard alphabet, `=` padding, zero trailing bits) of
 * `b[from..to)`. Returns the bytes, or a string saying why not.
 */
function decodeBase64(b, from, to) {
  const n = to - from;
  if (n % 4 !== 0) return `length ${n} is not a multiple of 4`;
  if (n === 0) return new Uint8Array(0);
  let pad = 0;
  if (b[to - 1] === 0x3d) pad++;
  if (b[to - 2] === 0x3d) pad++;
  if (pad === 1 && b[to - 2] === 0x3d) return "'=' padding is misplaced";
  const out = new Uint8Array((n / 4) * 3 - pad);
  const quads = n / 4 - (pad > 0 ? 1 : 0);
  let bad = 0;
  let o = 0;
  const t = B64_TABLE;
  let i = from;
  for (let q = 0; q < quads; q++, i += 4) {
    const a = t[b[i]], bb = t[b[i + 1]], c = t[b[i + 2]], d = t[b[i + 3]];
    bad |= a | bb | c | d;
    const v = (a << 18) | (bb << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (pad > 0) {
    const a = t[b[i]], bb = t[b[i + 1]];
    bad |= a | bb;
    if (pad === 2) {
      if (bb & 0x0f) return "unused trailing bits are not zero";
      out[o] = ((a << 2) | (bb >>> 4)) & 0xff;
    } else {
      const c = t[b[i + 2]];
      bad |= c;
      if (c & 0x03) return "unused trailing bits are not zero";
      out[o] = ((a << 2) | (bb >>> 4)) & 0xff;
      out[o + 1] = ((bb << 4) | (c >>> 2)) & 0xff;
    }
  }
  if (bad & 0x80) {
    // A character outside the alphabet, or '=' before the padding.
    for (let k = from; k < to - pad; k++) if (B64_TABLE[b[k]] === 0xff) {
      return b[k] === 0x3d ? "'=' padding is misplaced" : `character at offset ${k - from} is not in the base64 alphabet`;
    }
  }
  return out;
}

function decodeBase64Text(text) {
  const b = encoder.encode(text);
  return decodeBase64(b, 0, b.length);
}

function hex(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return s;
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * `options[name]` when it is the caller's own property, else `undefined`: never read through
 * the prototype chain (an `Object.prototype.allowUnsigned = true` set anywhere in a page
 * must not change what the reader does).
 */
function own(options, name) {
  if (options === null || (typeof options !== "object" && typeof options !== "function")) return undefined;
  return Object.hasOwn(options, name) ? options[name] : undefined;
}

function isBidiOrLineSeparator(c) {
  return c === 0x061c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

// Text from a record, manifest or caller (a source, a name) shown in a message, on one line
// that cannot start a log's workflow command or a terminal escape: C0 controls, DEL and C1
// controls as \xHH (as the tool shows them), line/paragraph separators, bidi controls and
// lone surrogates as \u{HHHH}. One linear pass, no regular expression.
function printable(text) {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let shown = null;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      shown = `\\x${c < 16 ? "0" : ""}${c.toString(16)}`;
    } else if (isBidiOrLineSeparator(c)) {
      shown = `\\u{${c.toString(16)}}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a pair: one character
        continue;
      }
      shown = `\\u{${c.toString(16)}}`;
    }
    if (shown !== null) {
      out += text.slice(from, i) + shown;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

// Character classes as loops: no regular expression in this module can backtrack.
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isAlnum = (c) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function allChars(text, min, max, ok) {
  if (typeof text !== "string" || text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!ok(text.charCodeAt(i))) return false;
  return true;
}

/** 1-64 of [A-Za-z0-9._-]. */
function isValidID(id) {
  return allChars(id, 1, 64, (c) => isAlnum(c) || c === 0x2e || c === 0x5f || c === 0x2d);
}

const isBlank = (c) => c === 0x20 || c === 0x09;

/** `s` without its leading spaces and tabs. */
function trimStartBlanks(s) {
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

/** `s` without its trailing spaces and tabs (a backward loop: `/[ \t]+$/` is quadratic). */
function trimEndBlanks(s) {
  let e = s.length;
  while (e > 0 && isBlank(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** The key ID minisign prints: the key number read little-endian, 16 uppercase hex digits. */
function minisignKeyID(kn) {
  let s = "";
  for (let i = 7; i >= 0; i--) s += (kn[i] < 16 ? "0" : "") + kn[i].toString(16);
  return s.toUpperCase();
}

// ---------------------------------------------------------------------------------------
// BLAKE2b-512 (RFC 7693), for minisign's prehashed `ED` signatures: WebCrypto lacks it.
// 64-bit words are kept as pairs of 32-bit halves (low, high) in a Uint32Array.

const BLAKE2B_IV32 = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
].map((row) => row.map((x) => x * 2));

// v[a] += v[b] (64-bit, as halves)
function add64(v, a, b) {
  const lo = v[a] + v[b];
  let hi = v[a + 1] + v[b + 1];
  if (lo >= 0x100000000) hi++;
  v[a] = lo;
  v[a + 1] = hi;
}

// v[a] += m[x] (64-bit)
function add64m(v, a, m, x) {
  const lo = v[a] + m[x];
  let hi = v[a + 1] + m[x + 1];
  if (lo >= 0x100000000) hi++;
  v[a] = lo;
  v[a + 1] = hi;
}

function G(v, m, a, b, c, d, x, y) {
  // a = a + b + m[x]; d = rotr(d ^ a, 32)
  add64(v, a, b);
  add64m(v, a, m, x);
  let xlo = v[d] ^ v[a], xhi = v[d + 1] ^ v[a + 1];
  v[d] = xhi;
  v[d + 1] = xlo;
  // c = c + d; b = rotr(b ^ c, 24)
  add64(v, c, d);
  xlo = v[b] ^ v[c];
  xhi = v[b + 1] ^ v[c + 1];
  v[b] = (xlo >>> 24) | (xhi << 8);
  v[b + 1] = (xhi >>> 24) | (xlo << 8);
  // a = a + b + m[y]; d = rotr(d ^ a, 16)
  add64(v, a, b);
  add64m(v, a, m, y);
  xlo = v[d] ^ v[a];
  xhi = v[d + 1] ^ v[a + 1];
  v[d] = (xlo >>> 16) | (xhi << 16);
  v[d + 1] = (xhi >>> 16) | (xlo << 16);
  // c = c + d; b = rotr(b ^ c, 63) = rotl(b ^ c, 1)
  add64(v, c, d);
  xlo = v[b] ^ v[c];
  xhi = v[b + 1] ^ v[c + 1];
  v[b] = (xhi >>> 31) | (xlo << 1);
  v[b + 1] = (xlo >>> 31) | (xhi << 1);
}

function blake2bCompress(h, block, t, last) {
  const v = new Uint32Array(32);
  const m = new Uint32Array(32);
  for (let i = 0; i < 16; i++) {
    v[i] = h[i];
    v[i + 16] = BLAKE2B_IV32[i];
  }
  // The 128-bit counter: messages here are far below 2^53 bytes.
  v[24] ^= t >>> 0;
  v[25] ^= Math.floor(t / 0x100000000);
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (let i = 0; i < 32; i++) {
    const o = i * 4;
    m[i] = block[o] | (block[o + 1] << 8) | (block[o + 2] << 16) | (block[o + 3] << 24);
  }
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r];
    G(v, m, 0, 8, 16, 24, s[0], s[1]);
    G(v, m, 2, 10, 18, 26, s[2], s[3]);
    G(v, m, 4, 12, 20, 28, s[4], s[5]);
    G(v, m, 6, 14, 22, 30, s[6], s[7]);
    G(v, m, 0, 10, 20, 30, s[8], s[9]);
    G(v, m, 2, 12, 22, 24, s[10], s[11]);
    G(v, m, 4, 14, 16, 26, s[12], s[13]);
    G(v, m, 6, 8, 18, 28, s[14], s[15]);
  }
  for (let i = 0; i < 16; i++) h[i] ^= v[i] ^ v[i + 16];
}

/**
 * BLAKE2b (RFC 7693), unkeyed, with an output of `outLen` bytes (1-64; 64 by default).
 * Exported for tests and for tools that check minisign signatures.
 */
export function blake2b(input, outLen = 64) {
  const data = toBytes(input, "input");
  if (!(outLen >= 1 && outLen <= 64)) throw new RangeError("BLAKE2b output length must be 1-64");
  const h = new Uint32Array(BLAKE2B_IV32);
  h[0] ^= 0x01010000 ^ outLen; // parameter block: digest length, key length 0, fanout 1, depth 1
  const block = new Uint8Array(128);
  let t = 0;
  let off = 0;
  // Every full block but the last is compressed without the final flag.
  while (data.length - off > 128) {
    t += 128;
    blake2bCompress(h, data.subarray(off, off + 128), t, false);
    off += 128;
  }
  block.set(data.subarray(off));
  t += data.length - off;
  blake2bCompress(h, block, t, true);
  const out = new Uint8Array(outLen);
  for (let i = 0; i < outLen; i++) out[i] = (h[i >> 2] >>> (8 * (i & 3))) & 0xff;
  return out;
}

// ---------------------------------------------------------------------------------------
// Keys (SPEC section 3)

// The imported CryptoKeys of each parsed key, out of reach of JSON and logs.
const internals = new WeakMap();

const KEY_FIELDS = new Set(["id", "enc", "mac", "sign", "created"]);
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

function textLines(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split("\n").map((l, k) => ({ number: k + 1, text: l.endsWith("\r") ? l.slice(0, -1) : l }));
}

function keyError(source, line, field, reason) {
  return fail("KEY", source ?? "key", line, field, reason);
}

// The value after `field:` as the tool reads it: plain, or in matching quotes, with an
// optional ` # comment`; no escapes, no flow collections. `null` when not such a value.
function scalarValue(rest) {
  if (rest.length > 0 && rest[0] !== " " && rest[0] !== "\t") return null;
  let s = trimStartBlanks(rest);
  if (s[0] === '"' || s[0] === "'") {
    const q = s[0];
    const close = s.indexOf(q, 1);
    if (close < 0) return null;
    const value = s.slice(1, close);
    if (q === '"' && value.includes("\\")) return null;
    const after = trimStartBlanks(s.slice(close + 1));
    if (!(after === "" || after.startsWith("#"))) return null;
    return value;
  }
  let prev = " ";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "#" && (prev === " " || prev === "\t")) {
      s = s.slice(0, i);
      break;
    }
    prev = s[i];
  }
  s = trimEndBlanks(s);
  if (s === "" || "[{&*!|>%@`".includes(s[0])) return null;
  return s;
}

async function importEd25519Public(pk, source, line) {
  try {
    return await subtle.importKey("raw", pk, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    throw keyError(source, line, null, "the key does not hold a usable Ed25519 public key");
  }
}

async function keyNumberOf(pk) {
  return new Uint8Array(await subtle.digest("SHA-256", concat(KEYNUM_DOMAIN, pk))).slice(0, 8);
}

async function parsePublicKeyFile(text, source) {
  const lines = textLines(text).filter((l) => l.text !== "");
  if (lines.length !== 2) {
    throw keyError(
      source,
      lines.length > 2 ? lines[2].number : null,
      null,
      lines.length > 2 ? "a public key file holds two lines; this one has more" : "a public key file holds two lines",
    );
  }
  if (lines[0].text.includes("\r")) throw keyError(source, lines[0].number, null, "the comment holds a carriage return");
  if (!lines[0].text.startsWith("untrusted comment: ")) {
    throw keyError(source, lines[0].number, null, "the first line must start 'untrusted comment: '");
  }
  const decoded = decodeBase64Text(lines[1].text);
  if (typeof decoded === "string") {
    throw keyError(source, lines[1].number, null, `the key line is not canonical base64: ${decoded}`);
  }
  if (decoded.length !== 42 || decoded[0] !== 0x45 || decoded[1] !== 0x64) {
    throw keyError(source, lines[1].number, null, "the key line must decode to 42 bytes starting 'Ed' (an Ed25519 public key)");
  }
  const keyNumber = decoded.slice(2, 10);
  const pk = decoded.slice(10);
  const comment = lines[0].text.slice("untrusted comment: ".length);
  let id;
  if (comment.startsWith("secured public key ")) {
    id = comment.slice("secured public key ".length);
    if (!isValidID(id)) throw keyError(source, lines[0].number, null, "the key id in the comment must be 1-64 of [A-Za-z0-9._-]");
  } else {
    id = "minisign-" + minisignKeyID(keyNumber);
  }
  const verifyKey = await importEd25519Public(pk, source, lines[1].number);
  const key = Object.freeze({ type: "public", id, fingerprint: null, minisignKeyId: minisignKeyID(keyNumber) });
  internals.set(key, { id, enc: null, mac: null, pub: { pk, keyNumber, key: verifyKey } });
  return key;
}

async function parseSecretKeyFile(text, source) {
  const fields = new Map();
  for (const { number, text: line } of textLines(text)) {
    const trimmed = trimStartBlanks(line);
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (number === 1 && line === "---") continue;
    if (line[0] === " " || line[0] === "\t") throw keyError(source, number, null, "nested or indented YAML is not allowed in a key file");
    const colon = line.indexOf(":");
    if (colon < 0) throw keyError(source, number, null, "expected 'field: value'");
    const name = line.slice(0, colon);
    if (!KEY_FIELDS.has(name)) {
      // Never quote it: in a key file, an unknown "field" may be key bytes (a line of base64).
      throw keyError(source, number, null, "unknown field (allowed: id, enc, mac, sign, created)");
    }
    if (fields.has(name)) throw keyError(source, number, name, `field '${name}' appears twice (first on line ${fields.get(name).line})`);
    const value = scalarValue(line.slice(colon + 1));
    if (value === null) throw keyError(source, number, name, `value of '${name}' is not a plain or quoted single-line scalar`);
    fields.set(name, { value, line: number });
  }
  const id = fields.get("id");
  if (!id) throw keyError(source, null, "id", "missing field 'id'");
  if (!isValidID(id.value)) throw keyError(source, id.line, "id", "id must be 1-64 of [A-Za-z0-9._-]");
  const encField = fields.get("enc");
  if (!encField) throw keyError(source, null, "enc", "missing field 'enc'");
  const decode = (name) => {
    const f = fields.get(name);
    if (!f) return null;
    const bytes = decodeBase64Text(f.value);
    if (typeof bytes === "string") throw keyError(source, f.line, name, `${name} is not canonical base64: ${bytes}`);
    return bytes;
  };
  const enc = decode("enc");
  const mac = decode("mac");
  const seed = decode("sign");
  try {
    const line = (name) => fields.get(name)?.line ?? null;
    if (![16, 24, 32].includes(enc.length)) throw keyError(source, line("enc"), "enc", `enc decodes to ${enc.length} bytes; AES takes 16, 24 or 32`);
    if (mac) {
      if (mac.length !== 32) throw keyError(source, line("mac"), "mac", `mac decodes to ${mac.length} bytes, expected 32`);
      if (bytesEqual(mac, enc)) throw keyError(source, line("mac"), "mac", "mac equals enc: one key must never serve two algorithms");
    }
    if (seed) {
      if (seed.length !== 32) throw keyError(source, line("sign"), "sign", `sign decodes to ${seed.length} bytes, expected 32`);
      if (bytesEqual(seed, enc) || (mac && bytesEqual(seed, mac))) {
        throw keyError(source, line("sign"), "sign", "sign equals enc or mac: one key must never serve two algorithms");
      }
    }
    let encKey;
    try {
      encKey = await subtle.importKey("raw", enc, { name: "AES-CBC" }, false, ["decrypt"]);
    } catch {
      throw keyError(source, line("enc"), "enc", `this platform's WebCrypto cannot use a ${enc.length * 8}-bit AES key`);
    }
    const macKey = mac ? await subtle.importKey("raw", mac, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]) : null;
    let pub = null;
    if (seed) {
      // WebCrypto takes an Ed25519 seed as PKCS#8; its JWK export carries the public key.
      // The private key is only derived from, never kept.
      let pk;
      try {
        const priv = await subtle.importKey("pkcs8", concat(PKCS8_ED25519_PREFIX, seed), { name: "Ed25519" }, true, ["sign"]);
        const jwk = await subtle.exportKey("jwk", priv);
        pk = decodeBase64Text(jwk.x.replaceAll("-", "+").replaceAll("_", "/") + "=");
        jwk.d = "";
      } catch {
        throw keyError(source, line("sign"), "sign", "sign is not a usable Ed25519 seed");
      }
      if (typeof pk === "string" || pk.length !== 32) throw keyError(source, line("sign"), "sign", "sign is not a usable Ed25519 seed");
      pub = { pk, keyNumber: await keyNumberOf(pk), key: await importEd25519Public(pk, source, line("sign")) };
    }
    const fp = new Uint8Array(await subtle.digest("SHA-256", concat(FINGERPRINT_DOMAIN, enc, mac ?? new Uint8Array(0))));
    const type = mac || seed ? "secret" : "read-only";
    const key = Object.freeze({
      type,
      id: id.value,
      fingerprint: hex(fp.subarray(0, 8)),
      minisignKeyId: pub ? minisignKeyID(pub.keyNumber) : null,
    });
    internals.set(key, { id: id.value, enc: encKey, mac: macKey, pub });
    return key;
  } finally {
    // Best effort: the decoded key bytes are not left behind (JavaScript may hold copies).
    enc.fill(0);
    mac?.fill(0);
    seed?.fill(0);
  }
}

// ---------------------------------------------------------------------------------------
// Passphrase key files (SPEC 1.2 section 3): `<id>.<label>.key.pw`, the read-only part of a
// key under AES-256-GCM with a key derived from a passphrase by PBKDF2-HMAC-SHA256.

const PASSPHRASE_COMMENT = "untrusted comment: secured passphrase key ";
const PASSPHRASE_AAD = encoder.encode("secured-passphrase-key-v1\n");
/** Iteration counts a reader takes: fewer is too weak, more would make it spin. */
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 10_000_000;
/** The one message for a wrong passphrase and a changed byte: they are not told apart. */
const UNWRAP_FAILURE = "wrong passphrase or damaged file";
const GCM_NONCE = 12;
const GCM_TAG = 16;

function isValidLabel(label) {
  return allChars(label, 1, 32, (c) => isAlnum(c) || c === 0x5f || c === 0x2d);
}

function hasLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/** The passphrase's UTF-8 bytes exactly as given (no normalization, no trimming), a copy we may wipe. */
function passphraseBytes(passphrase, source) {
  if (passphrase instanceof Uint8Array || passphrase instanceof ArrayBuffer || ArrayBuffer.isView(passphrase)) {
    return toBytes(passphrase, "the passphrase").slice();
  }
  if (typeof passphrase !== "string") throw keyError(source, null, "passphrase", "a passphrase key file needs the passphrase (options.passphrase)");
  // A lone surrogate has no UTF-8: TextEncoder would silently put U+FFFD in its place.
  if (hasLoneSurrogate(passphrase)) {
    throw keyError(source, null, "passphrase", "the passphrase is not valid Unicode text (a lone surrogate)");
  }
  return encoder.encode(passphrase);
}

/**
 * Parses the three lines, checks the count BEFORE anything is derived, then derives the
 * key-encryption key (non-extractable: its bytes never reach JavaScript), opens the wrapped
 * read-only key and imports its `enc` as a non-extractable AES-CBC key.
 */
async function parsePassphraseKeyFile(text, source, passphrase) {
  const lines = textLines(text);
  if (lines.length > 1 && lines[lines.length - 1].text === "") lines.pop(); // the last terminator
  if (lines.length !== 3) {
    throw keyError(source, lines.length > 3 ? 4 : null, null, `a passphrase key file holds three lines; this one has ${lines.length}`);
  }
  for (const l of lines) if (l.text.includes("\r")) throw keyError(source, l.number, null, "the line holds a carriage return");
  const comment = lines[0].text;
  const names = comment.slice(PASSPHRASE_COMMENT.length).split(" ");
  if (names.length !== 2) throw keyError(source, 1, null, "the comment must name a key id and a label, one space apart");
  const [id, label] = names;
  if (!isValidID(id)) throw keyError(source, 1, null, "the key id in the comment must be 1-64 of [A-Za-z0-9._-]");
  if (!isValidLabel(label)) throw keyError(source, 1, null, "the label in the comment must be 1-32 of [A-Za-z0-9_-]");
  const kdf = lines[1].text;
  const parts = kdf.split(";");
  if (parts.length !== 3) throw keyError(source, 2, null, "the second line must be 'pbkdf2-sha256;<iterations>;<salt>'");
  if (parts[0] !== "pbkdf2-sha256") {
    throw keyError(source, 2, null, `unknown key derivation '${printable(parts[0].slice(0, 40))}' (this reader takes pbkdf2-sha256)`);
  }
  const count = parts[1];
  if (!(allChars(count, 1, Infinity, isDigit) && (count === "0" || count[0] !== "0"))) throw keyError(source, 2, null, "the iteration count must be a decimal number without leading zeros");
  const iterations = count.length <= 9 ? Number(count) : Infinity;
  if (!(iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS)) {
    throw keyError(source, 2, null,
      `the iteration count ${count.length <= 24 ? count : `of ${count.length} digits`} is out of range: readers take ${MIN_ITERATIONS} to ${MAX_ITERATIONS}`);
  }
  const salt = decodeBase64Text(parts[2]);
  if (typeof salt === "string") throw keyError(source, 2, null, `the salt is not canonical base64: ${salt}`);
  if (salt.length !== 16) throw keyError(source, 2, null, `the salt decodes to ${salt.length} bytes, expected 16`);
  const wrapped = decodeBase64Text(lines[2].text);
  if (typeof wrapped === "string") throw keyError(source, 3, null, `the wrapped key is not canonical base64: ${wrapped}`);
  if (wrapped.length <= GCM_NONCE + GCM_TAG) throw keyError(source, 3, null, "the wrapped key is too short to hold a nonce, a key and a tag");
  if (passphrase == null || passphrase === "") {
    throw keyError(source, null, "passphrase", "a passphrase key file needs the passphrase (options.passphrase)");
  }

  const failure = () => keyError(source, null, null, UNWRAP_FAILURE);
  const aad = concat(PASSPHRASE_AAD, encoder.encode(comment), encoder.encode("\n"), encoder.encode(kdf));
  const secret = passphraseBytes(passphrase, source);
  if (secret.length === 0) throw keyError(source, null, "passphrase", "a passphrase key file needs the passphrase (options.passphrase)");
  let plain = null;
  let enc = null;
  try {
    let kek;
    try {
      const material = await subtle.importKey("raw", secret, { name: "PBKDF2" }, false, ["deriveKey"]);
      kek = await subtle.deriveKey(
        { name: "PBKDF2", hash: "SHA-256", salt, iterations },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["decrypt"],
      );
    } catch {
      throw keyError(source, null, null, "this platform's WebCrypto could not derive the key (PBKDF2-HMAC-SHA256)");
    } finally {
      secret.fill(0);
    }
    try {
      plain = new Uint8Array(await subtle.decrypt(
        { name: "AES-GCM", iv: wrapped.subarray(0, GCM_NONCE), additionalData: aad, tagLength: 128 },
        kek,
        wrapped.subarray(GCM_NONCE),
      ));
    } catch {
      throw failure();
    }
    // Exactly `id: <id>\nenc: <B64>\n`, the id the comment's.
    const head = encoder.encode(`id: ${id}\nenc: `);
    if (!(plain.length > head.length + 1 && bytesEqual(plain.subarray(0, head.length), head) && plain[plain.length - 1] === 0x0a)) {
      throw failure();
    }
    const decoded = decodeBase64(plain, head.length, plain.length - 1);
    if (typeof decoded === "string") throw failure();
    enc = decoded;
    if (![16, 24, 32].includes(enc.length)) throw failure();
    let encKey;
    try {
      encKey = await subtle.importKey("raw", enc, { name: "AES-CBC" }, false, ["decrypt"]);
    } catch {
      throw keyError(source, null, "enc", `this platform's WebCrypto cannot use a ${enc.length * 8}-bit AES key`);
    }
    const material = concat(FINGERPRINT_DOMAIN, enc);
    const fp = new Uint8Array(await subtle.digest("SHA-256", material));
    material.fill(0);
    const key = Object.freeze({ type: "read-only", id, fingerprint: hex(fp.subarray(0, 8)), minisignKeyId: null, label });
    internals.set(key, { id, enc: encKey, mac: null, pub: null });
    return key;
  } finally {
    // Best effort: the unwrapped key file and its key bytes are not left behind.
    plain?.fill(0);
    enc?.fill(0);
  }
}

/**
 * What of a read-only key may be kept between visits (in IndexedDB, say): its id, label and
 * fingerprint, and its `enc` as the non-extractable CryptoKey it already is: no key bytes.
 *
 * @param {object} key a parseKey result of type `read-only`.
 * @returns {{ format: "secured-stored-key-v1", id: string, label: string | null,
 *   fingerprint: string, enc: CryptoKey }} structured-cloneable.
 * @throws {SecuredReaderError} code `"KEY"` for a public or secret key.
 */
export function storableKey(key) {
  const inner = internals.get(key);
  if (!inner) throw new SecuredReaderError("KEY", "not a key (pass a parseKey result)");
  if (key.type !== "read-only") throw new SecuredReaderError("KEY", `only a read-only key may be stored (this one is ${key.type})`);
  return { format: "secured-stored-key-v1", id: key.id, label: own(key, "label") ?? null, fingerprint: key.fingerprint, enc: inner.enc };
}

/**
 * The read-only key of what `storableKey` returned (after a structured clone: IndexedDB,
 * postMessage). Its `enc` must be a non-extractable AES-CBC CryptoKey that only decrypts.
 *
 * @throws {SecuredReaderError} code `"KEY"` when it is not such an object.
 */
export function restoreKey(stored) {
  const bad = (reason) => new SecuredReaderError("KEY", `stored key: ${reason}`);
  if (stored == null || typeof stored !== "object" || own(stored, "format") !== "secured-stored-key-v1") throw bad("not a stored key (secured-stored-key-v1)");
  const [id, label, fingerprint, enc] = ["id", "label", "fingerprint", "enc"].map((field) => own(stored, field));
  if (typeof id !== "string" || !isValidID(id)) throw bad("the id must be 1-64 of [A-Za-z0-9._-]");
  if (!(label === null || (typeof label === "string" && isValidLabel(label)))) throw bad("the label must be 1-32 of [A-Za-z0-9_-]");
  if (!allChars(fingerprint, 16, 16, (c) => isDigit(c) || (c >= 0x61 && c <= 0x66))) throw bad("the fingerprint must be 16 hex digits");
  const CK = globalThis.CryptoKey;
  if (!(typeof CK === "function" && enc instanceof CK) || enc.type !== "secret" || enc.algorithm?.name !== "AES-CBC" ||
    enc.extractable !== false || enc.usages.length !== 1 || enc.usages[0] !== "decrypt") {
    throw bad("enc must be a non-extractable AES-CBC CryptoKey that only decrypts");
  }
  const key = Object.freeze({ type: "read-only", id, fingerprint, minisignKeyId: null, label });
  internals.set(key, { id, enc, mac: null, pub: null });
  return key;
}

/**
 * Parses a key file: a secret key file, a read-only key file (`id` and `enc` only), a
 * public key file (minisign format, `<id>.pub`), or a passphrase key file
 * (`<id>.<label>.key.pw`, unwrapped with `passphrase`: PBKDF2-HMAC-SHA256 and AES-256-GCM,
 * the count checked before anything is derived; the result is a read-only key).
 *
 * @param {string | Uint8Array | ArrayBuffer} text the file's text (or bytes, UTF-8).
 * @param {{ source?: string, passphrase?: string | Uint8Array }} [options] a name for messages
 *   (a path); the passphrase of a `.key.pw` (its UTF-8 bytes as given, never kept).
 * @returns {Promise<object>} an opaque key: `{ type, id, fingerprint, minisignKeyId }` (and
 *   `label` for a passphrase key file).
 * @throws {SecuredReaderError} code `"KEY"`, naming the line and field; never key bytes. A
 *   wrong passphrase and a changed byte are one message: "wrong passphrase or damaged file".
 */
export async function parseKey(text, options) {
  requireSubtle();
  // Own properties only; the source is shown in messages, escaped as any other outside text.
  const given = own(options, "source");
  const source = given == null ? undefined : printable(String(given));
  const passphrase = own(options, "passphrase");
  if (typeof text !== "string") {
    const bytes = toBytes(text, "a key file");
    if (bytes.length > MAX_KEY_FILE) throw keyError(source, null, null, `key file is larger than ${MAX_KEY_FILE} bytes`);
    try {
      text = strictUTF8.decode(bytes);
    } catch {
      throw keyError(source, null, null, "key file is not UTF-8 text");
    }
  }
  if (text.length > MAX_KEY_FILE) throw keyError(source, null, null, `key file is larger than ${MAX_KEY_FILE} bytes`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.startsWith("-----BEGIN AGE ENCRYPTED FILE-----") || body.startsWith("age-encryption.org/v1")) {
    throw keyError(source, 1, null, "an age-encrypted key file is not read here: give the reader a read-only key file");
  }
  if (body.startsWith(PASSPHRASE_COMMENT)) return parsePassphraseKeyFile(text, source, passphrase);
  if (body.startsWith("untrusted comment: ")) return parsePublicKeyFile(text, source);
  return parseSecretKeyFile(text, source);
}

// A key ring: keys by id, merged as SPEC section 3 says.
class Ring {
  constructor() {
    this.files = new Map(); // id -> { enc, mac, pub }   (secret and read-only key files)
    this.publics = new Map(); // id -> pub
    this.order = []; // key files in the caller's order (unsigned records try them in turn)
  }
}

const ringCache = new WeakMap();

// The ring of `keys`, from the cache when the same array with the same items was seen:
// callers that pass one parsed array to every call pay for the merge once.
function cachedRing(keys) {
  if (!Array.isArray(keys)) return null;
  const cached = ringCache.get(keys);
  if (!cached || cached.items.length !== keys.length) return null;
  for (let i = 0; i < keys.length; i++) if (cached.items[i] !== keys[i]) return null;
  return cached.ring;
}

async function keyRing(keys) {
  requireSubtle();
  if (keys == null) keys = [];
  if (!Array.isArray(keys)) keys = [keys];
  const cached = cachedRing(keys);
  if (cached) return cached;
  const ring = new Ring();
  for (let i = 0; i < keys.length; i++) {
    const index = i + 1;
    // A hole of a sparse array is not looked up on the prototype chain.
    if (!Object.hasOwn(keys, i)) throw new SecuredReaderError("KEY", `key ${index}: not a key (pass parseKey results or key file texts)`);
    const item = keys[i];
    const key = typeof item === "string" || item instanceof Uint8Array || item instanceof ArrayBuffer
      ? await parseKey(item, { source: `key ${index}` })
      : item;
    const inner = internals.get(key);
    if (!inner) throw new SecuredReaderError("KEY", `key ${index}: not a key (pass parseKey results or key file texts)`);
    if (inner.enc) {
      if (ring.files.has(inner.id)) throw new SecuredReaderError("KEY", `two key files have the id '${inner.id}'`);
      ring.files.set(inner.id, inner);
      ring.order.push(inner);
    }
    if (inner.pub) {
      const other = ring.publics.get(inner.id);
      if (other && !bytesEqual(other.pk, inner.pub.pk)) {
        throw new SecuredReaderError(
          "KEY",
          `two different public keys have the id '${inner.id}' (a .pub must hold the public key of the key file with its id)`,
        );
      }
      if (!other) ring.publics.set(inner.id, inner.pub);
    }
  }
  // A public key file beside a key file with `sign` must hold that key's public key (checked
  // above in either order); beside a key file without `sign` (read-only) it is the same key.
  ringCache.set(keys, { items: keys.slice(), ring });
  return ring;
}

// ---------------------------------------------------------------------------------------
// Records (SPEC sections 1, 2, 4)

const S = 0x73; // 's'

function firstNonUTF8Line(b) {
  let start = 0;
  let line = 1;
  while (start < b.length) {
    let end = b.indexOf(0x0a, start);
    end = end < 0 ? b.length : end + 1;
    try {
      strictUTF8.decode(b.subarray(start, end));
    } catch {
      return line;
    }
    start = end;
    line++;
  }
  return line;
}

function startsWithKey(b, i, e, key) {
  const n = key.length;
  if (i + n + 1 > e) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== key[k]) return false;
  return b[i + n] === 0x3a && (i + n + 1 === e || b[i + n + 1] === 0x20);
}

const SECURED_KEY = encoder.encode("secured");
const SIGNATURE_KEY = encoder.encode("signature");

/** The record's structure: lines found by the line rule (SPEC section 1). */
function scanRecord(b, name) {
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  // The opening line: exactly '---' with a terminator.
  let nl = b.indexOf(0x0a, bom);
  const openEnd = nl < 0 ? -1 : nl > bom && b[nl - 1] === 0x0d ? nl - 1 : nl;
  if (nl < 0 || openEnd - bom !== 3 || b[bom] !== 0x2d || b[bom + 1] !== 0x2d || b[bom + 2] !== 0x2d) {
    throw fail("SR001", name, 1, null, "no front matter: the first line is not '---'");
  }
  // Only the `secured` and `signature` lines are kept: nothing else of the front matter is read.
  const secured = [];
  const signature = [];
  let closing = null;
  let offset = nl + 1;
  let number = 1;
  const n = b.length;
  while (offset < n) {
    number++;
    // A byte loop: TypedArray indexOf costs more per call than these short lines take.
    nl = offset;
    while (nl < n && b[nl] !== 0x0a) nl++;
    if (nl === n) nl = -1;
    const end = nl < 0 ? n : nl + 1;
    const contentEnd = nl < 0 ? b.length : nl > offset && b[nl - 1] === 0x0d ? nl - 1 : nl;
    const first = b[offset];
    if (first === 0x2d) {
      if (contentEnd - offset === 3 && b[offset + 1] === 0x2d && b[offset + 2] === 0x2d) {
        closing = { number, start: offset, end };
        break;
      }
    } else if (first === S) {
      if (startsWithKey(b, offset, contentEnd, SECURED_KEY)) {
        secured.push({ number, start: offset, contentEnd, end, afterColon: offset + 8 });
      } else if (startsWithKey(b, offset, contentEnd, SIGNATURE_KEY)) {
        signature.push({ number, start: offset, contentEnd, end, afterColon: offset + 10 });
      }
    }
    offset = end;
  }
  if (!closing) throw fail("SR001", name, 1, null, "front matter is not terminated: no closing '---' line");
  return { bom, secured, signature, closing };
}

// The line that continues a top-level line's value, if YAML would read one: the next line
// that is not blank starts with a space or tab and is not a comment.
function continuationLine(b, line, closing) {
  let number = line.number;
  for (let start = line.end; start < closing.start; ) {
    number++;
    const nl = b.indexOf(0x0a, start);
    const end = nl < 0 ? b.length : nl + 1;
    const contentEnd = nl < 0 ? b.length : nl > start && b[nl - 1] === 0x0d ? nl - 1 : nl;
    let i = start;
    while (i < contentEnd && (b[i] === 0x20 || b[i] === 0x09)) i++;
    if (i < contentEnd) return i > start && b[i] !== 0x23 ? number : null;
    start = end;
  }
  return null;
}

// Bit 1: a character of a `secured` value (base64 and ';'); bit 2: of a `signature` value
// (those and the key-id characters '.', '_', '-').
const VALUE_CHARS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (B64_TABLE[c] !== 0xff || c === 0x3d || c === 0x3b) VALUE_CHARS[c] = 3;
}
for (const c of [0x2e, 0x5f, 0x2d]) VALUE_CHARS[c] = 2;

// The value of a `secured` or `signature` line written literally (SPEC sections 2, 4):
// spaces, then the value in double quotes, single quotes or none, then optional spaces.
function literalValue(b, from, to, signatureAlphabet) {
  let i = from;
  if (!(i < to && b[i] === 0x20)) return "no space and value after the colon";
  while (i < to && b[i] === 0x20) i++;
  if (i === to) return "the value is empty";
  let quote = 0;
  if (b[i] === 0x22 || b[i] === 0x27) quote = b[i++];
  const start = i;
  const bit = signatureAlphabet ? 2 : 1;
  while (i < to && VALUE_CHARS[b[i]] & bit) i++;
  if (i < to) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== quote) {
      const shown = c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16)}`;
      return `character ${shown} at column ${i - from + 1} is not ${signatureAlphabet ? "allowed in a signature" : "base64 or ';'"}`;
    }
  }
  const end = i;
  if (quote) {
    if (!(i < to && b[i] === quote)) return i < to ? "whitespace inside the quoted value" : "the closing quote is missing";
    i++;
  }
  while (i < to && b[i] === 0x20) i++;
  if (i !== to) return b[i] === 0x23 ? "a comment after the value" : "unexpected text after the value";
  return [start, end];
}

/** Form checks (section 9, step 1): the blob and the parsed signature, or the first failure. */
function readForm(b, name) {
  // SR017 comes before everything else (SPEC section 1).
  try {
    strictUTF8.decode(b);
  } catch {
    throw fail("SR017", name, firstNonUTF8Line(b), null, "file is not valid UTF-8 (first bad byte on this line)");
  }
  const rec = scanRecord(b, name);
  const { secured, signature } = rec;
  if (secured.length > 1) {
    throw fail("SR002", name, secured[1].number, "secured", `'secured' appears on ${secured.length} top-level lines (first on line ${secured[0].number})`);
  }
  if (secured.length === 1) {
    const next = continuationLine(b, secured[0], rec.closing);
    if (next != null) {
      throw fail("SR004", name, secured[0].number, "secured", `'secured' is not B64;B64 written literally: the value is continued on line ${next}`);
    }
  }
  if (signature.length >= 1) {
    const next = continuationLine(b, signature[0], rec.closing);
    if (next != null) {
      throw fail("SR009", name, signature[0].number, "signature", `'signature' is not written literally: the value is continued on line ${next}`);
    }
  }
  if (secured.length === 0) throw fail("SR003", name, null, "secured", "record has no 'secured' field");

  // The blob (SPEC section 2).
  const sl = secured[0];
  const range = literalValue(b, sl.afterColon, sl.contentEnd, false);
  if (typeof range === "string") throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: ${range}`);
  const [vs, ve] = range;
  let cut = -1;
  let separators = 0;
  for (let i = b.indexOf(0x3b, vs); i >= 0 && i < ve; i = b.indexOf(0x3b, i + 1)) {
    separators++;
    cut = i;
  }
  if (separators !== 1) {
    throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: expected exactly one ';' between ciphertext and IV, found ${separators}`);
  }
  const ciphertext = decodeBase64(b, vs, cut);
  const iv = decodeBase64(b, cut + 1, ve);
  if (typeof ciphertext === "string") throw fail("SR005", name, sl.number, "secured", `'secured': ciphertext part is not canonical base64: ${ciphertext}`);
  if (typeof iv === "string") throw fail("SR005", name, sl.number, "secured", `'secured': IV part is not canonical base64: ${iv}`);
  if (iv.length !== 16) throw fail("SR006", name, sl.number, "secured", `'secured': IV part decodes to ${iv.length} bytes, expected 16`);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw fail("SR007", name, sl.number, "secured", `'secured': ciphertext decodes to ${ciphertext.length} bytes, expected a non-empty multiple of 16`);
  }

  // The signature (SPEC section 4).
  let sig = null;
  if (signature.length > 0) {
    const line = signature[0];
    const sfail = (at, reason) => fail("SR009", name, at, "signature", reason);
    if (signature.length > 1) {
      throw sfail(signature[1].number, `'signature' appears on ${signature.length} top-level lines (first on line ${line.number})`);
    }
    const r = literalValue(b, line.afterColon, line.contentEnd, true);
    if (typeof r === "string") throw sfail(line.number, `'signature' is not written literally: ${r}`);
    const value = lossyUTF8.decode(b.subarray(r[0], r[1]));
    const parts = value.split(";");
    if (parts.length !== 3) throw sfail(line.number, "'signature': not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>");
    const kind = parts[0];
    if (kind !== "v1" && kind !== "ed25519") {
      throw sfail(line.number, `'signature': unknown version '${parts[0].slice(0, 16)}' (this reader knows v1 and ed25519)`);
    }
    if (!isValidID(parts[1])) throw sfail(line.number, "'signature': key id is not 1-64 of [A-Za-z0-9._-]");
    const what = kind === "ed25519" ? "signature" : "tag";
    const tag = decodeBase64Text(parts[2]);
    if (typeof tag === "string") throw sfail(line.number, `'signature': ${what} is not canonical base64: ${tag}`);
    const expected = kind === "ed25519" ? 64 : 32;
    if (tag.length !== expected) throw sfail(line.number, `'signature': ${what} decodes to ${tag.length} bytes, expected ${expected}`);
    sig = { kind, keyId: parts[1], tag, line };
  }
  return { rec, securedLine: sl.number, ciphertext, iv, sig };
}

/**
 * `"secured-record-v1\n" || R'`: the record without its signature line and BOM, every
 * CRLF as LF (SPEC section 4), built in one buffer.
 */
function signedMessage(b, rec, sigLine) {
  const segments = sigLine ? [[rec.bom, sigLine.start], [sigLine.end, b.length]] : [[rec.bom, b.length]];
  let total = RECORD_DOMAIN.length;
  for (const [s, e] of segments) total += e - s;
  // One scratch buffer, reused: WebCrypto copies its input when verify() is called (the
  // message is built and handed over with no await between), so nothing is allocated per
  // record. Were a platform to read it later, a message overwritten meanwhile would only
  // make the signature fail (never pass): fail closed.
  if (messageScratch.length < total) messageScratch = new Uint8Array(Math.max(total, messageScratch.length * 2));
  const out = messageScratch;
  out.set(RECORD_DOMAIN, 0);
  let o = RECORD_DOMAIN.length;
  for (const [s, e] of segments) {
    let start = s;
    let cr = b.indexOf(0x0d, s);
    while (cr >= 0 && cr < e) {
      if (cr + 1 < e && b[cr + 1] === 0x0a) {
        out.set(b.subarray(start, cr), o);
        o += cr - start;
        start = cr + 1;
      }
      cr = b.indexOf(0x0d, cr + 1);
    }
    out.set(b.subarray(start, e), o);
    o += e - start;
  }
  return out.subarray(0, o);
}

let messageScratch = new Uint8Array(64 * 1024);

/** Section 9, steps 1 and 2: form, then the signature. Never decrypts. */
async function verifyParsed(b, ring, options) {
  const name = options.name;
  const form = readForm(b, name);
  const { sig } = form;
  if (!sig) return { form, keyId: null };
  let ok;
  if (sig.kind === "ed25519") {
    const pub = ring.publics.get(sig.keyId);
    if (!pub) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (ed25519) names key id '${sig.keyId}', but no public key, or secret key with 'sign', with that id was supplied`);
    }
    ok = await subtle.verify({ name: "Ed25519" }, pub.key, sig.tag, signedMessage(b, form.rec, sig.line));
  } else {
    const file = ring.files.get(sig.keyId);
    if (!file?.mac) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (v1, HMAC) names key id '${sig.keyId}', but no secret key with that id and a 'mac' was supplied`);
    }
    // subtle.verify compares the tag in constant time.
    ok = await subtle.verify({ name: "HMAC" }, file.mac, sig.tag, signedMessage(b, form.rec, sig.line));
  }
  if (!ok) {
    throw fail("SR011", name, sig.line.number, "signature", `signature does not match key '${sig.keyId}': the record was changed or the key is wrong`);
  }
  return { form, keyId: sig.keyId };
}

// The options of openRecord, verifyRecord and verifyManifest: the caller's own properties
// only (see `own`), copied once.
function readOptions(options, defaultLimit = DEFAULT_SIZE_LIMIT) {
  const name = own(options, "name");
  return {
    keys: own(options, "keys"),
    allowUnsigned: own(options, "allowUnsigned") === true,
    name: typeof name === "string" ? printable(name) : undefined,
    sizeLimit: sizeLimitOption(own(options, "sizeLimit"), defaultLimit),
  };
}

// A size limit the caller gave must be a positive integer: "100" or NaN silently meaning
// "no limit" would be a limit the caller believes in and the reader ignores.
function sizeLimitOption(value, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError("sizeLimit must be a positive integer number of bytes");
  return value;
}

function recordBytes(bytes, o) {
  const b = toBytes(bytes, "the record");
  if (b.length > o.sizeLimit) throw fail("SR017", o.name, null, null, `file is larger than the size limit (${o.sizeLimit} bytes)`);
  return b;
}

/**
 * Verifies a record's signature without decrypting anything: a public key is enough.
 *
 * @returns {Promise<{ keyId: string, signature: "ed25519" | "v1" }>}
 * @throws {SecuredReaderError} the first failing check (SR001-SR011; SR008 when unsigned).
 */
export async function verifyRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = recordBytes(bytes, o);
  const ring = await keyRing(o.keys);
  const { form, keyId } = await verifyParsed(b, ring, o);
  if (!form.sig) throw fail("SR008", o.name, form.securedLine, "signature", "record has no 'signature'");
  return { keyId, signature: form.sig.kind };
}

async function decrypt(key, iv, ciphertext) {
  try {
    return new Uint8Array(await subtle.decrypt({ name: "AES-CBC", iv }, key, ciphertext));
  } catch {
    return null;
  }
}

/**
 * Opens a sealed record: verifies its signature, then decrypts (SPEC section 9).
 *
 * @param {Uint8Array | ArrayBuffer | string} bytes the record's exact bytes.
 * @param {{ keys: Array<object | string>, allowUnsigned?: boolean, name?: string, sizeLimit?: number }} options
 * @returns {Promise<{ content: Uint8Array, text: string | null, keyId: string,
 *   signature: "ed25519" | "v1" | null, warnings: string[] }>}
 * @throws {SecuredReaderError} the first failing check.
 */
export async function openRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = recordBytes(bytes, o);
  const ring = cachedRing(o.keys) ?? (await keyRing(o.keys));
  const { form, keyId } = await verifyParsed(b, ring, o);
  const { iv, ciphertext } = form;
  let content = null;
  let opener = null;
  if (form.sig) {
    // Only the key whose id signed the record decrypts it.
    const file = ring.files.get(keyId);
    if (!file) {
      throw fail("NO_DECRYPTION_KEY", o.name, form.securedLine, "secured",
        `the signature of key '${keyId}' verifies, but only its public key was given: it cannot be opened (give the read-only key file of '${keyId}')`);
    }
    content = await decrypt(file.enc, iv, ciphertext);
    opener = file;
    if (!content) {
      throw fail("SR012", o.name, form.securedLine, "secured", `decryption failed (bad padding) with key '${keyId}', although the signature matches`);
    }
  } else {
    if (!o.allowUnsigned) {
      throw fail("SR008", o.name, form.securedLine, "signature", "record is not signed and unsigned records were not allowed; not decrypted");
    }
    if (ring.order.length === 0) {
      throw fail("NO_DECRYPTION_KEY", o.name, form.securedLine, "secured", "the record is unsigned and no key that decrypts (a key file with 'enc') was given");
    }
    // Not authentication: a wrong key passes the padding check about once in 256 tries.
    for (const file of ring.order) {
      content = await decrypt(file.enc, iv, ciphertext);
      if (content) {
        opener = file;
        break;
      }
    }
    if (!content) {
      const tried = ring.order.map((f) => f.id).join(", ");
      throw fail("SR012", o.name, form.securedLine, "secured", `decryption failed (bad padding) with ${ring.order.length === 1 ? "key" : "keys"} ${tried}: wrong key or damaged ciphertext`);
    }
  }
  let text = null;
  const warnings = [];
  try {
    text = strictUTF8.decode(content);
  } catch {
    warnings.push("SR013");
  }
  return { content, text, keyId: opener.id, signature: form.sig ? form.sig.kind : null, warnings };
}

// ---------------------------------------------------------------------------------------
// Manifests (SPEC section 6)

/** Largest `.minisig` read: four short lines (comments, 74 and 64 bytes of base64) fit in far less. */
const MAX_MINISIG = 4096;

function parseMinisig(text) {
  const lines = text.split("\n").map((l, k) => ({ number: k + 1, text: l.endsWith("\r") ? l.slice(0, -1) : l })).filter((l) => l.text !== "");
  const bad = (line, reason) => ({ ok: false, line, reason });
  if (lines.length !== 4) return bad(null, `a .minisig file holds four lines; this one has ${lines.length}`);
  if (!(lines[0].text.startsWith("untrusted comment: ") || lines[0].text === "untrusted comment:")) return bad(lines[0].number, "expected 'untrusted comment: '");
  if (!lines[2].text.startsWith("trusted comment: ")) return bad(lines[2].number, "expected 'trusted comment: '");
  const first = decodeBase64Text(lines[1].text);
  if (typeof first === "string" || first.length !== 74) return bad(lines[1].number, "the signature line is not base64 of 74 bytes");
  const alg = String.fromCharCode(first[0], first[1]);
  if (alg !== "ED" && alg !== "Ed") return bad(lines[1].number, "unknown signature algorithm (expected ED or Ed)");
  const global = decodeBase64Text(lines[3].text);
  if (typeof global === "string" || global.length !== 64) return bad(lines[3].number, "the global signature is not base64 of 64 bytes");
  for (const l of [lines[0], lines[2]]) if (l.text.includes("\r")) return bad(l.number, "a comment holds a carriage return");
  return {
    ok: true,
    prehashed: alg === "ED",
    keyNumber: first.slice(2, 10),
    signature: first.slice(10),
    trustedComment: encoder.encode(lines[2].text.slice("trusted comment: ".length)),
    global,
  };
}

/** The `.minisig` given (text or bytes), refused (SR019) when larger than MAX_MINISIG, before it is split or decoded. */
function readMinisig(minisigText, name) {
  const tooLarge = () => fail("SR019", `${name}.minisig`, null, null, `malformed detached signature: larger than ${MAX_MINISIG} bytes; not read`);
  let text;
  if (typeof minisigText === "string") {
    if (minisigText.length > MAX_MINISIG) throw tooLarge();
    text = minisigText;
  } else {
    const bytes = toBytes(minisigText, "the .minisig");
    if (bytes.length > MAX_MINISIG) throw tooLarge();
    text = lossyUTF8.decode(bytes);
  }
  const sig = parseMinisig(text);
  if (!sig.ok) throw fail("SR019", `${name}.minisig`, sig.line, null, `malformed detached signature: ${sig.reason}`);
  return sig;
}

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function countLines(b, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) if (b[i] === 0x0a) n++;
  return n;
}

const SIGPREFIX = encoder.encode("# signature:");

/**
 * The `# signature:` line ({ number, start, end }, `end` at its line feed or the end), or
 * null; SR019 when there are two, or a line after it. Found from the '#' bytes at the start
 * of a line: no object per line, no copy, before any signature is checked.
 */
function findSignatureLine(b, name) {
  let found = null;
  for (let i = b.indexOf(0x23); i >= 0; i = b.indexOf(0x23, i + 1)) {
    if ((i > 0 && b[i - 1] !== 0x0a) || i + SIGPREFIX.length > b.length) continue;
    let k = 1;
    while (k < SIGPREFIX.length && b[i + k] === SIGPREFIX[k]) k++;
    if (k < SIGPREFIX.length) continue;
    let end = b.indexOf(0x0a, i);
    if (end < 0) end = b.length;
    if (found) {
      if (found.end + 1 < i) throw fail("SR019", name, found.number + 1, "signature", "line after the signature line; the signature must be last");
      throw fail("SR019", name, found.number + 1, "signature", "a second signature line");
    }
    found = { number: countLines(b, 0, i) + 1, start: i, end };
    i = end;
  }
  if (found && found.end + 1 < b.length) {
    throw fail("SR019", name, found.number + 1, "signature", "line after the signature line; the signature must be last");
  }
  return found;
}

// A path's bytes shown in a message: valid UTF-8 as text, every other byte as \xHH.
function showPath(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let text = null;
    if (n > 0 && i + n <= bytes.length) {
      try {
        text = strictUTF8.decode(bytes.subarray(i, i + n));
      } catch {
        text = null;
      }
    }
    if (text === null) {
      out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
      i++;
    } else {
      out += printable(text);
      i += n;
    }
  }
  return out;
}

const isLowerHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);

/**
 * Verifies a corpus manifest (SPEC section 6) and returns its entries. The detached
 * `.minisig` is checked with the caller's public key (prehashed `ED`: BLAKE2b-512 of the
 * manifest's bytes; legacy `Ed` too), the `# signature:` HMAC line with a secret key with
 * `mac` when one of its id is given. At least one signature must verify.
 *
 * Order and memory: the `.minisig` first (at most 4096 bytes, else SR019 before it is even
 * split), then the signatures over the manifest's bytes as they are; only a manifest whose
 * signature verifies is read line by line, and then only into the entries returned.
 *
 * Entries are never merged: a path that is not valid UTF-8, or a path listed twice, is SR018
 * naming its line (two names differing only in invalid bytes would otherwise be one key).
 *
 * @param {Uint8Array | ArrayBuffer | string} manifestBytes the manifest's exact bytes.
 * @param {string | Uint8Array | null} minisigText the `.minisig` beside it, or `null`.
 * @returns {Promise<Map<string, string>>} path -> lowercase hex SHA-256.
 * @throws {SecuredReaderError} SR019 (a signature missing, unverifiable, malformed or wrong),
 *   SR018 (a malformed, repeated, not UTF-8 or out-of-order line).
 */
export async function verifyManifest(manifestBytes, minisigText, options) {
  requireSubtle();
  const o = readOptions(options, MANIFEST_SIZE_LIMIT);
  const name = o.name ?? "MANIFEST.sha256";
  const b = toBytes(manifestBytes, "the manifest");
  if (b.length > o.sizeLimit) throw fail("SR018", name, null, null, `manifest is larger than ${o.sizeLimit} bytes; not read`);
  const sig = minisigText != null ? readMinisig(minisigText, name) : null;
  const sigLine = findSignatureLine(b, name);
  if (!sigLine && !sig) throw fail("SR019", name, null, null, "manifest has neither a '# signature:' line nor a detached .minisig");
  const ring = await keyRing(o.keys);

  // The signatures, before anything of the entries is read.
  const verified = [];
  const unverifiable = [];
  if (sigLine) {
    let from = sigLine.start + SIGPREFIX.length;
    while (from < sigLine.end && b[from] === 0x20) from++;
    const text = lossyUTF8.decode(b.subarray(from, sigLine.end));
    const parts = text.split(";");
    const tag = parts.length === 3 ? decodeBase64Text(parts[2]) : "";
    if (parts.length !== 3 || !["v1", "ed25519"].includes(parts[0]) || !isValidID(parts[1]) || typeof tag === "string" ||
      tag.length !== (parts[0] === "v1" ? 32 : 64)) {
      throw fail("SR019", name, sigLine.number, "signature", "malformed signature line");
    }
    if (parts[0] !== "v1") {
      throw fail("SR019", name, sigLine.number, "signature", "malformed signature line: it holds HMAC (v1) signatures only; the Ed25519 one is the .minisig");
    }
    const file = ring.files.get(parts[1]);
    if (file?.mac) {
      const ok = await subtle.verify({ name: "HMAC" }, file.mac, tag, concat(MANIFEST_DOMAIN, b.subarray(0, sigLine.start)));
      if (!ok) throw fail("SR019", name, sigLine.number, "signature", `manifest signature does not match key '${parts[1]}': the manifest was changed or the key is wrong`);
      verified.push("hmac");
    } else {
      unverifiable.push(`the '# signature:' line (key '${parts[1]}' was not given as a secret key with 'mac')`);
    }
  }
  if (sig) {
    let pub = null;
    for (const p of ring.publics.values()) if (bytesEqual(p.keyNumber, sig.keyNumber)) pub = p;
    if (pub) {
      const covered = sig.prehashed ? blake2b(b) : b;
      const ok = await subtle.verify({ name: "Ed25519" }, pub.key, sig.signature, covered);
      if (!ok) throw fail("SR019", `${name}.minisig`, null, null, "detached signature does not match the public key: the manifest was changed or the key is wrong");
      const okGlobal = await subtle.verify({ name: "Ed25519" }, pub.key, sig.global, concat(sig.signature, sig.trustedComment));
      if (!okGlobal) throw fail("SR019", `${name}.minisig`, null, null, "the trusted comment of the detached signature was changed (global signature fails)");
      verified.push("minisig");
    } else {
      unverifiable.push(`the detached signature (no given public key has minisign key ID ${minisignKeyID(sig.keyNumber)})`);
    }
  }
  if (verified.length === 0) {
    throw fail("SR019", name, sigLine?.number ?? null, null, `no signature of the manifest could be checked with the given keys: ${unverifiable.join("; ")}`);
  }

  // The entries: '<64 lowercase hex>  <path>', sorted by path bytes, each once, UTF-8.
  const entries = new Map();
  let previous = null;
  const stop = sigLine ? sigLine.start : b.length;
  let number = 0;
  for (let s = 0; s < stop; ) {
    number++;
    let e = b.indexOf(0x0a, s);
    if (e < 0 || e > stop) e = stop;
    let ok = e - s > 66 && b[s + 64] === 0x20 && b[s + 65] === 0x20;
    for (let k = s; ok && k < s + 64; k++) ok = isLowerHex(b[k]);
    const pathBytes = b.subarray(s + 66, e);
    if (!ok || pathBytes.includes(0x0d) || pathBytes.includes(0x5c)) {
      throw fail("SR018", name, number, null, "malformed line: expected '<64 hex>  <path>'");
    }
    let path;
    try {
      path = strictUTF8.decode(pathBytes);
    } catch {
      throw fail("SR018", name, number, null, `'${showPath(pathBytes)}' is not valid UTF-8: a listed path must be (names differing only in such bytes could not be told apart)`);
    }
    if (previous) {
      const order = compareBytes(previous, pathBytes);
      if (order === 0) throw fail("SR018", name, number, null, `'${printable(path)}' is listed twice`);
      if (order > 0) throw fail("SR018", name, number, null, `'${printable(path)}' is out of order (paths are sorted bytewise)`);
    }
    if (entries.has(path)) throw fail("SR018", name, number, null, `'${printable(path)}' is listed twice`);
    previous = pathBytes;
    entries.set(path, String.fromCharCode(...b.subarray(s, s + 64)));
    s = e + 1;
  }
  return entries;
}

/**
 * Checks a record against a verified manifest's entries (SPEC section 9): a record missing
 * from the manifest, or whose SHA-256 differs from its line, is SR018.
 *
 * @param {Map<string, string>} entries what ``verifyManifest`` returned.
 * @param {string} path the record's path relative to the corpus root.
 * @param {Uint8Array | ArrayBuffer | string} bytes the record's bytes.
 * @returns {Promise<string>} the SHA-256 (hex).
 */
export async function checkListed(entries, path, bytes) {
  requireSubtle();
  const expected = entries.get(path);
  if (expected === undefined) throw fail("SR018", printable(path), null, null, "record is not in the manifest");
  const digest = hex(new Uint8Array(await subtle.digest("SHA-256", toBytes(bytes, "the record"))));
  if (digest !== expected) throw fail("SR018", printable(path), null, null, "SHA-256 differs from the manifest (changed or swapped)");
  return digest;
}
