// Part of secured-reader.mjs (the front door, which re-exports the public API): records (SPEC
// sections 1, 2, 4 and 9): form, signature, decryption.
import { encoder, strictUTF8, lossyUTF8, RECORD_DOMAIN, fail, requireSubtle, isValidID, readOptions } from "./_internal.mjs";
import { readInput, lineOfIndex, firstInvalidUTF8, countLineFeeds, B64_TABLE, decodeBase64, decodeBase64Text } from "./bytes.mjs";
import { cachedRing, keyRing } from "./keys.mjs";
import { verifyEd25519, verifyHmac, decryptAesCbc } from "./webcrypto.mjs";

// Records (SPEC sections 1, 2, 4)

const S = 0x73; // 's'

// The line of the first byte that is not UTF-8: found in one pass over the bytes, then the
// line feeds before it counted (decoding line by line costs a decoder call per line).
function firstNonUTF8Line(b) {
  const bad = firstInvalidUTF8(b);
  return bad < 0 ? null : countLineFeeds(b, 0, bad) + 1;
}

function startsWithKey(b, i, e, key) {
  const n = key.length;
  if (i + n + 1 > e) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== key[k]) return false;
  return b[i + n] === 0x3a && (i + n + 1 === e || b[i + n + 1] === 0x20);
}

const SECURED_KEY = encoder.encode("secured");
const SIGNATURE_KEY = encoder.encode("signature");

/** The record's structure: lines found by the line rule (SPEC section 1). */
function scanRecord(b, name) {
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
  let closing = null;
  let offset = nl + 1;
  let number = 1;
  const n = b.length;
  while (offset < n) {
    number++;
    // A byte loop: TypedArray indexOf costs more per call than these short lines take.
    nl = offset;
    while (nl < n && b[nl] !== 0x0a) nl++;
    if (nl === n) nl = -1;
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
        secured.push({ number, start: offset, contentEnd, end, afterColon: offset + 8 });
      } else if (startsWithKey(b, offset, contentEnd, SIGNATURE_KEY)) {
        signature.push({ number, start: offset, contentEnd, end, afterColon: offset + 10 });
      }
    }
    offset = end;
  }
  if (!closing) throw fail("SR001", name, 1, null, "front matter is not terminated: no closing '---' line");
  return { bom, secured, signature, closing };
}

// The line that continues a top-level line's value, if YAML would read one: the next line
// that is not blank starts with a space or tab and is not a comment.
function continuationLine(b, line, closing) {
  let number = line.number;
  for (let start = line.end; start < closing.start; ) {
    number++;
    const nl = b.indexOf(0x0a, start);
    const end = nl < 0 ? b.length : nl + 1;
    const contentEnd = nl < 0 ? b.length : nl > start && b[nl - 1] === 0x0d ? nl - 1 : nl;
    let i = start;
    while (i < contentEnd && (b[i] === 0x20 || b[i] === 0x09)) i++;
    if (i < contentEnd) return i > start && b[i] !== 0x23 ? number : null;
    start = end;
  }
  return null;
}

// Bit 1: a character of a `secured` value (base64 and ';'); bit 2: of a `signature` value
// (those and the key-id characters '.', '_', '-').
const VALUE_CHARS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (B64_TABLE[c] !== 0xff || c === 0x3d || c === 0x3b) VALUE_CHARS[c] = 3;
}
for (const c of [0x2e, 0x5f, 0x2d]) VALUE_CHARS[c] = 2;

// The value of a `secured` or `signature` line written literally (SPEC sections 2, 4):
// spaces, then the value in double quotes, single quotes or none, then optional spaces.
function literalValue(b, from, to, signatureAlphabet) {
  let i = from;
  if (!(i < to && b[i] === 0x20)) return "no space and value after the colon";
  while (i < to && b[i] === 0x20) i++;
  if (i === to) return "the value is empty";
  let quote = 0;
  if (b[i] === 0x22 || b[i] === 0x27) quote = b[i++];
  const start = i;
  const bit = signatureAlphabet ? 2 : 1;
  while (i < to && VALUE_CHARS[b[i]] & bit) i++;
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
  while (i < to && b[i] === 0x20) i++;
  if (i !== to) return b[i] === 0x23 ? "a comment after the value" : "unexpected text after the value";
  return [start, end];
}

