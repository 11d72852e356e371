// The .d.ts and the module agree: every value the module under test exports (the front door,
// or the single-file bundle when READER_MODULE names it) is declared in
// reader/secured-reader.d.ts, and every value declared there is exported. The types of what
// a caller writes are checked by tsc (Tests/reader/types, run by Tests/reader/run.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { reader, readerModule } from "./node-support.mjs";

const root = new URL("../../reader/", import.meta.url);

test("the .d.ts declares exactly the values the module exports", async () => {
  const exported = Object.keys(reader).sort();
  const dts = await readFile(new URL("secured-reader.d.ts", root), "utf8");
  const declared = [...dts.matchAll(/^export (?:function|const|class) ([A-Za-z0-9_]+)/gm)]
    .map((m) => m[1])
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
  assert.deepEqual(exported, declared);
});

test("no module of the reader starts with an underscore (Jekyll leaves such files out)", async () => {
  const { readdir } = await import("node:fs/promises");
  const names = await readdir(new URL("src/", root));
  assert.deepEqual(names.filter((n) => n.startsWith("_")), []);
});

test("the module under test stands alone when READER_MODULE names it (the single-file bundle imports nothing)", { skip: !process.env.READER_MODULE && "READER_MODULE is not set: the source module is under test" }, async () => {
  const source = await readFile(new URL(readerModule), "utf8");
  assert.doesNotMatch(source, /^\s*import\b|\bimport\s*\(|^export [^;]*\bfrom\s*["']/m);
  assert.match(source, /^\/\/ secured-reader \d+\.\d+\.\d+\S* \(single-file bundle/);
  const { version, license } = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  assert.ok(source.startsWith(`// secured-reader ${version} `), "the banner names another version than reader/package.json");
  assert.ok(source.includes(`License: ${license}`), "the banner names no license");
});

test("each export is described in one place, the .d.ts: its source carries only a pointer there", async () => {
  const { readdir } = await import("node:fs/promises");
  const dts = await readFile(new URL("secured-reader.d.ts", root), "utf8");
  const declared = new Set([...dts.matchAll(/^export (?:function|const|class) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]));
  const found = new Set();
  for (const file of (await readdir(new URL("src/", root))).filter((n) => n.endsWith(".mjs"))) {
    const source = await readFile(new URL(`src/${file}`, root), "utf8");
    for (const m of source.matchAll(/^(.*)\nexport (?:async )?(?:function\*? |const |class )([A-Za-z0-9_]+)/gm)) {
      const [, before, name] = m;
      if (!declared.has(name)) continue;
      found.add(name);
      assert.equal(before, `/** \`${name}\`: described in ../secured-reader.d.ts, its one description. */`, `src/${file}: ${name}`);
    }
  }
  assert.deepEqual([...found].sort(), [...declared].sort(), "an export of the .d.ts not found in reader/src");
});
