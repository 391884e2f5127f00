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
