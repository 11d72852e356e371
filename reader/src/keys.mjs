// Part of secured-reader.mjs (the front door, which re-exports the public API): key files (SPEC
// section 3) and key rings. Exports other than the public API are internal to reader/src.
import { MAX_KEY_FILE, strictUTF8, KEYNUM_DOMAIN, FINGERPRINT_DOMAIN, SecuredReaderError, requireSubtle, own, printable, isValidID, trimStartBlanks, trimEndBlanks, minisignKeyID, internals, textLines, keyError } from "./internal.mjs";
import { isBytes, readInput, decodeBase64Text, hex, bytesEqual, concat } from "./bytes.mjs";
import { PASSPHRASE_COMMENT, parsePassphraseKeyFile } from "./passphrase.mjs";
import { publicKeyProblem } from "./ed25519.mjs";
import { sha256, importAesCbc, importHmac, importEd25519Public as importPublic, ed25519PublicFromSeed } from "./webcrypto.mjs";

// Keys (SPEC section 3)

const KEY_FIELDS = new Set(["id", "enc", "mac", "sign", "created"]);

// The value after `field:` as the tool reads it: plain, or in matching quotes, with an
// optional ` # comment`; no escapes, no flow collections. `null` when not such a value.
function scalarValue(rest) {
  if (rest.length > 0 && rest[0] !== " " && rest[0] !== "\t") return null;
  let s = trimStartBlanks(rest);
  if (s[0] === '"' || s[0] === "'") {
    const q = s[0];
    const close = s.indexOf(q, 1);
    if (close < 0) return null;
    const value = s.slice(1, close);
    if (q === '"' && value.includes("\\")) return null;
    const after = trimStartBlanks(s.slice(close + 1));
    if (!(after === "" || after.startsWith("#"))) return null;
    return value;
  }
  let prev = " ";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "#" && (prev === " " || prev === "\t")) {
      s = s.slice(0, i);
      break;
    }
    prev = s[i];
  }
  s = trimEndBlanks(s);
  if (s === "" || "[{&*!|>%@`".includes(s[0])) return null;
  return s;
}

function importEd25519Public(pk, source, line) {
  return importPublic(pk, (why) => keyError(source, line, null, `the key does not hold a usable Ed25519 public key: ${why}`));
}

async function keyNumberOf(pk, source) {
  const digest = await sha256(concat(KEYNUM_DOMAIN, pk), (why) => keyError(source, null, null, `SHA-256: ${why}`));
  return digest.slice(0, 8);
}

async function parsePublicKeyFile(text, source) {
  const lines = textLines(text).filter((l) => l.text !== "");
  if (lines.length !== 2) {
    throw keyError(
      source,
      lines.length > 2 ? lines[2].number : null,
      null,
      lines.length > 2 ? "a public key file holds two lines; this one has more" : "a public key file holds two lines",
    );
  }
  if (lines[0].text.includes("\r")) throw keyError(source, lines[0].number, null, "the comment holds a carriage return");
  if (!lines[0].text.startsWith("untrusted comment: ")) {
    throw keyError(source, lines[0].number, null, "the first line must start 'untrusted comment: '");
  }
  const decoded = decodeBase64Text(lines[1].text);
  if (typeof decoded === "string") {
    throw keyError(source, lines[1].number, null, `the key line is not canonical base64: ${decoded}`);
  }
  if (decoded.length !== 42 || decoded[0] !== 0x45 || decoded[1] !== 0x64) {
    throw keyError(source, lines[1].number, null, "the key line must decode to 42 bytes starting 'Ed' (an Ed25519 public key)");
  }
  const keyNumber = decoded.slice(2, 10);
  const pk = decoded.slice(10);
  const comment = lines[0].text.slice("untrusted comment: ".length);
  let id;
  if (comment.startsWith("secured public key ")) {
    id = comment.slice("secured public key ".length);
    if (!isValidID(id)) throw keyError(source, lines[0].number, null, "the key id in the comment must be 1-64 of [A-Za-z0-9._-]");
  } else {
    id = "minisign-" + minisignKeyID(keyNumber);
  }
  const problem = publicKeyProblem(pk);
  if (problem) throw keyError(source, lines[1].number, null, problem);
  // The key number is derived from PK (SPEC section 3), never taken from the file on trust: a
  // `secured public key` file whose KN is not PK's is refused. (A minisign key made by another
  // tool has a random key number: it is kept, as minisign itself does.)
  const derived = await keyNumberOf(pk, source);
  if (comment.startsWith("secured public key ") && !bytesEqual(derived, keyNumber)) {
    throw keyError(source, lines[1].number, null,
      "the key number does not match the public key (SPEC section 3: the first 8 bytes of SHA-256(\"secured-keynum-v1\\n\" || PK))");
  }
  const verifyKey = await importEd25519Public(pk, source, lines[1].number);
  const key = Object.freeze({ type: "public", id, fingerprint: hex(derived), minisignKeyId: minisignKeyID(keyNumber) });
  internals.set(key, { id, enc: null, mac: null, pub: { pk, keyNumber, key: verifyKey } });
  return key;
}

