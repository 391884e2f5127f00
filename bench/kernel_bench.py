"""Kernel latency, ours next to ipykernel, measured in one run with
jupyter_client (what JupyterLab and nbclient use).

  start   KernelManager.start_kernel() until the first kernel_info_reply
  ready   start_kernel() until the client knows shell and IOPub both work: a
          kernel_info_reply, then an IOPub message (the condition
          client.wait_for_ready() checks)
  wait_for_ready  start_kernel() then client.wait_for_ready(), as Jupyter's
          own clients wait: "ready", then jupyter_client flushes IOPub until
          no message has come for 0.2 s, a fixed wait of the client's own
  trivial one execute_request ("1") until its execute_reply
  idle    the same until IOPub says idle (when a front end shows it done)
  plot    a cell that builds a 1000-point line plot and returns it as PNG
          (ours: gonum/plot as the trailing value; ipykernel: matplotlib,
          only if it is installed in the venv)

Prints medians and the ratio ipykernel/ours. Run: make bench-kernel
(BENCH_STARTS, BENCH_CELLS and BENCH_PLOTS set the repetitions).
"""

import os
import queue
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

STARTS = int(os.environ.get("BENCH_STARTS", "10"))
CELLS = int(os.environ.get("BENCH_CELLS", "300"))
PLOTS = int(os.environ.get("BENCH_PLOTS", "30"))

GO_PLOT_SETUP = 'import (\n\t"math"\n\t"gonum.org/v1/plot"\n\t"gonum.org/v1/plot/plotter"\n)'
GO_PLOT = (
    "pts := make(plotter.XYs, 1000)\n"
    "for i := range pts {\n\tpts[i].X = float64(i)\n\tpts[i].Y = 1 / math.Sqrt(float64(i+1))\n}\n"
    "p := plot.New()\nl, _ := plotter.NewLine(pts)\np.Add(l)\np"
)
PY_PLOT_SETUP = "import math, matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n%matplotlib inline"
PY_PLOT = (
    "fig, ax = plt.subplots(figsize=(6, 4))\n"
    "ax.plot(range(1000), [1 / math.sqrt(i + 1) for i in range(1000)])\n"
    "plt.show()"
)


def wait_reply(kc, msg_id, timeout=60):
    while True:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def start_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    # One request: ZeroMQ queues it until the kernel's socket is up.
    msg_id = kc.kernel_info()
    wait_reply(kc, msg_id, timeout=60)
    dt = time.perf_counter() - t0
    return dt, km, kc


def ready_time(name):
    """start_kernel() until wait_for_ready's condition holds (its loop,
    timed where it would break, before its trailing 0.2 s flush)."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    while True:
        msg_id = kc.kernel_info()
        try:
            msg = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        try:
            kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        break
    dt = time.perf_counter() - t0
    return dt, km, kc


def wait_for_ready_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return time.perf_counter() - t0, km, kc


def idle_trips(kc, code, n, warmup=3):
    """An execute_request until IOPub reports idle for it."""
    times = []
    for i in range(n + warmup):
        t0 = time.perf_counter()
        msg_id = kc.execute(code)
        while True:
            m = kc.get_iopub_msg(timeout=60)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        dt = time.perf_counter() - t0
        wait_reply(kc, msg_id)
        if i >= warmup:
            times.append(dt)
    return times


def round_trips(kc, code, n, warmup=3):
    times = []
    for i in range(n + warmup):
        t0 = time.perf_counter()
        msg_id = kc.execute(code)
        reply = wait_reply(kc, msg_id)
        dt = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{code!r}: {reply['content']}")
        if i >= warmup:
            times.append(dt)
    return times


def measure(name, plot_setup, plot_code):
    starts, readys, waits = [], [], []
    for _ in range(STARTS):
        for how, into in ((start_time, starts), (ready_time, readys), (wait_for_ready_time, waits)):
            dt, km, kc = how(name)
            into.append(dt)
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    _, km, kc = start_time(name)
    try:
        trivial = round_trips(kc, "1", CELLS)
        kc.wait_for_ready(timeout=60)  # IOPub flushed before counting idles
        idle = idle_trips(kc, "1", CELLS)
        plots = None
        if plot_setup is not None:
            msg_id = kc.execute(plot_setup)
            if wait_reply(kc, msg_id)["content"]["status"] == "ok":
                plots = round_trips(kc, plot_code, PLOTS)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return starts, trivial, plots, readys, waits, idle


def ms(xs):
    return statistics.median(xs) * 1000 if xs else float("nan")


def main():
    try:
        import matplotlib  # noqa: F401

        py_plot = PY_PLOT_SETUP
    except ImportError:
        py_plot = None
    ours = measure("adagradlab", GO_PLOT_SETUP, GO_PLOT)
    ipy = measure("python3", py_plot, PY_PLOT)
    rows = [("start -> kernel_info_reply", 0), ("start -> shell and IOPub ready", 3),
            ("start + wait_for_ready()", 4), ("trivial cell round trip", 1),
            ("trivial cell until IOPub idle", 5), ("plot cell (1000 points, PNG)", 2)]
    print(f"{'median (ms)':32} {'adagradlab':>11} {'ipykernel':>11} {'ipykernel/ours':>15}")
    for label, i in rows:
        a, b = ms(ours[i]), ms(ipy[i])
        ratio = f"{b / a:.1f}x" if ipy[i] and ours[i] else "n/a"
        bs = f"{b:11.2f}" if ipy[i] else f"{'n/a':>11}"
        print(f"{label:32} {a:11.2f} {bs} {ratio:>15}")
    print(f"\nruns: {STARTS} starts, {CELLS} trivial cells, {PLOTS} plot cells per kernel; python {sys.version.split()[0]}")
    if py_plot is None:
        print("ipykernel plot: matplotlib is not in the venv (pip install matplotlib to compare)")


if __name__ == "__main__":
    main()
