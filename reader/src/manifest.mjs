// Part of secured-reader.mjs (the front door, which re-exports the public API): corpus manifests
// (SPEC section 6).
import { MANIFEST_SIZE_LIMIT, SCAN_STEP, timeSlicer, encoder, strictUTF8, lossyUTF8, MANIFEST_DOMAIN, fail, requireSubtle, printable, isValidID, isDigit, allChars, own, minisignKeyID, readOptions } from "./internal.mjs";
import { readInput, readInputOrSurrogate, lineOfIndexSliced, countLineFeedsSliced, decodeBase64Text, hex, bytesEqual, concat } from "./bytes.mjs";
import { blake2bSliced } from "./blake2b.mjs";
import { keyRing } from "./keys.mjs";
import { sha256, verifyEd25519, verifyHmac } from "./webcrypto.mjs";

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
    trustedText: lines[2].text.slice("trusted comment: ".length),
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
    const bytes = readInput(minisigText, "the .minisig", MAX_MINISIG, tooLarge, null);
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


const SIGPREFIX = encoder.encode("# signature:");

/**
 * The `# signature:` line ({ number, start, end }, `end` at its line feed or the end), or
 * null; SR019 when there are two, or a line after it. Found from the '#' bytes at the start
 * of a line: no object per line, no copy, before any signature is checked. Read in slices of
 * SCAN_STEP bytes, yielding to the event loop between time slices (see `timeSlicer`): a
 * manifest of '#' or of line feeds, at the size limit, costs hundreds of milliseconds of byte
 * loops, which must not hold a page's thread in one piece.
 */
