#!/usr/bin/env bash
# Requests/s and latency of iamd's HTTP server (trivial 200 handler) against
# nginx answering a static 200, both on loopback under the same wrk load.
# (bench/http/getuser_vs_nginx.sh does the same with the real `iamd serve`
# answering signed GetUser calls.)
#
#   bench/http/http_vs_nginx.sh [path/to/http_bench]
#   DURATION=10s CONNS=32 WRK_THREADS=2 SERVER_THREADS=2 ROUNDS=1 bench/http/http_vs_nginx.sh
#
# With ROUNDS>1 the two servers are measured alternately and each row is
# the round with the median requests/s (on a busy machine, alternating keeps
# the background load from favouring one side).
# nginx runs from a config in a temp dir as a non-daemon child with as many
# workers as iamd has threads, and is stopped afterwards.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-1}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

BENCH=${1:-$(find_binary http_bench "$ROOT"/build-http/bench/http/http_bench "$ROOT"/build/bench/http/http_bench)}
[[ -x "$BENCH" ]] || { echo "http_bench not found; build it (ninja http_bench) or pass its path" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }

TMP=$(mktemp -d)
PIDS=()
trap bench_cleanup EXIT

start_nginx "$SERVER_THREADS"
IAMD_PORT=$(free_port)
"$BENCH" --listen "127.0.0.1:$IAMD_PORT" --threads "$SERVER_THREADS" > "$TMP/iamd.out" &
IAMD_PID=$!
PIDS+=("$IAMD_PID")
wait_up "$IAMD_PORT"

echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (keep-alive), servers with $SERVER_THREADS threads/workers, $(nproc) cores"
# Short warm-up for both, then the measured runs.
wrk -t1 -c4 -d1s "http://127.0.0.1:$NGINX_PORT/" > /dev/null
wrk -t1 -c4 -d1s "http://127.0.0.1:$IAMD_PORT/" > /dev/null
NGINX_WORKERS=$(nginx_workers)
for _ in $(seq "$ROUNDS"); do
  # shellcheck disable=SC2086
  measure "http://127.0.0.1:$NGINX_PORT/" nginx "" $NGINX_WORKERS >> "$TMP/nginx.rounds"
  measure "http://127.0.0.1:$IAMD_PORT/" iamd "" "$IAMD_PID" >> "$TMP/iamd.rounds"
done
report nginx iamd

# Graceful stop: iamd must exit 0 on SIGTERM.
stop_servers
