// Part of secured-reader.mjs (the front door, which re-exports the public API): records (SPEC
// sections 1, 2, 4 and 9): form, signature, decryption.
import { encoder, strictUTF8, lossyUTF8, SCAN_STEP, timeSlicer, fail, requireSubtle, isValidID, readOptions } from "./internal.mjs";
import { readInputOrSurrogate, lineOfIndexSliced, nonUTF8Line, B64_TABLE, decodeBase64, decodeBase64Sliced, decodeBase64Text } from "./bytes.mjs";
import { cachedRing, keyRing } from "./keys.mjs";
import { verifyEd25519, verifyHmac, decryptAesCbc } from "./webcrypto.mjs";
import { signedMessage } from "./message.mjs";

// Records (SPEC sections 1, 2, 4)

const S = 0x73; // 's'

// Every check of a record's form reads it in time slices (see `timeSlicer`): a record at the
// size limit is read in pieces of SCAN_STEP bytes or lines of them, and the thread is given
// back to the event loop between slices, so a hostile record never holds a page's thread long.

function startsWithKey(b, i, e, key) {
  const n = key.length;
  if (i + n + 1 > e) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== key[k]) return false;
  return b[i + n] === 0x3a && (i + n + 1 === e || b[i + n + 1] === 0x20);
}

const SECURED_KEY = encoder.encode("secured");
const SIGNATURE_KEY = encoder.encode("signature");

/**
 * The record's structure: lines found by the line rule (SPEC section 1). Of the `secured` and
 * `signature` lines, the first two of each are kept and all are counted (a record of a million
 * `secured:` lines makes no million objects).
 */
async function scanRecord(b, name, slicer) {
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  // The opening line: exactly '---' with a terminator.
  let nl = b.indexOf(0x0a, bom);
  const openEnd = nl < 0 ? -1 : nl > bom && b[nl - 1] === 0x0d ? nl - 1 : nl;
  if (nl < 0 || openEnd - bom !== 3 || b[bom] !== 0x2d || b[bom + 1] !== 0x2d || b[bom + 2] !== 0x2d) {
    throw fail("SR001", name, 1, null, "no front matter: the first line is not '---'");
  }
  // Only the `secured` and `signature` lines are kept: nothing else of the front matter is read.
  const secured = [];
  const signature = [];
  let securedCount = 0;
  let signatureCount = 0;
  let closing = null;
  let offset = nl + 1;
  let number = 1;
  const n = b.length;
  for (let checkAt = offset + SCAN_STEP; offset < n; ) {
    if (offset >= checkAt) {
      checkAt = offset + SCAN_STEP;
      if (slicer.due()) await slicer.pause();
    }
    number++;
    // A byte loop: TypedArray indexOf costs more per call than these short lines take; past
    // 256 bytes, indexOf (native) finds the end of a long line.
    nl = offset;
    const quick = Math.min(n, offset + 256);
    while (nl < quick && b[nl] !== 0x0a) nl++;
    if (nl === quick) nl = quick < n ? b.indexOf(0x0a, quick) : -1;
    const end = nl < 0 ? n : nl + 1;
    const contentEnd = nl < 0 ? b.length : nl > offset && b[nl - 1] === 0x0d ? nl - 1 : nl;
    const first = b[offset];
    if (first === 0x2d) {
      if (contentEnd - offset === 3 && b[offset + 1] === 0x2d && b[offset + 2] === 0x2d) {
        closing = { number, start: offset, end };
        break;
      }
    } else if (first === S) {
      if (startsWithKey(b, offset, contentEnd, SECURED_KEY)) {
        if (securedCount++ < 2) secured.push({ number, start: offset, contentEnd, end, afterColon: offset + 8 });
      } else if (startsWithKey(b, offset, contentEnd, SIGNATURE_KEY)) {
        if (signatureCount++ < 2) signature.push({ number, start: offset, contentEnd, end, afterColon: offset + 10 });
      }
    }
    offset = end;
  }
  if (!closing) throw fail("SR001", name, 1, null, "front matter is not terminated: no closing '---' line");
  return { bom, secured, securedCount, signature, signatureCount, closing };
}

// Bit 1: a character of a `secured` value (base64 and ';'); bit 2: of a `signature` value
// (those and the key-id characters '.', '_', '-'); bit 4: a space; bit 8: a tab.
const VALUE_CHARS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (B64_TABLE[c] !== 0xff || c === 0x3d || c === 0x3b) VALUE_CHARS[c] = 3;
}
for (const c of [0x2e, 0x5f, 0x2d]) VALUE_CHARS[c] = 2;
const SPACE = 4;
const TAB = 8;
VALUE_CHARS[0x20] = SPACE;
VALUE_CHARS[0x09] = TAB;

