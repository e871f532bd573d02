#!/usr/bin/env bash
# Differential test of the policy engine: iamd eval vs @cloud-copilot/iam-simulate.
#
#   tests/differential/run_differential.sh BUILD_DIR [--seed N] [--count N]
#
# 1. installs the pinned iam-simulate (package.json + package-lock.json here)
#    into BUILD_DIR/differential/node_modules if it is absent (AGPL: installed
#    at test time, never vendored);
# 2. generates COUNT cases with SEED (generate_cases.mjs);
# 3. answers them with BUILD_DIR/src/cli/iamd eval and with simulate.mjs;
# 4. compares line by line: any disagreement not excused by
#    known_differences.mjs fails the test; so does any pinned case
#    (disagreements/*.json, known differences' minimal cases) that iamd
#    answers differently from its "expect".
#
# Without registry access npm cannot install: the run fails, unless
# IAMD_ALLOW_OFFLINE=1, in which case it prints SKIPPED and exits 0.
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR [--seed N] [--count N]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
BUILD_DIR=$(cd "$1" && pwd) || usage
shift
SEED=1
COUNT=3000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed) SEED=${2:?}; shift 2 ;;
    --count) COUNT=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK="$BUILD_DIR/differential"
IAMD="$BUILD_DIR/src/cli/iamd"
NODE=${NODE:-node}
mkdir -p "$WORK"

# ---- 1. iam-simulate, pinned by package-lock.json
want_version=$("$NODE" -e 'const l=require(process.argv[1]);console.log(l.packages["node_modules/@cloud-copilot/iam-simulate"].version)' "$HERE/package-lock.json")
have_version=""
if [[ -f "$WORK/node_modules/@cloud-copilot/iam-simulate/package.json" ]]; then
  have_version=$("$NODE" -e 'console.log(require(process.argv[1]).version)' "$WORK/node_modules/@cloud-copilot/iam-simulate/package.json")
fi
if [[ "$have_version" != "$want_version" ]] || ! cmp -s "$HERE/package-lock.json" "$WORK/package-lock.json"; then
  echo "installing @cloud-copilot/iam-simulate@$want_version into $WORK/node_modules"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$WORK/"
  if ! (cd "$WORK" && timeout 300 npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 >"$WORK/npm.log" 2>&1); then
    echo "npm could not install @cloud-copilot/iam-simulate (registry unreachable?); see $WORK/npm.log:" >&2
    tail -n 5 "$WORK/npm.log" >&2 || true
    rm -f "$WORK/package-lock.json"  # retry the install next time
    if [[ "${IAMD_ALLOW_OFFLINE:-}" == "1" ]]; then
      echo "SKIPPED: policy differential test (no npm registry; IAMD_ALLOW_OFFLINE=1)"
      exit 0
    fi
    echo "FAILED: cannot run the differential test without iam-simulate (set IAMD_ALLOW_OFFLINE=1 to skip)" >&2
    exit 1
  fi
fi

# ---- 2. iamd
if [[ ! -x "$IAMD" ]]; then
  echo "FAILED: $IAMD not found; build it first (ninja -C $BUILD_DIR iamd)" >&2
  exit 1
fi

# ---- 3. cases and answers
CASES="$WORK/cases-seed$SEED-count$COUNT.jsonl"
"$NODE" "$HERE/generate_cases.mjs" --seed "$SEED" --count "$COUNT" >"$CASES"
"$NODE" "$HERE/compare.mjs" --emit-pinned "$WORK/pinned.jsonl" --pinned-dir "$HERE/disagreements"

t0=$(date +%s.%N)
"$IAMD" eval <"$CASES" >"$WORK/iamd.jsonl"
t1=$(date +%s.%N)
"$NODE" "$HERE/simulate.mjs" --node-modules "$WORK/node_modules" <"$CASES" >"$WORK/iam-simulate.jsonl"
t2=$(date +%s.%N)
"$IAMD" eval <"$WORK/pinned.jsonl" >"$WORK/pinned-iamd.jsonl"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "time: iamd eval %.2f s, iam-simulate %.2f s\n", b - a, c - b }'

# ---- 4. compare
echo "differential: seed=$SEED count=$COUNT iam-simulate=$want_version"
if "$NODE" "$HERE/compare.mjs" --cases "$CASES" --iamd "$WORK/iamd.jsonl" --sim "$WORK/iam-simulate.jsonl" \
     --pinned "$WORK/pinned.jsonl" --pinned-iamd "$WORK/pinned-iamd.jsonl" --out "$WORK"; then
  echo "PASSED: policy differential test"
else
  echo "FAILED: policy differential test (reproduce: $0 $BUILD_DIR --seed $SEED --count $COUNT)" >&2
  exit 1
fi
