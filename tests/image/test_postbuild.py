"""binder/postBuild, the step that makes the Binder / JupyterHub image, run
here in a temporary home with the Go already on this machine: the binaries
are built, the kernel is installed into the environment it names, the
learners' notebooks are written, and the installed kernel runs a cell.
(Building the image itself needs repo2docker and Docker, which CI lacks.)"""

import json
import os
import pathlib
import subprocess

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_postbuild_makes_a_working_image_home(tmp_path):
    # A fresh home, but this machine's Go caches: the build is what is tested,
    # not the download of every module again.
    caches = {k: subprocess.run(["go", "env", k], capture_output=True, text=True, check=True).stdout.strip()
              for k in ("GOCACHE", "GOMODCACHE", "GOPATH")}
    env = dict(os.environ, **caches, HOME=str(tmp_path / "home"), PREFIX=str(tmp_path / "local"),
               COURSE_DIR=str(tmp_path / "served"), VIRTUAL_ENV=str(tmp_path / "env"))
    (tmp_path / "home").mkdir()
    subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, check=True, cwd=ROOT, capture_output=True)

    for name in ("adagradlab", "adagradlab-worker"):
        assert os.access(tmp_path / "local" / "bin" / name, os.X_OK), name
    kernels = tmp_path / "env" / "share" / "jupyter" / "kernels"
    spec = json.loads((kernels / "adagradlab" / "kernel.json").read_text())
    assert spec["argv"][0] == str(tmp_path / "local" / "bin" / "adagradlab")

    course = sorted((tmp_path / "served").glob("*.ipynb"))  # at the root of the served folder
    instructor = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in course] == [p.name for p in instructor]
    for p in course:  # the learners' copies: no solution left in
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            role = cell.metadata.get("adagradlab", {}).get("role")
            assert role != "solution" or cell.source == cell.metadata["adagradlab"].get("starter", cell.source)

    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp_path / "env" / "share" / "jupyter")
    try:
        km, kc = start_new_kernel(kernel_name="adagradlab", startup_timeout=60)
        try:
            outs = []
            reply = kc.execute_interactive("1 + 1", allow_stdin=False, output_hook=outs.append, timeout=60)
            assert reply["content"]["status"] == "ok"
            assert [o["content"]["data"]["text/plain"] for o in outs if o["msg_type"] == "execute_result"] == ["2"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    finally:
        if old is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = old
