#!/usr/bin/env python3
"""Times torch's CPU Adagrad, single-threaded, as a yardstick for the Go port.

A benchmark, not a test: it prints a plain-text table and checks nothing.

  dense:  one parameter of N elements (N = 1e3 .. 1e7), float32 and float64,
          for each implementation torch offers: foreach=False (single-tensor),
          foreach=True (multi-tensor) and fused=True.  Reported as nanoseconds
          per parameter element per optimizer step.
  sparse: a 100000 x 128 embedding table, float32 and float64, with 1000
          distinct rows (1%) touched per step through a sparse COO gradient.
          Reported as microseconds per step (and ns per touched element).

Every figure is the median of REPS timed repetitions taken after warm-up; a
repetition runs enough steps to last at least MIN_REP_SECONDS.  The gradient
tensors are made before timing, so only optimizer.step() is measured.

Usage: python3 bench_torch.py   (normally: tools/goldens/run.sh bench)
"""

import platform
import statistics
import subprocess
import time

import torch

REPS = 7
WARMUP_STEPS = 3
MIN_REP_SECONDS = 0.2
DENSE_SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
DTYPES = (("float32", torch.float32), ("float64", torch.float64))
IMPLS = (
    ("foreach=False", dict(foreach=False)),
    ("foreach=True", dict(foreach=True)),
    ("fused=True", dict(fused=True)),
)
SPARSE_ROWS, SPARSE_COLS, SPARSE_TOUCHED = 100_000, 128, 1000


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name"):
                return line.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return "Model name: " + (platform.processor() or "unknown")


def time_steps(opt, param, grads):
    """Median seconds per step.  grads are cycled so that every step sees a
    (possibly different) ready-made gradient."""
    k = 0

    def one_step():
        nonlocal k
        param.grad = grads[k % len(grads)]
        k += 1
        opt.step()

    for _ in range(WARMUP_STEPS):
        one_step()
    # Calibrate how many steps fill one repetition.
    t0 = time.perf_counter()
    one_step()
    once = max(time.perf_counter() - t0, 1e-7)
    per_rep = max(1, int(MIN_REP_SECONDS / once))
    samples = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        for _ in range(per_rep):
            one_step()
        samples.append((time.perf_counter() - t0) / per_rep)
    return statistics.median(samples)


def bench_dense(n, dt, kwargs):
    gen = torch.Generator().manual_seed(n)
    param = torch.randn(n, dtype=dt, generator=gen).requires_grad_(True)
    # Small gradients keep the parameters well-behaved over many steps.
    grads = [torch.randn(n, dtype=dt, generator=gen) * 1e-3 for _ in range(2)]
    opt = torch.optim.Adagrad([param], lr=0.01, **kwargs)
    return time_steps(opt, param, grads)


def bench_sparse(dt):
    gen = torch.Generator().manual_seed(7)
    param = torch.randn(SPARSE_ROWS, SPARSE_COLS, dtype=dt, generator=gen).requires_grad_(True)
    grads = []
    for _ in range(8):
        rows = torch.randperm(SPARSE_ROWS, generator=gen)[:SPARSE_TOUCHED]
        vals = torch.randn(SPARSE_TOUCHED, SPARSE_COLS, dtype=dt, generator=gen) * 1e-3
        g = torch.sparse_coo_tensor(rows.unsqueeze(0), vals, (SPARSE_ROWS, SPARSE_COLS))
        # Distinct rows, so coalesce() inside the step has nothing to merge
        # (it still sorts); this mirrors an embedding lookup's gradient.
        grads.append(g)
    opt = torch.optim.Adagrad([param], lr=0.01, foreach=False)
    return time_steps(opt, param, grads)


def main():
    torch.set_num_threads(1)
    print("torch Adagrad on the CPU, single-threaded (torch.set_num_threads(1))")
    print("torch %s, cpu capability %s, python %s" % (
        torch.__version__, torch.backends.cpu.get_cpu_capability(), platform.python_version()))
    print(cpu_model())
    print("median of %d repetitions (each >= %.1fs of steps) after %d warm-up steps" % (
        REPS, MIN_REP_SECONDS, WARMUP_STEPS))
    print()
    print("dense: ns per parameter element per step")
    header = "%-9s %-14s" % ("dtype", "impl") + "".join("%12s" % ("N=1e%d" % len(str(n)[1:]))
                                                         for n in DENSE_SIZES)
    print(header)
    print("-" * len(header))
    for dname, dt in DTYPES:
        for iname, kwargs in IMPLS:
            cells = []
            for n in DENSE_SIZES:
                try:
                    sec = bench_dense(n, dt, kwargs)
                    cells.append("%12.3f" % (sec / n * 1e9))
                except (RuntimeError, ValueError) as e:   # e.g. fused not on CPU
                    cells.append("%12s" % "unsupported")
                    note = str(e).splitlines()[0]
            print("%-9s %-14s%s" % (dname, iname, "".join(cells)))
            if "unsupported" in "".join(cells):
                print("    (%s: %s)" % (iname, note))
    print()
    print("sparse: %dx%d embedding table, %d distinct rows (%.0f%%) touched per step, foreach=False"
          % (SPARSE_ROWS, SPARSE_COLS, SPARSE_TOUCHED, 100.0 * SPARSE_TOUCHED / SPARSE_ROWS))
    print("%-9s %14s %24s" % ("dtype", "us per step", "ns per touched element"))
    for dname, dt in DTYPES:
        sec = bench_sparse(dt)
        print("%-9s %14.1f %24.3f" % (dname, sec * 1e6, sec / (SPARSE_TOUCHED * SPARSE_COLS) * 1e9))
    print()
    print("(foreach=True falls back to the single-tensor path for sparse gradients;"
          " fused=True does not accept them.)")


if __name__ == "__main__":
    main()
