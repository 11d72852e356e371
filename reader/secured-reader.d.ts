// Types of secured-reader.mjs (SPEC 1.2 section 9), the front door of reader/src.

/** The codes a reader throws: SPEC section 7's, and two of its own. */
export type SecuredReaderCode =
  | "SR001" | "SR002" | "SR003" | "SR004" | "SR005" | "SR006" | "SR007" | "SR008" | "SR009"
  | "SR010" | "SR011" | "SR012" | "SR017" | "SR018" | "SR019"
  /** The signature verifies, but only a public key of that id was given. */
  | "NO_DECRYPTION_KEY"
  /** A key file the reader cannot use (or keys that clash, SPEC section 3). */
  | "KEY";

/**
 * Every failure of the reader on its input (a record, a key file, a manifest). The message
 * names the field and line, never key bytes or content. A call with arguments of the wrong
 * type (a record that is not bytes or a string, a `sizeLimit` that is not a positive integer)
 * is a programming error and throws a `TypeError`, as the platform's own APIs do.
 */
export class SecuredReaderError extends Error {
  readonly name: "SecuredReaderError";
  /** The code of the first failing check, in SPEC section 9's order. */
  readonly code: SecuredReaderCode;
  /** 1-based line of the record or key file, when one is to blame. */
  readonly line: number | null;
  /**
   * The field of the record or key file to blame (`secured`, `signature`, `enc`, …; `id` for
   * keys that share an id), when there is one: a missing or wrong passphrase blames none.
   */
  readonly field: string | null;
}

/** A parsed key: opaque (its CryptoKeys are kept out of reach), described by these fields. */
export interface SecuredKey {
  /**
   * `secret` (has `mac` and/or `sign`), `read-only` (`id` and `enc` only: a read-only key file,
   * or a passphrase key file unwrapped), or `public` (a `.pub` file).
   */
  readonly type: "secret" | "read-only" | "public";
  readonly id: string;
  /**
   * 16 lowercase hex digits, to pin a key with. For a secret or read-only key:
   * SHA-256("secured-key-v1\n" || enc || mac), first 8 bytes (SPEC section 3). For a public
   * key: its key number derived from PK, SHA-256("secured-keynum-v1\n" || PK), first 8 bytes
   * (for a `secured public key` file, the key number the file holds, which must be that one).
   * (Readers before this version gave `null` for a public key.)
   */
  readonly fingerprint: string | null;
  /** The key ID minisign prints for its public key, when it has one. */
  readonly minisignKeyId: string | null;
  /** The group label of a passphrase key file (`<id>.<label>.key.pw`); absent for other keys. */
  readonly label?: string | null;
}

export interface ParseKeyOptions {
  /**
   * A name for messages (a path). Shown escaped, as every name and path in messages: C0
   * controls, DEL and C1 controls as `\xHH` (a line break cannot start a new log line or a
   * CI workflow command, ESC no terminal sequence), U+2028/U+2029, bidi controls and lone
   * surrogates as `\u{HHHH}`.
   */
  source?: string;
  /**
   * The passphrase of a passphrase key file (`<id>.<label>.key.pw`, SPEC section 3): its UTF-8
   * bytes exactly as given (no normalization, no trimming). Never kept: only the unwrapped key
   * is, as a non-extractable CryptoKey. Missing, wrong, or a file changed anywhere: `KEY`, the
   * last two with the one message "wrong passphrase or damaged file". An iteration count
   * outside 100,000-10,000,000 is refused before anything is derived.
   */
  passphrase?: string | ArrayBufferView | ArrayBuffer;
}

/**
 * What of a read-only key may be kept between visits (IndexedDB, postMessage: it is
 * structured-cloneable): no key bytes, the `enc` as the non-extractable CryptoKey it is.
 */
export interface StoredKey {
  readonly format: "secured-stored-key-v1";
  readonly id: string;
  readonly label: string | null;
  readonly fingerprint: string;
  /** A non-extractable AES-CBC key, usable only to decrypt. */
  readonly enc: CryptoKey;
}

/**
 * A record's, manifest's or key file's bytes: any ArrayBufferView (a typed array, a DataView)
 * or ArrayBuffer / SharedArrayBuffer, of any realm (an iframe's, a worker's, a vm context's),
 * or a string, taken as its UTF-8. Every function copies the bytes it is given once, when it is
 * called, and reads only that copy: a buffer changed afterwards (by the caller, or by another
 * thread through a SharedArrayBuffer) changes nothing of the result. A string is refused over
 * the size limit before it is encoded; a string with no UTF-8 (a lone surrogate) is refused
 * (SR017 for a record, SR018 for a manifest or a record given to `checkListed`), never
 * silently read as U+FFFD.
 */
export type Bytes = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string;

/** Keys the caller trusts: parseKey results or key file texts (secret, read-only, public), as Bytes. */
export type Keys = ReadonlyArray<SecuredKey | Bytes>;

