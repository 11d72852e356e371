// Part of secured-reader.mjs (the front door, which re-exports the public API): bytes, base64, hex.
// Exports other than the public API are internal to reader/src.
import { encoder, strictUTF8, SCAN_STEP } from "./internal.mjs";

// Bytes, base64 (canonical RFC 4648), hex.

// Byte inputs of any realm: a brand check (the getter of ArrayBuffer.prototype.byteLength
// throws on anything but a real ArrayBuffer), not `instanceof`, which is false for a buffer
// made in an iframe, a worker's message or a vm context.
const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
const sharedBufferLength = globalThis.SharedArrayBuffer
  ? Object.getOwnPropertyDescriptor(globalThis.SharedArrayBuffer.prototype, "byteLength").get
  : null;

/** The byte length of an ArrayBuffer or SharedArrayBuffer of any realm, or -1 for anything else. */
function bufferLength(x) {
  if (x === null || typeof x !== "object") return -1;
  try {
    return arrayBufferLength.call(x);
  } catch {
    // not an ArrayBuffer: perhaps a SharedArrayBuffer
  }
  if (sharedBufferLength) {
    try {
      return sharedBufferLength.call(x);
    } catch {
      // neither
    }
  }
  return -1;
}

/** Whether `x` is bytes: any ArrayBufferView (typed array, DataView) or ArrayBuffer, of any realm. */
export function isBytes(x) {
  return ArrayBuffer.isView(x) || bufferLength(x) >= 0;
}

function byteLengthOf(input, what) {
  if (ArrayBuffer.isView(input)) return input.byteLength;
  const n = bufferLength(input);
  if (n < 0) throw new TypeError(`${what} must be an ArrayBuffer, an ArrayBufferView (a Uint8Array, a DataView, ...) or a string`);
  return n;
}

/**
 * A copy of the caller's bytes, made once: everything after reads the copy only, so a buffer
 * the caller (or another thread, through a SharedArrayBuffer) changes meanwhile cannot make
 * one check see other bytes than the next.
 */
export function copyBytes(input, what) {
  byteLengthOf(input, what);
  const view = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  const out = new Uint8Array(view.length);
  out.set(view);
  return out;
}

/**
 * The bytes of an input taken by the public API, copied once (see `copyBytes`); a string as its
 * UTF-8. Over `limit` bytes: `tooLarge()` is thrown before anything is copied or encoded (a
 * string's UTF-8 is never shorter than its UTF-16 length). A string that has no UTF-8 (a lone
 * surrogate, at UTF-16 index i): `notUnicode(i)` is thrown, nothing is silently replaced.
 */
export function readInput(input, what, limit, tooLarge, notUnicode) {
  if (typeof input === "string") {
    if (input.length > limit) throw tooLarge();
    const bad = loneSurrogateAt(input);
    if (bad >= 0) throw notUnicode(bad);
    const b = encoder.encode(input);
    if (b.length > limit) throw tooLarge();
    return b;
  }
  if (byteLengthOf(input, what) > limit) throw tooLarge();
  const b = copyBytes(input, what);
  if (b.length > limit) throw tooLarge(); // a growable buffer may have grown meanwhile
  return b;
}

/**
 * The UTF-16 index of the first lone surrogate of `text`, or -1 (it is well-formed). Where
 * strings have isWellFormed (native), the loop below reads only from the first piece of
 * 256 Ki code units that is not well-formed (a piece ends after a high surrogate's partner).
 */
export function loneSurrogateAt(text) {
  if (typeof text.isWellFormed !== "function") return loneSurrogateFrom(text, 0);
  if (text.isWellFormed()) return -1;
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + 262144);
    const last = text.charCodeAt(to - 1);
    if (last >= 0xd800 && last <= 0xdbff && to < text.length) to++;
    if (!text.slice(from, to).isWellFormed()) return loneSurrogateFrom(text, from);
    from = to;
  }
  return -1;
}

function loneSurrogateFrom(text, from) {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return i;
    i++;
  }
  return -1;
}

