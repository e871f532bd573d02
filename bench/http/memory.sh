#!/usr/bin/env bash
# Resident memory of `iamd serve` holding a mid-sized account: 5,000 users,
# 1,000 roles, 1,500 customer managed policies (two attached to every user
# and role), 20 groups, and access keys; measured empty, after populating,
# and after warming with signed, authorized calls by many principals.
# Reports VmRSS (resident now) and VmHWM (peak resident) from /proc/PID/status.
#
#   bench/http/memory.sh [path/to/iamd]
#   USERS=5000 ROLES=1000 POLICIES=1500 KEYS=2000 SERVER_THREADS=2 bench/http/memory.sh
#
# Populating goes through the API (raw signed requests from 4 processes), so it also
# shows write throughput; KEYS users get an access key and call GetUser
# signed with it while warming.
set -euo pipefail

USERS=${USERS:-5000}
ROLES=${ROLES:-1000}
POLICIES=${POLICIES:-1500}
KEYS=${KEYS:-2000}
SERVER_THREADS=${SERVER_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IAMD=${1:-$(find_binary iamd "$ROOT"/build/src/cli/iamd "$ROOT"/build-load/src/cli/iamd)}

TMP=$(mktemp -d)
PIDS=()
trap bench_cleanup EXIT

start_iamd "$IAMD"

mem() {  # label
  awk -v label="$1" -v db="$(du -sk "$TMP/data" | cut -f1)" '
    /^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
    END { printf "%-28s VmRSS %7.1f MiB   VmHWM %7.1f MiB   data dir %7.1f MiB\n", label, rss / 1024, hwm / 1024, db / 1024 }' \
    "/proc/$IAMD_PID/status"
}

echo "iamd serve --threads $SERVER_THREADS, $(nproc) cores"
mem "empty (after start)"
start=$(date +%s)
"$PY" "$HERE/iamd_client.py" populate "$ENDPOINT" "$TMP/data" "$USERS" "$ROLES" "$POLICIES" "$KEYS" "$TMP/keys.json"
echo "populated in $(( $(date +%s) - start )) s"
mem "populated"
start=$(date +%s)
"$PY" "$HERE/iamd_client.py" warm "$ENDPOINT" "$TMP/data" "$TMP/keys.json"
echo "warmed in $(( $(date +%s) - start )) s"
mem "warm"
"$PY" "$HERE/iamd_client.py" warm "$ENDPOINT" "$TMP/data" "$TMP/keys.json" > /dev/null
mem "warm, second pass"
echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg)"

stop_servers
