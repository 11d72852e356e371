// Node side of the suite: where the vectors and fixtures are, and how files load.
import { readFileSync, mkdtempSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The reader module under test: $READER_MODULE (a path, e.g. the single-file bundle that
 * reader/bundle.sh makes; Tests/reader/run.sh runs the suite a second time with it), else the
 * source module reader/secured-reader.mjs.
 */
export const readerModule = process.env.READER_MODULE
  ? pathToFileURL(resolve(process.env.READER_MODULE)).href
  : pathToFileURL(join(repo, "reader/secured-reader.mjs")).href;
/** The module namespace of `readerModule`. */
export const reader = await import(readerModule);

export const load = async (path) => new Uint8Array(readFileSync(path));

let fixturesDir;
/** The fixtures made for this run: $READER_FIXTURES, or made now with $SECURED. */
export function fixtures() {
  if (fixturesDir) return fixturesDir;
  fixturesDir = process.env.READER_FIXTURES;
  if (!fixturesDir || !existsSync(join(fixturesDir, "fixtures.json"))) {
    const secured = process.env.SECURED;
    if (!secured) throw new Error("set SECURED to the secured binary (or READER_FIXTURES to made fixtures): see Tests/reader/run.sh");
    fixturesDir = mkdtempSync(join(tmpdir(), "reader-fixtures-"));
    execFileSync("python3", [join(repo, "Tests/reader/make_fixtures.py"), fixturesDir, secured], { stdio: "inherit" });
  }
  return fixturesDir;
}

/** The case sets: the committed vectors, then the fixtures of this run. */
export function sets() {
  const vectors = join(repo, "Tests/Vectors/reader") + "/";
  const out = [
    { label: "vector", base: vectors, cases: JSON.parse(readFileSync(vectors + "cases.json", "utf8")).cases },
    { label: "vector", base: vectors, cases: JSON.parse(readFileSync(vectors + "passphrase/cases.json", "utf8")).cases },
  ];
  const dir = fixtures() + "/";
  for (const s of JSON.parse(readFileSync(dir + "fixtures.json", "utf8")).sets) out.push({ ...s, base: dir });
  return out;
}