// The first index from i (below `to`) whose byte is not of class `bit`: a byte loop that looks
// at the clock every SCAN_STEP bytes (a value, or its spaces, may be as long as the record).
async function skip(b, i, to, bit, slicer) {
  for (;;) {
    const stop = Math.min(to, i + SCAN_STEP);
    while (i < stop && VALUE_CHARS[b[i]] & bit) i++;
    if (i < stop || stop === to) return i;
    if (slicer.due()) await slicer.pause();
  }
}

// The line that continues a top-level line's value, if YAML would read one: the next line
// that is not blank starts with a space or tab and is not a comment. One byte loop over the
// blank lines (spaces and tabs, then LF or CR LF), no call per line.
async function continuationLine(b, line, closing, slicer) {
  let number = line.number;
  for (let start = line.end, checkAt = start + SCAN_STEP; start < closing.start; ) {
    if (start >= checkAt) {
      checkAt = start + SCAN_STEP;
      if (slicer.due()) await slicer.pause();
    }
    number++;
    let i = start;
    const stop = Math.min(b.length, start + SCAN_STEP);
    while (i < stop && (b[i] === 0x20 || b[i] === 0x09)) i++;
    if (i === stop) i = await skip(b, i, b.length, SPACE | TAB, slicer); // a very long blank line
    const lf = b[i] === 0x0a ? i : b[i] === 0x0d && b[i + 1] === 0x0a ? i + 1 : -1;
    if (lf < 0) return i < b.length && i > start && b[i] !== 0x23 ? number : null;
    start = lf + 1;
  }
  return null;
}

