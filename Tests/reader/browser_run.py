#!/usr/bin/env python3
"""Runs the reader's suite, and the demo page's test, in headless Chromium (Debian's
chromium and chromium-driver, driven by Selenium), from pages served on 127.0.0.1 (a secure
context) by a small http.server on a free port.

    python3 browser_run.py [--fixtures DIR] [--screenshot-dir DIR] [--timeout SECONDS]

The repository root is served at /, the fixtures of this run at /__fixtures__/. Every wait is
bounded; exit status 1 when a test fails, the page fails, or a wait times out.
"""

import argparse
import functools
import http.server
import json
import os
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".md": "text/markdown; charset=utf-8",
                      ".key": "text/plain; charset=utf-8", ".pub": "text/plain; charset=utf-8", ".pw": "text/plain; charset=utf-8",
                      ".minisig": "text/plain; charset=utf-8", ".sha256": "text/plain; charset=utf-8", "": "application/octet-stream"}
    fixtures = None

    def translate_path(self, path):
        if self.fixtures and path.startswith("/__fixtures__/"):
            rel = path[len("/__fixtures__/"):].split("?", 1)[0]
            target = (Path(self.fixtures) / rel).resolve()
            if Path(self.fixtures).resolve() in target.parents or target == Path(self.fixtures).resolve():
                return str(target)
            return str(Path(self.fixtures) / "__nowhere__")
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve(fixtures):
    Handler.fixtures = fixtures
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(REPO)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def browser(timeout):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1000"):
        options.add_argument(arg)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    return driver


def wait_for(driver, script, timeout, what):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script(script))
    except Exception as e:  # TimeoutException and anything the page throws
        raise SystemExit(f"FAIL: {what}: no answer within {timeout} s ({type(e).__name__})")


def run_suite(driver, base, fixtures, timeout):
    url = f"{base}/Tests/reader/browser.html" + ("?fixtures=/__fixtures__/" if fixtures else "")
    driver.get(url)
    result = wait_for(driver, "return window.__readerResults || null", timeout, "the suite page")
    if result.get("error"):
        print(f"FAIL: the suite page failed: {result['error']}")
        return False
    print(f"browser suite, page and module worker ({result.get('userAgent', '?')}): {result['passed']} passed, {len(result['failed'])} failed of {result['total']}")
    for line in result.get("measured", []):
        print(f"browser {line}")
    for f in result["failed"]:
        print(f"  not ok - {f['name']}: {f['message']}")
    return not result["failed"] and result["passed"] == result["total"] and result["total"] > 0


def screenshot(driver, folder, name):
    if folder:
        path = Path(folder) / name
        driver.save_screenshot(str(path))
        print(f"demo: screenshot {path}")


def run_demo(driver, base, timeout, screenshot_dir):
    if not Handler.fixtures:
        raise SystemExit("the demo test needs --fixtures DIR (a writable folder it serves)")
    """The demo page: the corpus listed from its verified manifest, a record opened with the
    read-only demo key (pasted), and a tampered record refused."""
    ok = True
    status = load_demo(driver, base, timeout)
    rows = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")
    print(f"demo: {len(rows)} records listed, manifest: {driver.find_element(By.ID, 'manifest-status').text!r}")
    if len(rows) != status["count"] or len(rows) < 30:
        print(f"FAIL: demo lists {len(rows)} records, the manifest {status['count']}")
        ok = False
    # A public key pasted is refused (it cannot open anything); then the read-only key is
    # given through the file picker, as a user would.
    driver.execute_script("document.getElementById('key-text').value = arguments[0];", (REPO / "Keys/demo.pub").read_text())
    driver.find_element(By.ID, "use-key").click()
    refused = wait_for(driver, "return window.__demo.keyError || null", timeout, "refusing a public key")
    if "public key" not in refused:
        print(f"FAIL: demo: a pasted public key gave {refused!r}")
        ok = False
    driver.find_element(By.ID, "key-file").send_keys(str(REPO / "Examples/web/demo.readonly.key"))
    wait_for(driver, "return window.__demo.keyLoaded || null", timeout, "the read-only key from the file picker")
    print(f"demo: key status: {driver.find_element(By.ID, 'key-status').text!r}")
    good = status["first"]
    driver.execute_script("window.__demoOpen(arguments[0])", good)
    done = wait_for(driver, "return window.__demo.opened || null", timeout, "opening a record")
    shown = driver.find_element(By.ID, "content").text
    expected_title = (REPO / "Examples/corpus" / good).read_text().split('title: "', 1)[1].split('"', 1)[0]
    if done.get("path") != good or done.get("error") or expected_title.split()[0] not in shown or len(shown) < 100:
        print(f"FAIL: demo: opening {good} showed {shown[:200]!r} ({done})")
        ok = False
    else:
        print(f"demo: {good} opened: {shown.splitlines()[0][:80]!r}… ({len(shown)} characters)")
    screenshot(driver, screenshot_dir, "demo-opened.png")
    # A tampered record: the page is told to fetch a changed copy (served from the fixtures):
    # one word of its title changed, its signature left as it was.
    original = (REPO / "Examples/corpus" / good).read_bytes()
    tampered = original.replace(b'title: "', b'title: "Tampered: ', 1)
    assert tampered != original
    (Path(Handler.fixtures) / "tampered.md").write_bytes(tampered)
    driver.execute_script("window.__demo.opened = null; window.__demoOpen(arguments[0], arguments[1])", good, "/__fixtures__/tampered.md")
    done = wait_for(driver, "return window.__demo.opened || null", timeout, "opening a tampered record")
    error = driver.find_element(By.ID, "error").text
    content = driver.find_element(By.ID, "content").text
    if "SR011" not in error or content.strip():
        print(f"FAIL: demo: a tampered record showed error {error!r} and content {content[:80]!r}")
        ok = False
    else:
        print(f"demo: tampered record refused: {error!r}")
    screenshot(driver, screenshot_dir, "demo-tampered.png")
    return ok


