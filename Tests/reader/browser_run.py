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
    driver.get(f"{base}/Examples/web/index.html")
    status = wait_for(driver, "return window.__demo && window.__demo.listed ? window.__demo : null", timeout, "the demo page's list")
    if status.get("error"):
        print(f"FAIL: demo page: {status['error']}")
        return False
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
