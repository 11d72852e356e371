// Helpers of stranger.test.mjs (a security tester's findings, each rebuilt the way it was
// found): a signer with the PUBLIC demo key (Keys/demo.key) built on node:crypto only, so
// that nothing it makes depends on the reader under test (Ed25519 over OpenSSL's
// BLAKE2b-512, HMAC-SHA256, AES-256-CBC, and a passphrase key file under PBKDF2/AES-GCM).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import crypto from "node:crypto";
import { repo } from "./node-support.mjs";

export const demoKeyText = readFileSync(join(repo, "Keys/demo.key"), "utf8");
export const demoPubText = readFileSync(join(repo, "Keys/demo.pub"), "utf8");

function demoField(name) {
  const m = new RegExp(`^${name}: *(\\S+)`, "m").exec(demoKeyText);
  if (!m) throw new Error(`Keys/demo.key has no '${name}'`);
  return Buffer.from(m[1], "base64");
}

export const ENC = demoField("enc");
const MAC = demoField("mac");
const priv = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), demoField("sign")]),
  format: "der",
  type: "pkcs8",
});
export const PK = crypto.createPublicKey(priv).export({ format: "der", type: "spki" }).subarray(-32);
export const KN = crypto.createHash("sha256").update("secured-keynum-v1\n").update(PK).digest().subarray(0, 8);
/** The read-only part of the demo key (id and enc), a key file's text. */
export const demoReadOnlyText = `id: demo\nenc: ${ENC.toString("base64")}\n`;

export const sha256hex = (b) => crypto.createHash("sha256").update(b).digest("hex");

/** `secured: "<ct>;<iv>"` of `plain` under the demo key's enc. */
export function seal(plain, iv = crypto.randomBytes(16)) {
  const c = crypto.createCipheriv("aes-256-cbc", ENC, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return `${ct.toString("base64")};${iv.toString("base64")}`;
}

// R' (SPEC section 4) of the simple records made here: no BOM, no CRLF, the signature line out.
const rprime = (text) => text.split("\n").filter((l) => !l.startsWith("signature: ")).join("\n");

/** A record of `plain`, signed (ed25519 or v1) with the demo key. */
export function record(plain, { kind = "ed25519", iv, title = "x" } = {}) {
  const text = `---\ntitle: ${title}\nsecured: "${seal(plain, iv)}"\n---\n`;
  const message = Buffer.from(`secured-record-v1\n${rprime(text)}`);
  const value = kind === "ed25519"
    ? `ed25519;demo;${crypto.sign(null, message, priv).toString("base64")}`
    : `v1;demo;${crypto.createHmac("sha256", MAC).update(message).digest("base64")}`;
  return text.replace(/^(secured: .*\n)/m, `$1signature: "${value}"\n`);
}

/**
 * `text`, a record without a signature (no BOM; CR LF lines allowed), signed with the demo
 * key: R' is the text with every CR LF as LF (SPEC section 4); the signature line goes after
 * the `secured` line.
 */
export function signText(text, kind = "ed25519") {
  const message = Buffer.concat([Buffer.from("secured-record-v1\n"), Buffer.from(text.replace(/\r\n/g, "\n"))]);
  const value = kind === "ed25519"
    ? `ed25519;demo;${crypto.sign(null, message, priv).toString("base64")}`
    : `v1;demo;${crypto.createHmac("sha256", MAC).update(message).digest("base64")}`;
  return text.replace(/^(secured: .*\n)/m, `$1signature: "${value}"\n`);
}

/** The `.minisig` of `manifest` (prehashed ED) with the given trusted comment. */
export function minisign(manifest, trusted = "timestamp:1765000000\tfile:MANIFEST.sha256\thashed") {
  const signature = crypto.sign(null, crypto.createHash("blake2b512").update(manifest).digest(), priv);
  const global = crypto.sign(null, Buffer.concat([signature, Buffer.from(trusted)]), priv);
  return `untrusted comment: secured manifest signature, key demo\n${Buffer.concat([Buffer.from("ED"), KN, signature]).toString("base64")}\n` +
    `trusted comment: ${trusted}\n${global.toString("base64")}\n`;
}

/** `body` with its `# signature: v1;demo;…` HMAC line. */
export function hmacManifest(body) {
  const tag = crypto.createHmac("sha256", MAC).update("secured-manifest-v1\n").update(body).digest("base64");
  return `${body}# signature: v1;demo;${tag}\n`;
}

/** A passphrase key file (SPEC section 3) of the demo key's read-only part, at the fewest iterations readers take. */
export function passphraseFile(passphrase, iterations = 100_000) {
  const salt = crypto.randomBytes(16);
  const nonce = crypto.randomBytes(12);
  const line1 = "untrusted comment: secured passphrase key demo members";
  const line2 = `pbkdf2-sha256;${iterations};${salt.toString("base64")}`;
  const kek = crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, iterations, 32, "sha256");
  const c = crypto.createCipheriv("aes-256-gcm", kek, nonce);
  c.setAAD(Buffer.from(`secured-passphrase-key-v1\n${line1}\n${line2}`));
  const ct = Buffer.concat([c.update(demoReadOnlyText), c.final(), c.getAuthTag()]);
  return `${line1}\n${line2}\n${Buffer.concat([nonce, ct]).toString("base64")}\n`;
}

/** The public key file of a 32-byte point `pk` under the id `id`, with key number `kn`. */
export function publicKeyFile(id, pk, kn = crypto.createHash("sha256").update("secured-keynum-v1\n").update(pk).digest().subarray(0, 8)) {
  return `untrusted comment: secured public key ${id}\n${Buffer.concat([Buffer.from("Ed"), kn, pk]).toString("base64")}\n`;
}

/** Times `f` (ms), awaiting it and swallowing the error it is expected to throw; returns [ms, error]. */
export async function timed(f) {
  const t0 = performance.now();
  let error = null;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  return [performance.now() - t0, error];
}

/** A Uint8Array over a SharedArrayBuffer holding `bytes`. */
export function sharedCopy(bytes) {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
  view.set(bytes);
  return view;
}

/** The median time (ms) of `runs` calls of `f`, its rejections swallowed. */
export async function medianMs(f, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f().catch(() => {});
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

// Ed25519 encodings (curve25519's field, p = 2^255 - 19), computed here independently of the reader.
export const P = (1n << 255n) - 19n;
/** The 32-byte little-endian encoding of `n` (bit 255 included when n has it). */
export const le32 = (n) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
/** The y of the points of order 8 (with P - Y8). */
export const Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;

/** An encoding off the curve: the first y whose (y^2 - 1) / (d y^2 + 1) is not a square mod p (Euler's criterion). */
export function offCurve() {
  const pow = (b, e) => {
    let r = 1n;
    for (b %= P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
    return r;
  };
  const d = ((-121665n * pow(121666n, P - 2n)) % P + P) % P;
  for (let y = 2n; ; y++) {
    const x2 = ((y * y - 1n) * pow((d * y * y + 1n) % P, P - 2n)) % P;
    if (pow(x2, (P - 1n) / 2n) === P - 1n) return le32(y);
  }
}
