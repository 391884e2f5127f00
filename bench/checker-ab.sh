#!/usr/bin/env bash
# checker-ab.sh compares adagradlab builds at grading one folder of
# submissions: each build in turn, ROUNDS times, so that a busy machine
# slows them alike. It prints the wall time, the submissions per second and
# the CPU time (grading process and workers, user and system) per
# submission. BENCHMARKS.md records its output.
#
#   go run ./bench/checkerbench -gen /tmp/cb -n 300       # the synthetic submissions
#   bench/checker-ab.sh /tmp/cb/honest 3 OLD/bin/adagradlab bin/adagradlab
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 DIR ROUNDS ADAGRADLAB..." >&2
  exit 2
fi
dir=$1 rounds=$2
shift 2
n=$(find "$dir" -maxdepth 1 -type f | wc -l)
err=$(mktemp)
trap 'rm -f "$err"' EXIT
echo "$n submissions in $dir, seed 42, --jobs 2; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for bin in "$@"; do
    /usr/bin/time -f '%e %U %S' "$bin" check --quiet --jobs 2 --seed 42 "$dir" >/dev/null 2>"$err"
    read -r wall user sys < <(tail -n 1 "$err")
    awk -v b="$bin" -v w="$wall" -v u="$user" -v s="$sys" -v n="$n" \
      'BEGIN { printf "%-40s %6.2f s  %5.1f /s  %5.1f ms CPU per submission\n", b, w, n / w, (u + s) * 1000 / n }'
  done
done