/**
 * readInput for a caller that names the line of a lone surrogate: the bytes (copied, or
 * encoded, when this is called), or `{ loneSurrogate: i }` for a string that has no UTF-8 (the
 * caller counts the lines before UTF-16 index i with `lineOfIndexSliced`).
 */
export function readInputOrSurrogate(input, what, limit, tooLarge) {
  const marker = { loneSurrogate: -1 };
  try {
    return readInput(input, what, limit, tooLarge, (i) => {
      marker.loneSurrogate = i;
      return marker;
    });
  } catch (e) {
    if (e === marker) return marker;
    throw e;
  }
}

/** The 1-based line of UTF-16 index `i` of `text`, counted SCAN_STEP units at a time, pausing when `slicer` says. */
export async function lineOfIndexSliced(text, i, slicer) {
  let line = 1;
  for (let from = 0; from < i; from += SCAN_STEP) {
    if (slicer.due()) await slicer.pause();
    const to = Math.min(i, from + SCAN_STEP);
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 0x0a) line++;
  }
  return line;
}

/**
 * The offset of the first byte of the first sequence of `b` that is not UTF-8 (as a fatal
 * TextDecoder reads it: no overlong form, no surrogate, nothing above U+10FFFF), or -1. One
 * pass, to locate what one fatal decode of the whole has already refused.
 */
export function firstInvalidUTF8(b) {
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += need + 1;
  }
  return -1;
}

/** Bytes decoded by one call of the streaming UTF-8 check (native: about a millisecond). */
const DECODE_STEP = 1024 * 1024;

// null when b is UTF-8 (as a fatal TextDecoder reads it), else the 1-based line of its first
// byte that is not: decoded DECODE_STEP bytes at a time (streaming: a character may straddle
// two steps); the bad byte is then looked for from the start of the last character begun
// before the step that failed (everything before it was UTF-8), the line feeds before it counted.
export async function nonUTF8Line(b, slicer) {
  if (b.length <= DECODE_STEP) {
    try {
      strictUTF8.decode(b);
      return null;
    } catch {
      const bad = firstInvalidUTF8(b);
      return (await countLineFeedsSliced(b, bad < 0 ? b.length : bad, slicer)) + 1;
    }
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let from = 0;
  try {
    for (; from < b.length; from += DECODE_STEP) {
      if (slicer.due()) await slicer.pause();
      decoder.decode(b.subarray(from, Math.min(b.length, from + DECODE_STEP)), { stream: true });
    }
    decoder.decode();
    return null;
  } catch {
    let at = Math.max(0, Math.min(from, b.length) - 1);
    for (let back = 0; back < 3 && at > 0 && (b[at] & 0xc0) === 0x80; back++) at--;
    const bad = firstInvalidUTF8(b.subarray(at));
    return (await countLineFeedsSliced(b, bad < 0 ? b.length : at + bad, slicer)) + 1;
  }
}

/** The number of line feeds in `b[from..to)`: a byte loop (one indexOf per line costs more on short lines). */
export function countLineFeeds(b, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) if (b[i] === 0x0a) n++;
  return n;
}

/** The line feeds of `b[0..to)`, counted SCAN_STEP bytes at a time, pausing when `slicer` says (see `timeSlicer`). */
export async function countLineFeedsSliced(b, to, slicer) {
  let count = 0;
  for (let from = 0; from < to; from += SCAN_STEP) {
    if (slicer.due()) await slicer.pause();
    count += countLineFeeds(b, from, Math.min(to, from + SCAN_STEP));
  }
  return count;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
export const B64_TABLE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < 64; i++) B64_TABLE[B64.charCodeAt(i)] = i;

// Canonical base64 of b[from..to), in parts that the plain and the sliced decoder share: the
// layout (the output allocated), the full quads (any range of them), the last padded quad, and
// the first character outside the alphabet.

