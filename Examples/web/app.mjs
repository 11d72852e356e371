// The demo page: list Examples/corpus from its manifest (verified with Keys/demo.pub), show
// each record's title and signature status, open a record with a key the user unlocks with a
// passphrase (Keys/demo.<label>.key.pw, fetched and unwrapped here) or gives as a read-only key
// file. The keys come from the user and from the repository's key files, never from a record.
// Nothing from a record is shown before its signature checks out, and all of it as text.
// The passphrase is never stored; the unlocked key is kept between visits only when the user
// asks, as the non-extractable CryptoKey it is (IndexedDB), until "Forget" removes it.
import { parseKey, openRecord, verifyRecord, verifyManifest, checkListed, storableKey, restoreKey } from "../../reader/secured-reader.mjs";

const corpus = "../../Examples/corpus/";
const $ = (id) => document.getElementById(id);
const state = { pub: null, key: null, entries: null, selected: null };
// For the test harness (Tests/reader/browser_run.py): what the page has done so far.
const demo = (window.__demo = {
  listed: false, count: 0, first: null, keyLoaded: false, keyError: null, opened: null, error: null,
  unlocked: null, unlockError: null, remembered: null, forgotten: false,
});

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

// ---- Remembering the unlocked key: IndexedDB holds { id, label, fingerprint, enc: CryptoKey }
// with enc non-extractable (the browser never gives its bytes to a script); never the passphrase.
const DB_NAME = "secured-demo";
const STORE = "keys";
const REMEMBERED = "remembered";

function idb(mode, action) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(STORE, mode);
      const r = action(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(r.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    };
  });
}

function showForget(shown) {
  $("forget").hidden = !shown;
}

function unlockedText(key, remembered) {
  return `Unlocked: read-only key '${key.id}' of the group '${key.label}' (fingerprint ${key.fingerprint}). ` +
    (remembered ? "This device remembers the key (not the passphrase) until you press Forget." : "The passphrase was not kept.");
}

async function unlock() {
  const status = $("pw-status");
  const field = $("passphrase");
  const passphrase = field.value;
  field.value = ""; // the page keeps no copy of it
  const label = $("pw-label").value.trim() || "members";
  const path = `Keys/demo.${label}.key.pw`;
  status.className = "pending";
  demo.unlocked = null;
  demo.unlockError = null;
  try {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(label)) throw new Error("a group label is 1-32 of A-Z, a-z, 0-9, _ and -");
    if (passphrase === "") throw new Error("type the passphrase first");
    $("pw-path").textContent = path;
    status.textContent = "Unlocking… (PBKDF2, 600,000 iterations)";
    $("unlock").disabled = true;
    const r = await fetch(`../../${path}`, { cache: "no-store" });
    if (r.status === 404) throw new Error(`there is no key file for the group '${label}' (${path})`);
    if (!r.ok) throw new Error(`cannot fetch ${path}: HTTP ${r.status}`);
    const key = await parseKey(new Uint8Array(await r.arrayBuffer()), { passphrase, source: path });
    state.key = key;
    const remember = $("remember").checked;
    if (remember) await idb("readwrite", (store) => store.put(storableKey(key), REMEMBERED));
    showForget(remember || !$("forget").hidden);
    status.className = "ok";
    status.textContent = unlockedText(key, remember);
    $("key-status").textContent = "The key unlocked with the passphrase is in use.";
    $("key-status").className = "ok";
    demo.unlocked = { id: key.id, label: key.label, remembered: remember };
  } catch (e) {
    state.key = null;
    status.className = "bad";
    status.textContent = e?.code === "KEY" && e.message.endsWith("wrong passphrase or damaged file")
      ? "Wrong passphrase (or a damaged key file): nothing was unlocked."
      : `Not unlocked: ${describe(e)}`;
    demo.unlockError = status.textContent;
  } finally {
    $("unlock").disabled = false;
  }
}

async function forget() {
  try {
    await idb("readwrite", (store) => store.delete(REMEMBERED));
    state.key = null;
    showForget(false);
    $("remember").checked = false;
    $("key-status").textContent = "No key given: records are listed and their signatures checked, but none can be opened.";
    $("key-status").className = "";
    $("pw-status").className = "";
    $("pw-status").textContent = "Forgotten: this device no longer holds the key, and the page no longer uses it.";
    demo.forgotten = true;
    demo.remembered = null;
  } catch (e) {
    $("pw-status").className = "bad";
    $("pw-status").textContent = `Could not forget the key: ${describe(e)}`;
  }
}

async function restoreRemembered() {
  try {
    const stored = await idb("readonly", (store) => store.get(REMEMBERED));
    if (!stored) return;
    const key = restoreKey(stored);
    state.key = key;
    showForget(true);
    $("remember").checked = true;
    $("key-status").textContent = "The key remembered on this device is in use.";
    $("key-status").className = "ok";
    $("pw-status").className = "ok";
    $("pw-status").textContent = `Unlocked on an earlier visit: read-only key '${key.id}' of the group '${key.label}' (fingerprint ${key.fingerprint}), remembered by this device until you press Forget.`;
    demo.remembered = { id: key.id, label: key.label };
  } catch (e) {
    showForget(true); // whatever is stored, it can be removed
    $("pw-status").className = "bad";
    $("pw-status").textContent = `A remembered key could not be used (${describe(e)}): press Forget.`;
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
    if (!state.key) throw new Error("Unlock with the passphrase, or give the read-only key, first (above).");
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

$("unlock").addEventListener("click", unlock);
$("passphrase").addEventListener("keydown", (ev) => { if (ev.key === "Enter") unlock(); });
$("forget").addEventListener("click", forget);
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
  restoreRemembered().finally(() => { demo.restoreChecked = true; });
  list();
}
