// secured-reader.mjs — a reader of secured article records (SPEC.md, section 9).
//
// The front door: it re-exports the public API of the modules in ./src (no build step, no
// dependency: they use only globalThis.crypto.subtle, TextDecoder and TextEncoder, so the
// same files run unchanged in browsers (a secure context: HTTPS, localhost or file://),
// Node 20+, Deno and workers). Serve reader/secured-reader.mjs with reader/src beside it.
// It reads; it never writes, seals or signs.
//
// The order of the checks is SPEC section 9's, and it stops at the first failure:
//   1. form (SR017, SR001, SR002, SR004/SR009 continuation, SR003, SR004-SR007, SR009);
//   2. the signature, before anything is decrypted (SR010, SR011; SR008 when unsigned
//      records were not allowed), tags compared by subtle.verify (constant time);
//   3. decryption with the enc of the key whose id signed the record (SR012; content that
//      is not UTF-8 comes back as bytes with the warning SR013).
// Keys come only from the caller. Messages name fields and lines, never key bytes or content.
// Passphrase key files (SPEC section 3) are unwrapped with WebCrypto's PBKDF2 and AES-GCM.
//
//   src/internal.mjs   WebCrypto, codecs, constants, the error type, options, message text
//   src/bytes.mjs       bytes, canonical base64, hex
//   src/webcrypto.mjs   every WebCrypto call: prototype-free dictionaries, failures as SecuredReaderError
//   src/blake2b.mjs     BLAKE2b-512 (minisign's prehashed signatures)
//   src/keys.mjs        key files and key rings (SPEC section 3)
//   src/passphrase.mjs  passphrase key files, keys kept between visits
//   src/records.mjs     records: form, signature, decryption (SPEC sections 1, 2, 4, 9)
//   src/message.mjs     the message a record's signature covers (SPEC section 4)
//   src/manifest.mjs    corpus manifests (SPEC section 6)

export { DEFAULT_SIZE_LIMIT, SecuredReaderError } from "./src/internal.mjs";
export { blake2b } from "./src/blake2b.mjs";
export { parseKey } from "./src/keys.mjs";
export { storableKey, restoreKey } from "./src/passphrase.mjs";
export { verifyRecord, openRecord } from "./src/records.mjs";
export { verifyManifest, checkListed } from "./src/manifest.mjs";
