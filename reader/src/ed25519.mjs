// Part of secured-reader.mjs (internal to reader/src): which Ed25519 public keys a reader takes.
//
// WebCrypto's importKey takes any 32 bytes as an Ed25519 public key (Node's and Chromium's do:
// the identity point included), and with the identity point as the key one constant
// "signature" (R = identity, S = 0) verifies every message. So a public key is refused unless
// its encoding is canonical (y < p, no "negative" x = 0), it is on the curve, and it is not one
// of the 8 points of small order (RFC 8032 section 5.1.3, and libsodium's blocklist).

const P = (1n << 255n) - 19n;
// d = -121665 / 121666 mod p
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
// The y coordinates of the 8 small-order points: 0 (order 4), 1 (the identity), p - 1
// (order 2) and the two of order 8; each with either x.
const Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const SMALL_ORDER_Y = [0n, 1n, P - 1n, Y8, P - Y8];

function pow(base, exponent) {
  let result = 1n;
  let b = base % P;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/**
 * `null` when the 32 bytes `pk` are a canonical encoding of an Ed25519 point on the curve and
 * not of small order, else the reason (for a message).
 */
export function publicKeyProblem(pk) {
  if (pk.length !== 32) return "an Ed25519 public key is 32 bytes";
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? pk[i] & 0x7f : pk[i]);
  const negative = (pk[31] & 0x80) !== 0;
  if (y >= P) return "the Ed25519 public key is not canonically encoded (y is not below 2^255 - 19)";
  if (SMALL_ORDER_Y.includes(y)) return "the Ed25519 public key is a point of small order (the identity or a torsion point): it would verify forged signatures";
  // x^2 = (y^2 - 1) / (d y^2 + 1) must have a root (Euler's criterion).
  const y2 = (y * y) % P;
  const u = (y2 - 1n + P) % P;
  const v = (D * y2 + 1n) % P;
  const x2 = (u * pow(v, P - 2n)) % P;
  if (x2 === 0n && negative) return "the Ed25519 public key is not canonically encoded (x = 0 with the sign bit set)";
  if (x2 !== 0n && pow(x2, (P - 1n) / 2n) !== 1n) return "the Ed25519 public key is not a point on the curve";
  return null;
}
