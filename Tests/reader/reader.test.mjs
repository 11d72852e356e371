// node --test Tests/reader/  — the shared suite (suite.mjs) on the reader module, plus checks
// on the repository's example corpus and the real records of ../shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildSuite } from "./suite.mjs";
import { repo, load, sets, reader } from "./node-support.mjs";

const tests = await buildSuite({ reader, load, sets: sets() });
for (const t of tests) test(t.name, t.run);

const read = (p) => readFileSync(join(repo, p));
const walk = (dir) =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)).map((p) => `${n}/${p}`) : [n]));

test("Examples/corpus: the manifest verifies with Keys/demo.pub, and every record opens with a read-only key", async () => {
  const pub = await reader.parseKey(read("Keys/demo.pub"));
  const secret = await reader.parseKey(read("Keys/demo.key"));
  const entries = await reader.verifyManifest(read("Examples/corpus/MANIFEST.sha256"), read("Examples/corpus/MANIFEST.sha256.minisig"), { keys: [pub] });
  const files = walk(join(repo, "Examples/corpus")).filter((p) => p.endsWith(".md"));
  assert.equal(entries.size, files.length);
  for (const f of files) {
    const bytes = read(`Examples/corpus/${f}`);
    await reader.checkListed(entries, f, bytes);
    const v = await reader.verifyRecord(bytes, { keys: [pub] });
    assert.deepEqual(v, { keyId: "demo", signature: "ed25519" });
    const r = await reader.openRecord(bytes, { keys: [secret] });
    assert.ok(r.text.length > 0);
  }
});

test("Examples/hmac-signed: v1 records open with the secret key, and are SR010 with the public key alone", async () => {
  const dir = join(repo, "Examples/hmac-signed");
  const files = walk(dir).filter((p) => p.endsWith(".md"));
  assert.ok(files.length > 0);
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    assert.equal((await reader.openRecord(bytes, { keys: [read("Keys/demo.key").toString()] })).signature, "v1");
    await assert.rejects(reader.verifyRecord(bytes, { keys: [read("Keys/demo.pub").toString()] }), { code: "SR010" });
  }
});

// Only ../shared beside the checkout: the repository names no path of a machine.
const shared = join(repo, "../shared");
const sharedMissing = existsSync(join(shared, "real-sample")) ? false : `${join(shared, "real-sample")} (../shared/real-sample beside the checkout) not found: skipped`;
test("real records (../shared/real-sample, seeds): sealed ones pass the form checks and are refused unsigned (SR008); plain ones are SR003", { skip: sharedMissing }, async () => {
  const pub = await reader.parseKey(read("Keys/demo.pub"));
  const files = [
    ...walk(join(shared, "real-sample")).filter((p) => p.endsWith(".md")).map((p) => join(shared, "real-sample", p)),
    ...readdirSync(join(shared, "seeds")).map((p) => join(shared, "seeds", p)),
  ];
  let sealed = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const hasSecured = /^secured:/m.test(bytes.toString());
    const front = bytes.toString().startsWith("---");
    const expected = !front ? "SR001" : hasSecured ? "SR008" : "SR003";
    if (hasSecured) sealed++;
    await assert.rejects(reader.openRecord(bytes, { keys: [pub] }), (e) => e.code === expected || assert.fail(`${file}: ${e.code} ${e.message}, expected ${expected}`));
  }
  assert.ok(sealed >= 100, `only ${sealed} sealed records found`);
});

test("the reader has no dependencies: its modules import only each other, and nothing of Node or of a page", () => {
  const files = ["reader/secured-reader.mjs", ...readdirSync(join(repo, "reader/src")).map((f) => `reader/src/${f}`)];
  let all = "";
  for (const file of files) {
    assert.ok(file.endsWith(".mjs"), `${file}: only .mjs modules in reader/src`);
    const source = read(file).toString();
    const lines = source.split("\n").length;
    if (file.startsWith("reader/src/")) assert.ok(lines < 400, `${file} has ${lines} lines (a module of the reader stays under 400)`);
    // Static imports and re-exports, each of a module of the reader (relative, inside reader/).
    const linked = /^(?:import|export) \{[^}]*\} from "([^"]+)";$/gm;
    for (const [, specifier] of source.matchAll(linked)) {
      assert.match(specifier, /^\.\/(src\/)?[a-z_0-9]+\.mjs$/, `${file} imports ${specifier}`);
      const target = join(repo, file, "..", specifier);
      assert.ok(target.startsWith(join(repo, "reader")) && existsSync(target), `${file} imports ${specifier}: not a module of the reader`);
    }
    const code = source.replace(linked, "").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "").replace(/`(?:\\.|[^`])*`|"(?:\\.|[^"\n])*"|'(?:\\.|[^'\n])*'/g, '""');
    for (const forbidden of [/\bimport\b/, /\brequire\s*\(/, /\bprocess\./, /\bBuffer\b/, /\bfetch\s*\(/, /\bdocument\b/, /\bwindow\b/, /\beval\s*\(/, /\bFunction\s*\(/]) {
      assert.doesNotMatch(code, forbidden, `${file} uses ${forbidden}`);
    }
    if (file === "reader/secured-reader.mjs") assert.equal(code.trim(), "", "the front door only re-exports");
    all += code;
  }
  assert.match(all, /globalThis\.crypto\?\.subtle/);
  const pkg = JSON.parse(read("reader/package.json"));
  assert.equal(pkg.type, "module");
  assert.ok(!pkg.dependencies && !pkg.peerDependencies, "package.json lists dependencies");
  assert.equal(pkg.exports["."].import, "./secured-reader.mjs");
  assert.ok(pkg.files.includes("src/"), "package.json's files leave out src/");
});

test("the front door exports exactly the public API", () => {
  assert.deepEqual(Object.keys(reader).sort(), [
    "DEFAULT_SIZE_LIMIT", "SecuredReaderError", "blake2b", "checkListed", "openRecord", "parseKey", "restoreKey", "storableKey", "verifyManifest", "verifyRecord",
  ]);
});

// Found by a stranger: a key file's unknown "field" was quoted back (it may be key bytes),
// and a sizeLimit given as "100" or NaN was silently ignored.
test("a key file's unknown field is never quoted, and a bad sizeLimit is refused", async () => {
  const line = "Uj/n0GwR3V+iJ0aUZ6ZMFltluy2Wo62TTyZ2DUTnD04=: x";
  await assert.rejects(reader.parseKey(`id: demo\n${line}\n`), (e) => {
    assert.equal(e.code, "KEY");
    assert.ok(!e.message.includes("Uj/n0GwR"), e.message);
    assert.match(e.message, /unknown field/);
    return true;
  });
  const record = new TextEncoder().encode("---\ntitle: t\n---\nbody\n");
  for (const sizeLimit of ["100", Number.NaN, 0, -1, 1.5]) {
    await assert.rejects(reader.openRecord(record, { keys: [], sizeLimit }), TypeError, String(sizeLimit));
  }
  await assert.rejects(reader.openRecord(record, { keys: [], sizeLimit: 10 }), (e) => e.code === "SR017");
});
