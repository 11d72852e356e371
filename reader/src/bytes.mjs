// Part of secured-reader.mjs (the front door, which re-exports the public API): bytes, base64, hex.
// Exports other than the public API are internal to reader/src.
import { encoder } from "./_internal.mjs";

// Bytes, base64 (canonical RFC 4648), hex.

export function toBytes(input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (typeof input === "string") return encoder.encode(input);
  throw new TypeError(`${what} must be a Uint8Array, an ArrayBuffer or a string`);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
export const B64_TABLE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < 64; i++) B64_TABLE[B64.charCodeAt(i)] = i;

/**
 * Canonical RFC 4648 base64 (standard alphabet, `=` padding, zero trailing bits) of
 * `b[from..to)`. Returns the bytes, or a string saying why not.
 */
export function decodeBase64(b, from, to) {
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
