#!/usr/bin/env python3
"""Golden vectors for adagradlab's Go Adagrad, produced by the real torch.optim.Adagrad.

What it does
  For every case in CASES it draws a parameter matrix and a sequence of
  gradients from a seeded RNG, feeds them to torch.optim.Adagrad (the
  single-tensor implementation, foreach=False) on the CPU, and records the
  parameter and the optimizer's "sum" state at a few checkpoint steps.  The
  result is written as one JSON file that the Go tests read; CI never needs
  torch.

  Inputs (theta0, every gradient) are rounded to 6 significant digits before
  torch sees them, so the JSON stays small and the Go side reads exactly the
  numbers torch used.  Outputs are exact: float64 values are written with
  Python's repr (which round-trips), float32 values are the exact float32
  converted to float64.

Usage
  python3 torch_goldens.py [--out PATH] [--check-only]
  (normally launched by tools/goldens/run.sh, which provides a pinned torch)

Only the standard library and torch are used.  Running it twice on the same
machine with the same torch build gives byte-identical output.
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import time
import zlib

SCHEMA_STEPS_MIN = 200
# Checkpoints are taken after these steps and after the last one.
CHECKPOINT_STEPS = (1, 2, 10, 50, 100)

# ---------------------------------------------------------------------------
# The cases.  Each base case is generated twice, once per dtype; the name gets
# the dtype spliced in ("dense-f64-lr_decay", "dense-f32-lr_decay").
#
# kind     "dense" or "sparse" (sparse: gradients are torch.sparse_coo_tensor
#          rows of the parameter matrix, as an embedding layer would produce)
# scale    magnitude of the gradients (uniform in [-scale, scale]), so the
#          cases together span 1e-3 .. 10
# dups     sparse only: some steps repeat a row index (torch coalesces the
#          duplicates by summing them before the update)
# ---------------------------------------------------------------------------
BASE_CASES = [
    # torch's defaults: lr 0.01, eps 1e-10, nothing else switched on.
    dict(tag="defaults", kind="dense", scale=1.0,
         lr=0.01, lr_decay=0.0, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.0, maximize=False),
    # lr shrinks as lr / (1 + (t-1) * lr_decay).
    dict(tag="lr_decay", kind="dense", scale=0.1,
         lr=0.05, lr_decay=0.01, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.0, maximize=False),
    # L2 penalty folded into the gradient: g + weight_decay * theta.
    dict(tag="weight_decay", kind="dense", scale=0.01,
         lr=0.05, lr_decay=0.0, weight_decay=0.1, eps=1e-10,
         initial_accumulator_value=0.0, maximize=False),
    # eps large enough to matter next to sqrt(sum) for small gradients.
    dict(tag="eps_large", kind="dense", scale=0.001,
         lr=0.01, lr_decay=0.0, weight_decay=0.0, eps=1e-3,
         initial_accumulator_value=0.0, maximize=False),
    # eps exactly 0: the update is g / sqrt(sum) with nothing added.
    dict(tag="eps_zero", kind="dense", scale=3.0,
         lr=0.01, lr_decay=0.0, weight_decay=0.0, eps=0.0,
         initial_accumulator_value=0.0, maximize=False),
    # the accumulator starts at 0.1 instead of 0.
    dict(tag="init_acc", kind="dense", scale=0.3,
         lr=0.02, lr_decay=0.0, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.1, maximize=False),
    # gradient ascent: the gradient is negated first.
    dict(tag="maximize", kind="dense", scale=10.0,
         lr=0.01, lr_decay=0.0, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.0, maximize=True),
    # everything at once.
    dict(tag="combo", kind="dense", scale=2.0,
         lr=0.1, lr_decay=0.005, weight_decay=0.05, eps=1e-6,
         initial_accumulator_value=0.5, maximize=True),
    # sparse rows, torch's defaults otherwise.
    dict(tag="sparse", kind="sparse", scale=1.0, dups=False,
         lr=0.01, lr_decay=0.0, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.0, maximize=False),
    # sparse rows with lr_decay, a starting accumulator, maximize, and
    # duplicate row indices in some steps.  (weight_decay stays 0: torch
    # refuses weight_decay with sparse gradients.)
    dict(tag="sparse_combo", kind="sparse", scale=0.05, dups=True,
         lr=0.05, lr_decay=0.01, weight_decay=0.0, eps=1e-10,
         initial_accumulator_value=0.2, maximize=True),
]

DTYPES = ("float64", "float32")
STEPS = 200


def case_name(base, dtype):
    short = {"float64": "f64", "float32": "f32"}[dtype]
    if base["kind"] == "sparse":
        # "sparse_combo" -> "sparse-f32-combo", "sparse" -> "sparse-f32-plain"
        rest = base["tag"][len("sparse"):].lstrip("_") or "plain"
        return "sparse-%s-%s" % (short, rest)
    return "dense-%s-%s" % (short, base["tag"])


# ---------------------------------------------------------------------------
# Input generation (pure Python, no torch)
# ---------------------------------------------------------------------------

def round6(x):
    """Round to 6 significant digits; the JSON then carries at most ~12 chars."""
    return float("%.6g" % x)


def float32_rounding_is_ambiguous(x):
    """True if x (a float64) lies exactly halfway between two float32 values.

    Torch and the Go test both turn the JSON number into a float64 first and
    then into float32.  A parser that goes straight from the decimal text to
    float32 could round such a value the other way (double rounding), so we
    never emit one.  Halfway means: the 29 float64 mantissa bits that float32
    drops are exactly 1000...0.
    """
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    return (bits & ((1 << 29) - 1)) == (1 << 28)


def draw(rng, scale, dtype):
    """A uniform number in [-scale, scale], rounded to 6 significant digits."""
    while True:
        v = round6(rng.uniform(-scale, scale))
        if v == 0.0:          # exact zeros are placed on purpose, not by chance
            continue
        if dtype == "float32" and float32_rounding_is_ambiguous(v):
            continue
        return v


def make_inputs(base, dtype):
    """Shape, theta0 and the gradient steps for one case, from a seeded RNG.

    The seed depends only on the case name, so every case is reproducible on
    its own and adding a case does not change the others.
    """
    name = case_name(base, dtype)
    rng = random.Random(zlib.crc32(name.encode()))
    sparse = base["kind"] == "sparse"
    if sparse:
        # at least 2 columns, so a row/column mix-up cannot go unnoticed
        rows, cols = rng.randint(20, 40), rng.randint(2, 9)
    else:
        rows, cols = rng.randint(1, 12), rng.randint(1, 9)
    n = rows * cols
    theta0 = [draw(rng, 1.0, dtype) for _ in range(n)]
    scale = base["scale"]

    # With eps == 0, a zero gradient on an element whose accumulator is still
    # zero would give 0/0 = NaN.  We only zero a gradient where the element's
    # accumulator is already positive (it has seen a nonzero gradient, or the
    # accumulator started above zero).
    acc_positive = [base["initial_accumulator_value"] > 0] * n

    steps = []
    for t in range(1, STEPS + 1):
        if not sparse:
            # Step 37 is an all-zero gradient (only allowed once every
            # accumulator is positive); otherwise ~8% of entries are zero.
            all_zero = (t == 37) and all(acc_positive)
            grad = []
            for i in range(n):
                zero = all_zero or (acc_positive[i] and rng.random() < 0.08)
                grad.append(0.0 if zero else draw(rng, scale, dtype))
                if not zero:
                    acc_positive[i] = True
            steps.append({"grad": grad})
        else:
            # Touch 10-30% of the rows, in random (unsorted) order.
            lo, hi = math.ceil(0.1 * rows), math.floor(0.3 * rows)
            touched = rng.sample(range(rows), rng.randint(lo, hi))
            if base.get("dups") and t % 7 == 3:
                # Repeat one or two rows (each at most twice, so the order in
                # which torch's coalesce() adds them cannot matter).
                touched += rng.sample(touched, min(len(touched), rng.randint(1, 2)))
                rng.shuffle(touched)
            grad = []
            for _ in touched:
                for _ in range(cols):
                    zero = rng.random() < 0.05
                    grad.append(0.0 if zero else draw(rng, scale, dtype))
            steps.append({"rows": touched, "grad": grad})  # key order as written

    case = {
        "name": name,
        "dtype": dtype,
        "rows": rows,
        "cols": cols,
        "sparse": sparse,
        "lr": float(base["lr"]),
        "lr_decay": float(base["lr_decay"]),
        "weight_decay": float(base["weight_decay"]),
        "eps": float(base["eps"]),
        "initial_accumulator_value": float(base["initial_accumulator_value"]),
        "maximize": bool(base["maximize"]),
        "theta0": theta0,
        "steps": steps,
    }
    return case


# ---------------------------------------------------------------------------
# Running torch
# ---------------------------------------------------------------------------

def run_torch(case):
    """Replay the case through torch.optim.Adagrad; returns the checkpoints."""
    import torch

    dt = {"float64": torch.float64, "float32": torch.float32}[case["dtype"]]
    rows, cols = case["rows"], case["cols"]
    param = torch.tensor(case["theta0"], dtype=dt).reshape(rows, cols)
    param.requires_grad_(True)
    opt = torch.optim.Adagrad(
        [param],
        lr=case["lr"],
        lr_decay=case["lr_decay"],
        weight_decay=case["weight_decay"],
        eps=case["eps"],
        initial_accumulator_value=case["initial_accumulator_value"],
        maximize=case["maximize"],
        foreach=False,          # the single-tensor implementation
    )
    nsteps = len(case["steps"])
    wanted = set(CHECKPOINT_STEPS) | {nsteps}
    checkpoints = []
    for t, step in enumerate(case["steps"], start=1):
        values = torch.tensor(step["grad"], dtype=dt)
        if case["sparse"]:
            idx = torch.tensor([step["rows"]], dtype=torch.int64)
            grad = torch.sparse_coo_tensor(
                idx, values.reshape(len(step["rows"]), cols), (rows, cols))
        else:
            grad = values.reshape(rows, cols)
        param.grad = grad
        opt.step()
        if t in wanted:
            theta = param.detach().double().reshape(-1).tolist()
            acc = opt.state[param]["sum"].double().reshape(-1).tolist()
            for v in theta + acc:
                if not math.isfinite(v):
                    raise SystemExit("%s: non-finite value at step %d" % (case["name"], t))
            checkpoints.append({"step": t, "theta": theta, "sum": acc})
    return checkpoints


# ---------------------------------------------------------------------------
# Writing and checking the JSON
# ---------------------------------------------------------------------------

# Key order in the file (dicts keep insertion order; the order is fixed here,
# so the output is deterministic and reads naturally).
TOP_KEYS = ("generator", "torch", "impl", "cases")
CASE_KEYS = ("name", "dtype", "rows", "cols", "sparse", "lr", "lr_decay",
             "weight_decay", "eps", "initial_accumulator_value", "maximize",
             "theta0", "steps", "checkpoints")


def dumps_compact(obj):
    # json.dumps writes floats with repr(), the shortest text that reads back
    # as the same float64.  allow_nan=False makes NaN/Inf an error.
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


def write_json(doc, path):
    """Write the document with one step / one checkpoint per line.

    The layout is fixed (no timestamps, fixed key order), so the bytes depend
    only on the data.
    """
    out = ["{"]
    top = [k for k in TOP_KEYS if k != "cases"]
    for k in top:
        out.append("  %s: %s," % (json.dumps(k), dumps_compact(doc[k])))
    out.append('  "cases": [')
    for ci, case in enumerate(doc["cases"]):
        out.append("    {")
        keys = CASE_KEYS
        for ki, k in enumerate(keys):
            last = ki == len(keys) - 1
            if k in ("steps", "checkpoints"):
                items = case[k]
                out.append("      %s: [" % json.dumps(k))
                for ii, item in enumerate(items):
                    sep = "," if ii < len(items) - 1 else ""
                    out.append("        " + dumps_compact(item) + sep)
                out.append("      ]" + ("" if last else ","))
            else:
                out.append("      %s: %s%s" % (json.dumps(k), dumps_compact(case[k]),
                                               "" if last else ","))
        out.append("    }" + ("," if ci < len(doc["cases"]) - 1 else ""))
    out.append("  ]")
    out.append("}")
    text = "\n".join(out) + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, path)
    return text


def check_schema(doc):
    """Self-check of the file the Go test reads.  Raises AssertionError."""
    def need(cond, msg):
        if not cond:
            raise AssertionError(msg)

    def finite_list(xs, n, what):
        need(isinstance(xs, list) and len(xs) == n, "%s: want %d numbers, have %s" %
             (what, n, len(xs) if isinstance(xs, list) else type(xs).__name__))
        for x in xs:
            need(isinstance(x, (int, float)) and not isinstance(x, bool)
                 and math.isfinite(x), "%s: bad number %r" % (what, x))

    need(set(doc) == {"generator", "torch", "impl", "cases"}, "top-level keys: %s" % sorted(doc))
    need(doc["generator"] == "tools/goldens/run.sh", "generator")
    need(isinstance(doc["torch"], str) and doc["torch"], "torch version")
    need(doc["impl"] == "single-tensor", "impl")
    cases = doc["cases"]
    need(isinstance(cases, list) and cases, "cases")
    keys = {"name", "dtype", "rows", "cols", "sparse", "lr", "lr_decay", "weight_decay",
            "eps", "initial_accumulator_value", "maximize", "theta0", "steps", "checkpoints"}
    names = set()
    for c in cases:
        nm = c.get("name")
        need(set(c) == keys, "%s: keys %s" % (nm, sorted(set(c) ^ keys)))
        need(isinstance(nm, str) and nm not in names, "duplicate or bad name %r" % nm)
        names.add(nm)
        need(c["dtype"] in DTYPES, nm + ": dtype")
        need(isinstance(c["sparse"], bool) and isinstance(c["maximize"], bool), nm + ": bools")
        rows, cols = c["rows"], c["cols"]
        need(isinstance(rows, int) and isinstance(cols, int), nm + ": shape ints")
        if c["sparse"]:
            need(20 <= rows <= 40 and 2 <= cols <= 9, nm + ": sparse shape")
            need(c["weight_decay"] == 0, nm + ": weight_decay with sparse")
        else:
            need(1 <= rows <= 12 and 1 <= cols <= 9, nm + ": dense shape")
        for k in ("lr", "lr_decay", "weight_decay", "eps", "initial_accumulator_value"):
            need(isinstance(c[k], float) and math.isfinite(c[k]) and c[k] >= 0, nm + ": " + k)
        n = rows * cols
        finite_list(c["theta0"], n, nm + " theta0")
        steps = c["steps"]
        need(len(steps) >= SCHEMA_STEPS_MIN, nm + ": too few steps")
        for t, s in enumerate(steps, start=1):
            where = "%s step %d" % (nm, t)
            if c["sparse"]:
                need(set(s) == {"rows", "grad"}, where + ": keys")
                r = s["rows"]
                need(isinstance(r, list) and r, where + ": rows")
                need(all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < rows
                         for i in r), where + ": row index out of range")
                need(len(set(r)) <= 0.3 * rows, where + ": too many rows touched")
                finite_list(s["grad"], len(r) * cols, where + " grad")
            else:
                need(set(s) == {"grad"}, where + ": keys")
                finite_list(s["grad"], n, where + " grad")
        cps = c["checkpoints"]
        want = sorted(set(CHECKPOINT_STEPS) | {len(steps)})
        need([cp["step"] for cp in cps] == want, nm + ": checkpoint steps")
        for cp in cps:
            need(set(cp) == {"step", "theta", "sum"}, nm + ": checkpoint keys")
            finite_list(cp["theta"], n, "%s checkpoint %d theta" % (nm, cp["step"]))
            finite_list(cp["sum"], n, "%s checkpoint %d sum" % (nm, cp["step"]))
            need(all(v >= 0 for v in cp["sum"]), nm + ": negative accumulator")
            if c["dtype"] == "float32":
                for v in cp["theta"] + cp["sum"]:
                    need(struct.unpack("<f", struct.pack("<f", v))[0] == v,
                         nm + ": float32 checkpoint value not exactly a float32")

    # Coverage: every feature in both dtypes.
    def has(dtype, pred):
        return any(c["dtype"] == dtype and pred(c) for c in cases)
    features = {
        "defaults": lambda c: (not c["sparse"] and c["lr"] == 0.01 and c["eps"] == 1e-10
                               and c["lr_decay"] == 0 and c["weight_decay"] == 0
                               and c["initial_accumulator_value"] == 0 and not c["maximize"]),
        "lr_decay": lambda c: c["lr_decay"] > 0,
        "weight_decay": lambda c: c["weight_decay"] > 0,
        "eps_large": lambda c: c["eps"] >= 1e-3,
        "eps_zero": lambda c: c["eps"] == 0,
        "init_acc": lambda c: c["initial_accumulator_value"] > 0,
        "maximize": lambda c: c["maximize"],
        "all_at_once": lambda c: (c["lr_decay"] > 0 and c["weight_decay"] > 0
                                  and c["initial_accumulator_value"] > 0 and c["maximize"]),
        "sparse": lambda c: c["sparse"] and c["lr_decay"] == 0 and not c["maximize"],
        "sparse_all": lambda c: (c["sparse"] and c["lr_decay"] > 0 and c["maximize"]
                                 and c["initial_accumulator_value"] > 0),
        "sparse_dup_rows": lambda c: c["sparse"] and any(
            len(set(s["rows"])) < len(s["rows"]) for s in c["steps"]),
        "zero_grads": lambda c: any(0.0 in s["grad"] for s in c["steps"]),
    }
    for dtype in DTYPES:
        for fname, pred in features.items():
            need(has(dtype, pred), "no %s case covers %s" % (dtype, fname))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(
        here, "..", "..", "pkg", "adagrad", "testdata", "torch_adagrad.json"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=default_out, help="where to write the JSON")
    ap.add_argument("--check-only", action="store_true",
                    help="only run the schema self-check on an existing file")
    args = ap.parse_args()

    if args.check_only:
        with open(args.out, encoding="ascii") as f:
            check_schema(json.load(f))
        print("schema ok:", args.out)
        return

    import torch
    torch.set_num_threads(1)

    start = time.monotonic()
    cases = []
    for base in BASE_CASES:
        for dtype in DTYPES:
            case = make_inputs(base, dtype)
            case["checkpoints"] = run_torch(case)
            cases.append(case)
    doc = {
        "generator": "tools/goldens/run.sh",
        "torch": torch.__version__,
        "impl": "single-tensor",
        "cases": cases,
    }
    check_schema(doc)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    text = write_json(doc, args.out)

    # Read the file back: it must parse, pass the check, and hold exactly the
    # numbers we computed (every float round-trips).
    with open(args.out, encoding="ascii") as f:
        back = json.load(f)
    check_schema(back)
    if back != doc:
        raise SystemExit("the JSON does not read back as written")

    took = time.monotonic() - start
    print("wrote %s: %d cases, %d bytes, torch %s, %.1fs" % (
        args.out, len(cases), len(text), torch.__version__, took))
    for c in cases:
        print("  %-24s %-7s %2dx%d  steps=%d" % (
            c["name"], c["dtype"], c["rows"], c["cols"], len(c["steps"])))


if __name__ == "__main__":
    sys.exit(main())
