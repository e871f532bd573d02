#!/usr/bin/env bash
# Signed calls made with temporary credentials (a role session from
# AssumeRole: ASIA key + X-Amz-Security-Token) against the same call made
# with a long-term access key, on one server in one run (issue 5's target:
# within 10%). The call is IAM GetUser UserName=bench: the user `bench` is
# allowed it by its own policy, the role session by the role's. wrk replays
# one signed request per round; the two kinds alternate ROUNDS times and each
# row is the round with the median requests/s. The steadier figure on a
# shared machine is the server's CPU time per request.
#
#   bench/http/session_vs_longterm.sh [path/to/iamd]
#   DURATION=10s CONNS=32 WRK_THREADS=2 SERVER_THREADS=2 ROUNDS=3 bench/http/session_vs_longterm.sh
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IAMD=${1:-$(find_binary iamd "$ROOT"/build/src/cli/iamd "$ROOT"/build-load/src/cli/iamd)}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }

TMP=$(mktemp -d)
PIDS=()
trap bench_cleanup EXIT

start_iamd "$IAMD"
"$PY" "$HERE/iamd_client.py" getuser-setup "$ENDPOINT" "$TMP/data" "$TMP/keys.json"
sign() { "$PY" "$HERE/iamd_client.py" getuser-lua "$ENDPOINT" "$TMP/keys.json" "$1" "$TMP/$1.lua"; }

echo "iamd: signed GetUser UserName=bench, long-term key (user) vs temporary credentials (role session)"
echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (keep-alive), iamd with $SERVER_THREADS threads, $(nproc) cores"
for caller in user-named session; do
  sign "$caller"
  wrk -t1 -c4 -d1s -s "$TMP/$caller.lua" "$ENDPOINT/" > /dev/null
done
for _ in $(seq "$ROUNDS"); do
  sign user-named
  measure "$ENDPOINT/" longterm "$TMP/user-named.lua" "$IAMD_PID" >> "$TMP/longterm.rounds"
  sign session
  measure "$ENDPOINT/" session "$TMP/session.lua" "$IAMD_PID" >> "$TMP/session.rounds"
done
echo "rounds (requests/s): long-term $(cut -d' ' -f1 "$TMP/longterm.rounds" | xargs), session $(cut -d' ' -f1 "$TMP/session.rounds" | xargs)"
echo "rounds (CPU us/req): long-term $(cut -d' ' -f4 "$TMP/longterm.rounds" | xargs), session $(cut -d' ' -f4 "$TMP/session.rounds" | xargs)"
read -r l_rps l_p50 l_p99 l_cpu < <(median_row "$TMP/longterm.rounds")
read -r s_rps s_p50 s_p99 s_cpu < <(median_row "$TMP/session.rounds")
printf "%-22s %12s %10s %10s %14s\n" credentials "requests/s" "p50 ms" "p99 ms" "CPU us/req"
printf "%-22s %12.0f %10.3f %10.3f %14.1f\n" "long-term (AKIA)" "$l_rps" "$l_p50" "$l_p99" "$l_cpu"
printf "%-22s %12.0f %10.3f %10.3f %14.1f\n" "temporary (ASIA+token)" "$s_rps" "$s_p50" "$s_p99" "$s_cpu"
awk -v l="$l_rps" -v s="$s_rps" -v lc="$l_cpu" -v sc="$s_cpu" 'BEGIN {
  printf "session/long-term requests/s: %.3f   CPU per request, session/long-term: %.3f (target: at most 1.10)\n", s / l, sc / lc }'
echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_servers
