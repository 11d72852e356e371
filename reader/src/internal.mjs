// (No module here starts with `_`: Jekyll, and hosts that follow it, leave such files out of
// a site, so a reader copied into a site would lose it.)
// Internals shared by the reader's modules (not part of its public API): WebCrypto, text
// codecs, constants, the error type and its construction, options read as own properties,
// text shown in messages, character classes, and the registry of parsed keys.

export const subtle = globalThis.crypto?.subtle;

/** `DEFAULT_SIZE_LIMIT`: described in ../secured-reader.d.ts, its one description. */
export const DEFAULT_SIZE_LIMIT = 16 * 1024 * 1024;
/**
 * Largest manifest read by default: 16 MiB, about 150,000 records (a line is about 110 bytes).
 * Below the tool's 64 MiB: every byte of a manifest is hashed in JavaScript before its
 * signature can fail, seconds of work at 64 MiB that a hostile server can ask for on every
 * visit. `sizeLimit` raises it for a larger corpus.
 */
export const MANIFEST_SIZE_LIMIT = 16 * 1024 * 1024;
/** Largest key file read (as the tool). */
export const MAX_KEY_FILE = 64 * 1024;

export const encoder = new TextEncoder();
export const strictUTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
export const lossyUTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

export const RECORD_DOMAIN = encoder.encode("secured-record-v1\n");
export const MANIFEST_DOMAIN = encoder.encode("secured-manifest-v1\n");
export const KEYNUM_DOMAIN = encoder.encode("secured-keynum-v1\n");
export const FINGERPRINT_DOMAIN = encoder.encode("secured-key-v1\n");

/** `SecuredReaderError`: described in ../secured-reader.d.ts, its one description. */
export class SecuredReaderError extends Error {
  constructor(code, message, where) {
    super(message);
    this.name = "SecuredReaderError";
    this.code = code;
    this.line = own(where, "line") ?? null;
    this.field = own(where, "field") ?? null;
  }
}

export function fail(code, name, line, field, reason) {
  let where = name ?? "record";
  if (line != null) where += `:${line}`;
  const text = code === "KEY" || code === "NO_DECRYPTION_KEY" ? `${where}: ${reason}` : `${where}: ${code} ${reason}`;
  return new SecuredReaderError(code, text, { line, field });
}

export function requireSubtle() {
  if (!subtle) {
    throw new SecuredReaderError(
      "KEY",
      "WebCrypto (crypto.subtle) is not available: browsers offer it only in a secure context (HTTPS, localhost or file://)",
    );
  }
}

/**
 * `options[name]` when it is the caller's own property, else `undefined`: never read through
 * the prototype chain (an `Object.prototype.allowUnsigned = true` set anywhere in a page
 * must not change what the reader does).
 */
export function own(options, name) {
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
export function printable(text) {
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
export const isDigit = (c) => c >= 0x30 && c <= 0x39;
export const isAlnum = (c) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export function allChars(text, min, max, ok) {
  if (typeof text !== "string" || text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!ok(text.charCodeAt(i))) return false;
  return true;
}

/** 1-64 of [A-Za-z0-9._-]. */
export function isValidID(id) {
  return allChars(id, 1, 64, (c) => isAlnum(c) || c === 0x2e || c === 0x5f || c === 0x2d);
}

const isBlank = (c) => c === 0x20 || c === 0x09;

/** `s` without its leading spaces and tabs. */
export function trimStartBlanks(s) {
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

/** `s` without its trailing spaces and tabs (a backward loop: `/[ \t]+$/` is quadratic). */
export function trimEndBlanks(s) {
  let e = s.length;
  while (e > 0 && isBlank(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** The key ID minisign prints: the key number read little-endian, 16 uppercase hex digits. */
export function minisignKeyID(kn) {
  let s = "";
  for (let i = 7; i >= 0; i--) s += (kn[i] < 16 ? "0" : "") + kn[i].toString(16);
  return s.toUpperCase();
}

// The imported CryptoKeys of each parsed key, out of reach of JSON and logs.
export const internals = new WeakMap();

export function textLines(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split("\n").map((l, k) => ({ number: k + 1, text: l.endsWith("\r") ? l.slice(0, -1) : l }));
}

export function keyError(source, line, field, reason) {
  return fail("KEY", source ?? "key", line, field, reason);
}

// The options of openRecord, verifyRecord and verifyManifest: the caller's own properties
// only (see `own`), copied once.
export function readOptions(options, defaultLimit = DEFAULT_SIZE_LIMIT) {
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

// Yielding to the event loop, for work over large inputs in async functions (hashing a
// manifest): a macrotask, so timers, input and rendering run in between (a resolved promise,
// a microtask, would let nothing else run). setImmediate where there is one (Node; it does not
// wait for timers' clamping), else a MessageChannel message (browsers, workers, Deno; one
// channel per yield, closed when it arrives: an open port would keep a Deno or Node process
// alive), else setTimeout. Taken once, when the module loads.
const setImmediateOf = typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : null;
const MessageChannelOf = typeof globalThis.MessageChannel === "function" ? globalThis.MessageChannel : null;
const setTimeoutOf = globalThis.setTimeout;
const clock = typeof globalThis.performance?.now === "function" ? globalThis.performance.now.bind(globalThis.performance) : Date.now;

export function yieldToEventLoop() {
  if (setImmediateOf) return new Promise((resolve) => setImmediateOf(resolve));
  if (MessageChannelOf) {
    return new Promise((resolve) => {
      const channel = new MessageChannelOf();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeoutOf(resolve, 0));
}

/** The longest the reader holds the thread between two yields in its sliced loops, in milliseconds. */
export const SLICE_MS = 8;
/** Bytes a sliced byte loop reads between two looks at the clock (well under a millisecond). */
export const SCAN_STEP = 64 * 1024;

/**
 * Time slices for a long loop in an async function: `if (slicer.due()) await slicer.pause();`
 * between steps (each step well under a millisecond) yields once SLICE_MS have passed since
 * the slicer was made or last paused.
 */
export function timeSlicer(ms = SLICE_MS) {
  let since = clock();
  return {
    due: () => clock() - since >= ms,
    async pause() {
      await yieldToEventLoop();
      since = clock();
    },
  };
}
