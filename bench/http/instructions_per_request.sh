#!/usr/bin/env bash
# Instructions per request of `iamd serve`, counted by callgrind: a number
# that other processes' load does not disturb (requests/s on a shared
# machine does). The server is set up as the wrk benchmarks set it up, then
# restarted under callgrind; after WARMUP requests the count starts, N
# requests are sent one after another on one kept-alive connection, and the
# total is divided by N. Also prints the 12 functions with the most
# inclusive instructions (callgrind_annotate) when TOP=1.
#
#   bench/http/instructions_per_request.sh getuser|authorize-principal|authorize-signed [path/to/iamd]
#   N=300 WARMUP=20 TOP=1 IAMD_ARGS="--audit-log off" bench/http/instructions_per_request.sh getuser
set -euo pipefail

WHAT=${1:?getuser, authorize-principal or authorize-signed}
N=${N:-300}
WARMUP=${WARMUP:-20}
SERVER_THREADS=${SERVER_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
IAMD=${2:-$(find_binary iamd "$ROOT"/build/src/cli/iamd)}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }

case "$WHAT" in
  getuser) SCENARIO=getuser VARIANT=user ;;
  authorize-principal|authorize-signed) SCENARIO=authorize VARIANT=${WHAT#authorize-} ;;
  *) echo "unknown benchmark $WHAT" >&2; exit 2 ;;
esac

bench_init
# Set up on a plain server (fast), then restart the same data dir under callgrind.
start_iamd "$IAMD"
setup_scenario "$SCENARIO"
stop_servers

IAMD_PORT=$(free_port)
ENDPOINT=http://127.0.0.1:$IAMD_PORT
# shellcheck disable=SC2086
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/callgrind.out" \
  "$IAMD" serve --listen "127.0.0.1:$IAMD_PORT" --data "$TMP/data" --threads "$SERVER_THREADS" ${IAMD_ARGS:-} \
  > "$TMP/iamd.out" 2> "$TMP/valgrind.err" &
IAMD_PID=$!
PIDS+=("$IAMD_PID")
wait_up "$IAMD_PORT" /healthz
sign_request "$SCENARIO" "$VARIANT" "$TMP/req.lua"

# Replays the wrk script's request: WARMUP times, then N times counted.
"$PY" - "$IAMD_PORT" "$TMP/req.lua" "$WARMUP" "$N" "$IAMD_PID" <<'PYEOF'
import http.client, re, subprocess, sys
port, lua, warmup, n, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def unq(s): return re.sub(r'\\(.)', r'\1', s[1:-1])
path, body, headers = "/", "", {}
for line in open(lua):
    m = re.match(r'wrk\.headers\[(".*?(?<!\\)")\] = (".*")$', line.strip())
    if m: headers[unq(m.group(1))] = unq(m.group(2)); continue
    m = re.match(r'wrk\.(path|body) = (".*")$', line.strip())
    if m:
        if m.group(1) == "path": path = unq(m.group(2))
        else: body = unq(m.group(2))
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
def one():
    c.request("POST", path, body=body.encode(), headers=headers)
    r = c.getresponse(); r.read()
    if r.status != 200: sys.exit("HTTP %d" % r.status)
for _ in range(warmup): one()
subprocess.run(["callgrind_control", "-i", "on", pid], check=True, stdout=subprocess.DEVNULL)
for _ in range(n): one()
subprocess.run(["callgrind_control", "-i", "off", pid], check=True, stdout=subprocess.DEVNULL)
PYEOF
kill -TERM "$IAMD_PID"
wait "$IAMD_PID" || true
PIDS=()
callgrind_annotate --inclusive=yes "$TMP"/callgrind.out* > "$TMP/annotate.txt" 2>/dev/null
total=$(awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }' "$TMP/annotate.txt")
echo "$WHAT: $((total / N)) instructions per request (callgrind, $N requests, $SERVER_THREADS server threads)"
if [[ "${TOP:-0}" == 1 ]]; then
  sed -n '/file:function/,$p' "$TMP/annotate.txt" | head -45
fi
if [[ -n "${KEEP:-}" ]]; then cp "$TMP"/callgrind.out* "$KEEP"/; fi
