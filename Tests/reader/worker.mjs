// The suite in a module worker (no DOM, no window): browser.html starts it and reports
// its results beside the page's own.
import * as reader from "../../reader/secured-reader.mjs";
import { buildSuite, runAll } from "./suite.mjs";

self.onmessage = async ({ data: { sets } }) => {
  try {
    const load = async (path) => {
      const r = await fetch(path, { cache: "no-store" });
      if (!r.ok) throw new Error(`fetch ${path}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    };
    const measured = [];
    const tests = await buildSuite({ reader, load, sets, report: (line) => measured.push(line) });
    const result = await runAll(tests, { timeoutMs: 20000 });
    self.postMessage({ ...result, total: tests.length, measured });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e) });
  }
};