// A key file's fields, by name: { value, line }. Throws on anything but `field: value` lines
// of the known fields, each once (blank lines, comments and a leading `---` aside).
function readKeyFields(text, source) {
  const fields = new Map();
  for (const { number, text: line } of textLines(text)) {
    const trimmed = trimStartBlanks(line);
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (number === 1 && line === "---") continue;
    if (line[0] === " " || line[0] === "\t") throw keyError(source, number, null, "nested or indented YAML is not allowed in a key file");
    const colon = line.indexOf(":");
    if (colon < 0) throw keyError(source, number, null, "expected 'field: value'");
    const name = line.slice(0, colon);
    if (!KEY_FIELDS.has(name)) {
      // Never quote it: in a key file, an unknown "field" may be key bytes (a line of base64).
      throw keyError(source, number, null, "unknown field (allowed: id, enc, mac, sign, created)");
    }
    if (fields.has(name)) throw keyError(source, number, name, `field '${name}' appears twice (first on line ${fields.get(name).line})`);
    const value = scalarValue(line.slice(colon + 1));
    if (value === null) throw keyError(source, number, name, `value of '${name}' is not a plain or quoted single-line scalar`);
    fields.set(name, { value, line: number });
  }
  return fields;
}

async function parseSecretKeyFile(text, source) {
  const fields = readKeyFields(text, source);
  const id = fields.get("id");
  if (!id) throw keyError(source, null, "id", "missing field 'id'");
  if (!isValidID(id.value)) throw keyError(source, id.line, "id", "id must be 1-64 of [A-Za-z0-9._-]");
  const encField = fields.get("enc");
  if (!encField) throw keyError(source, null, "enc", "missing field 'enc'");
  const decode = (name) => {
    const f = fields.get(name);
    if (!f) return null;
    const bytes = decodeBase64Text(f.value);
    if (typeof bytes === "string") throw keyError(source, f.line, name, `${name} is not canonical base64: ${bytes}`);
    return bytes;
  };
  const enc = decode("enc");
  const mac = decode("mac");
  const seed = decode("sign");
  try {
    const line = (name) => fields.get(name)?.line ?? null;
    if (![16, 24, 32].includes(enc.length)) throw keyError(source, line("enc"), "enc", `enc decodes to ${enc.length} bytes; AES takes 16, 24 or 32`);
    if (mac) {
      if (mac.length !== 32) throw keyError(source, line("mac"), "mac", `mac decodes to ${mac.length} bytes, expected 32`);
      if (bytesEqual(mac, enc)) throw keyError(source, line("mac"), "mac", "mac equals enc: one key must never serve two algorithms");
    }
    if (seed) {
      if (seed.length !== 32) throw keyError(source, line("sign"), "sign", `sign decodes to ${seed.length} bytes, expected 32`);
      if (bytesEqual(seed, enc) || (mac && bytesEqual(seed, mac))) {
        throw keyError(source, line("sign"), "sign", "sign equals enc or mac: one key must never serve two algorithms");
      }
    }
    const encKey = await importAesCbc(enc, (why) => keyError(source, line("enc"), "enc", `a ${enc.length * 8}-bit AES key: ${why}`));
    const macKey = mac ? await importHmac(mac, (why) => keyError(source, line("mac"), "mac", `an HMAC-SHA256 key: ${why}`)) : null;
    let pub = null;
    if (seed) {
      const signError = (why) => keyError(source, line("sign"), "sign", `sign is not a usable Ed25519 seed${why ? `: ${why}` : ""}`);
      const x = await ed25519PublicFromSeed(seed, signError);
      const pk = typeof x === "string" ? decodeBase64Text(x.replaceAll("-", "+").replaceAll("_", "/") + "=") : "";
      if (typeof pk === "string" || pk.length !== 32) throw signError(null);
      pub = { pk, keyNumber: await keyNumberOf(pk, source), key: await importEd25519Public(pk, source, line("sign")) };
    }
    const fp = await sha256(concat(FINGERPRINT_DOMAIN, enc, mac ?? new Uint8Array(0)), (why) => keyError(source, null, null, `SHA-256: ${why}`));
    const type = mac || seed ? "secret" : "read-only";
    const key = Object.freeze({
      type,
      id: id.value,
      fingerprint: hex(fp.subarray(0, 8)),
      minisignKeyId: pub ? minisignKeyID(pub.keyNumber) : null,
    });
    internals.set(key, { id: id.value, enc: encKey, mac: macKey, pub });
    return key;
  } finally {
    // Best effort: the decoded key bytes are not left behind (JavaScript may hold copies).
    enc.fill(0);
    mac?.fill(0);
    seed?.fill(0);
  }
}