DEMO_PASSPHRASE = "open sesame for demo members"  # public: README, "Members-only pages"

STORAGE_SCRIPT = """
const done = arguments[arguments.length - 1];
const open = indexedDB.open("secured-demo", 1);
open.onupgradeneeded = () => open.result.createObjectStore("keys");
open.onerror = () => done({ error: String(open.error) });
open.onsuccess = () => {
  const db = open.result;
  const all = db.transaction("keys").objectStore("keys").getAll();
  all.onsuccess = () => {
    db.close();
    done({
      entries: all.result.map((v) => ({
        fields: Object.keys(v).sort(),
        text: JSON.stringify(v),
        enc: v.enc && { cryptoKey: v.enc instanceof CryptoKey, extractable: v.enc.extractable, algorithm: v.enc.algorithm.name, usages: v.enc.usages },
      })),
      localStorage: localStorage.length, sessionStorage: sessionStorage.length, cookie: document.cookie,
    });
  };
  all.onerror = () => done({ error: String(all.error) });
};
"""


def stored(driver):
    return driver.execute_async_script(STORAGE_SCRIPT)


def type_passphrase(driver, text):
    field = driver.find_element(By.ID, "passphrase")
    field.clear()
    field.send_keys(text)
    driver.find_element(By.ID, "unlock").click()


def open_first(driver, status, timeout, what):
    """Opens the first listed record; returns the error, or None when its text was shown."""
    good = status["first"]
    driver.execute_script("window.__demo.opened = null; window.__demoOpen(arguments[0])", good)
    done = wait_for(driver, "return window.__demo.opened || null", timeout, f"opening a record ({what})")
    shown = driver.find_element(By.ID, "content").text
    expected_title = (REPO / "Examples/corpus" / good).read_text().split('title: "', 1)[1].split('"', 1)[0]
    if done.get("path") != good or done.get("error") or expected_title.split()[0] not in shown or len(shown) < 100:
        return f"opening {good} showed {shown[:200]!r} ({done})"
    print(f"demo ({what}): {good} opened: {shown.splitlines()[0][:80]!r}… ({len(shown)} characters)")
    return None


def load_demo(driver, base, timeout):
    driver.get(f"{base}/Examples/web/index.html")
    status = wait_for(driver, "return window.__demo && window.__demo.listed && window.__demo.restoreChecked ? window.__demo : null",
                      timeout, "the demo page's list")
    if status.get("error"):
        raise SystemExit(f"FAIL: demo page: {status['error']}")
    return status