/** Form checks (section 9, step 1): the blob and the parsed signature, or the first failure. */
function readForm(b, name) {
  // SR017 comes before everything else (SPEC section 1).
  try {
    strictUTF8.decode(b);
  } catch {
    throw fail("SR017", name, firstNonUTF8Line(b), null, "file is not valid UTF-8 (first bad byte on this line)");
  }
  const rec = scanRecord(b, name);
  const { secured, signature } = rec;
  if (secured.length > 1) {
    throw fail("SR002", name, secured[1].number, "secured", `'secured' appears on ${secured.length} top-level lines (first on line ${secured[0].number})`);
  }
  if (secured.length === 1) {
    const next = continuationLine(b, secured[0], rec.closing);
    if (next != null) {
      throw fail("SR004", name, secured[0].number, "secured", `'secured' is not B64;B64 written literally: the value is continued on line ${next}`);
    }
  }
  if (signature.length >= 1) {
    const next = continuationLine(b, signature[0], rec.closing);
    if (next != null) {
      throw fail("SR009", name, signature[0].number, "signature", `'signature' is not written literally: the value is continued on line ${next}`);
    }
  }
  if (secured.length === 0) throw fail("SR003", name, null, "secured", "record has no 'secured' field");

  // The blob (SPEC section 2).
  const sl = secured[0];
  const range = literalValue(b, sl.afterColon, sl.contentEnd, false);
  if (typeof range === "string") throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: ${range}`);
  const [vs, ve] = range;
  let cut = -1;
  let separators = 0;
  for (let i = b.indexOf(0x3b, vs); i >= 0 && i < ve; i = b.indexOf(0x3b, i + 1)) {
    separators++;
    cut = i;
  }
  if (separators !== 1) {
    throw fail("SR004", name, sl.number, "secured", `'secured' is not B64;B64 written literally: expected exactly one ';' between ciphertext and IV, found ${separators}`);
  }
  const ciphertext = decodeBase64(b, vs, cut);
  const iv = decodeBase64(b, cut + 1, ve);
  if (typeof ciphertext === "string") throw fail("SR005", name, sl.number, "secured", `'secured': ciphertext part is not canonical base64: ${ciphertext}`);
  if (typeof iv === "string") throw fail("SR005", name, sl.number, "secured", `'secured': IV part is not canonical base64: ${iv}`);
  if (iv.length !== 16) throw fail("SR006", name, sl.number, "secured", `'secured': IV part decodes to ${iv.length} bytes, expected 16`);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw fail("SR007", name, sl.number, "secured", `'secured': ciphertext decodes to ${ciphertext.length} bytes, expected a non-empty multiple of 16`);
  }

  // The signature (SPEC section 4).
  let sig = null;
  if (signature.length > 0) {
    const line = signature[0];
    const sfail = (at, reason) => fail("SR009", name, at, "signature", reason);
    if (signature.length > 1) {
      throw sfail(signature[1].number, `'signature' appears on ${signature.length} top-level lines (first on line ${line.number})`);
    }
    const r = literalValue(b, line.afterColon, line.contentEnd, true);
    if (typeof r === "string") throw sfail(line.number, `'signature' is not written literally: ${r}`);
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
    sig = { kind, keyId: parts[1], tag, line };
  }
  return { rec, securedLine: sl.number, ciphertext, iv, sig };
}

/**
 * `"secured-record-v1\n" || R'`: the record without its signature line and BOM, every
 * CRLF as LF (SPEC section 4), built in one buffer.
 */
function signedMessage(b, rec, sigLine) {
  const segments = sigLine ? [[rec.bom, sigLine.start], [sigLine.end, b.length]] : [[rec.bom, b.length]];
  let total = RECORD_DOMAIN.length;
  for (const [s, e] of segments) total += e - s;
  // One scratch buffer, reused: WebCrypto copies its input when verify() is called (the
  // message is built and handed over with no await between), so nothing is allocated per
  // record. Were a platform to read it later, a message overwritten meanwhile would only
  // make the signature fail (never pass): fail closed.
  if (messageScratch.length < total) messageScratch = new Uint8Array(Math.max(total, messageScratch.length * 2));
  const out = messageScratch;
  out.set(RECORD_DOMAIN, 0);
  let o = RECORD_DOMAIN.length;
  for (const [s, e] of segments) {
    let start = s;
    let cr = b.indexOf(0x0d, s);
    while (cr >= 0 && cr < e) {
      if (cr + 1 < e && b[cr + 1] === 0x0a) {
        out.set(b.subarray(start, cr), o);
        o += cr - start;
        start = cr + 1;
      }
      cr = b.indexOf(0x0d, cr + 1);
    }
    out.set(b.subarray(start, e), o);
    o += e - start;
  }
  return out.subarray(0, o);
}

let messageScratch = new Uint8Array(64 * 1024);

/** Section 9, steps 1 and 2: form, then the signature. Never decrypts. */
async function verifyParsed(b, ring, options) {
  const name = options.name;
  const form = readForm(b, name);
  const { sig } = form;
  if (!sig) return { form, keyId: null };
  const unchecked = (why) => fail("SR011", name, sig.line.number, "signature", `the signature could not be checked: ${why}`);
  let ok;
  if (sig.kind === "ed25519") {
    const pub = ring.publics.get(sig.keyId);
    if (!pub) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (ed25519) names key id '${sig.keyId}', but no public key, or secret key with 'sign', with that id was supplied`);
    }
    ok = await verifyEd25519(pub.key, sig.tag, signedMessage(b, form.rec, sig.line), unchecked);
  } else {
    const file = ring.files.get(sig.keyId);
    if (!file?.mac) {
      throw fail("SR010", name, sig.line.number, "signature",
        `'signature' (v1, HMAC) names key id '${sig.keyId}', but no secret key with that id and a 'mac' was supplied`);
    }
    // subtle.verify compares the tag in constant time.
    ok = await verifyHmac(file.mac, sig.tag, signedMessage(b, form.rec, sig.line), unchecked);
  }
  if (!ok) {
    throw fail("SR011", name, sig.line.number, "signature", `signature does not match key '${sig.keyId}': the record was changed or the key is wrong`);
  }
  return { form, keyId: sig.keyId };
}

// The record's bytes, copied once before anything is read (a buffer changed meanwhile, by the
// caller or another thread, cannot make the form and the signature see different bytes); a
// string is refused over the limit before it is encoded, and when it has no UTF-8.
function recordBytes(bytes, o) {
  return readInput(
    bytes,
    "the record",
    o.sizeLimit,
    () => fail("SR017", o.name, null, null, `file is larger than the size limit (${o.sizeLimit} bytes)`),
    (i) => fail("SR017", o.name, lineOfIndex(bytes, i), null, "text is not UTF-8: it holds a lone surrogate (a string with no UTF-8 form)"),
  );
}

/**
 * Verifies a record's signature without decrypting anything: a public key is enough.
 *
 * @returns {Promise<{ keyId: string, signature: "ed25519" | "v1" }>}
 * @throws {SecuredReaderError} the first failing check (SR001-SR011; SR008 when unsigned).
 */
export async function verifyRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = recordBytes(bytes, o);
  const ring = await keyRing(o.keys);
  const { form, keyId } = await verifyParsed(b, ring, o);
  if (!form.sig) throw fail("SR008", o.name, form.securedLine, "signature", "record has no 'signature'");
  return { keyId, signature: form.sig.kind };
}

const decrypt = decryptAesCbc;

/**
 * Opens a sealed record: verifies its signature, then decrypts (SPEC section 9).
 *
 * @param {ArrayBufferView | ArrayBuffer | string} bytes the record's exact bytes.
 * @param {{ keys: Array<object | string>, allowUnsigned?: boolean, name?: string, sizeLimit?: number }} options
 * @returns {Promise<{ content: Uint8Array, text: string | null, keyId: string,
 *   signature: "ed25519" | "v1" | null, warnings: string[] }>}
 * @throws {SecuredReaderError} the first failing check.
 */
export async function openRecord(bytes, options) {
  requireSubtle();
  const o = readOptions(options);
  const b = recordBytes(bytes, o);
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
