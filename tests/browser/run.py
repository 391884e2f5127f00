#!/usr/bin/env python3
"""The browser test: every notebook run in a real JupyterLab in Debian's Chromium.

    python tests/browser/run.py [NOTEBOOK.ipynb ...]

Run it with the venv's Python (`make test-browser` does, after installing the Go
kernel into .venv). With no arguments it takes every notebooks/*.ipynb; while
notebooks/ has none, the kernel's test notebooks in tests/jupyter/.

What it does:
  1. copies each notebook's folder into a temporary directory (JupyterLab
     autosaves what it runs; the real files are never touched);
  2. starts JupyterLab from this Python on 127.0.0.1, a free port and a random
     token, with fresh settings/workspace/config folders (so a developer's own
     JupyterLab settings cannot change the result) and waits for /api/status;
  3. runs run-notebooks.mjs (npm playwright-core driving /usr/bin/chromium
     headless): open /lab/tree/NAME, wait for the kernel, Run > Run All Cells,
     wait until idle, check the outputs, move the sliders of every
     effective-rate explorer (display.EffectiveRateExplorer) and check that its
     readout and curve follow, with the right numbers, and come back to what Go
     drew; save a screenshot per notebook (and one of each explorer, moved)
     under tests/browser/artifacts/;
  4. always shuts JupyterLab and its kernels down, passed or failed.

Also run, unless --no-self-check: tests/browser/fixtures/deliberate-error.ipynb,
which must FAIL (a broken image, an effective-rate explorer that does not
redraw, then an error cell). It proves that the test can see an error, a broken
image and a dead slider in this JupyterLab; if it ever "passes", the browser
test is broken and says so.

Exit status: 0 when every notebook passed (or chromium is missing outside CI:
then it prints SKIP), 1 otherwise. The last line is `browser: N passed, N failed`.
Environment: CHROMIUM (default /usr/bin/chromium), NOTEBOOK_TIMEOUT_S (a safety
limit per notebook, default 120), BROWSER_ARTIFACTS (default
tests/browser/artifacts), CI=true turns a missing chromium into a failure.
"""

import argparse
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURE = HERE / "fixtures" / "deliberate-error.ipynb"
# What the fixture must produce: (kind, cell index) pairs, cells counted from 0
# among all cells, as the failure messages count them.
FIXTURE_EXPECTED = {("image", 2), ("explorer", 3), ("error", 4)}
COPY_IGNORE = shutil.ignore_patterns(
    ".ipynb_checkpoints", "__pycache__", "node_modules", "artifacts", ".*"
)


def log(msg):
    print(msg, flush=True)


def default_notebooks():
    found = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if found:
        return found
    found = sorted((ROOT / "tests" / "jupyter").glob("*.ipynb"))
    log("notebooks/ has no notebooks yet: using the kernel's test notebooks in tests/jupyter/")
    return found


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stage(notebooks, root):
    """Copy each notebook's folder under root; return the notebooks' paths
    relative to root (what JupyterLab's /lab/tree/ takes)."""
    copied = {}
    rel = []
    for nb in notebooks:
        src_dir = nb.parent
        if src_dir not in copied:
            name = src_dir.name or "notebooks"
            dest = root / name
            n = 2
            while dest.exists():
                dest = root / f"{name}-{n}"
                n += 1
            shutil.copytree(src_dir, dest, ignore=COPY_IGNORE)
            copied[src_dir] = dest
        dest_nb = copied[src_dir] / nb.name
        if not dest_nb.exists():  # a hidden or ignored name: copy it anyway
            shutil.copy2(nb, dest_nb)
        rel.append(dest_nb.relative_to(root).as_posix())
    return rel


def write_lab_settings(tmp):
    """Fresh JupyterLab user settings: every cell kept in the page (no windowing,
    so every output can be checked and the screenshot shows the whole notebook),
    no news or update checks (there is no network to ask)."""
    settings = tmp / "settings"
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }.items():
        f = settings / (plugin + ".jupyterlab-settings")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    config = tmp / "config"
    config.mkdir(exist_ok=True)
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                    "expose_app_in_browser": True,
                },
            }
        )
    )
    return settings, config