/**
 * Options (`ReadOptions`, `ParseKeyOptions`, a `StoredKey` given to `restoreKey`) are read as
 * the caller's OWN properties only, never through the prototype chain: an
 * `Object.prototype.allowUnsigned = true` (or `keys`, `passphrase`, `sizeLimit`, …) set
 * anywhere in a page changes nothing. A hole in a `keys` array is `KEY`, not looked up.
 *
 * The same holds for WebCrypto: every algorithm dictionary the reader hands it has no
 * prototype and an explicit value for each member its algorithm reads (an
 * `Object.prototype.length`, `hash`, `iv`, … is never read as the reader's), and whatever a
 * WebCrypto call throws becomes a `SecuredReaderError` (`KEY` for a key file, SR011 for a
 * record's signature, SR019 for a manifest's, SR018 for `checkListed`), never a raw
 * DOMException. (Node 20's own PBKDF2 importKey still reads `length` through the prototype
 * of a dictionary it makes itself: there a passphrase key file is `KEY`, the message naming
 * the polluted member.)
 */
export interface ReadOptions {
  keys?: Keys;
  /** Open records without a signature (legacy corpora). Not authentication. Default false. */
  allowUnsigned?: boolean;
  /** A name for messages (a path), shown escaped as `ParseKeyOptions.source` is. */
  name?: string;
  /** Largest record read, in bytes (default 16 MiB): larger is SR017. */
  sizeLimit?: number;
}

export interface OpenedRecord {
  /** The sealed content P, exactly. */
  content: Uint8Array;
  /** The content as text, or `null` when it is not UTF-8 (then `warnings` holds "SR013"). */
  text: string | null;
  /** The id of the key that signed (and so decrypted) it; for an unsigned record, the key that opened it. */
  keyId: string;
  signature: "ed25519" | "v1" | null;
  warnings: string[];
}

/**
 * Parses a secret key file, a read-only key file, a public key file (minisign format), or a
 * passphrase key file (with `options.passphrase`; the result is a read-only key).
 *
 * A public key file is `KEY` when its Ed25519 point is not canonically encoded, not on the
 * curve, or of small order (the identity and the other 7 torsion points: with such a key one
 * constant signature would verify everything; WebCrypto's importKey does not refuse them), and
 * a `secured public key <id>` file is `KEY` when its key number is not the one derived from its
 * PK (SPEC section 3). A minisign public key made by another tool keeps its (random) key number.
 */
export function parseKey(text: Bytes, options?: ParseKeyOptions): Promise<SecuredKey>;

/** A read-only key as a StoredKey (`KEY` for a secret or public key). */
export function storableKey(key: SecuredKey): StoredKey;

/** The read-only key of a StoredKey (`KEY` unless its `enc` is a non-extractable AES-CBC decrypt-only CryptoKey). */
export function restoreKey(stored: StoredKey): SecuredKey;

/**
 * Verifies, then decrypts (SPEC section 9). Throws the first failing check.
 *
 * The thread is never held for long: the checks that read the whole record (UTF-8, the line
 * rule, the `secured` value and its base64, the signed message with its CR LF pairs) run in
 * time slices of about 8 ms, yielding to the event loop between them, as `verifyManifest`
 * does; a hostile record at the size limit (16 MiB by default) costs a few hundred
 * milliseconds of work, in pieces. Made in one piece: the copy of the input taken when the
 * function is called (native; a string's UTF-8 encoding), and WebCrypto's own copy of what it
 * verifies and decrypts. A record's small message is built in a buffer shared between calls
 * and handed to WebCrypto at once; one over 1 MiB in its own buffer, so calls in parallel
 * cannot mix their messages.
 */
export function openRecord(bytes: Bytes, options: ReadOptions): Promise<OpenedRecord>;

/** Verifies a record's signature; never decrypts: a public key is enough. Unsigned is SR008. Read in time slices, as `openRecord`. */
export function verifyRecord(bytes: Bytes, options: ReadOptions): Promise<{ keyId: string; signature: "ed25519" | "v1" }>;

