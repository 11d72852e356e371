#!/usr/bin/env python3
"""Checks action.yml and runs its shell steps the way a GitHub Actions runner would.

    action_harness.py REPO WORKDIR [--prebuilt BINARY]
        [--release DIR --other-key-release DIR [--release-only]]

REPO is this repository (the action's checkout). Checks:

1. The file parses, is a composite action, and passes the action schema that
   check-jsonschema carries (--builtin-schema vendor.github-actions).
2. No `${{ ... }}` expression appears inside any `run:` script: inputs reach the scripts
   through `env:` only, and the secret key only as SECURED_KEY.
3. Scenarios run the steps in order with the environment a runner gives a composite step
   (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, RUNNER_OS, ...),
   `bash --noprofile --norc -eo pipefail` as the shell, `if:` conditions on step outputs,
   and actions/cache emulated by a folder keyed like the real one.

Without --prebuilt the first scenario finds the cache empty and runs the build step
(`swift build -c release`, minutes); with it, the binary is placed in the cache under the
key the action computes, as a cache hit would restore it. With --release (a folder written
by Scripts/release.sh) and --other-key-release (the same release signed with another key),
the release path runs too, offline (action_release.py; Tests/release/release_test.sh runs
it); --release-only skips the other scenarios. Prints what it checked; exits non-zero on the
first failure.
"""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("ok: " + message)


class Runner:
    """One job: a workspace, a runner temp folder, a cache shared across jobs."""

    def __init__(self, repo, action, workdir, cache_dir):
        self.repo = repo
        self.action = action
        self.cache_dir = cache_dir
        self.workspace = tempfile.mkdtemp(prefix="workspace-", dir=workdir)
        self.temp = tempfile.mkdtemp(prefix="runner-temp-", dir=workdir)
        self.summary = os.path.join(self.temp, "step-summary.md")
        open(self.summary, "w").close()
        self.ran = []

    def context(self, name, inputs, steps):
        parts = name.split(".")
        if parts[0] == "inputs":
            spec = self.action["inputs"][parts[1]]
            return str(inputs.get(parts[1], spec.get("default", "")))
        if parts[0] == "steps":
            return steps.get(parts[1], {}).get(parts[3], "")
        if name == "runner.temp":
            return self.temp
        if name == "runner.os":
            return "Linux"
        if name == "runner.arch":
            return "X64"
        if name == "github.action_path":
            return self.repo
        if name == "github.action_repository":
            return ""  # a local action (uses: ./), as in these scenarios
        if name == "github.workspace":
            return self.workspace
        fail(f"the harness does not know the expression '{name}'")

    def evaluate(self, text, inputs, steps):
        return EXPRESSION.sub(lambda m: self.context(m.group(1), inputs, steps), text)

    def condition(self, text, steps):
        if text is None:
            return True
        return all(self.comparison(part, steps) for part in text.split("&&"))

    def comparison(self, text, steps):
        m = re.fullmatch(r"\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*(==|!=)\s*'([^']*)'\s*", text)
        if not m:
            fail(f"the harness does not know the condition '{text}'")
        value = steps.get(m.group(1), {}).get(m.group(2), "")
        return (value == m.group(4)) == (m.group(3) == "==")

    def run(self, inputs, env_extra=None):
        """Runs the steps; returns (exit status, stdout+stderr, outputs of the steps)."""
        steps = {}
        log = ""
        saves = []
        for step in self.action["runs"]["steps"]:
            sid = step.get("id", "")
            if not self.condition(step.get("if"), steps):
                self.ran.append(f"skipped {step.get('name')}")
                continue
            if "uses" in step:
                with_ = {k: self.evaluate(str(v), inputs, steps) for k, v in step.get("with", {}).items()}
                if not step["uses"].startswith("actions/cache@"):
                    fail(f"the harness does not emulate {step['uses']}")
                stored = os.path.join(self.cache_dir, with_["key"])
                hit = os.path.isdir(stored)
                if hit:
                    shutil.copytree(stored, with_["path"], dirs_exist_ok=True)
                else:
                    saves.append((with_["path"], stored))
                steps[sid] = {"cache-hit": "true" if hit else "false"}
                self.ran.append(f"cache {'hit' if hit else 'miss'}")
                continue
            output_file = os.path.join(self.temp, f"output-{len(self.ran)}")
            open(output_file, "w").close()
            env = {
                "PATH": os.environ["PATH"],
                "HOME": os.environ.get("HOME", "/root"),
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "GITHUB_ACTION_PATH": self.repo,
                "GITHUB_OUTPUT": output_file,
                "GITHUB_STEP_SUMMARY": self.summary,
                "GITHUB_WORKSPACE": self.workspace,
                "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_REPOSITORY": "example/site",
                "GITHUB_SHA": "0" * 40,
                "RUNNER_TEMP": self.temp,
                "RUNNER_OS": "Linux",
                "RUNNER_ARCH": "X64",
            }
            for k, v in step.get("env", {}).items():
                env[k] = self.evaluate(str(v), inputs, steps)
            env.update(env_extra or {})
            p = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.workspace, env=env, capture_output=True, text=True)
            log += p.stdout + p.stderr
            steps[sid] = parse_outputs(output_file)
            self.ran.append(f"ran {step.get('name')}")
            if p.returncode != 0:
                return p.returncode, log, steps
        for path, stored in saves:  # post step of actions/cache: save after a successful job
            if os.path.isdir(path):
                shutil.copytree(path, stored)
        return 0, log, steps


