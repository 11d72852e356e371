// The demo page: list Examples/corpus from its manifest (verified with Keys/demo.pub), show
// each record's title and signature status, open a record with a read-only key the user gives.
// The keys come from the user and from the repository's public key file, never from a record.
// Nothing from a record is shown before its signature checks out, and all of it as text.
import { parseKey, openRecord, verifyRecord, verifyManifest, checkListed } from "../../reader/secured-reader.mjs";

const corpus = "../../Examples/corpus/";
const $ = (id) => document.getElementById(id);
const state = { pub: null, key: null, entries: null, selected: null };
// For the test harness (Tests/reader/browser_run.py): what the page has done so far.
const demo = (window.__demo = { listed: false, count: 0, first: null, keyLoaded: false, keyError: null, opened: null, error: null });

async function fetchBytes(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(`cannot fetch ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function describe(e) {
  if (!e?.code) return String(e?.message ?? e);
  return e.message.includes(e.code) ? e.message : `${e.code}: ${e.message}`;
}

// The title, read from the front matter's `title:` line (after the signature verified).
function titleOf(bytes) {
  const text = new TextDecoder().decode(bytes.subarray(0, 65536));
  const m = /^title:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\n]*))$/m.exec(text);
  return m ? (m[1] ?? m[2] ?? m[3]).trim() : "(no title)";
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function list() {
  try {
    state.pub = await parseKey(await fetchBytes("../../Keys/demo.pub"), { source: "Keys/demo.pub" });
    const [manifest, minisig] = await Promise.all([
      fetchBytes(corpus + "MANIFEST.sha256"),
      fetchBytes(corpus + "MANIFEST.sha256.minisig").then((b) => new TextDecoder().decode(b)),
    ]);
    state.entries = await verifyManifest(manifest, minisig, { keys: [state.pub], name: "MANIFEST.sha256" });
    $("manifest-status").textContent =
      `Manifest verified with Keys/demo.pub (minisign key ID ${state.pub.minisignKeyId}): ${state.entries.size} records.`;
    $("manifest-status").className = "ok";
  } catch (e) {
    $("manifest-status").textContent = `The manifest does not check out, so nothing is listed. ${describe(e)}`;
    $("manifest-status").className = "bad";
    demo.error = describe(e);
    demo.listed = true;
    return;
  }
  const tbody = $("records").tBodies[0];
  const rows = [...state.entries.keys()].map((path) => {
    const tr = document.createElement("tr");
    tr.dataset.path = path;
    tr.append(cell(path), cell("…"), cell("checking…", "pending"));
    const td = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Open";
    button.addEventListener("click", () => open(path));
    td.append(button);
    tr.append(td);
    tbody.append(tr);
    return tr;
  });
  await Promise.all(rows.map(async (tr) => {
    const path = tr.dataset.path;
    try {
      const bytes = await fetchBytes(corpus + path);
      const v = await verifyRecord(bytes, { keys: [state.pub], name: path });
      await checkListed(state.entries, path, bytes);
      tr.cells[1].textContent = titleOf(bytes);
      tr.cells[2].textContent = `✓ ${v.signature}, key ${v.keyId}`;
      tr.cells[2].className = "ok";
    } catch (e) {
      tr.cells[1].textContent = "—";
      tr.cells[2].textContent = `✗ ${e.code ?? "error"}`;
      tr.cells[2].title = describe(e);
      tr.cells[2].className = "bad";
    }
  }));
  demo.count = rows.length;
  demo.first = rows[0]?.dataset.path ?? null;
  demo.listed = true;
}

async function useKey(text, source) {
  const status = $("key-status");
  try {
    const key = await parseKey(text, { source });
    if (key.type === "public") throw new Error("this is a public key: it verifies, it cannot open records; give the read-only key file");
    state.key = key;
    status.className = key.type === "read-only" ? "ok" : "bad";
    status.textContent = key.type === "read-only"
      ? `Read-only key '${key.id}' (fingerprint ${key.fingerprint}) in use, with the public key Keys/demo.pub.`
      : `Key '${key.id}' in use, but it is a SECRET key (it can sign): a front end should hold the read-only key only (secured share KEY --read-only).`;
    demo.keyLoaded = true;
    demo.keyError = null;
  } catch (e) {
    state.key = null;
    status.className = "bad";
    status.textContent = `This key cannot be used: ${describe(e)}`;
    demo.keyError = describe(e);
  }
}

// Opens a record; `url` may name another copy of it (the test harness's tampered one).
async function open(path, url = corpus + path) {
  $("viewer").hidden = false;
  for (const tr of $("records").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.path === path);
  $("viewer-title").textContent = path;
  $("viewer-meta").textContent = "";
  $("error").textContent = "";
  $("content").textContent = "";
  try {
    if (!state.key) throw new Error("give the read-only key first (above)");
    const bytes = await fetchBytes(url);
    // Signature first (SR011 for a changed record), then the manifest's line for this path
    // (SR018 for another validly signed version swapped in); only then the content.
    const r = await openRecord(bytes, { keys: [state.key, state.pub], name: path });
    await checkListed(state.entries, path, bytes);
    $("viewer-title").textContent = titleOf(bytes);
    $("viewer-meta").textContent = `${path} · ${r.signature} signature of key '${r.keyId}' verified · listed in the verified manifest` +
      (r.warnings.length ? ` · warnings: ${r.warnings.join(", ")}` : "");
    $("content").textContent = r.text ?? `(${r.content.length} bytes that are not UTF-8 text)`;
    demo.opened = { path };
  } catch (e) {
    $("error").textContent = `Not opened. ${describe(e)}`;
    demo.opened = { path, error: describe(e) };
  }
}
window.__demoOpen = open;

$("use-key").addEventListener("click", () => useKey($("key-text").value, "pasted key"));
$("key-file").addEventListener("change", async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  $("key-text").value = ""; // what is in use is the file, not an earlier paste
  await useKey(new Uint8Array(await file.arrayBuffer()), file.name);
});
if (!window.isSecureContext || !globalThis.crypto?.subtle) {
  $("manifest-status").textContent = "This page needs a secure context (HTTPS, localhost or file://) for WebCrypto.";
  $("manifest-status").className = "bad";
  demo.error = "not a secure context";
  demo.listed = true;
} else {
  list();
}
