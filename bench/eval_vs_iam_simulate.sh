#!/usr/bin/env bash
# Speed of `iamd eval` against @cloud-copilot/iam-simulate on the same case file.
#
#   bench/eval_vs_iam_simulate.sh BUILD_DIR [--count N] [--seed N] [--runs N]
#
# Generates one case file (default 20000 cases, seed 7) with
# tests/differential/generate_cases.mjs, then times, each in one process over
# the whole file:
#   BUILD_DIR/src/cli/iamd eval < cases > /dev/null
#   node tests/differential/simulate.mjs < cases > /dev/null
# with hyperfine when installed, else the best of N runs timed by python3.
# Prints cases/s for each and the ratio (issue 2 asks for >= 100x), by wall
# time and by CPU time (user + system, all threads): on a machine shared
# with other work the CPU figure moves much less than the wall one, so the
# load average is printed too.
# iam-simulate is installed into BUILD_DIR/differential/node_modules (see
# tests/differential/run_differential.sh) if absent.
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR [--count N] [--seed N] [--runs N]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
BUILD_DIR=$(cd "$1" && pwd) || usage
shift
COUNT=20000
SEED=7
RUNS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIFF="$ROOT/tests/differential"
WORK="$BUILD_DIR/differential"
IAMD="$BUILD_DIR/src/cli/iamd"
NODE=${NODE:-node}
mkdir -p "$WORK"

if [[ ! -f "$WORK/node_modules/@cloud-copilot/iam-simulate/package.json" ]]; then
  cp "$DIFF/package.json" "$DIFF/package-lock.json" "$WORK/"
  (cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error)
fi
[[ -x "$IAMD" ]] || { echo "$IAMD not found; build it first (ninja -C $BUILD_DIR iamd)" >&2; exit 1; }

CASES="$WORK/bench-seed$SEED-count$COUNT.jsonl"
[[ -s "$CASES" ]] || "$NODE" "$DIFF/generate_cases.mjs" --seed "$SEED" --count "$COUNT" >"$CASES"
BYTES=$(wc -c <"$CASES")
SIM_VERSION=$("$NODE" -e 'console.log(require(process.argv[1]).version)' "$WORK/node_modules/@cloud-copilot/iam-simulate/package.json")
echo "workload: $COUNT generated cases (seed $SEED, $((BYTES / 1024)) KiB), one process per run, output to /dev/null"
echo "iamd: $IAMD   iam-simulate: $SIM_VERSION (node $("$NODE" --version))"

# Sanity: both must answer every case.
n_iamd=$("$IAMD" eval <"$CASES" | grep -c '"decision":"' || true)
n_sim=$("$NODE" "$DIFF/simulate.mjs" --node-modules "$WORK/node_modules" <"$CASES" | grep -c '"decision":"' || true)
echo "decisions answered: iamd $n_iamd/$COUNT, iam-simulate $n_sim/$COUNT"

IAMD_CMD="$IAMD eval < $CASES > /dev/null"
SIM_CMD="$NODE $DIFF/simulate.mjs --node-modules $WORK/node_modules < $CASES > /dev/null"

seconds_best_of() {  # "WALL CPU": the least wall and the least CPU time (user + system) of $RUNS runs
  # Timed by python3 to the microsecond: /usr/bin/time's 10 ms steps are a
  # tenth of iamd's whole run.
  python3 - "$RUNS" "$1" <<'PY'
import os, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2]
walls, cpus = [], []
for _ in range(runs):
    start = time.perf_counter()
    pid = os.spawnvp(os.P_NOWAIT, "bash", ["bash", "-c", cmd])
    _, status, usage = os.wait4(pid, 0)
    walls.append(time.perf_counter() - start)
    cpus.append(usage.ru_utime + usage.ru_stime)
    if status != 0:
        sys.exit(f"command failed ({status}): {cmd}")
print(f"{min(walls):.4f} {min(cpus):.4f}")
PY
}

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs "$RUNS" --export-json "$WORK/bench.json" -n "iamd eval" "$IAMD_CMD" -n "iam-simulate" "$SIM_CMD"
  read -r T_IAMD C_IAMD < <("$NODE" -e 'const r=require(process.argv[1]).results;console.log(r[0].min, r[0].user+r[0].system)' "$WORK/bench.json")
  read -r T_SIM C_SIM < <("$NODE" -e 'const r=require(process.argv[1]).results;console.log(r[1].min, r[1].user+r[1].system)' "$WORK/bench.json")
else
  bash -c "$IAMD_CMD"  # warm the page cache
  read -r T_IAMD C_IAMD < <(seconds_best_of "$IAMD_CMD")
  read -r T_SIM C_SIM < <(seconds_best_of "$SIM_CMD")
fi

awk -v n="$COUNT" -v a="$T_IAMD" -v b="$T_SIM" -v ca="$C_IAMD" -v cb="$C_SIM" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "iamd eval:    %8.3f s wall %12.0f cases/s   %8.3f s CPU %12.0f cases per CPU-second\n", a, n / a, ca, n / ca
  printf "iam-simulate: %8.3f s wall %12.0f cases/s   %8.3f s CPU %12.0f cases per CPU-second\n", b, n / b, cb, n / cb
  printf "ratio: iamd eval is %.1fx faster by wall time, %.1fx by CPU time (target >= 100x); load average %s\n", b / a, cb / ca, load
}'
