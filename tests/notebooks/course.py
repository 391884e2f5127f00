#!/usr/bin/env python3
"""Runs the course notebooks through the adagradlab kernel, to refresh their
committed outputs or to check them.

  python tests/notebooks/course.py --update [NOTEBOOK ...]   re-execute in place (make notebooks)
  python tests/notebooks/course.py --check  [NOTEBOOK ...]   execute copies and compare

With no NOTEBOOK, every notebooks/*.ipynb. Run it with the venv's Python and
JUPYTER_PATH pointing at the venv (the Makefile targets do both).

What "compare" means: a fresh run must have no error output, and its text
must match the committed run's, cell by cell: stream text, and the text/plain
of results and displays. Images are only counted (the figures have golden
tests of their own). Two kinds of cell are compared loosely:
  - metadata {"adagradlab": {"volatile": true}}: timings and the like, not compared;
  - %check cells (role "check"): only the verdict lines ("q1: passed, 20/20")
    are compared, since the checker draws new test inputs on every run.
"""

import argparse
import copy
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERDICT = re.compile(r"\bq\d: (?:passed|partial|failed|error|timeout|crashed), \d+/\d+")


def execute(nb, cwd):
    """Runs nb in place, as JupyterLab's Run All would, from folder cwd."""
    client = NotebookClient(nb, kernel_name="adagradlab", timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def ours(cell):
    return cell.get("metadata", {}).get("adagradlab", {}) or {}


def fingerprint(cell):
    """The part of a code cell's outputs that a rerun must reproduce."""
    meta = ours(cell)
    if meta.get("volatile"):
        return None
    parts = []
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            parts.append((o["name"], o["text"]))
        elif kind in ("execute_result", "display_data"):
            data = o.get("data", {})
            images = sorted(k for k in data if k.startswith("image/"))
            parts.append((kind, data.get("text/plain", ""), tuple(images)))
        elif kind == "error":
            parts.append(("error", o.get("ename", ""), o.get("evalue", "")))
    if meta.get("role") == "check":
        text = "\n".join(str(p) for p in parts)
        return ("verdicts", tuple(VERDICT.findall(text)))
    # Consecutive stream chunks may be split differently from run to run.
    merged = []
    for p in parts:
        if merged and p[0] in ("stdout", "stderr") and merged[-1][0] == p[0]:
            merged[-1] = (p[0], merged[-1][1] + p[1])
        else:
            merged.append(p)
    return merged


def errors(nb):
    """Error outputs, as 'cell N: Name: value' lines."""
    out = []
    for i, cell in enumerate(nb.cells, 1):
        for o in cell.get("outputs", []):
            if o["output_type"] == "error":
                out.append(f"cell {i}: {o.get('ename')}: {o.get('evalue', '')[:300]}")
    return out


def compare(committed, fresh):
    """Differences between two runs of one notebook, as readable lines."""
    diffs = []
    for i, (a, b) in enumerate(zip(committed.cells, fresh.cells), 1):
        if a.cell_type != "code":
            continue
        fa, fb = fingerprint(a), fingerprint(b)
        if fa != fb:
            diffs.append(f"cell {i}: committed {fa!r:.400}\n          fresh     {fb!r:.400}")
    return diffs


def notebooks(args):
    paths = [pathlib.Path(p) for p in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        sys.exit("course.py: no notebooks found")
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true", help="re-execute the notebooks in place")
    mode.add_argument("--check", action="store_true", help="execute copies and compare with the committed outputs")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args()
    failed = 0
    for path in notebooks(args.notebooks):
        nb = nbformat.read(path, as_version=4)
        t = time.monotonic()
        fresh = execute(copy.deepcopy(nb), path.parent)
        took = time.monotonic() - t
        problems = errors(fresh)
        if args.check:
            problems += compare(nb, fresh)
        elif not problems:
            nbformat.write(fresh, path)
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {path.name} ({took:.1f} s)")
        for p in problems:
            print("     " + p)
        failed += bool(problems)
    if failed:
        sys.exit(f"course.py: {failed} notebook(s) failed" + ("" if args.check else "; nothing was written for them"))


if __name__ == "__main__":
    main()
