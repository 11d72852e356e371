// The reader's suite: what comes from outside the reader's own data (options objects, a
// polluted Object.prototype, source names with control characters) changes nothing and
// reaches messages escaped.

import { HASH_A, HASH_B, check, enc, expectCode, hex, join, line, named } from "./suite-helpers.mjs";

// What a call gave: its value as JSON (a Map as its entries), or its error's fields.
async function outcome(f) {
  try {
    const r = await f();
    if (r instanceof Map) return `ok ${JSON.stringify([...r])}`;
    return `ok ${JSON.stringify(r, (k, v) => (v instanceof Uint8Array ? hex(v) : typeof CryptoKey !== "undefined" && v instanceof CryptoKey ? "CryptoKey" : v))}`;
  } catch (e) {
    return `${e?.name} ${e?.code} ${e?.line} ${e?.field} ${e?.message}`;
  }
}

// Every entry point, called with the options it may be given.
function entryPoints(reader, fixtures) {
  const { parseKey, openRecord, verifyRecord, verifyManifest, checkListed, storableKey, restoreKey } = reader;
  const { signed, legacy, readOnly, vecPub, legacyKey, pwFile, manifest, minisig, pub, parsedReadOnly } = fixtures;
  return {
    "openRecord signed": () => openRecord(signed, { keys: [readOnly, vecPub] }),
    "openRecord unsigned, not allowed": () => openRecord(legacy, { keys: [legacyKey] }),
    "openRecord without keys": () => openRecord(signed, {}),
    "openRecord, no options": () => openRecord(signed),
    "openRecord, keys with a hole": () => openRecord(signed, { keys: new Array(1) }),
    "verifyRecord": () => verifyRecord(signed, { keys: [vecPub] }),
    "verifyRecord without keys": () => verifyRecord(signed, {}),
    "parseKey .key.pw without passphrase": () => parseKey(pwFile, { source: "members.key.pw" }),
    "parseKey .key.pw, no options": () => parseKey(pwFile),
    "parseKey without source": () => parseKey("id: x\n", {}),
    "parseKey a public key": () => parseKey(vecPub),
    "verifyManifest": () => verifyManifest(manifest, minisig, { keys: [pub] }),
    "verifyManifest without keys": () => verifyManifest(manifest, minisig, {}),
    "storableKey of a read-only key": async () => {
      const s = storableKey(parsedReadOnly);
      return { ...s, restored: restoreKey(s) };
    },
    "restoreKey without a label": async () => {
      const { label, ...rest } = storableKey(parsedReadOnly);
      return restoreKey(rest);
    },
    "checkListed": () => checkListed(new Map([["a.md", HASH_A]]), "a.md", enc.encode("x")),
  };
}

// A value for each option name (and index 0) a polluted Object.prototype might lend.
function pollutionValues({ legacyKey, readOnly, vecPub, pub }, passphrase) {
  return {
    allowUnsigned: true,
    keys: [legacyKey, readOnly, vecPub, pub],
    passphrase,
    source: "POLLUTED",
    name: "POLLUTED",
    sizeLimit: 1,
    label: "POLLUTED",
    line: 99,
    field: "POLLUTED",
    reason: "POLLUTED",
    ok: false,
    format: "secured-stored-key-v1",
    0: readOnly,
  };
}

// `Object.prototype.allowUnsigned = true` anywhere in a page made openRecord take the
// unsigned path: options are read as the caller's own properties only.
async function ownPropertiesOnly({ reader, load, sets, vector, vectorText, manifestSigner }) {
  const signed = await vector("records/ed25519.md");
  const legacy = await vector("records/legacy.md");
  const readOnly = await vectorText("keys/vec.readonly.key");
  const vecPub = await vectorText("keys/vec.pub");
  const legacyKey = await vectorText("keys/legacy.key");
  const pwCase = sets.flatMap((s) => s.cases.map((c) => ({ c, base: s.base }))).find(({ c }) => c.kind === "passphrase" && !c.expect.code && !c.measure);
  check(pwCase, "no passphrase key file case to use");
  const pwFile = new TextDecoder().decode(await load(pwCase.base + pwCase.c.keyFile));
  const { pub, sign } = await manifestSigner();
  const manifest = join(line(HASH_A, "a.md"), line(HASH_B, "b.md"));
  const minisig = await sign(manifest);
  const parsedReadOnly = await reader.parseKey(readOnly);
  const fixtures = { signed, legacy, readOnly, vecPub, legacyKey, pwFile, manifest, minisig, pub, parsedReadOnly };
  const calls = entryPoints(reader, fixtures);
  const clean = {};
  for (const [what, f] of Object.entries(calls)) clean[what] = await outcome(f);
  check(clean["openRecord unsigned, not allowed"].includes("SR008"), clean["openRecord unsigned, not allowed"]);
  const pollution = pollutionValues(fixtures, pwCase.c.passphrase);
  const changed = [];
  for (const [prop, value] of Object.entries(pollution)) {
    try {
      Object.prototype[prop] = value;
      for (const [what, f] of Object.entries(calls)) {
        const now = await outcome(f);
        if (now !== clean[what]) changed.push(`Object.prototype.${prop}: ${what}: ${now.slice(0, 160)} (clean: ${clean[what].slice(0, 120)})`);
      }
    } finally {
      delete Object.prototype[prop];
    }
  }
  check(changed.length === 0, changed.join("\n"));
}

// A source name with control characters was put in messages raw (a log's '::error::'
// command, a terminal escape): it is escaped as any other outside text.
async function escapedSources({ reader }) {
  const { parseKey, openRecord } = reader;
  const source = "keys/a\n::error::b\u001b[31m\u0007\u2028\u202e.key";
  const e = await expectCode(parseKey("id: x\n", { source }), "KEY", "a key without enc");
  check(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(e.message), `message ${JSON.stringify(e.message)}`);
  check(e.message.startsWith("keys/a\\x0a::error::b\\x1b[31m\\x07\\u{2028}\\u{202e}.key:"), `message ${JSON.stringify(e.message)}`);
  const pw = await expectCode(parseKey("untrusted comment: secured passphrase key x y\nfoo;1;AA==\nAAAA\n", { source, passphrase: "p" }), "KEY", "a .key.pw");
  check(!pw.message.includes("\n") && pw.message.includes("\\x0a::error::"), `message ${JSON.stringify(pw.message)}`);
  const record = await expectCode(openRecord(enc.encode("x"), { keys: [], name: "r\u0085\u2029.md" }), "SR001", "a record name");
  check(record.message.startsWith("r\\x85\\u{2029}.md:"), `message ${JSON.stringify(record.message)}`);
}

export function optionTests(ctx) {
  return named(ctx, [
    ["api: options are own properties only (a polluted Object.prototype changes nothing)", ownPropertiesOnly],
    ["api: parseKey's source is escaped in messages (line breaks, ESC, BEL, bidi)", escapedSources],
  ]);
}
