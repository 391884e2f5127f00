#!/usr/bin/env bash
# Regenerates adagradlab's torch golden vectors (and runs the torch benchmark)
# with a pinned torch in a throwaway virtualenv outside the repository.
#
#   tools/goldens/run.sh            write pkg/adagrad/testdata/torch_adagrad.json
#   tools/goldens/run.sh check      replay the goldens with the pure-Python
#                                   arithmetic models (tools/goldens/arith_check.py)
#   tools/goldens/run.sh bench      time torch's CPU Adagrad; the table goes to
#                                   stdout (save it as bench/torch_results.txt)
#
# Environment:
#   TORCH_VERSION        torch to install (default 2.15.0, the version that
#                        made the committed goldens)
#   GOLDENS_VENV         the virtualenv (default ${TMPDIR:-/tmp}/adagradlab-goldens-venv);
#                        reused when it already has the right torch
#   GOLDENS_PYTHON       use this interpreter instead (one that already has
#                        torch); no virtualenv is made
#
# CI never runs this: the Go tests read the committed JSON.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode="${1:-gen}"

TORCH_VERSION="${TORCH_VERSION:-2.15.0}"
GOLDENS_VENV="${GOLDENS_VENV:-${TMPDIR:-/tmp}/adagradlab-goldens-venv}"

case "$mode" in
  gen|check|bench) ;;
  -h|--help|help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "usage: $0 [gen|check|bench]" >&2; exit 2 ;;
esac

if [[ -n "${GOLDENS_PYTHON:-}" ]]; then
  py="$GOLDENS_PYTHON"
else
  py="$GOLDENS_VENV/bin/python"
  have="$("$py" -c 'import importlib.metadata as m; print(m.version("torch"))' 2>/dev/null || true)"
  if [[ "$have" != "$TORCH_VERSION" ]]; then
    echo "run.sh: installing torch==$TORCH_VERSION into $GOLDENS_VENV (one-off, several GB with its CUDA wheels)" >&2
    python3 -m venv "$GOLDENS_VENV"
    "$py" -m pip install --quiet --upgrade pip >&2
    # The PyPI torch wheel for Linux depends on the nvidia-* CUDA wheels;
    # `import torch` fails without them even on a CPU-only machine, so the
    # full dependency set is installed.  numpy is not needed.
    "$py" -m pip install --quiet "torch==$TORCH_VERSION" >&2
  fi
fi

# torch warns on import when numpy is absent; nothing here uses numpy.
export PYTHONWARNINGS="ignore::UserWarning"
# One thread everywhere, so the numbers do not depend on the core count.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

case "$mode" in
  gen)   exec "$py" "$here/torch_goldens.py" --out "$root/pkg/adagrad/testdata/torch_adagrad.json" ;;
  check) exec "$py" "$here/arith_check.py" "$root/pkg/adagrad/testdata/torch_adagrad.json" ;;
  bench) exec "$py" "$here/bench_torch.py" ;;
esac