// The value of a `secured` or `signature` line written literally (SPEC sections 2, 4):
// spaces, then the value in double quotes, single quotes or none, then optional spaces.
async function literalValue(b, from, to, signatureAlphabet, slicer) {
  let i = from;
  if (!(i < to && b[i] === 0x20)) return "no space and value after the colon";
  i = await skip(b, i, to, SPACE, slicer);
  if (i === to) return "the value is empty";
  let quote = 0;
  if (b[i] === 0x22 || b[i] === 0x27) quote = b[i++];
  const start = i;
  i = await skip(b, i, to, signatureAlphabet ? 2 : 1, slicer);
  if (i < to) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== quote) {
      const shown = c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16)}`;
      return `character ${shown} at column ${i - from + 1} is not ${signatureAlphabet ? "allowed in a signature" : "base64 or ';'"}`;
    }
  }
  const end = i;
  if (quote) {
    if (!(i < to && b[i] === quote)) return i < to ? "whitespace inside the quoted value" : "the closing quote is missing";
    i++;
  }
  i = await skip(b, i, to, SPACE, slicer);
  if (i !== to) return b[i] === 0x23 ? "a comment after the value" : "unexpected text after the value";
  return [start, end];
}

/** Form checks (section 9, step 1): the blob and the parsed signature, or the first failure. */
async function readForm(b, name) {
  const slicer = timeSlicer();
  // SR017 comes before everything else (SPEC section 1).
  const badLine = await nonUTF8Line(b, slicer);
  if (badLine !== null) throw fail("SR017", name, badLine, null, "file is not valid UTF-8 (first bad byte on this line)");
  const rec = await scanRecord(b, name, slicer);
  const { secured, signature } = rec;
  if (rec.securedCount > 1) {
    throw fail("SR002", name, secured[1].number, "secured", `'secured' appears on ${rec.securedCount} top-level lines (first on line ${secured[0].number})`);
  }
  if (rec.securedCount === 1) {
    const next = await continuationLine(b, secured[0], rec.closing, slicer);
    if (next != null) {
      throw fail("SR004", name, secured[0].number, "secured", `'secured' is not B64;B64 written literally: the value is continued on line ${next}`);
    }
  }
  if (rec.signatureCount >= 1) {
    const next = await continuationLine(b, signature[0], rec.closing, slicer);
    if (next != null) {
      throw fail("SR009", name, signature[0].number, "signature", `'signature' is not written literally: the value is continued on line ${next}`);
    }
  }
  if (rec.securedCount === 0) throw fail("SR003", name, null, "secured", "record has no 'secured' field");
  const sl = secured[0];
  const { ciphertext, iv } = await readBlob(b, sl, name, slicer);
  const sig = rec.signatureCount > 0 ? await readSignature(b, rec, name, slicer) : null;
  return { rec, securedLine: sl.number, ciphertext, iv, sig };
}

// The blob (SPEC section 2) of the `secured` line `sl`: ciphertext and IV.
async function readBlob(b, sl, name, slicer) {
  const range = await literalValue(b, sl.afterColon, sl.contentEnd, false, slicer);
  if (typeof range === "string") throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: ${range}`);
  const [vs, ve] = range;
  let cut = -1;
  let separators = 0;
  // A byte loop, in slices: an indexOf call per ';' would cost a call per byte of a value of ';'.
  for (let from = vs; from < ve; from += SCAN_STEP) {
    if (slicer.due()) await slicer.pause();
    const to = Math.min(ve, from + SCAN_STEP);
    for (let i = from; i < to; i++) {
      if (b[i] === 0x3b) {
        separators++;
        cut = i;
      }
    }
  }
  if (separators !== 1) {
    throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: expected exactly one ';' between ciphertext and IV, found ${separators}`);
  }
  const ciphertext = await decodeBase64Sliced(b, vs, cut, slicer);
  const iv = decodeBase64(b, cut + 1, ve);
  if (typeof ciphertext === "string") throw fail("SR005", name, sl.number, "secured", `'secured': ciphertext part is not canonical base64: ${ciphertext}`);
  if (typeof iv === "string") throw fail("SR005", name, sl.number, "secured", `'secured': IV part is not canonical base64: ${iv}`);
  if (iv.length !== 16) throw fail("SR006", name, sl.number, "secured", `'secured': IV part decodes to ${iv.length} bytes, expected 16`);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw fail("SR007", name, sl.number, "secured", `'secured': ciphertext decodes to ${ciphertext.length} bytes, expected a non-empty multiple of 16`);
  }
  return { ciphertext, iv };
}

/** The longest `signature` value read: `ed25519;<64-character id>;<88 characters>` is 161. */
const MAX_SIGNATURE_VALUE = 1024;

// The signature (SPEC section 4): { kind, keyId, tag, line }.
async function readSignature(b, rec, name, slicer) {
  const line = rec.signature[0];
  const sfail = (at, reason) => fail("SR009", name, at, "signature", reason);
  if (rec.signatureCount > 1) {
    throw sfail(rec.signature[1].number, `'signature' appears on ${rec.signatureCount} top-level lines (first on line ${line.number})`);
  }
  const r = await literalValue(b, line.afterColon, line.contentEnd, true, slicer);
  if (typeof r === "string") throw sfail(line.number, `'signature' is not written literally: ${r}`);
  // Longer than any signature: not decoded, nor split into as many strings as it has ';'.
  if (r[1] - r[0] > MAX_SIGNATURE_VALUE) throw sfail(line.number, `'signature': ${r[1] - r[0]} characters, more than any signature has (${MAX_SIGNATURE_VALUE})`);
  const value = lossyUTF8.decode(b.subarray(r[0], r[1]));
  const parts = value.split(";");
  if (parts.length !== 3) throw sfail(line.number, "'signature': not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>");
  const kind = parts[0];
  if (kind !== "v1" && kind !== "ed25519") {
    throw sfail(line.number, `'signature': unknown version '${parts[0].slice(0, 16)}' (this reader knows v1 and ed25519)`);
  }
  if (!isValidID(parts[1])) throw sfail(line.number, "'signature': key id is not 1-64 of [A-Za-z0-9._-]");
  const what = kind === "ed25519" ? "signature" : "tag";
  const tag = decodeBase64Text(parts[2]);
  if (typeof tag === "string") throw sfail(line.number, `'signature': ${what} is not canonical base64: ${tag}`);
  const expected = kind === "ed25519" ? 64 : 32;
  if (tag.length !== expected) throw sfail(line.number, `'signature': ${what} decodes to ${tag.length} bytes, expected ${expected}`);
  return { kind, keyId: parts[1], tag, line };
}

/** Section 9, steps 1 and 2: form, then the signature. Never decrypts. */
async function verifyParsed(b, ring, options) {
  const name = options.name;
  const form = await readForm(b, name);
  const { sig } = form;
  if (!sig) return { form, keyId: null };
  const unchecked = (why) => fail("SR011", name, sig.line.number, "signature", `the signature could not be checked: ${why}`);
  // A small message is built at once and handed to WebCrypto with no await between; a large
  // one is a Promise (see signedMessage).
  const message = () => signedMessage(b, form.rec, sig.line);
  let ok;
  if (sig.kind === "ed25519") {
    const pub = ring.publics.get(sig.keyId);
    if (!pub) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (ed25519) names key id '${sig.keyId}', but no public key, or secret key with 'sign', with that id was supplied`);
    }
    let m = message();
    if (!(m instanceof Uint8Array)) m = await m;
    ok = await verifyEd25519(pub.key, sig.tag, m, unchecked);
  } else {
    const file = ring.files.get(sig.keyId);
    if (!file?.mac) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (v1, HMAC) names key id '${sig.keyId}', but no secret key with that id and a 'mac' was supplied`);
    }
    // subtle.verify compares the tag in constant time.
    let m = message();
    if (!(m instanceof Uint8Array)) m = await m;
    ok = await verifyHmac(file.mac, sig.tag, m, unchecked);
  }
  if (!ok) {
    throw fail("SR011", name, sig.line.number, "signature", `signature does not match key '${sig.keyId}': the record was changed or the key is wrong`);
  }
  return { form, keyId: sig.keyId };
}

// The record's bytes, copied once before anything is read (a buffer changed meanwhile, by the
// caller or another thread, cannot make the form and the signature see different bytes); a
// string is refused over the limit before it is encoded, and when it has no UTF-8. Copied
// when this is called (before its first await): its caller's first step.
async function recordBytes(bytes, o) {
  const b = readInputOrSurrogate(bytes, "the record", o.sizeLimit,
    () => fail("SR017", o.name, null, null, `file is larger than the size limit (${o.sizeLimit} bytes)`));
  if (b instanceof Uint8Array) return b;
  const line = await lineOfIndexSliced(bytes, b.loneSurrogate, timeSlicer());
  throw fail("SR017", o.name, line, null, "text is not UTF-8: it holds a lone surrogate (a string with no UTF-8 form)");
}

/** `verifyRecord`: described in ../secured-reader.d.ts, its one description. */
export async function verifyRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = await recordBytes(bytes, o);
  const ring = await keyRing(o.keys);
  const { form, keyId } = await verifyParsed(b, ring, o);
  if (!form.sig) throw fail("SR008", o.name, form.securedLine, "signature", "record has no 'signature'");
  return { keyId, signature: form.sig.kind };
}

const decrypt = decryptAesCbc;

/** `openRecord`: described in ../secured-reader.d.ts, its one description. */
export async function openRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = await recordBytes(bytes, o);
  const ring = cachedRing(o.keys) ?? (await keyRing(o.keys));
  const { form, keyId } = await verifyParsed(b, ring, o);
  const { iv, ciphertext } = form;
  let content = null;
  let opener = null;
  if (form.sig) {
    // Only the key whose id signed the record decrypts it.
    const file = ring.files.get(keyId);
    if (!file) {
      throw fail("NO_DECRYPTION_KEY", o.name, form.securedLine, "secured",
        `the signature of key '${keyId}' verifies, but only its public key was given: it cannot be opened (give the read-only key file of '${keyId}')`);
    }
    content = await decrypt(file.enc, iv, ciphertext);
    opener = file;
    if (!content) {
      throw fail("SR012", o.name, form.securedLine, "secured", `decryption failed (bad padding) with key '${keyId}', although the signature matches`);
    }
  } else {
    if (!o.allowUnsigned) {
      throw fail("SR008", o.name, form.securedLine, "signature", "record is not signed and unsigned records were not allowed; not decrypted");
    }
    if (ring.order.length === 0) {
      throw fail("NO_DECRYPTION_KEY", o.name, form.securedLine, "secured", "the record is unsigned and no key that decrypts (a key file with 'enc') was given");
    }
    // Not authentication: a wrong key passes the padding check about once in 256 tries.
    for (const file of ring.order) {
      content = await decrypt(file.enc, iv, ciphertext);
      if (content) {
        opener = file;
        break;
      }
    }
    if (!content) {
      const tried = ring.order.map((f) => f.id).join(", ");
      throw fail("SR012", o.name, form.securedLine, "secured", `decryption failed (bad padding) with ${ring.order.length === 1 ? "key" : "keys"} ${tried}: wrong key or damaged ciphertext`);
    }
  }
  let text = null;
  const warnings = [];
  try {
    text = strictUTF8.decode(content);
  } catch {
    warnings.push("SR013");
  }
  return { content, text, keyId: opener.id, signature: form.sig ? form.sig.kind : null, warnings };
}