def parse_outputs(path):
    outputs = {}
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            i += 1
            while lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def static_checks(repo, action):
    check(action["runs"]["using"] == "composite", "a composite action")
    scripts = [s for s in action["runs"]["steps"] if "run" in s]
    check(all(s.get("shell") == "bash" for s in scripts), "every run step names its shell")
    for s in scripts:
        check(EXPRESSION.search(s["run"]) is None, f"no ${{{{ }}}} expression inside the script of '{s['name']}'")
    secret_uses = [
        (s.get("name"), k) for s in action["runs"]["steps"] for k, v in (s.get("env") or {}).items()
        if "inputs.secret-key" in str(v)]
    check(secret_uses == [("Audit", "SECURED_KEY")], "the secret key reaches only the audit step, as SECURED_KEY")
    identity_uses = [
        (s.get("name"), k) for s in action["runs"]["steps"] for k, v in (s.get("env") or {}).items()
        if "inputs.age-identity" in str(v)]
    check(identity_uses == [("Audit", "SECURED_AGE_IDENTITY")],
          "the age identity reaches only the audit step, as SECURED_AGE_IDENTITY")
    cache = [s for s in action["runs"]["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
    check(len(cache) == 1 and "steps.version.outputs.key" in cache[0]["with"]["key"], "one cache, keyed by the version step")
    conditions = {s.get("name"): s.get("if", "") for s in action["runs"]["steps"]}
    check("steps.version.outputs.mode == 'source'" in conditions["Build secured (release)"] and
          conditions["Install secured (a release, verified before it runs)"] == "steps.version.outputs.mode == 'release'",
          "a release is installed only in release mode and the sources built only in source mode (no fallback)")
    pub = open(os.path.join(repo, "Keys/secured-release.pub")).read().splitlines()
    check(len(pub) == 2 and pub[0].startswith("untrusted comment:")
          and len(base64.b64decode(pub[1], validate=True)) == 42 and base64.b64decode(pub[1])[:2] == b"Ed",
          "Keys/secured-release.pub, the release key, is a minisign public key")
    check(not any(os.path.exists(os.path.join(repo, "Keys", n)) for n in ("secured-release.key", "secured-release.key.age")),
          "and its secret half is not in the repository")
    tool = shutil.which("check-jsonschema")
    if tool is None:
        fail("check-jsonschema is not installed (pip install check-jsonschema)")
    p = subprocess.run([tool, "--builtin-schema", "vendor.github-actions", os.path.join(repo, "action.yml")],
                       capture_output=True, text=True)
    check(p.returncode == 0, "check-jsonschema --builtin-schema vendor.github-actions action.yml: " +
          (p.stdout + p.stderr).strip().replace("\n", " | "))


def readme_workflow(repo):
    """The README's complete workflow validates against GitHub's workflow schema, uses this
    action's inputs only, and merges exactly the shards its matrix writes."""
    text = open(os.path.join(repo, "README.md")).read()
    m = re.search(r"```yaml\n(# \.github/workflows/secured\.yml\n.*?)```", text, re.S)
    check(m is not None, "the README shows a complete workflow")
    path = os.path.join(tempfile.mkdtemp(), "secured.yml")
    open(path, "w").write(m.group(1))
    p = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", path],
                       capture_output=True, text=True)
    check(p.returncode == 0, "the README workflow passes check-jsonschema --builtin-schema vendor.github-workflows: " +
          (p.stdout + p.stderr).strip().replace("\n", " | "))
    workflow = yaml.safe_load(m.group(1))
    action = yaml.safe_load(open(os.path.join(repo, "action.yml")))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    ours = [s for s in steps if str(s.get("uses", "")).startswith("OWNER/secured@")]
    check(len(ours) == 2 and all(set(s["with"]) <= set(action["inputs"]) for s in ours),
          "the workflow uses the action twice, with its inputs only")
    shards = workflow["jobs"]["audit"]["strategy"]["matrix"]["shard"]
    merged = ours[1]["with"]["merge"].split()
    check(merged == [f"secured-{i}.index" for i in shards], "the merge job merges every shard's index")
    check(any(str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@") for s in steps),
          "the workflow uploads SARIF")
    # The leaks section's workflow: the site built, then checked, before the deploy.
    m = re.search(r"```yaml\n(# \.github/workflows/leaks\.yml\n.*?)```", text, re.S)
    check(m is not None, "the README shows the leaks workflow")
    open(path, "w").write(m.group(1))
    p = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", path],
                       capture_output=True, text=True)
    check(p.returncode == 0, "the leaks workflow passes the workflow schema: " + (p.stdout + p.stderr).strip())
    steps = [s for job in yaml.safe_load(m.group(1))["jobs"].values() for s in job["steps"]]
    ours = [s for s in steps if str(s.get("uses", "")).startswith("OWNER/secured@")]
    check(len(ours) == 1 and set(ours[0]["with"]) <= set(action["inputs"]) and "leaks" in ours[0]["with"]
          and steps.index(ours[0]) > next(i for i, s in enumerate(steps) if "build" in str(s.get("run", ""))),
          "the leaks workflow runs the action's leaks input after the build")


def copy_corpus(repo, runner, name="content"):
    shutil.copytree(os.path.join(repo, "Examples/corpus"), os.path.join(runner.workspace, name))
    os.makedirs(os.path.join(runner.workspace, "Keys"))
    shutil.copy(os.path.join(repo, "Keys/demo.pub"), os.path.join(runner.workspace, "Keys/demo.pub"))
    os.makedirs(os.path.join(runner.workspace, ".git"))  # SARIF paths relative to the repository


def scenarios(repo, action, workdir, prebuilt):
    cache_dir = os.path.join(workdir, "cache")
    os.makedirs(cache_dir, exist_ok=True)
    # version: source, so that these scenarios build (or restore) the binary even once
    # action.yml pins a release; release_scenarios runs the release path.
    base = {"paths": "content", "public-key": "Keys/demo.pub", "require-signature": "true",
            "manifest": "content/MANIFEST.sha256", "version": "source"}

    # The version step alone, to learn the cache key (and seed the cache with --prebuilt).
    probe = Runner(repo, action, workdir, cache_dir)
    version_step = {**action, "runs": {**action["runs"], "steps": action["runs"]["steps"][:1]}}
    first = Runner(repo, version_step, workdir, cache_dir)
    status, log, steps = first.run({"version": "source"})
    check(status == 0, "the version step runs: " + log.strip())
    key = steps["version"]["key"]
    check(re.fullmatch(r"secured-Linux-X64-swift-[0-9a-f]{12}-(commit-[0-9a-f]{40}|sources-[0-9a-f]{40})",
                       key) is not None,
          f"the cache key names the Swift version and the action's commit or sources: {key}")
    check(open(os.path.join(first.temp, "output-0")).read().startswith("mode<<secured_"), "outputs use the delimiter form")
    # A downloaded action (no git): a change of the vendored argument parser, or of the build
    # plugin, changes the key as a change of the sources does, so no stale binary is restored.
    copy = tempfile.mkdtemp(prefix="action-copy-", dir=workdir)
    shutil.copy(os.path.join(repo, "Package.swift"), copy)
    for folder in ("Sources", "Vendor", "Plugins"):
        shutil.copytree(os.path.join(repo, folder), os.path.join(copy, folder))
    keys = []
    for edit in (None, "Vendor/swift-argument-parser/Sources/ArgumentParser/Utilities/Foundation.swift",
                 "Plugins/BuildCommit/BuildCommit.swift", "Sources/SecuredRecords/Version.swift"):
        if edit:
            with open(os.path.join(copy, edit), "a") as f:
                f.write("\n// changed\n")
        status, log, steps = Runner(copy, version_step, workdir, cache_dir).run({"version": "source"})
        check(status == 0 and steps["version"]["key"].startswith("secured-Linux-X64-swift-"),
              "the version step runs on a downloaded copy of the action: " + log.strip())
        keys.append(steps["version"]["key"])
    check(len(set(keys)) == len(keys), "a change of the vendored code, the build plugin or the sources changes the cache key")
    if prebuilt:
        os.makedirs(os.path.join(cache_dir, key))
        shutil.copy(prebuilt, os.path.join(cache_dir, key, "secured"))

    # 1. A pull request audit with the public key: passes; the step summary is written.
    copy_corpus(repo, probe)
    status, log, steps = probe.run(base)
    check(status == 0, "the example corpus passes with the public key: " + log.strip()[-400:])
    check(probe.ran[1] == ("cache hit" if prebuilt else "cache miss"), f"cache: {probe.ran[1]}")
    if not prebuilt:
        check(probe.ran[2] == "ran Build secured (release)", "a cache miss builds the release binary")
        again = Runner(repo, action, workdir, cache_dir)
        copy_corpus(repo, again)
        status, log, _ = again.run(base)
        check(status == 0 and again.ran[1] == "cache hit" and again.ran[2] == "skipped Build secured (release)",
              "the next job restores the binary from the cache and does not build")
    check("36 records checked" in open(probe.summary).read(), "the step summary counts the records")
    check(steps["audit"]["exit-code"] == "0", "exit-code output 0")

    # 1b. Signatures required and no key input, no policy keys: the step refuses (exit 2)
    # instead of passing a corpus whose signatures nobody checked (SPEC 1.2 section 8).
    keyless = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, keyless)
    status, log, steps = keyless.run({**base, "public-key": "", "manifest": ""})
    check(status == 2 and steps["audit"]["exit-code"] == "2",
          f"signatures required and no key: exit 2, got {status}: " + log.strip()[-300:])
    check("signatures are required (--require-signature) but no key was given; a public key is enough" in log,
          "the refusal says a public key is enough: " + log.strip()[-300:])
    status, log, steps = keyless.run({**base, "public-key": "", "manifest": "", "require-signature": "false"})
    check(status == 0 and "36 signatures were not verified" in log,
          "without the requirement the audit runs and says what it did not verify: " + log.strip()[-300:])

    # 2. A tampered record: annotations, the step fails with exit status 1.
    job = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, job)
    record = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(job.workspace, "content/news"))
                    for f in fs if f.endswith(".md"))[0]
    text = open(record).read()
    open(record, "w").write(text.replace("title: ", "title: Changed ", 1))
    status, log, steps = job.run(base)
    check(status == 1 and steps["audit"]["exit-code"] == "1", "a changed record fails the step with exit status 1")
    check(re.search(r"^::error file=content/news/[^,]+,line=\d+,title=SR011::", log, re.M) is not None,
          "a GitHub annotation names the file, line and code (SR011)")
    check("::error file=content/MANIFEST.sha256" in log or "SR018" in log, "the manifest check reports the change")

    # 3. SARIF: a file for upload-sarif, named in the outputs.
    os.makedirs(os.path.join(job.workspace, "results"))
    status, log, steps = job.run({**base, "format": "sarif", "output-file": "results/secured.sarif"})
    check(status == 1 and steps["audit"]["output-file"] == "results/secured.sarif", "sarif writes the named file")
    doc = json.load(open(os.path.join(job.workspace, "results/secured.sarif")))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    check(any(u.startswith("content/news/") for u in uris), f"SARIF results relative to the repository: {sorted(uris)[:2]}")

    # 4. The secret key from a secret: blobs decrypted, the key never in the log.
    secret = open(os.path.join(repo, "Keys/demo.key")).read()
    clean = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, clean)
    status, log, _ = clean.run({**base, "secret-key": secret})
    check(status == 0, "the secret key audits and decrypts: " + log.strip()[-300:])
    check("public-key is not used" in log, "a notice says the public key input is not used beside the secret key")
    for line in secret.splitlines():
        value = line.split(":", 1)[-1].strip()
        if len(value) >= 16:
            check(value not in log, "no key material in the log")

    # 4b. A team key (.key.age, made by the real age) opened with the identity from a secret.
    if shutil.which("age") and shutil.which("age-keygen"):
        team = Runner(repo, action, workdir, cache_dir)
        copy_corpus(repo, team)
        identity_file = os.path.join(team.temp, "ci-identity.txt")
        subprocess.run(["age-keygen", "-o", identity_file], check=True, capture_output=True)
        recipient = subprocess.run(["age-keygen", "-y", identity_file], check=True, capture_output=True,
                                   text=True).stdout.strip()
        subprocess.run(["age", "-a", "-r", recipient, "-o", os.path.join(team.workspace, "Keys/demo.key.age"),
                        os.path.join(repo, "Keys/demo.key")], check=True)
        identity_text = open(identity_file).read()
        status, log, _ = team.run({**base, "public-key": "Keys/demo.key.age", "age-identity": identity_text})
        check(status == 0 and "only public keys" not in log, "a .key.age opens with the age identity from a secret")
        check("AGE-SECRET-KEY" not in log, "no identity text in the log")
        status, log, _ = team.run({**base, "public-key": "Keys/demo.key.age"})
        check(status == 2 and "SECURED_AGE_IDENTITY" in log, "without the identity: a configuration error saying what to pass")
    else:
        fail("age and age-keygen are needed (apt-get install age)")

    # 5. Inputs are data, never code.
    hostile = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, hostile)
    marker = os.path.join(hostile.workspace, "pwned")
    status, log, _ = hostile.run({**base, "paths": f"content\n$(touch {marker})\n`touch {marker}`; touch {marker}",
                                  "ignore": f"SR015 $(touch {marker})", "manifest": f"x\"; touch {marker}; echo \""})
    check(not os.path.exists(marker), "hostile inputs run nothing")
    check(status == 2, f"and are refused as paths or codes that do not exist (exit 2), got {status}")
    status, log, _ = hostile.run({**base, "paths": "--help"})
    check(status == 2 and "--help" in log, "a path that starts with '-' stays a path")
    status, log, _ = hostile.run({**base, "require-signature": "yes"})
    check(status == 2 and "must be true or false" in log, "a bad flag value is refused")

    # 6. A sharded matrix, then the merge job.
    shards = []
    for i in (1, 2):
        job = Runner(repo, action, workdir, cache_dir)
        copy_corpus(repo, job)
        status, log, _ = job.run({**base, "shard": f"{i}/2", "write-index": f"shard-{i}.index"})
        check(status == 0, f"shard {i}/2 passes and writes its index")
        shards.append(os.path.join(job.workspace, f"shard-{i}.index"))
    merge = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, merge)
    for s in shards:  # what actions/download-artifact would fetch
        shutil.copy(s, merge.workspace)
    status, log, _ = merge.run({"merge": "shard-1.index\nshard-2.index", "version": "source"})
    check(status == 0 and "the shards checked 36 records" in log, "the merge job reads both indexes")
    status, log, _ = merge.run({"merge": "shard-1.index", "version": "source"})
    check(status == 2 and "shard 2 of 2 missing" in log, "the merge job refuses a missing shard")

    # 7. An input holding a line break cannot add an output line.
    job = Runner(repo, action, workdir, cache_dir)
    copy_corpus(repo, job)
    status, log, steps = job.run({**base, "format": "json", "output-file": "report.json\nexit-code=7\ninjected=1"})
    check(steps["audit"].get("injected") is None and steps["audit"]["exit-code"] == str(status),
          f"a line break in an input adds no output: {steps['audit']}")
    check(steps["audit"]["output-file"] == "report.json\nexit-code=7\ninjected=1", "and the output holds the input as given")

    # 8. A pull request controls the policy files it adds: trust comes from its base branch.
    # The pull request tampers with a record and adds a policy that hides SR011 below it.
    pr = Runner(repo, action, workdir, cache_dir)
    genv = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(cwd, *a):
        subprocess.run(["git", *a], cwd=cwd, check=True, capture_output=True, env=genv)

    origin = os.path.join(pr.temp, "origin")
    shutil.copytree(os.path.join(repo, "Examples/corpus"), os.path.join(origin, "content"))
    os.makedirs(os.path.join(origin, "Keys"))
    shutil.copy(os.path.join(repo, "Keys/demo.pub"), os.path.join(origin, "Keys/demo.pub"))
    open(os.path.join(origin, ".secured.yaml"), "w").write("require-signature: true\nkeys: [Keys/demo.pub]\n")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "base")
    site = os.path.join(pr.workspace, "site")
    git(pr.workspace, "clone", "-q", origin, "site")
    git(site, "checkout", "-q", "-b", "pr")
    record = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content/news"))
                    for f in fs if f.endswith(".md"))[0]
    text = open(record).read()
    open(record, "w").write(text.replace("title: ", "title: Changed ", 1))
    open(os.path.join(site, "content/news/.secured.yaml"), "w").write("ignore: [SR011, SR018]\n")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "pull request")
    inputs = {"paths": "content", "working-directory": "site", "version": "source"}
    status, log, _ = pr.run({**inputs, "trust-from": "none"})
    check(status == 0, "trusting the checkout, the pull request's own policy hides its change: " + log.strip()[-300:])
    event = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main"}
    status, log, _ = pr.run(inputs, env_extra=event)
    check(status == 1 and re.search(r"^::error file=(\./)?content/news/[^,]+,line=\d+,title=SR011::", log, re.M),
          "on a pull request, the policy it added is not applied: SR011 " + log.strip()[-600:])
    check(re.search(r"^::warning file=content/news/\.secured\.yaml,.*not on origin/main", log, re.M) is not None,
          "an annotation on the added policy says it was not applied: " + log.strip()[-600:])
    check("keys trusted as on origin/main" in log, "the report names the keys it trusted and from where")

    leak_scenarios(repo, action, workdir, cache_dir, prebuilt or os.path.join(cache_dir, key, "secured"))


