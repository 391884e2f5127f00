"""What a learner can do to a kernel and still have it: interrupt a runaway
cell, recurse without end, allocate 50 GB. Each ends in an error output and
the earlier definitions come back. Also: output streams while a cell runs.

No wall-clock assertions: "while the cell runs" is checked by order (a line
arrives before the execute_reply), not by timing.
"""

import queue
import threading

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="adagradlab", startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def execute(kc, code, on_output=None, timeout=120):
    outputs = []

    def hook(msg):
        if msg["msg_type"] in ("stream", "error", "execute_result", "display_data"):
            outputs.append(msg)
            if on_output:
                on_output(msg)

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return reply["content"], outputs


def result_text(outputs):
    return [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]


def test_definitions_survive_everything(kernel):
    km, kc = kernel
    content, _ = execute(kc, 'import "fmt"\nfunc inc(a int) int { return a + 1 }\nx := 41')
    assert content["status"] == "ok"

    content, outputs = execute(kc, "func down(n int) int { return down(n+1) + 1 }\ndown(0)")
    assert content["status"] == "error" and content["ename"] == "StackOverflow"
    assert "restored" in content["evalue"]
    assert [o["msg_type"] for o in outputs] == ["error"]
    assert result_text(execute(kc, "inc(x)")[1]) == ["42"]

    content, _ = execute(kc, "b := make([]byte, 50<<30)\nlen(b)")
    assert content["status"] == "error" and content["ename"] == "OutOfMemory"
    assert result_text(execute(kc, "inc(x)")[1]) == ["42"]

    # A runaway loop, interrupted through the control channel
    # (interrupt_mode "message") once it has printed.
    started = threading.Event()
    content, outputs = execute(
        kc,
        'fmt.Println("running")\nfor {}',
        on_output=lambda m: (started.set(), threading.Thread(target=km.interrupt_kernel).start())
        if m["msg_type"] == "stream" and not started.is_set()
        else None,
    )
    assert content["status"] == "error" and content["ename"] == "Interrupted"
    assert result_text(execute(kc, "inc(x)")[1]) == ["42"]


def test_output_streams_while_the_cell_runs(kernel):
    _, kc = kernel
    events = queue.Queue()
    code = 'import "time"\nfor i := 1; i <= 3; i++ {\n\tfmt.Println("epoch", i)\n\ttime.Sleep(300 * time.Millisecond)\n}'
    msg_id = kc.execute(code)
    seen = []
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            seen.append(msg["content"]["text"])
            # The first line came before the reply: the cell is still running.
            if len(seen) == 1:
                assert kc.shell_channel.msg_ready() is False
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    assert seen == ["epoch 1\n", "epoch 2\n", "epoch 3\n"]
    reply = kc.get_shell_msg(timeout=10)
    assert reply["content"]["status"] == "ok"


def test_compile_error_has_the_cells_line(kernel):
    _, kc = kernel
    content, outputs = execute(kc, "a := 1\n\nb := a + nope")
    assert content["status"] == "error"
    assert "line 3:" in content["evalue"]
    assert [o["msg_type"] for o in outputs] == ["error"]


def test_magics(kernel):
    _, kc = kernel
    content, outputs = execute(kc, "%help")
    assert content["status"] == "ok"
    assert any("%reset" in o["content"]["data"].get("text/markdown", "") for o in outputs)
    content, _ = execute(kc, "%reset")
    assert content["status"] == "ok"
    content, _ = execute(kc, "x")
    assert content["status"] == "error", "x survived %reset"


def test_a_cell_reads_stdin_from_the_front_end(kernel):
    """fmt.Scanln in a cell becomes an input_request on the stdin channel;
    the input_reply's value is what the cell reads."""
    _, kc = kernel
    asked = []

    def answer(msg):
        assert msg["msg_type"] == "input_request"
        asked.append(msg["content"])
        kc.input("Ada Lovelace" if len(asked) == 1 else "0.05")

    outputs = []
    code = 'import "fmt"\nvar first, last string\nvar lr float64\nfmt.Print("Name? ")\nfmt.Scanln(&first, &last)\nfmt.Scanln(&lr)\nfmt.Println("hello", last, lr*2)'
    reply = kc.execute_interactive(code, allow_stdin=True, stdin_hook=answer,
                                   output_hook=outputs.append, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert len(asked) == 2 and asked[0]["password"] is False
    printed = "".join(o["content"]["text"] for o in outputs if o["msg_type"] == "stream")
    assert printed == "Name? hello Lovelace 0.1\n"


def test_without_stdin_a_cell_reads_eof(kernel):
    """allow_stdin false (as nbclient runs notebooks): no input_request, EOF."""
    _, kc = kernel
    outputs = []
    reply = kc.execute_interactive('var n int\n_, err := fmt.Scan(&n)\nfmt.Println(err)', allow_stdin=False,
                                   output_hook=outputs.append, timeout=60)
    assert reply["content"]["status"] == "ok"
    assert "".join(o["content"]["text"] for o in outputs if o["msg_type"] == "stream") == "EOF\n"