// { out, quads, pad }, or a string saying why not.
function base64Layout(b, from, to) {
  const n = to - from;
  if (n % 4 !== 0) return `length ${n} is not a multiple of 4`;
  let pad = 0;
  if (n > 0 && b[to - 1] === 0x3d) pad++;
  if (n > 0 && b[to - 2] === 0x3d) pad++;
  if (pad === 1 && b[to - 2] === 0x3d) return "'=' padding is misplaced";
  return { out: new Uint8Array((n / 4) * 3 - pad), quads: n / 4 - (pad > 0 ? 1 : 0), pad };
}

// Decodes the full quads q0..q1 of b[from..) into out; returns the OR of their table values
// (bit 7 set: a character outside the alphabet, or '=', among them).
function decodeQuads(b, from, q0, q1, out) {
  const t = B64_TABLE;
  let bad = 0;
  let o = q0 * 3;
  for (let q = q0, i = from + q0 * 4; q < q1; q++, i += 4) {
    const a = t[b[i]], bb = t[b[i + 1]], c = t[b[i + 2]], d = t[b[i + 3]];
    bad |= a | bb | c | d;
    const v = (a << 18) | (bb << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  return bad;
}

// The padded last quad (none when pad is 0): its bytes written, the OR of its table values
// returned, or a string when its unused trailing bits are not zero.
function decodeLastQuad(b, from, { out, quads, pad }) {
  if (pad === 0) return 0;
  const t = B64_TABLE;
  const i = from + quads * 4;
  const o = quads * 3;
  const a = t[b[i]], bb = t[b[i + 1]];
  if (pad === 2) {
    if (bb & 0x0f) return "unused trailing bits are not zero";
    out[o] = ((a << 2) | (bb >>> 4)) & 0xff;
    return a | bb;
  }
  const c = t[b[i + 2]];
  if (c & 0x03) return "unused trailing bits are not zero";
  out[o] = ((a << 2) | (bb >>> 4)) & 0xff;
  out[o + 1] = ((bb << 4) | (c >>> 2)) & 0xff;
  return a | bb | c;
}

// Why b[s..e) is not base64: its first character outside the alphabet, or '=' before the
// padding (offsets from `from`); null when it has none.
function badCharacter(b, from, s, e) {
  for (let k = s; k < e; k++) if (B64_TABLE[b[k]] === 0xff) {
    return b[k] === 0x3d ? "'=' padding is misplaced" : `character at offset ${k - from} is not in the base64 alphabet`;
  }
  return null;
}

/**
 * Canonical RFC 4648 base64 (standard alphabet, `=` padding, zero trailing bits) of
 * `b[from..to)`. Returns the bytes, or a string saying why not.
 */
export function decodeBase64(b, from, to) {
  const layout = base64Layout(b, from, to);
  if (typeof layout === "string") return layout;
  const bad = decodeQuads(b, from, 0, layout.quads, layout.out);
  const last = decodeLastQuad(b, from, layout);
  if (typeof last === "string") return last;
  if ((bad | last) & 0x80) return badCharacter(b, from, from, to - layout.pad);
  return layout.out;
}

/**
 * decodeBase64 in time slices (see `timeSlicer`), for a value as large as a record: the same
 * bytes, or the same reason. The last quad is checked first, then the others in slices of
 * SCAN_STEP characters; the first slice holding a bad character names it (the reason the
 * plain decoder gives, which also checks the last quad's trailing bits before any character).
 */
export async function decodeBase64Sliced(b, from, to, slicer) {
  const layout = base64Layout(b, from, to);
  if (typeof layout === "string") return layout;
  const last = decodeLastQuad(b, from, layout);
  if (typeof last === "string") return last;
  const step = SCAN_STEP / 4;
  for (let q = 0; q < layout.quads; q += step) {
    if (slicer.due()) await slicer.pause();
    const q1 = Math.min(layout.quads, q + step);
    if (decodeQuads(b, from, q, q1, layout.out) & 0x80) return badCharacter(b, from, from + q * 4, from + q1 * 4);
  }
  if (last & 0x80) return badCharacter(b, from, from + layout.quads * 4, to - layout.pad);
  return layout.out;
}

export function decodeBase64Text(text) {
  const b = encoder.encode(text);
  return decodeBase64(b, 0, b.length);
}

export function hex(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return s;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function concat(...parts) {
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