def start_lab(tmp, root, port, token):
    settings, config = write_lab_settings(tmp)
    env = dict(os.environ)
    share = str(pathlib.Path(sys.prefix) / "share" / "jupyter")
    path = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if share not in path:
        path.insert(0, share)  # the venv's kernelspec, as the Makefile's JUPYTER_ENV does
    env.update(
        JUPYTER_PATH=os.pathsep.join(path),
        JUPYTER_PLATFORM_DIRS="1",
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
    )
    logf = open(tmp / "jupyterlab.log", "wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
        ]
        + (["--allow-root"] if os.geteuid() == 0 else []),  # CI and containers run as root
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=logf,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed as one at the end
    )
    return proc


def wait_ready(proc, base, token, tmp, limit=90):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def stop_lab(proc, base, token):
    if proc.poll() is None:
        try:  # the server's own shutdown also shuts down its kernels
            req = urllib.request.Request(
                f"{base}/api/shutdown?token={token}", method="POST", data=b""
            )
            urllib.request.urlopen(req, timeout=5).close()
        except OSError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue


def tail(path, n=40):
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=pathlib.Path)
    ap.add_argument("--no-self-check", action="store_true",
                    help="do not run the fixture that must fail")
    args = ap.parse_args()

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        if os.environ.get("CI", "").lower() == "true":
            log(f"FAIL: chromium not installed at {chromium} (CI needs it: apt-get install chromium)")
            return 1
        log("SKIP: chromium not installed (apt-get install chromium)")
        return 0
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        log("FAIL: playwright-core not installed: npm ci --prefix tests/browser")
        return 1

    notebooks = [p.resolve() for p in args.notebooks] or default_notebooks()
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        log("FAIL: no such notebook: " + ", ".join(missing))
        return 1
    if not notebooks:
        log("FAIL: no notebooks to run")
        return 1

    artifacts = pathlib.Path(os.environ.get("BROWSER_ARTIFACTS", HERE / "artifacts")).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="adagradlab-browser-"))
    root = tmp / "root"
    root.mkdir()
    rel = stage(notebooks, root)
    fixture_rel = None
    if not args.no_self_check:
        fixture_rel = stage([FIXTURE], root)[0]

    token = secrets.token_hex(24)
    proc = base = None
    try:
        for attempt in range(3):  # the free port can be taken between the check and the bind
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            proc = start_lab(tmp, root, port, token)
            if wait_ready(proc, base, token, tmp):
                break
            stop_lab(proc, base, token)
            proc = None
        if proc is None:
            log("FAIL: JupyterLab did not start; its log ends:\n" + tail(tmp / "jupyterlab.log"))
            log(f"(log: {tmp / 'jupyterlab.log'})")
            return 1
        log(f"JupyterLab {base} (root {root}), chromium {chromium}")

        results_file = tmp / "results.json"
        env = dict(os.environ)
        env.update(
            LAB_URL=base,
            LAB_TOKEN=token,
            CHROMIUM=chromium,
            NOTEBOOKS=json.dumps(rel + ([fixture_rel] if fixture_rel else [])),
            ARTIFACTS=str(artifacts),
            RESULTS=str(results_file),
        )
        node = subprocess.run(["node", str(HERE / "run-notebooks.mjs")], env=env)
        if not results_file.exists():
            log(f"FAIL: the browser script ended (exit {node.returncode}) without results")
            log("JupyterLab's log ends:\n" + tail(tmp / "jupyterlab.log"))
            return 1
        results = json.loads(results_file.read_text())
    finally:
        if proc is not None:
            stop_lab(proc, base, token)

    passed = failed = 0
    for r in results:
        name = r["notebook"]
        if name == fixture_rel:
            got = {(f["kind"], f["cell"]) for f in r["failures"]}
            if FIXTURE_EXPECTED <= got:
                log(f"ok   self-check: {name} failed as it must:")
                for f in r["failures"]:
                    log(f"     - {f['message']}")
                passed += 1
            else:
                log(f"FAIL self-check: {name} must fail with {sorted(FIXTURE_EXPECTED)} "
                    f"(kind, cell) but gave {sorted(got)}: the browser test cannot see errors")
                failed += 1
            continue
        if r["failures"]:
            failed += 1
            log(f"FAIL {name}: {len(r['failures'])} problem(s)  (screenshot {r.get('screenshot')})")
            for f in r["failures"]:
                log("     - " + f["message"].replace("\n", "\n       "))
        else:
            passed += 1
            log(f"ok   {name}: {r['summary']}  (screenshot {r.get('screenshot')})")
    if failed:
        log("JupyterLab's log: " + str(tmp / "jupyterlab.log"))
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
