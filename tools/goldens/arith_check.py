#!/usr/bin/env python3
"""Replays the golden file with pure-Python models of Adagrad's arithmetic.

It answers two questions for whoever ports Adagrad and compares against
pkg/adagrad/testdata/torch_adagrad.json:

1. What exactly does torch compute?  The model "torch-order" below follows
   torch's single-tensor CPU kernels operation by operation, including where
   the compiled kernels fuse a multiply and an add into one FMA (one rounding).
   With torch installed, the model is run once more with torch's own sqrt
   ("torch-sqrt") and must then reproduce every checkpoint bit for bit; that
   proves the description in README.md.

2. How far does a port that uses a correctly rounded sqrt drift?  torch's CPU
   sqrt (MKL's vector math, high-accuracy mode) is not correctly rounded: it is
   off by one unit in the last place (ulp) for some inputs.  The models
   "torch-order" (FMA where torch fuses, IEEE sqrt) and "plain" (no FMA at
   all, IEEE sqrt) show the resulting distance from the goldens, per case, in
   ulps and as a relative error.  That is the tolerance a Go test needs.

The per-element arithmetic of torch 2.15 (single-tensor path, CPU):

  dense step t (clr = lr / (1 + (t-1)*lr_decay), computed in float64):
    g   = -grad if maximize else grad
    g   = fma(weight_decay, theta, g)          if weight_decay != 0
    sum = fma(g, g, sum)                       (addcmul_, fused)
    std = sqrt(sum) + eps                      (torch's sqrt)
    theta = theta + ((-clr) * g) / std         (addcdiv_: mul, div, add; 3 roundings)

  sparse step (torch coalesces the gradient first: rows sorted, duplicates summed):
    v   = -v if maximize else v
    sum = sum + v*v                            (pow(2), then add: 2 roundings)
    std = sqrt(sum) + eps                      (only touched rows)
    q   = v / std
    theta = fma(-clr, q, theta)                (axpy on the touched rows, fused)

  In float32 cases every operation is a float32 operation, and lr,
  weight_decay, eps and clr are rounded to float32 before use.

  The fused multiply-adds come from torch's AVX2/AVX512 kernels (the AVX2 and
  AVX512 builds give identical goldens).  With ATEN_CPU_CAPABILITY=default
  nothing is fused, and the check below then uses the unfused model.  sqrt is
  MKL's vmsSqrt/vmdSqrt whatever the capability.

Usage: python3 arith_check.py [JSON]   (torch optional; without it the
bit-exact "torch-sqrt" check is skipped)
"""

import json
import math
import os
import struct
import sys
from fractions import Fraction

# ---------------------------------------------------------------------------
# Correctly rounded float32 / float64 arithmetic in pure Python
# ---------------------------------------------------------------------------


def f32(x):
    """Round a float64 to the nearest float32 (returned as a Python float)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _bits32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def _from_bits32(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


def _neighbours32(x):
    b = _bits32(x)
    if x == 0.0:
        tiny = _from_bits32(1)
        return tiny, -tiny
    return _from_bits32(b + 1), _from_bits32(b - 1)


def _round_exact_to_f32(fr):
    """Nearest float32 to the exact rational fr, ties to even."""
    guess = f32(float(fr))
    best = None
    for c in (guess,) + _neighbours32(guess):
        err = abs(Fraction(c) - fr)
        if best is None or err < best[0] or (err == best[0] and _bits32(c) % 2 == 0):
            best = (err, c)
    return best[1]


class F64:
    """float64 arithmetic: Python floats already round correctly."""
    name = "float64"

    @staticmethod
    def r(x):
        return x

    @staticmethod
    def fma(a, b, c):
        # int / int division in Python is correctly rounded.
        return float(Fraction(a) * Fraction(b) + Fraction(c))


class F32:
    """float32 arithmetic.  A float32 result of +, -, *, / or sqrt computed in
    float64 and then rounded to float32 equals the correctly rounded float32
    result (float64 has more than 2*24+2 bits), so plain Python arithmetic
    followed by f32() is exact.  FMA needs the exact rational."""
    name = "float32"
    r = staticmethod(f32)

    @staticmethod
    def fma(a, b, c):
        return _round_exact_to_f32(Fraction(a) * Fraction(b) + Fraction(c))


def div(a, b):
    """IEEE division including the b == 0 cases (Python raises instead)."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def ulps(a, b, dtype):
    """Distance between two floats of dtype, in units in the last place."""
    if dtype == "float32":
        ia, ib = (struct.unpack("<i", struct.pack("<f", v))[0] for v in (a, b))
        flip = 0x7FFFFFFF
    else:
        ia, ib = (struct.unpack("<q", struct.pack("<d", v))[0] for v in (a, b))
        flip = 0x7FFFFFFFFFFFFFFF
    # Map the sign-magnitude bit patterns onto a monotonic integer line.
    ia = ia if ia >= 0 else -(ia & flip)
    ib = ib if ib >= 0 else -(ib & flip)
    return abs(ia - ib)


# ---------------------------------------------------------------------------
# The replay
# ---------------------------------------------------------------------------

