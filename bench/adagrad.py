#!/usr/bin/env python3
"""Times pkg/adagrad next to a plain memory copy, and optionally next to
torch's CPU Adagrad, in one run; prints the Markdown tables BENCHMARKS.md
quotes.

  python3 bench/adagrad.py            Go benchmarks only (make bench)
  python3 bench/adagrad.py --torch    also torch, through tools/goldens/run.sh
                                      bench (installs torch once; make bench-torch)

Each Go figure is the median of --count runs of `go test -bench`. ns/param
is time per step divided by the parameters updated; GB/s counts the bytes a
step must move: 5 values per parameter for Adagrad (read θ, g, G; write θ,
G), 2 for the copy (read, write).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"^Benchmark(\w+)/(float\d+)/(n|rows)=(\S+?)-\d+\s+\d+\s+(\d+(?:\.\d+)?) ns/op\s+(\d+(?:\.\d+)?) MB/s\s+(\d+(?:\.\d+)?) ns/param")


def run_go(count):
    cmd = ["go", "test", "-run", "^$", "-bench", "Dense|Copy|Sparse", "-count", str(count), "./pkg/adagrad"]
    print("$ " + " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("bench/adagrad.py: go test failed:\n" + out.stdout + out.stderr)
    samples = {}
    for line in out.stdout.splitlines():
        m = LINE.match(line)
        if m:
            kind, dtype, _, size, ns_op, mbs, ns_param = m.groups()
            key = (kind, dtype, float(size))
            samples.setdefault(key, []).append((float(ns_op), float(mbs), float(ns_param)))
    if not samples:
        sys.exit("bench/adagrad.py: no benchmark lines in go test's output")
    return {k: tuple(statistics.median(s[i] for s in v) for i in range(3)) for k, v in samples.items()}


def run_torch():
    cmd = [os.path.join(ROOT, "tools", "goldens", "run.sh"), "bench"]
    print("$ " + " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        print("bench/adagrad.py: the torch benchmark failed; skipping it:\n" + out.stderr[-2000:], file=sys.stderr)
        return None, ""
    dense = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[0] in ("float32", "float64") and "=" in parts[1]:
            for size, v in zip((1e3, 1e4, 1e5, 1e6, 1e7), parts[2:]):
                dense[(parts[0], parts[1], size)] = float(v)
    return dense, out.stdout


def fmt_size(n):
    return "10^%d" % round(__import__("math").log10(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=5, help="go test -count (default 5)")
    ap.add_argument("--torch", action="store_true", help="also time torch's CPU Adagrad")
    args = ap.parse_args()

    cpu = subprocess.run(["sh", "-c", "lscpu | grep 'Model name' | sed 's/  */ /g'"], capture_output=True, text=True).stdout.strip()
    gover = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    go = run_go(args.count)
    torch, torch_raw = run_torch() if args.torch else (None, "")

    print(f"Machine: {cpu}, {os.cpu_count()} cores; {gover}; one goroutine; median of {args.count} runs.\n")
    print("### Dense step\n")
    head = "| dtype | n | Adagrad ns/param | Adagrad GB/s | copy GB/s | Adagrad / copy |"
    sep = "|---|---:|---:|---:|---:|---:|"
    if torch:
        head += " torch single-tensor ns/param | torch fused ns/param | fused / ours |"
        sep += "---:|---:|---:|"
    print(head)
    print(sep)
    for dtype in ("float32", "float64"):
        for n in (1e3, 1e4, 1e5, 1e6, 1e7):
            a = go.get(("Dense", dtype, n))
            c = go.get(("Copy", dtype, n))
            if not a or not c:
                continue
            row = f"| {dtype} | {fmt_size(n)} | {a[2]:.3f} | {a[1]/1000:.1f} | {c[1]/1000:.1f} | {a[1]/c[1]:.0%} |"
            if torch:
                single = torch.get((dtype, "foreach=False", n))
                fused = torch.get((dtype, "fused=True", n))
                row += f" {single:.3f} | {fused:.3f} | {fused/a[2]:.2f}x |" if single and fused else " | | |"
            print(row)
    print("\n### Sparse step: 1,000 rows × 128 touched per step\n")
    print("| dtype | table rows | µs per step | ns per touched value |")
    print("|---|---:|---:|---:|")
    for dtype in ("float32", "float64"):
        for rows in (1e4, 1e5, 1e6):
            s = go.get(("Sparse", dtype, rows))
            if s:
                print(f"| {dtype} | {fmt_size(rows)} | {s[0]/1000:.1f} | {s[2]:.2f} |")
    if torch_raw:
        print("\n### torch, same run\n\n```\n" + torch_raw.strip() + "\n```")


if __name__ == "__main__":
    main()
