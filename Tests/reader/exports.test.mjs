// The .d.ts and the module agree: every value the front door exports is declared
// in reader/secured-reader.d.ts, and every value declared there is exported. The types of what
// a caller writes are checked by tsc (Tests/reader/types, run by Tests/reader/run.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const root = new URL("../../reader/", import.meta.url);

test("the .d.ts declares exactly the values the module exports", async () => {
  const module = await import(new URL("secured-reader.mjs", root));
  const exported = Object.keys(module).sort();
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
