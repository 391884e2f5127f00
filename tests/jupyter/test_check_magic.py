"""%check grades the cells run so far with the course's checker, in place."""

import pathlib

from jupyter_client.manager import start_new_kernel

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_check_magic_grades_the_session():
    km, kc = start_new_kernel(kernel_name="adagradlab", startup_timeout=60)
    try:
        src = (ROOT / "exercises/q1/solution/solution.go").read_text()
        body = src[src.index("import"):]  # a notebook cell has no package clause
        assert kc.execute_interactive(body, timeout=60)["content"]["status"] == "ok"
        outputs = []
        reply = kc.execute_interactive(
            "%check q1", output_hook=outputs.append, timeout=180
        )["content"]
        assert reply["status"] == "ok", reply
        shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        assert len(shown) == 1
        assert shown[0]["text/plain"].startswith("q1: passed, 20/20")
        assert "<" in shown[0]["text/html"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run_cell(kc, code, cell_id, timeout=180):
    """An execute_request as JupyterLab sends it: the cell named in metadata."""
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                         metadata={"cellId": cell_id})
    kc.shell_channel.send(msg)
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        outputs.append(m)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply["content"], outputs


def test_check_grades_the_notebook_as_it_is_now():
    """A correct answer, then the same cell edited into code that does not
    compile: %check must not still say passed (issue 9's stale case)."""
    km, kc = start_new_kernel(kernel_name="adagradlab", startup_timeout=60)
    try:
        src = (ROOT / "exercises/q1/solution/solution.go").read_text()
        body = src[src.index("import"):]
        assert run_cell(kc, body, "answer")[0]["status"] == "ok"
        _, outs = run_cell(kc, "%check q1", "check")
        card = [m["content"]["data"] for m in outs if m["msg_type"] == "display_data"][0]
        assert card["text/plain"].startswith("q1: passed, 20/20"), card["text/plain"]

        broken = body.replace("func FirstStepLR", "func FirstStepLR(", 1)  # no longer compiles
        assert run_cell(kc, broken, "answer")[0]["status"] == "error"
        _, outs = run_cell(kc, "%check q1", "check")
        text = [m["content"]["data"] for m in outs if m["msg_type"] == "display_data"][0]["text/plain"]
        assert "q1: passed" not in text, text
        assert "failed when it last ran" in text and "cell [3]" in text, text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