def replay(case, fused, sqrt_rows):
    """Run one golden case through a model; returns {step: (theta, sum)}.

    fused:      True  -> FMA exactly where torch's kernels fuse (see docstring)
                False -> every multiply and add rounded separately
    sqrt_rows:  function(list_of_values, nrows, ncols) -> list of square roots
                (lets the caller choose IEEE sqrt or torch's own sqrt)
    """
    A = F32 if case["dtype"] == "float32" else F64
    r = A.r
    rows, cols = case["rows"], case["cols"]
    n = rows * cols
    lr, lr_decay = case["lr"], case["lr_decay"]
    wd = r(case["weight_decay"])
    eps = r(case["eps"])
    maximize = case["maximize"]
    theta = [r(x) for x in case["theta0"]]
    acc = [r(case["initial_accumulator_value"])] * n
    wanted = {cp["step"] for cp in case["checkpoints"]}
    out = {}

    def madd(a, b, c):          # a*b + c, fused or not
        return A.fma(a, b, c) if fused else r(r(a * b) + c)

    for t, step in enumerate(case["steps"], start=1):
        clr = lr / (1 + (t - 1) * lr_decay)   # float64, as in torch's Python code
        mclr = r(-clr)
        grad = [r(x) for x in step["grad"]]
        if not case["sparse"]:
            g = [-x if maximize else x for x in grad]
            if wd != 0:
                g = [madd(wd, theta[i], g[i]) for i in range(n)]
            acc = [madd(g[i], g[i], acc[i]) for i in range(n)]
            root = sqrt_rows(acc, rows, cols)
            theta = [r(theta[i] + r(div(r(mclr * g[i]), r(root[i] + eps))))
                     for i in range(n)]
        else:
            # coalesce(): sum duplicate rows, visit rows in sorted order
            merged = {}
            for k, row in enumerate(step["rows"]):
                vals = grad[k * cols:(k + 1) * cols]
                if row in merged:
                    merged[row] = [r(a + b) for a, b in zip(merged[row], vals)]
                else:
                    merged[row] = vals
            order = sorted(merged)
            for row in order:
                base = row * cols
                for c in range(cols):
                    v = merged[row][c]
                    v = -v if maximize else v
                    acc[base + c] = r(acc[base + c] + r(v * v))
            touched = [acc[row * cols + c] for row in order for c in range(cols)]
            root = sqrt_rows(touched, len(order), cols)
            for k, row in enumerate(order):
                base = row * cols
                for c in range(cols):
                    v = merged[row][c]
                    v = -v if maximize else v
                    q = r(div(v, r(root[k * cols + c] + eps)))
                    theta[base + c] = madd(mclr, q, theta[base + c])
        if t in wanted:
            out[t] = (list(theta), list(acc))
    return out


def ieee_sqrt(dtype):
    r = F32.r if dtype == "float32" else F64.r
    return lambda vals, nr, nc: [r(math.sqrt(v)) for v in vals]


def torch_sqrt(dtype):
    import torch
    dt = torch.float32 if dtype == "float32" else torch.float64
    # Same shape and layout as in the optimizer, so the same kernel path runs.
    return lambda vals, nr, nc: torch.tensor(vals, dtype=dt).reshape(nr, nc).sqrt().reshape(-1).tolist()


def compare(case, model):
    """Max ulp distance, max relative error and max absolute error over all
    checkpoints (theta and sum)."""
    worst_ulp, worst_rel, worst_abs = 0, 0.0, 0.0
    for cp in case["checkpoints"]:
        theta, acc = model[cp["step"]]
        for mine, gold in zip(theta + acc, cp["theta"] + cp["sum"]):
            worst_ulp = max(worst_ulp, ulps(mine, gold, case["dtype"]))
            if gold != mine:
                worst_rel = max(worst_rel, abs(mine - gold) / max(abs(gold), 1e-300))
                worst_abs = max(worst_abs, abs(mine - gold))
    return worst_ulp, worst_rel, worst_abs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(
        here, "..", "..", "pkg", "adagrad", "testdata", "torch_adagrad.json"))
    with open(path, encoding="ascii") as f:
        doc = json.load(f)
    try:
        import torch
        torch.set_num_threads(1)
        have_torch = True
        # torch's baseline kernels (no AVX2) fuse nothing.
        torch_fuses = torch.backends.cpu.get_cpu_capability() != "DEFAULT"
    except ImportError:
        have_torch = False

    print("golden file: %s (torch %s, %s)" % (path, doc["torch"], doc["impl"]))
    print("distance from the goldens at the checkpoints (max over theta and sum):")
    hdr = "%-22s %-8s | %-32s | %-32s | %s" % (
        "case", "dtype", "torch-order, IEEE sqrt", "plain (no FMA), IEEE sqrt", "torch-sqrt")
    print(hdr)
    print("-" * len(hdr))
    failures = 0
    overall = {}
    for case in doc["cases"]:
        cells = []
        for fused in (True, False):
            u, rel, ab = compare(case, replay(case, fused, ieee_sqrt(case["dtype"])))
            key = (case["dtype"], fused)
            ou, orel, oab = overall.get(key, (0, 0.0, 0.0))
            overall[key] = (max(ou, u), max(orel, rel), max(oab, ab))
            cells.append("%4d ulp rel %7.1e abs %7.1e" % (u, rel, ab))
        if have_torch:
            u, _, _ = compare(case, replay(case, torch_fuses, torch_sqrt(case["dtype"])))
            cells.append("bit-exact" if u == 0 else "MISMATCH (%d ulp)" % u)
            failures += u != 0
        else:
            cells.append("skipped (no torch)")
        print("%-22s %-8s | %s | %s | %s" % (case["name"], case["dtype"], *cells))
    print()
    for (dtype, fused), (u, rel, ab) in sorted(overall.items()):
        print("worst %-7s %-16s %4d ulp, relative %.2e, absolute %.2e" % (
            dtype, "torch-order:" if fused else "plain (no FMA):", u, rel, ab))
    if failures:
        print("\nFAIL: the torch-order model with torch's sqrt does not reproduce %d case(s)" % failures)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
