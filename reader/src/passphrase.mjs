// Part of secured-reader.mjs (the front door, which re-exports the public API): passphrase key
// files, and keys kept between visits. Exports other than the public API are internal to reader/src.
import { encoder, FINGERPRINT_DOMAIN, SecuredReaderError, own, printable, isDigit, isAlnum, allChars, isValidID, internals, textLines, keyError } from "./internal.mjs";
import { pbkdf2Kek, decryptAesGcm, importAesCbc, sha256 } from "./webcrypto.mjs";
import { isBytes, copyBytes, loneSurrogateAt, decodeBase64, decodeBase64Text, hex, bytesEqual, concat } from "./bytes.mjs";

// Passphrase key files (SPEC 1.2 section 3): `<id>.<label>.key.pw`, the read-only part of a
// key under AES-256-GCM with a key derived from a passphrase by PBKDF2-HMAC-SHA256.

export const PASSPHRASE_COMMENT = "untrusted comment: secured passphrase key ";
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

/** The passphrase's UTF-8 bytes exactly as given (no normalization, no trimming), a copy we may wipe. */
function passphraseBytes(passphrase, source) {
  if (isBytes(passphrase)) return copyBytes(passphrase, "the passphrase");
  if (typeof passphrase !== "string") throw keyError(source, null, null, "a passphrase key file needs the passphrase (options.passphrase)");
  // A lone surrogate has no UTF-8: TextEncoder would silently put U+FFFD in its place.
  if (loneSurrogateAt(passphrase) >= 0) {
    throw keyError(source, null, null, "the passphrase is not valid Unicode text (a lone surrogate)");
  }
  return encoder.encode(passphrase);
}

// The three lines of a passphrase key file, checked (the iteration count in range) before
// anything is derived: { comment, id, label, kdf, iterations, salt, wrapped }.
function readPassphraseKeyFile(text, source) {
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
  return { comment, id, label, kdf, iterations, salt, wrapped };
}

/**
 * Parses the three lines, checks the count BEFORE anything is derived, then derives the
 * key-encryption key (non-extractable: its bytes never reach JavaScript), opens the wrapped
 * read-only key and imports its `enc` as a non-extractable AES-CBC key.
 */
export async function parsePassphraseKeyFile(text, source, passphrase) {
  const { comment, id, label, kdf, iterations, salt, wrapped } = readPassphraseKeyFile(text, source);
  if (passphrase == null || passphrase === "") {
    throw keyError(source, null, null, "a passphrase key file needs the passphrase (options.passphrase)");
  }

  const failure = () => keyError(source, null, null, UNWRAP_FAILURE);
  const aad = concat(PASSPHRASE_AAD, encoder.encode(comment), encoder.encode("\n"), encoder.encode(kdf));
  const secret = passphraseBytes(passphrase, source);
  if (secret.length === 0) throw keyError(source, null, null, "a passphrase key file needs the passphrase (options.passphrase)");
  let plain = null;
  let enc = null;
  try {
    let kek;
    try {
      kek = await pbkdf2Kek(secret, salt, iterations, (why) => keyError(source, null, null, `could not derive the key (PBKDF2-HMAC-SHA256): ${why}`));
    } finally {
      secret.fill(0);
    }
    plain = await decryptAesGcm(kek, wrapped.subarray(0, GCM_NONCE), aad, wrapped.subarray(GCM_NONCE));
    if (!plain) throw failure();
    // Exactly `id: <id>\nenc: <B64>\n`, the id the comment's.
    const head = encoder.encode(`id: ${id}\nenc: `);
    if (!(plain.length > head.length + 1 && bytesEqual(plain.subarray(0, head.length), head) && plain[plain.length - 1] === 0x0a)) {
      throw failure();
    }
    const decoded = decodeBase64(plain, head.length, plain.length - 1);
    if (typeof decoded === "string") throw failure();
    enc = decoded;
    if (![16, 24, 32].includes(enc.length)) throw failure();
    const encKey = await importAesCbc(enc, (why) => keyError(source, null, "enc", `a ${enc.length * 8}-bit AES key: ${why}`));
    const material = concat(FINGERPRINT_DOMAIN, enc);
    let fp;
    try {
      fp = await sha256(material, (why) => keyError(source, null, null, `SHA-256: ${why}`));
    } finally {
      material.fill(0);
    }
    const key = Object.freeze({ type: "read-only", id, fingerprint: hex(fp.subarray(0, 8)), minisignKeyId: null, label });
    internals.set(key, { id, enc: encKey, mac: null, pub: null });
    return key;
  } finally {
    // Best effort: the unwrapped key file and its key bytes are not left behind.
    plain?.fill(0);
    enc?.fill(0);
  }
}

/** `storableKey`: described in ../secured-reader.d.ts, its one description. */
export function storableKey(key) {
  const inner = internals.get(key);
  if (!inner) throw new SecuredReaderError("KEY", "not a key (pass a parseKey result)");
  if (key.type !== "read-only") throw new SecuredReaderError("KEY", `only a read-only key may be stored (this one is ${key.type})`);
  return { format: "secured-stored-key-v1", id: key.id, label: own(key, "label") ?? null, fingerprint: key.fingerprint, enc: inner.enc };
}

/** `restoreKey`: described in ../secured-reader.d.ts, its one description. */
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