def leak_scenarios(repo, action, workdir, cache_dir, binary):
    """9. leaks: after the site is built, its files searched with the read-only key from a
    secret; annotations and SARIF as for the audit, never the words."""
    job = Runner(repo, action, workdir, cache_dir)
    ws = job.workspace
    secret = ("The keeper of the northern light counts seven ships each night and writes "
              "their names in a ledger nobody else has ever been allowed to read")
    os.makedirs(os.path.join(ws, "content"))
    os.makedirs(os.path.join(ws, ".git"))  # SARIF paths relative to the repository
    open(os.path.join(ws, "content/secret.md"), "w").write(f"---\ntitle: Secret\n---\n{secret}\n")
    open(os.path.join(ws, "content/public.md"), "w").write("---\ntitle: Public\n---\nNothing to hide.\n")
    key = os.path.join(job.temp, "demo.key")
    shutil.copy(os.path.join(repo, "Keys/demo.key"), key)
    os.chmod(key, 0o600)
    readonly = os.path.join(job.temp, "demo.readonly.key")
    for argv in (["seal", "content/secret.md", "--key", key], ["share", key, "--read-only", "--out", readonly]):
        p = subprocess.run([binary, *argv], cwd=ws, capture_output=True, text=True)
        check(p.returncode == 0, f"secured {argv[0]} for the leak scenario: {p.stderr.strip()}")
    readonly_text = open(readonly).read()
    os.makedirs(os.path.join(ws, "_site"))
    open(os.path.join(ws, "_site/feed.xml"), "w").write(
        f"<feed>\n<entry><content type=\"html\">&lt;p&gt;{secret}&lt;/p&gt;</content></entry>\n</feed>\n")
    open(os.path.join(ws, "_site/index.html"), "w").write("<p>Nothing to hide.</p>\n")
    inputs = {"paths": "content", "leaks": "_site", "secret-key": readonly_text}

    def words(text):
        return re.findall(r"[^\W_]+", text.lower())

    def longest(log):
        sealed, out, best = words(secret), words(log), 0
        for i in range(len(out)):
            for j in range(len(sealed)):
                k = 0
                while i + k < len(out) and j + k < len(sealed) and out[i + k] == sealed[j + k]:
                    k += 1
                best = max(best, k)
        return best

    status, log, steps = job.run(inputs)
    check(status == 1 and steps["audit"]["exit-code"] == "1", "a leaking feed fails the leaks step: " + log.strip()[-300:])
    check(re.search(r"^::error file=_site/feed\.xml,line=2,title=SR020::", log, re.M) is not None,
          "a GitHub annotation names the feed, its line and SR020: " + log.strip()[-300:])
    check(longest(log) < 6, "the log holds no six consecutive words of the sealed text")
    for line in readonly_text.splitlines():
        value = line.split(":", 1)[-1].strip()
        if len(value) >= 16:
            check(value not in log, "no key material in the log")
    status, log, steps = job.run({**inputs, "format": "sarif", "output-file": "leaks.sarif"})
    doc = json.load(open(os.path.join(ws, "leaks.sarif")))
    results = doc["runs"][0]["results"]
    check(status == 1 and [r["ruleId"] for r in results] == ["SR020"]
          and results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "_site/feed.xml",
          "SARIF for code scanning: one SR020 result on the feed")
    check(longest(open(os.path.join(ws, "leaks.sarif")).read()) < 6, "the SARIF file holds no six sealed words")
    # The policy names what to search: leaks "true".
    open(os.path.join(ws, ".secured.yaml"), "w").write("leaks:\n  paths: [_site]\n")
    status, log, _ = job.run({**inputs, "leaks": "true"})
    check(status == 1 and "_site/feed.xml" in log, "leaks: true searches the policy's leaks.paths")
    # No key: a configuration error, never a pass.
    status, log, _ = job.run({**inputs, "secret-key": ""})
    check(status == 2 and "no secret or read-only key was given" in log, "leaks with no key: exit 2, said so")
    status, log, _ = job.run({**inputs, "shard": "1/2"})
    check(status == 2 and "merge, shard and write-index are for the audit" in log, "leaks refuses audit-only inputs")
    marker = os.path.join(ws, "pwned")
    status, log, _ = job.run({**inputs, "leaks": f"_site\n$(touch {marker})", "leaks-history": "maybe"})
    check(not os.path.exists(marker) and status == 2, "hostile leaks inputs run nothing and are refused")
    # The site rebuilt without the leaky feed: the step passes.
    os.remove(os.path.join(ws, "_site/feed.xml"))
    status, log, steps = job.run(inputs)
    check(status == 0 and steps["audit"]["exit-code"] == "0", "the clean build passes: " + log.strip()[-300:])


def option(args, name):
    if name not in args:
        return None
    k = args.index(name)
    value = args[k + 1]
    del args[k:k + 2]
    return value


def main():
    args = sys.argv[1:]
    prebuilt = option(args, "--prebuilt")
    release = option(args, "--release")
    other_key = option(args, "--other-key-release")
    release_only = "--release-only" in args
    args = [a for a in args if a != "--release-only"]
    repo, workdir = os.path.abspath(args[0]), os.path.abspath(args[1])
    os.makedirs(workdir, exist_ok=True)
    action = yaml.safe_load(open(os.path.join(repo, "action.yml")))
    static_checks(repo, action)
    if not release_only:
        readme_workflow(repo)
        scenarios(repo, action, workdir, prebuilt)
    if release:
        from action_release import release_scenarios
        release_scenarios(repo, action, workdir, os.path.abspath(release), os.path.abspath(other_key))
    print("all action checks passed")


if __name__ == "__main__":
    main()
