"""The Action's release path, offline: a local HTTP server on 127.0.0.1 serves releases built
by Scripts/release.sh (Tests/release/release_test.sh makes them), and a copy of the action
pins the good one, with the throwaway key that signed it as its Keys/secured-release.pub.

    release_scenarios(repo, workdir, good, other_key)

good: a release folder (secured-VERSION-linux-x86_64.tar.gz, SHA256SUMS,
SHA256SUMS.minisig, secured-release.pub); other_key: the same release packaged again and
signed with another key. Checks that the pinned, signed release is installed and runs with no
Swift on PATH, and that a flipped byte, another key's signature, an archive SHA256SUMS does
not list as pinned, a missing file and an unpinned version all stop the job before anything
runs, with an error that says why.
"""

import copy
import functools
import hashlib
import http.server
import os
import re
import shutil
import threading

from action_harness import Runner, check, copy_corpus


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    """python3 -m http.server on 127.0.0.1, on a free port, in a thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def without_swift(path):
    """PATH with every folder holding a `swift` executable left out: the runner has no Swift."""
    return os.pathsep.join(d for d in path.split(os.pathsep) if not os.access(os.path.join(d, "swift"), os.X_OK))


def pinning(action, line):
    """The action as it would be with RELEASES holding line (the table of pinned releases)."""
    pinned = copy.deepcopy(action)
    pinned["runs"]["steps"][0]["env"]["RELEASES"] = line + "\n"
    return pinned


def release_scenarios(repo, action, workdir, good, other_key):
    tarball = [f for f in os.listdir(good) if re.fullmatch(r"secured-.*-linux-x86_64\.tar\.gz", f)][0]
    version = tarball[len("secured-"):-len("-linux-x86_64.tar.gz")]
    check(well_formed_table(action), "action.yml's RELEASES table: lines of a version and a SHA-256")

    # The action's copy: its sources' version, and the throwaway key as its release key.
    action_copy = os.path.join(workdir, "action-release-copy")
    os.makedirs(os.path.join(action_copy, "Keys"))
    os.makedirs(os.path.join(action_copy, "Sources/SecuredRecords"))
    shutil.copy(os.path.join(repo, "action.yml"), action_copy)
    shutil.copy(os.path.join(repo, "Sources/SecuredRecords/Version.swift"),
                os.path.join(action_copy, "Sources/SecuredRecords"))
    shutil.copy(os.path.join(good, "secured-release.pub"), os.path.join(action_copy, "Keys/secured-release.pub"))

    # What the server holds: the release, a flipped byte, another key's signature.
    root = os.path.join(workdir, "www")
    shutil.copytree(good, os.path.join(root, "good"))
    shutil.copytree(good, os.path.join(root, "flipped"))
    flipped = os.path.join(root, "flipped", tarball)
    data = bytearray(open(flipped, "rb").read())
    data[len(data) // 2] ^= 0x01
    open(flipped, "wb").write(bytes(data))
    shutil.copytree(other_key, os.path.join(root, "other-key"))
    check(sha256(os.path.join(root, "other-key", tarball)) == sha256(os.path.join(good, tarball)),
          "the other key's release holds the same archive (only the signature differs)")
    os.makedirs(os.path.join(root, "missing"))
    shutil.copy(os.path.join(good, tarball), os.path.join(root, "missing"))
    server, url = serve(root)
    cache_dir = os.path.join(workdir, "release-cache")
    os.makedirs(cache_dir)
    offline = {"PATH": without_swift(os.environ["PATH"])}
    pinned = pinning(action, f"{version} {sha256(os.path.join(good, tarball))}")
    base = {"paths": "content", "public-key": "Keys/demo.pub", "require-signature": "true",
            "manifest": "content/MANIFEST.sha256"}

    def job(inputs, table=pinned, env=offline):
        runner = Runner(action_copy, table, workdir, cache_dir)
        copy_corpus(repo, runner)
        status, log, steps = runner.run({**base, **inputs}, env_extra=env)
        return runner, status, log, steps

    def refused(runner, status, steps, log, why, message):
        binary = steps.get("version", {}).get("binary", "")
        check(status != 0 and "ran Audit" not in runner.ran and not (binary and os.path.exists(binary)),
              f"{message}: the job stops before secured runs (exit {status}, {runner.ran})")
        check(why in log and "::error title=secured action::" in log, f"and says why ('{why}'): " + log.strip()[-400:])

    try:
        # 1. The default: the release of the action's version, verified, run without Swift.
        runner, status, log, steps = job({"release-url": f"{url}/good"})
        check(status == 0 and steps["version"]["mode"] == "release" and steps["version"]["version"] == version,
              f"the default installs release {version}, pinned in action.yml: " + log.strip()[-400:])
        check(runner.ran[1:4] == ["skipped Restore secured from the cache", "skipped Build secured (release)",
                                  "ran Install secured (a release, verified before it runs)"],
              f"no cache and no build on the release path: {runner.ran}")
        check(f"{tarball} verified (SHA-256 pinned in action.yml, SHA256SUMS signed by" in log,
              "the log says what was verified")
        check(steps["audit"]["exit-code"] == "0" and "36 records checked" in open(runner.summary).read(),
              "the verified release audits the corpus with no Swift on PATH")
        runner, status, log, _ = job({"release-url": f"{url}/good/", "version": f"v{version}"})
        check(status == 0, f"version: v{version} names the same release: " + log.strip()[-300:])

        # 2. Refusals: each check on its own, never a fallback to a build.
        runner, status, log, steps = job({"release-url": f"{url}/flipped"})
        refused(runner, status, steps, log, "as action.yml pins for secured", "a flipped byte")
        runner, status, log, steps = job({"release-url": f"{url}/other-key"})
        refused(runner, status, steps, log, "is not signed by the release key", "SHA256SUMS signed by another key")
        flipped_pin = pinning(action, f"{version} {sha256(flipped)}")
        runner, status, log, steps = job({"release-url": f"{url}/flipped"}, table=flipped_pin)
        refused(runner, status, steps, log, "does not match the signed SHA256SUMS",
                "an archive pinned in action.yml but not as the signed SHA256SUMS lists it")
        runner, status, log, steps = job({"release-url": f"{url}/missing"})
        refused(runner, status, steps, log, "cannot download", "a release without its SHA256SUMS")
        runner, status, log, steps = job({"release-url": f"{url}/good", "version": "9.9.9"})
        refused(runner, status, steps, log, "no release 9.9.9 is pinned", "a version action.yml does not pin")
        runner, status, log, steps = job({"release-url": f"{url}/good", "version": "latest"})
        refused(runner, status, steps, log, "version must be a release such as", "a version that is not one")

        # 3. version: source, or no release pinned: the build from the sources (as before).
        for table, inputs, what in ((pinned, {"version": "source"}, "version: source"),
                                    (pinning(action, ""), {}, "no release pinned")):
            runner = Runner(repo, version_step(table), workdir, cache_dir)
            status, log, steps = runner.run({**base, **inputs})
            check(status == 0 and steps["version"]["mode"] == "source" and "key" in steps["version"],
                  f"{what}: the build from the sources, keyed as before: " + log.strip()[-300:])
        check("no release of secured" in log and "building it from the action's sources" in log,
              "with no release pinned, a notice says the action builds from its sources")
    finally:
        server.shutdown()


def version_step(action):
    return {**action, "runs": {**action["runs"], "steps": action["runs"]["steps"][:1]}}


def well_formed_table(action):
    table = action["runs"]["steps"][0]["env"]["RELEASES"]
    return all(re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)? [0-9a-f]{64}", line.strip())
               for line in str(table).splitlines() if line.strip())