/**
 * Verifies a manifest's `.minisig` with the caller's public key (and its `# signature:` HMAC
 * line when a secret key of its id is given) and returns its entries: path -> SHA-256 hex
 * (SPEC section 6). A `.minisig` may be prehashed (`ED`: BLAKE2b-512 of the manifest's bytes)
 * or legacy (`Ed`). At least one signature must verify, else SR019.
 *
 * Nothing of the manifest is read line by line before a signature verifies: the `.minisig`
 * is checked first (at most 4096 bytes, else SR019 before it is split), then the signatures
 * over the manifest's bytes as they are (the reader allocates no object per line of an
 * unauthenticated manifest; `sizeLimit`, default 16 MiB, bounds what is read at all).
 *
 * Entries are never merged. A listed path that is not valid UTF-8 is SR018 naming its line
 * (the reader refuses the manifest rather than decode such names lossily: `a\xFE.md` and
 * `a\xFF.md` would both become `a\uFFFD.md`); a path listed twice (a repeated line, or two
 * lines with one path) is SR018 naming the second line; so is a line out of bytewise order,
 * and a line that is not `<64 hex digits>  <path>`.
 *
 * After the signatures, the verified trusted comment is checked against `options.name`
 * (`file:`) and `options.notBefore` (`timestamp:`), SR019 when it does not match (see
 * `ManifestOptions`); the result says who signed, how and when (see `VerifiedManifest`).
 *
 * The thread is never held for long: the manifest is hashed (BLAKE2b-512 for a prehashed
 * `ED` `.minisig`, in JavaScript: WebCrypto has no BLAKE2b), scanned for its signature line
 * and, once verified, read into entries in time slices of about 8 ms, yielding to the event
 * loop between them (`setImmediate` where there is one, else a `MessageChannel` message). A
 * hostile server's manifest served with the site's real `.minisig` (its key number matches)
 * is hashed whole before its signature fails: that costs the reader seconds of work in the
 * background at the size limit, but a page keeps answering meanwhile. Only the single copy
 * of the input taken when the function is called, a native copy, is made in one piece
 * (about 10 ms for 16 MiB); the slices read that copy, so a buffer changed meanwhile changes
 * nothing.
 */
export function verifyManifest(
  manifestBytes: Bytes,
  minisigText: Bytes | null,
  options: ManifestOptions,
): Promise<VerifiedManifest>;

/** Options of `verifyManifest`: those of a record, and what the signed trusted comment must say. */
export interface ManifestOptions extends ReadOptions {
  /**
   * A name for messages (a path), and the manifest's expected file name: when given, a verified
   * `.minisig`'s trusted comment must say `file:<the last path component of name>` (the tool
   * writes the manifest's file name there), else SR019: another manifest signed by the same
   * key (a drafts corpus, another site) is not taken for this one. The HMAC line names no
   * file: a manifest verified by it alone is not checked so.
   */
  name?: string;
  /**
   * Unix seconds: the verified `.minisig`'s `timestamp:` must not be older, else SR019 (an
   * older manifest, validly signed, served again). With no verified `.minisig` holding a
   * timestamp (a manifest checked by its HMAC line only) it is SR019 too. Not an integer >= 0: a TypeError.
   */
  notBefore?: number;
  /**
   * Largest manifest read, in bytes: larger is SR018, refused before it is copied or hashed.
   * Default 16 MiB, about 150,000 records (a manifest line is about 110 bytes); the tool
   * writes up to 64 MiB, so give up to `64 * 1024 * 1024` for a larger corpus. (Earlier
   * readers read 64 MiB by default: every byte is hashed before a wrong signature is found,
   * and a hostile server can make each visit pay for it.)
   */
  sizeLimit?: number;
}

/**
 * What `verifyManifest` returns: the entries (path -> lowercase hex SHA-256), a `Map` as
 * before, and what was verified, as read-only, non-enumerable properties.
 */
export interface VerifiedManifest extends Map<string, string> {
  /** The id of the key whose signature verified (the `.minisig`'s when it verified, else the HMAC line's). */
  readonly signedBy: string;
  /** The signature `signedBy` is read from: the `.minisig` when it verified, else the HMAC line. */
  readonly signature: "minisig" | "hmac";
  /** Every signature that verified. */
  readonly signatures: ReadonlyArray<"minisig" | "hmac">;
  /** The verified trusted comment's `timestamp:` (unix seconds), or `null` (no verified `.minisig`, or none in it). */
  readonly timestamp: number | null;
  /** The verified trusted comment's `file:`, or `null`. */
  readonly file: string | null;
  /** The verified trusted comment as a whole, or `null` when no `.minisig` verified. */
  readonly trustedComment: string | null;
}

/**
 * Checks a record's bytes against a verified manifest's entry for `path`, relative to the
 * corpus root (SPEC section 9): SR018 when the manifest does not list it or its SHA-256
 * differs. Returns the record's SHA-256 (lowercase hex).
 */
export function checkListed(entries: Map<string, string>, path: string, bytes: Bytes): Promise<string>;

/**
 * BLAKE2b (RFC 7693), unkeyed; 64-byte output by default (for tools that check minisign's
 * prehashed signatures). `outLen` must be an integer 1-64
 * (else a RangeError: `1.5` or `"2"` are not taken as some other length). Synchronous: it
 * holds the thread for the whole input (pure JavaScript, tens of milliseconds a MiB), so
 * hash only inputs of a size you chose; `verifyManifest` does not call it, it hashes in time
 * slices.
 */
export function blake2b(input: Bytes, outLen?: number): Uint8Array;

/** Largest record read by default: 16 MiB. */
export const DEFAULT_SIZE_LIMIT: number;
