#!/usr/bin/env bash
# Decisions per second of the decision endpoint (POST /iamd/v1/authorize)
# with keep-alive, in its two forms — principal named by ARN, and the
# client's signed S3 request (iamd verifies that signature too) — against
# nginx answering a static 200 on the same machine under the same wrk load;
# p50/p99 latency, CPU time per request, and the iamd/nginx ratios (targets:
# at least 0.5 for the principal-ARN form, 0.33 for the signed form).
#
#   bench/http/authorize_vs_nginx.sh [path/to/iamd]
#   DURATION=10s CONNS=32 WRK_THREADS=2 SERVER_THREADS=2 ROUNDS=3 bench/http/authorize_vs_nginx.sh
#
# Each call is a resource server's signed request to iamd (its own SigV4
# checked, iamd:Authorize evaluated), then the decision: alice's policies
# with a condition on aws:SourceIp. wrk replays one signed call (SigV4
# accepts a signature for 15 minutes; each round signs anew). Any non-2xx
# answer fails the run. The audit trail is on, as by default.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
ROUNDS=${ROUNDS:-3}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IAMD=${1:-$(find_binary iamd "$ROOT"/build/src/cli/iamd)}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }

TMP=$(mktemp -d)
PIDS=()
trap bench_cleanup EXIT

start_nginx "$SERVER_THREADS"
start_iamd "$IAMD"
"$PY" "$HERE/iamd_client.py" authorize-setup "$ENDPOINT" "$TMP/data" "$TMP/keys.json"
sign() { "$PY" "$HERE/iamd_client.py" authorize-lua "$ENDPOINT" "$TMP/keys.json" "$1" "$TMP/$1.lua"; }

echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (keep-alive), servers with $SERVER_THREADS threads/workers, $(nproc) cores"
sign principal
wrk -t1 -c4 -d1s "http://127.0.0.1:$NGINX_PORT/" > /dev/null
wrk -t1 -c4 -d1s -s "$TMP/principal.lua" "$ENDPOINT/" > /dev/null
NGINX_WORKERS=$(nginx_workers)
for form in principal signed; do
  : > "$TMP/nginx.rounds"
  : > "$TMP/iamd.rounds"
  for _ in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    measure "http://127.0.0.1:$NGINX_PORT/" nginx "" $NGINX_WORKERS >> "$TMP/nginx.rounds"
    sign "$form"
    measure "$ENDPOINT/" iamd "$TMP/$form.lua" "$IAMD_PID" >> "$TMP/iamd.rounds"
  done
  echo "--- form: $form"
  report "nginx static" "iamd authorize ($form)"
done
echo "targets: principal form >= 0.5 of nginx, signed form >= 0.33"
stop_servers