/** `parseKey`: described in ../secured-reader.d.ts, its one description. */
export async function parseKey(text, options) {
  requireSubtle();
  // Own properties only; the source is shown in messages, escaped as any other outside text.
  const given = own(options, "source");
  const source = given == null ? undefined : printable(String(given));
  const passphrase = own(options, "passphrase");
  if (typeof text !== "string") {
    // Copied once (then decoded): a buffer changed meanwhile changes nothing read.
    const bytes = readInput(text, "a key file", MAX_KEY_FILE, () => keyError(source, null, null, `key file is larger than ${MAX_KEY_FILE} bytes`), null);
    try {
      text = strictUTF8.decode(bytes);
    } catch {
      throw keyError(source, null, null, "key file is not UTF-8 text");
    }
  }
  if (text.length > MAX_KEY_FILE) throw keyError(source, null, null, `key file is larger than ${MAX_KEY_FILE} bytes`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.startsWith("-----BEGIN AGE ENCRYPTED FILE-----") || body.startsWith("age-encryption.org/v1")) {
    throw keyError(source, 1, null, "an age-encrypted key file is not read here: give the reader a read-only key file");
  }
  if (body.startsWith(PASSPHRASE_COMMENT)) return parsePassphraseKeyFile(text, source, passphrase);
  if (body.startsWith("untrusted comment: ")) return parsePublicKeyFile(text, source);
  return parseSecretKeyFile(text, source);
}

// A key ring: keys by id, merged as SPEC section 3 says.
class Ring {
  constructor() {
    this.files = new Map(); // id -> { enc, mac, pub }   (secret and read-only key files)
    this.publics = new Map(); // id -> pub
    this.order = []; // key files in the caller's order (unsigned records try them in turn)
  }
}

const ringCache = new WeakMap();

// The ring of `keys`, from the cache when the same array with the same items was seen:
// callers that pass one parsed array to every call pay for the merge once.
export function cachedRing(keys) {
  if (!Array.isArray(keys)) return null;
  const cached = ringCache.get(keys);
  if (!cached || cached.items.length !== keys.length) return null;
  for (let i = 0; i < keys.length; i++) if (cached.items[i] !== keys[i]) return null;
  return cached.ring;
}

export async function keyRing(keys) {
  requireSubtle();
  if (keys == null) keys = [];
  if (!Array.isArray(keys)) keys = [keys];
  const cached = cachedRing(keys);
  if (cached) return cached;
  const ring = new Ring();
  for (let i = 0; i < keys.length; i++) {
    const index = i + 1;
    // A hole of a sparse array is not looked up on the prototype chain.
    if (!Object.hasOwn(keys, i)) throw new SecuredReaderError("KEY", `key ${index}: not a key (pass parseKey results or key file texts)`);
    const item = keys[i];
    const key = typeof item === "string" || isBytes(item)
      ? await parseKey(item, { source: `key ${index}` })
      : item;
    const inner = internals.get(key);
    if (!inner) throw new SecuredReaderError("KEY", `key ${index}: not a key (pass parseKey results or key file texts)`);
    if (inner.enc) {
      if (ring.files.has(inner.id)) throw new SecuredReaderError("KEY", `two key files have the id '${inner.id}'`, { field: "id" });
      ring.files.set(inner.id, inner);
      ring.order.push(inner);
    }
    if (inner.pub) {
      const other = ring.publics.get(inner.id);
      if (other && !bytesEqual(other.pk, inner.pub.pk)) {
        throw new SecuredReaderError(
          "KEY",
          `two different public keys have the id '${inner.id}' (a .pub must hold the public key of the key file with its id)`,
          { field: "id" },
        );
      }
      if (!other) ring.publics.set(inner.id, inner.pub);
    }
  }
  // A public key file beside a key file with `sign` must hold that key's public key (checked
  // above in either order); beside a key file without `sign` (read-only) it is the same key.
  ringCache.set(keys, { items: keys.slice(), ring });
  return ring;
}