async function findSignatureLine(b, name) {
  let found = null;
  const n = b.length;
  const m = SIGPREFIX.length;
  const slicer = timeSlicer();
  const isSignatureAt = (i) => {
    if ((i > 0 && b[i - 1] !== 0x0a) || i + m > n) return false;
    for (let k = 1; k < m; k++) if (b[i + k] !== SIGPREFIX[k]) return false;
    return true;
  };
  // The first '# signature:' line start in b[from..to), or -1: by indexOf (native, fast over
  // long stretches without a '#') while the calls stay few, then by one byte loop: a call per
  // '#' would cost a call per byte of a manifest of '#' (seconds for 64 MiB).
  let calls = 0;
  const budget = 1024 + (n >> 6);
  const nextIn = (from, to) => {
    if (calls < budget) {
      const upTo = b.subarray(0, to); // bounds indexOf at `to`
      for (; from < to && ++calls < budget; from++) {
        from = upTo.indexOf(0x23, from);
        if (from < 0 || isSignatureAt(from)) return from;
      }
    }
    for (let k = from; k < to; k++) if (b[k] === 0x23 && (k === 0 || b[k - 1] === 0x0a) && isSignatureAt(k)) return k;
    return -1;
  };
  const next = async (from) => {
    for (; from < n; from += SCAN_STEP) {
      if (slicer.due()) await slicer.pause();
      const i = nextIn(from, Math.min(n, from + SCAN_STEP));
      if (i >= 0) return i;
    }
    return -1;
  };
  for (let i = await next(0); i >= 0; i = await next(i + 1)) {
    let end = b.indexOf(0x0a, i);
    if (end < 0) end = b.length;
    if (found) {
      if (found.end + 1 < i) throw fail("SR019", name, found.number + 1, "signature", "line after the signature line; the signature must be last");
      throw fail("SR019", name, found.number + 1, "signature", "a second signature line");
    }
    found = { number: (await countLineFeedsSliced(b, i, slicer)) + 1, start: i, end };
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

// The `# signature:` HMAC line: the key id that signed, or a reason it could not be checked.
async function verifyHmacLine(b, sigLine, ring, name) {
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
  if (!file?.mac) return { unverifiable: `the '# signature:' line (key '${parts[1]}' was not given as a secret key with 'mac')` };
  const unchecked = (why) => fail("SR019", name, sigLine.number, "signature", `the signature line could not be checked: ${why}`);
  const ok = await verifyHmac(file.mac, tag, concat(MANIFEST_DOMAIN, b.subarray(0, sigLine.start)), unchecked);
  if (!ok) throw fail("SR019", name, sigLine.number, "signature", `manifest signature does not match key '${parts[1]}': the manifest was changed or the key is wrong`);
  return { keyId: parts[1] };
}

// The detached `.minisig`: the key id that signed, or a reason it could not be checked.
async function verifyDetached(b, sig, ring, name) {
  let found = null;
  for (const [id, p] of ring.publics) if (!found && bytesEqual(p.keyNumber, sig.keyNumber)) found = { id, pub: p };
  if (!found) return { unverifiable: `the detached signature (no given public key has minisign key ID ${minisignKeyID(sig.keyNumber)})` };
  const unchecked = (why) => fail("SR019", `${name}.minisig`, null, null, `the detached signature could not be checked: ${why}`);
  const covered = sig.prehashed ? await blake2bSliced(b) : b;
  const ok = await verifyEd25519(found.pub.key, sig.signature, covered, unchecked);
  if (!ok) throw fail("SR019", `${name}.minisig`, null, null, "detached signature does not match the public key: the manifest was changed or the key is wrong");
  const okGlobal = await verifyEd25519(found.pub.key, sig.global, concat(sig.signature, sig.trustedComment), unchecked);
  if (!okGlobal) throw fail("SR019", `${name}.minisig`, null, null, "the trusted comment of the detached signature was changed (global signature fails)");
  return { keyId: found.id };
}

// `timestamp:<unix seconds>` and `file:<name>` of a trusted comment (tab-separated, as
// minisign and the tool write them); `null` for what it does not hold.
function trustedFields(text) {
  let timestamp = null;
  let file = null;
  for (const field of text.split("\t")) {
    if (timestamp === null && field.startsWith("timestamp:")) {
      const digits = field.slice("timestamp:".length);
      if (allChars(digits, 1, 15, isDigit)) timestamp = Number(digits);
    } else if (file === null && field.startsWith("file:")) {
      file = field.slice("file:".length);
    }
  }
  return { timestamp, file };
}

// What the caller asked of the signed trusted comment: `file:` the last path component of
// `name` (when a .minisig verified: the HMAC line names no file), `timestamp:` not before
// `notBefore` (which only a verified .minisig can show).
function checkTrusted(signed, expect, name) {
  if (signed.detached && expect.file !== null && signed.file !== expect.file) {
    throw fail("SR019", `${name}.minisig`, null, null,
      `the detached signature is for ${signed.file === null ? "no named file" : `file '${printable(signed.file)}'`}, not '${printable(expect.file)}' (another manifest substituted?)`);
  }
  if (expect.notBefore !== null) {
    if (signed.timestamp === null) {
      throw fail("SR019", name, null, null, `a signed timestamp not before ${expect.notBefore} was required, but no verified signature holds one (only a .minisig's trusted comment does)`);
    }
    if (signed.timestamp < expect.notBefore) {
      throw fail("SR019", `${name}.minisig`, null, null, `the manifest was signed at ${signed.timestamp}, before ${expect.notBefore} (an older manifest served again?)`);
    }
  }
}

function manifestExpectations(options) {
  const given = own(options, "name");
  const notBefore = own(options, "notBefore");
  if (notBefore !== undefined && !(Number.isSafeInteger(notBefore) && notBefore >= 0)) {
    throw new TypeError("notBefore must be a non-negative integer number of seconds (unix time)");
  }
  const file = typeof given === "string" ? given.slice(given.lastIndexOf("/") + 1) : null;
  return { file, notBefore: notBefore ?? null };
}

// What was verified, on the entries: read-only, non-enumerable (a Map of path -> hash as before).
function describe(entries, signed) {
  const value = (v) => ({ value: v, enumerable: false, writable: false, configurable: false });
  return Object.defineProperties(entries, {
    signedBy: value(signed.keyId),
    signature: value(signed.detached ? "minisig" : "hmac"),
    signatures: value(Object.freeze(signed.kinds.slice())),
    timestamp: value(signed.timestamp),
    file: value(signed.file),
    trustedComment: value(signed.trustedComment),
  });
}

/** `verifyManifest`: described in ../secured-reader.d.ts, its one description. */
export async function verifyManifest(manifestBytes, minisigText, options) {
  requireSubtle();
  const o = readOptions(options, MANIFEST_SIZE_LIMIT);
  const expect = manifestExpectations(options);
  const name = o.name ?? "MANIFEST.sha256";
  // Copied once before anything is read (here, before the first await); a string refused over
  // the limit before it is encoded.
  const b = readInputOrSurrogate(manifestBytes, "the manifest", o.sizeLimit,
    () => fail("SR018", name, null, null, `manifest is larger than ${o.sizeLimit} bytes; not read (the option sizeLimit raises the limit)`));
  if (!(b instanceof Uint8Array)) {
    const line = await lineOfIndexSliced(manifestBytes, b.loneSurrogate, timeSlicer());
    throw fail("SR018", name, line, null, "manifest text is not UTF-8: it holds a lone surrogate");
  }
  const sig = minisigText != null ? readMinisig(minisigText, name) : null;
  const sigLine = await findSignatureLine(b, name);
  if (!sigLine && !sig) throw fail("SR019", name, null, null, "manifest has neither a '# signature:' line nor a detached .minisig");
  const ring = await keyRing(o.keys);

  // The signatures, before anything of the entries is read.
  const hmac = sigLine ? await verifyHmacLine(b, sigLine, ring, name) : null;
  const detached = sig ? await verifyDetached(b, sig, ring, name) : null;
  const kinds = [...(hmac?.keyId ? ["hmac"] : []), ...(detached?.keyId ? ["minisig"] : [])];
  if (kinds.length === 0) {
    const unverifiable = [hmac?.unverifiable, detached?.unverifiable].filter(Boolean);
    throw fail("SR019", name, sigLine?.number ?? null, null, `no signature of the manifest could be checked with the given keys: ${unverifiable.join("; ")}`);
  }
  const comment = detached?.keyId ? sig.trustedText : null;
  const signed = {
    keyId: detached?.keyId ?? hmac.keyId,
    detached: Boolean(detached?.keyId),
    kinds,
    trustedComment: comment,
    ...(comment === null ? { timestamp: null, file: null } : trustedFields(comment)),
  };
  checkTrusted(signed, expect, name);
  return describe(await readEntries(b, sigLine ? sigLine.start : b.length, name), signed);
}

// The entries: '<64 lowercase hex>  <path>', sorted by path bytes, each once, UTF-8. Only a
// manifest whose signature verified is read so; a large one is still read in time slices.
async function readEntries(b, stop, name) {
  const entries = new Map();
  const slicer = timeSlicer();
  let previous = null;
  let number = 0;
  for (let s = 0; s < stop; ) {
    number++;
    if ((number & 1023) === 0 && slicer.due()) await slicer.pause();
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

/** `checkListed`: described in ../secured-reader.d.ts, its one description. */
export async function checkListed(entries, path, bytes) {
  requireSubtle();
  const expected = entries.get(path);
  if (expected === undefined) throw fail("SR018", printable(path), null, null, "record is not in the manifest");
  const b = readInput(bytes, "the record", Infinity, null, () => fail("SR018", printable(path), null, null, "record text is not UTF-8: it holds a lone surrogate"));
  const digest = hex(await sha256(b, (why) => fail("SR018", printable(path), null, null, `SHA-256 could not be computed: ${why}`)));
  if (digest !== expected) throw fail("SR018", printable(path), null, null, "SHA-256 differs from the manifest (changed or swapped)");
  return digest;
}
