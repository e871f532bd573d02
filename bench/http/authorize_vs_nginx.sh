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

bench_init
start_vs_nginx "$IAMD" authorize principal "$TMP/principal.lua"
for form in principal signed; do
  measure_rounds authorize "$form" "$TMP/$form.lua"
  echo "--- form: $form"
  report "nginx static" "iamd authorize ($form)"
done
echo "targets: principal form >= 0.5 of nginx, signed form >= 0.33"
stop_servers
