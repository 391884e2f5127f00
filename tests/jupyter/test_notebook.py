"""nbclient runs tests/jupyter/smoke.ipynb through the installed kernel, end
to end: state across cells, the reference optimizer, an inline gonum plot
(a *plot.Plot as the trailing value) and a display updated in place."""

import base64
import pathlib

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).parent


def run_notebook():
    nb = nbformat.read(HERE / "smoke.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="adagradlab").execute()
    return [c for c in nb.cells if c.cell_type == "code"]


def test_smoke_notebook_end_to_end():
    cells = run_notebook()
    imports, train, plot, live, timed = cells

    assert not imports.outputs, imports.outputs

    text = "".join(o.get("text", "") for o in train.outputs if o.output_type == "stream")
    assert "θ after 50 steps:" in text
    theta = float(text.split(":")[1])
    assert abs(theta) < 3, "Adagrad did not move θ towards 0"
    # The trailing `err` is nil: shown as such, no error output.
    assert all(o.output_type != "error" for o in train.outputs)

    results = [o for o in plot.outputs if o.output_type == "execute_result"]
    assert len(results) == 1, plot.outputs
    png = base64.b64decode(results[0].data["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000

    # nbclient applies update_display_data: one output left, the last state.
    shown = [o for o in live.outputs if o.output_type == "display_data"]
    assert [o.data["text/plain"] for o in shown] == ["step 3 of 3"]
    assert [o.data["text/plain"] for o in live.outputs if o.output_type == "execute_result"] == ["50"]

    timed_text = "".join(o.get("text", "") for o in timed.outputs if o.output_type == "stream")
    assert timed_text.startswith("time: ")
    assert [o.data["text/plain"] for o in timed.outputs if o.output_type == "execute_result"] == ["499500"]
