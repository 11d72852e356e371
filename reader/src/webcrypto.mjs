// Part of secured-reader.mjs (internal to reader/src): every WebCrypto call of the reader.
//
// WebCrypto reads an algorithm dictionary's members with ordinary property access, through the
// prototype chain: an `Object.prototype.length = 8` (a JSON deep-merge gadget makes one) would
// be read as HmacImportParams.length, a polluted `hash`, `iv`, `salt`, `iterations`,
// `tagLength` or `additionalData` likewise. So every dictionary here has no prototype and
// an explicit value for every member its algorithm reads, and every call is wrapped: whatever
// it throws becomes the SecuredReaderError its caller makes (`onError(detail)`), never a raw
// DOMException.
import { subtle, SecuredReaderError } from "./internal.mjs";

const SHA256 = Object.freeze({ __proto__: null, name: "SHA-256" });
const AES_CBC = Object.freeze({ __proto__: null, name: "AES-CBC" });
const ED25519 = Object.freeze({ __proto__: null, name: "Ed25519" });
const HMAC = Object.freeze({ __proto__: null, name: "HMAC" });
const PBKDF2 = Object.freeze({ __proto__: null, name: "PBKDF2" });
const AES_GCM_256 = Object.freeze({ __proto__: null, name: "AES-GCM", length: 256 });
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

const usages = (...u) => u; // a fresh array each call: WebCrypto may keep it

// Members of WebCrypto's dictionaries. Some platforms make dictionaries of their own, ordinary
// objects, and read members the caller cannot give through the prototype chain (Node 20's
// PBKDF2 importKey reads `length` so): then no dictionary of ours can help, and the message
// says what was found on Object.prototype rather than blame the key or the passphrase.
const DICTIONARY_MEMBERS = ["name", "hash", "length", "iv", "salt", "iterations", "tagLength", "additionalData", "namedCurve", "counter", "info", "public"];

function detail(e) {
  const name = e !== null && typeof e === "object" && typeof e.name === "string" ? e.name : "error";
  const polluted = DICTIONARY_MEMBERS.filter((m) => Object.hasOwn(Object.prototype, m));
  const why = polluted.length === 0 ? "" :
    `; Object.prototype has been given ${polluted.map((m) => `'${m}'`).join(", ")} (prototype pollution), which this platform's WebCrypto reads`;
  return `this platform's WebCrypto refused it (${name})${why}`;
}

async function guarded(onError, f) {
  try {
    return await f();
  } catch (e) {
    if (e instanceof SecuredReaderError) throw e;
    throw onError(detail(e));
  }
}

export async function sha256(bytes, onError) {
  return guarded(onError, async () => new Uint8Array(await subtle.digest(SHA256, bytes)));
}

export function importAesCbc(raw, onError) {
  return guarded(onError, () => subtle.importKey("raw", raw, AES_CBC, false, usages("decrypt")));
}

/** An HMAC-SHA256 verification key; `length` given (the key's bits), not read from anywhere else. */
export function importHmac(raw, onError) {
  const params = { __proto__: null, name: "HMAC", hash: SHA256, length: raw.length * 8 };
  return guarded(onError, () => subtle.importKey("raw", raw, params, false, usages("verify")));
}

export function importEd25519Public(raw, onError) {
  return guarded(onError, () => subtle.importKey("raw", raw, ED25519, false, usages("verify")));
}

/**
 * The Ed25519 public key of a 32-byte seed (RFC 8032): WebCrypto takes the seed as PKCS#8 and
 * its JWK export carries the public key. The private key is only derived from, never kept.
 */
export async function ed25519PublicFromSeed(seed, onError) {
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  try {
    return await guarded(onError, async () => {
      const priv = await subtle.importKey("pkcs8", der, ED25519, true, usages("sign"));
      const jwk = await subtle.exportKey("jwk", priv);
      const x = Object.hasOwn(jwk, "x") ? jwk.x : null;
      jwk.d = "";
      return typeof x === "string" ? x : null;
    });
  } finally {
    der.fill(0);
  }
}

export function verifyEd25519(key, signature, message, onError) {
  return guarded(onError, () => subtle.verify(ED25519, key, signature, message));
}

/** HMAC verification: subtle.verify compares the tag in constant time. */
export function verifyHmac(key, tag, message, onError) {
  return guarded(onError, () => subtle.verify(HMAC, key, tag, message));
}

/** AES-CBC with PKCS#7 padding: the plaintext, or `null` when it fails (bad padding). */
export async function decryptAesCbc(key, iv, ciphertext) {
  try {
    const params = { __proto__: null, name: "AES-CBC", iv };
    return new Uint8Array(await subtle.decrypt(params, key, ciphertext));
  } catch {
    return null;
  }
}

/**
 * The key-encryption key of a passphrase key file: PBKDF2-HMAC-SHA256 to a non-extractable
 * AES-256-GCM key (its bytes never reach JavaScript), the derived key's length given.
 */
export function pbkdf2Kek(secret, salt, iterations, onError) {
  return guarded(onError, async () => {
    const material = await subtle.importKey("raw", secret, PBKDF2, false, usages("deriveKey"));
    const params = { __proto__: null, name: "PBKDF2", hash: SHA256, salt, iterations };
    return subtle.deriveKey(params, material, AES_GCM_256, false, usages("decrypt"));
  });
}

/** AES-GCM with a 128-bit tag: the plaintext, or `null` when it fails (a wrong key or a changed byte). */
export async function decryptAesGcm(key, iv, additionalData, data) {
  try {
    const params = { __proto__: null, name: "AES-GCM", iv, additionalData, tagLength: 128 };
    return new Uint8Array(await subtle.decrypt(params, key, data));
  } catch {
    return null;
  }
}
