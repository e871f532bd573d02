#!/usr/bin/env bash
# Signed requests per second of `iamd serve` for a cheap authorized call
# (IAM GetUser with SigV4, keep-alive), against nginx answering a static 200
# on the same machine under the same wrk load; p50/p99 latency, CPU time per
# request, and the iamd/nginx ratio (target: at least 0.5).
#
#   bench/http/getuser_vs_nginx.sh [path/to/iamd]
#   CALLER=user|root DURATION=10s CONNS=32 WRK_THREADS=2 SERVER_THREADS=2 ROUNDS=3 \
#     bench/http/getuser_vs_nginx.sh
#
# The server starts on a fresh data dir; as its root we create user `bench`
# whose only policy allows iam:GetUser on itself, with an access key. Then
# one GetUser request is signed with botocore (as that user, or CALLER=root)
# and wrk replays it (SigV4 accepts a signature for 15 minutes; each round
# signs anew). Every call is fully served: signature checked, key and user
# looked up, policies evaluated, the user read and rendered as XML. Any
# non-2xx answer fails the run.
#
# The servers are measured alternately, ROUNDS times; each row is the round
# with the median requests/s. nginx runs unprivileged from a config in a temp
# dir with as many workers as iamd has threads.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
CALLER=${CALLER:-user}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IAMD=${1:-$(find_binary iamd "$ROOT"/build/src/cli/iamd "$ROOT"/build-load/src/cli/iamd)}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }
case "$CALLER" in user|root) ;; *) echo "CALLER must be user or root" >&2; exit 2 ;; esac

bench_init
echo "iamd: signed GetUser as $CALLER; nginx: static 200"
start_vs_nginx "$IAMD" getuser "$CALLER" "$TMP/getuser.lua"
measure_rounds getuser "$CALLER" "$TMP/getuser.lua"
report "nginx static" "iamd GetUser"
echo "target: iamd/nginx >= 0.5"
stop_servers
