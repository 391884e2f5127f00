"""Every course notebook re-executed through the kernel: no error output, and
the same text as the committed run (course.py says what is compared). Then
the learners' copies (adagradlab release) run too, and %check on their
untouched starters says "not yet answered" instead of crashing."""

import copy
import pathlib
import subprocess

import nbformat
import pytest

import course

NOTEBOOKS = sorted((course.ROOT / "notebooks").glob("*.ipynb"))
BIN = course.ROOT / "bin" / "adagradlab"


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert len(names) >= 6 and names[0].startswith("01-"), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_matches_its_committed_run(path):
    nb = nbformat.read(path, as_version=4)
    fresh = course.execute(copy.deepcopy(nb), path.parent)
    assert not course.errors(fresh), "\n".join(course.errors(fresh))
    diffs = course.compare(nb, fresh)
    assert not diffs, f"{path.name}: outputs differ from the committed run " \
        f"(refresh with `make notebooks` if the change is intended):\n" + "\n".join(diffs)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.get("execution_count"), f"{path.name}: a cell was committed without running"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("released")
    subprocess.run([str(BIN), "release", "-o", str(out), str(course.ROOT / "notebooks")], check=True,
                   capture_output=True, text=True)
    return out


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_released_copy_runs(released, name):
    nb = nbformat.read(released / name, as_version=4)
    text = nbformat.writes(nb)
    for cell in nb.cells:
        if course.ours(cell).get("role") == "solution":
            pytest.fail(f"{name}: a solution cell survived the release")
    course.execute(nb, course.ROOT / "notebooks")
    assert not course.errors(nb), "\n".join(course.errors(nb))
    checks = [c for c in nb.cells if course.ours(c).get("role") == "check"]
    for cell in checks:
        shown = "".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
        assert "not yet answered" in shown, f"{name}: %check on an untouched starter said {shown[:300]!r}"
    if name.startswith("05-"):
        assert checks, "the exercises notebook has no %check cells"
        # The reference answers' telltale lines must be gone.
        for secret in ("0.9*G + 0.1*g*g", "return 1 / math.Abs(g)", "G[i] = 0"):
            assert secret not in text, f"the released copy still contains {secret!r}"
