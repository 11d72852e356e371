// Part of secured-reader.mjs (the front door, which re-exports the public API): BLAKE2b-512.
import { readInput } from "./bytes.mjs";
import { timeSlicer } from "./internal.mjs";

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

// One compression's working words and message words: compressing is synchronous (a hash that
// yields does so only between compressions), so one pair serves every hash, none allocated per block.
const V = new Uint32Array(32);
const M = new Uint32Array(32);

// Compresses the 128 bytes of `data` at offset `o` into `h`; `t` counts the bytes hashed so far.
function blake2bCompress(h, data, o, t, last) {
  const v = V;
  const m = M;
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
  for (let i = 0; i < 32; i++, o += 4) {
    m[i] = data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24);
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

// Implementation: one pass over the whole input; verifyManifest hashes in slices instead (blake2bSliced).
/** `blake2b`: described in ../secured-reader.d.ts, its one description. */
export function blake2b(input, outLen = 64) {
  if (!(Number.isInteger(outLen) && outLen >= 1 && outLen <= 64)) throw new RangeError("BLAKE2b output length must be an integer 1-64");
  const data = readInput(input, "input", Infinity, null, () => new TypeError("input is not Unicode text (a lone surrogate): it has no UTF-8"));
  return blake2bOf(data, outLen);
}

function initialState(outLen) {
  const h = new Uint32Array(BLAKE2B_IV32);
  h[0] ^= 0x01010000 ^ outLen; // parameter block: digest length, key length 0, fanout 1, depth 1
  return h;
}

// Where the last block starts: every full block before it is compressed without the final flag
// (the last block, full or not, and the only block of an empty input, with it).
const lastBlockStart = (n) => (n === 0 ? 0 : Math.floor((n - 1) / 128) * 128);

// Compresses the blocks of data[from..to) (whole blocks, none the last); returns the new count.
function compressBlocks(h, data, from, to, t) {
  for (let o = from; o < to; o += 128) {
    t += 128;
    blake2bCompress(h, data, o, t, false);
  }
  return t;
}

function finish(h, data, off, t, outLen) {
  const block = new Uint8Array(128);
  block.set(data.subarray(off));
  blake2bCompress(h, block, 0, t + data.length - off, true);
  const out = new Uint8Array(outLen);
  for (let i = 0; i < outLen; i++) out[i] = (h[i >> 2] >>> (8 * (i & 3))) & 0xff;
  return out;
}

/** BLAKE2b of bytes the reader already holds (its own copy: not copied again). */
export function blake2bOf(data, outLen = 64) {
  const h = initialState(outLen);
  const last = lastBlockStart(data.length);
  return finish(h, data, last, compressBlocks(h, data, 0, last, 0), outLen);
}

/** Bytes compressed between two looks at the clock: 64 blocks, well under a millisecond. */
const STEP = 8192;

/**
 * BLAKE2b of bytes the reader already holds, as blake2bOf, in time slices: after each slice
 * (see `timeSlicer`) it yields to the event loop, so hashing a large input (a hostile 64 MiB
 * manifest: seconds of pure JavaScript) never holds a page's thread for more than a slice.
 * The bytes must not change meanwhile (the reader hashes only its own copy).
 */
export async function blake2bSliced(data, outLen = 64) {
  const h = initialState(outLen);
  const last = lastBlockStart(data.length);
  const slicer = timeSlicer();
  let t = 0;
  for (let o = 0; o < last; o += STEP) {
    if (slicer.due()) await slicer.pause();
    t = compressBlocks(h, data, o, Math.min(last, o + STEP), t);
  }
  return finish(h, data, last, t, outLen);
}