def run_demo_passphrase(driver, base, timeout, screenshot_dir):
    """The demo page's passphrase flow: a wrong passphrase refused with one message, the right
    one (typed) unlocks Keys/demo.members.key.pw and a record opens; remembered only when
    asked, as a non-extractable key and nothing else; Forget removes it."""
    problems = []
    if f"**`{DEMO_PASSPHRASE}`**" not in (REPO / "README.md").read_text():
        problems.append("the README does not give the demo's public passphrase as this test types it")
    status = load_demo(driver, base, timeout)
    if status.get("remembered"):
        problems.append("a fresh browser already remembers a key")
    # A wrong passphrase (one character short).
    type_passphrase(driver, DEMO_PASSPHRASE[:-1])
    message = wait_for(driver, "return window.__demo.unlockError || null", timeout, "refusing a wrong passphrase")
    shown = driver.find_element(By.ID, "pw-status").text
    if message != "Wrong passphrase (or a damaged key file): nothing was unlocked." or shown != message:
        problems.append(f"a wrong passphrase gave {message!r}, the page shows {shown!r}")
    else:
        print(f"demo (passphrase): a wrong passphrase is refused: {shown!r}")
    if driver.find_element(By.ID, "passphrase").get_attribute("value"):
        problems.append("the passphrase field still holds the passphrase after unlocking")
    if open_first(driver, status, timeout, "after a wrong passphrase") is None:
        problems.append("a record opened after a wrong passphrase")
    screenshot(driver, screenshot_dir, "demo-passphrase-wrong.png")
    # The right one, typed, without remembering: nothing stored anywhere.
    type_passphrase(driver, DEMO_PASSPHRASE)
    unlocked = wait_for(driver, "return window.__demo.unlocked || window.__demo.unlockError || null", timeout, "unlocking")
    print(f"demo (passphrase): {driver.find_element(By.ID, 'pw-status').text!r}")
    if not isinstance(unlocked, dict) or unlocked.get("id") != "demo" or unlocked.get("label") != "members":
        problems.append(f"the demo passphrase did not unlock the key: {unlocked!r}")
    error = open_first(driver, status, timeout, "passphrase")
    if error:
        problems.append(error)
    screenshot(driver, screenshot_dir, "demo-passphrase-opened.png")
    kept = stored(driver)
    if kept.get("error") or kept["entries"] or kept["localStorage"] or kept["sessionStorage"] or kept["cookie"]:
        problems.append(f"without 'remember', the page stored {kept}")
    # Remembered when asked: the non-extractable key only; a new visit opens records without the passphrase.
    driver.find_element(By.ID, "remember").click()
    driver.execute_script("window.__demo.unlocked = null")
    type_passphrase(driver, DEMO_PASSPHRASE)
    wait_for(driver, "return window.__demo.unlocked || window.__demo.unlockError || null", timeout, "unlocking, remembered")
    kept = stored(driver)
    entries = kept.get("entries") or []
    if (len(entries) != 1 or entries[0]["fields"] != ["enc", "fingerprint", "format", "id", "label"]
            or entries[0]["enc"] != {"cryptoKey": True, "extractable": False, "algorithm": "AES-CBC", "usages": ["decrypt"]}
            or DEMO_PASSPHRASE[:8] in entries[0]["text"] or kept["localStorage"] or kept["sessionStorage"] or kept["cookie"]):
        problems.append(f"remembering stored {kept}")
    else:
        print(f"demo (passphrase): remembered in IndexedDB: {entries[0]['fields']}, enc {entries[0]['enc']}")
    status = load_demo(driver, base, timeout)
    if not (status.get("remembered") or {}).get("id") == "demo" or driver.find_element(By.ID, "forget").get_attribute("hidden"):
        problems.append(f"a new visit did not restore the remembered key, or hides Forget: {status.get('remembered')}")
    error = open_first(driver, status, timeout, "remembered key, new visit")
    if error:
        problems.append(error)
    screenshot(driver, screenshot_dir, "demo-passphrase-remembered.png")
    # Forget: nothing left, and the next visit is locked.
    driver.find_element(By.ID, "forget").click()
    wait_for(driver, "return window.__demo.forgotten || null", timeout, "forgetting")
    if stored(driver).get("entries"):
        problems.append("Forget left the key in IndexedDB")
    status = load_demo(driver, base, timeout)
    if status.get("remembered") or open_first(driver, status, timeout, "after Forget") is None:
        problems.append("after Forget, a new visit still opens records")
    screenshot(driver, screenshot_dir, "demo-passphrase-forgotten.png")
    for p in problems:
        print(f"FAIL: demo (passphrase): {p}")
    return not problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures")
    parser.add_argument("--screenshot-dir")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    server, base = serve(args.fixtures)
    started = time.monotonic()
    driver = browser(args.timeout)
    try:
        ok = run_suite(driver, base, args.fixtures, args.timeout)
        if not args.no_demo:
            ok = run_demo(driver, base, args.timeout, args.screenshot_dir) and ok
            ok = run_demo_passphrase(driver, base, args.timeout, args.screenshot_dir) and ok
        for entry in driver.get_log("browser") if hasattr(driver, "get_log") else []:
            if entry.get("level") == "SEVERE":
                print(f"browser console: {entry.get('message')}")
    finally:
        driver.quit()
        server.shutdown()
    print(f"browser run: {'ok' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
