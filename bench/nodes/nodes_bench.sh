#!/usr/bin/env bash
# Several iamd nodes on one PostgreSQL (or one SQLite file):
#  1. authorization throughput of the decision endpoint (POST
#     /iamd/v1/authorize, principal by ARN) with 1, 2 and 3 nodes, the wrk
#     load spread evenly over the nodes; CPU time per decision summed over
#     the nodes (load-independent);
#  2. convergence time: a write on node 1, then node 2's decision changes
#     (bench/nodes/convergence.py), with notifications (PostgreSQL
#     LISTEN/NOTIFY) and with polling only (--notifications off).
#
#   bench/nodes/nodes_bench.sh [path/to/iamd]
#   STORE=sqlite DURATION=10s CONNS=24 SERVER_THREADS=2 POLL=1 ROUNDS=20 bench/nodes/nodes_bench.sh
#
# All nodes share this machine's cores with wrk and PostgreSQL, so more
# nodes add no CPU: the throughput figures say what the coordination costs,
# not how iamd scales across machines. The machine's load is printed.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-24}
SERVER_THREADS=${SERVER_THREADS:-2}
POLL=${POLL:-1}
ROUNDS=${ROUNDS:-20}
STORE=${STORE:-postgres}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../http/lib.sh
source "$ROOT/bench/http/lib.sh"

IAMD=${1:-$(find_binary iamd "$ROOT"/build/src/cli/iamd)}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }

TMP=$(mktemp -d)
chmod 755 "$TMP"  # the PostgreSQL cluster's owner must reach $TMP/pg
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
  if [[ "$STORE" == postgres ]]; then "$ROOT/scripts/pg-cluster.sh" stop "$TMP/pg" >/dev/null 2>&1 || true; fi
  bench_cleanup
}
trap cleanup EXIT

if [[ "$STORE" == postgres ]]; then
  URL=$(IAMD_PG_FSYNC=on "$ROOT/scripts/pg-cluster.sh" start "$TMP/pg")
  head -c 32 /dev/urandom > "$TMP/master.key"  # one master key for every node
  chmod 600 "$TMP/master.key"
  KEY_ARGS=(--master-key-file "$TMP/master.key")
else
  URL="sqlite://$TMP/iamd.db"  # the master key: master.key beside it
  KEY_ARGS=()
fi

# start_nodes EXTRA_ARGS...: three nodes on $URL; NODE_PIDS, NODE_ENDPOINTS.
start_nodes() {
  NODE_PIDS=() NODE_ENDPOINTS=()
  local i port
  for i in 1 2 3; do
    mkdir -p "$TMP/n$i"
    if [[ $i -gt 1 ]]; then
      for f in credentials root_keys; do
        [[ -e "$TMP/n1/$f" ]] && cp -p "$TMP/n1/$f" "$TMP/n$i/$f"
      done
    fi
    port=$(free_port)
    "$IAMD" serve --listen "127.0.0.1:$port" --data "$TMP/n$i" --store "$URL" "${KEY_ARGS[@]}" --threads "$SERVER_THREADS" \
      --audit-log off --poll-interval "$POLL" "$@" > "$TMP/n$i.out" 2>&1 &
    NODE_PIDS+=("$!")
    PIDS+=("$!")
    NODE_ENDPOINTS+=("http://127.0.0.1:$port")
    wait_up "$port" /healthz
  done
}
stop_nodes() {
  local p
  for p in "${NODE_PIDS[@]}"; do kill -TERM "$p"; done
  for p in "${NODE_PIDS[@]}"; do wait "$p" || true; done
}

start_nodes
"$PY" "$ROOT/bench/http/iamd_client.py" authorize-setup "${NODE_ENDPOINTS[0]}" "$TMP/n1" "$TMP/keys.json"
for i in 0 1 2; do
  "$PY" "$ROOT/bench/http/iamd_client.py" authorize-lua "${NODE_ENDPOINTS[$i]}" "$TMP/keys.json" principal \
    "$TMP/node$i.lua"
  wrk -t1 -c2 -d1s -s "$TMP/node$i.lua" "${NODE_ENDPOINTS[$i]}/" > /dev/null  # warm
done

echo "store: $STORE; $(nproc) cores; nodes with --threads $SERVER_THREADS; wrk $CONNS connections in all, $DURATION"
printf '%-6s %10s %14s %12s  %s\n' nodes decisions/s cpu_us/decision non_2xx load
for n in 1 2 3; do
  per=$((CONNS / n))
  before=$(cpu_ticks "${NODE_PIDS[@]:0:$n}")
  WRKS=()
  for ((i = 0; i < n; i++)); do
    wrk -t1 -c"$per" -d"$DURATION" -s "$TMP/node$i.lua" "${NODE_ENDPOINTS[$i]}/" > "$TMP/wrk$n.$i.txt" &
    WRKS+=("$!")
  done
  wait "${WRKS[@]}"
  after=$(cpu_ticks "${NODE_PIDS[@]:0:$n}")
  read -r rps total bad < <(awk '
    /Requests\/sec/ { rps += $2 }
    / requests in / { total += $1 }
    /Non-2xx/ { bad += $NF }
    END { printf "%.0f %d %d\n", rps, total, bad }' "$TMP"/wrk"$n".*.txt)
  cpu_us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v r="$total" 'BEGIN { printf "%.1f", t * 1e6 / hz / r }')
  printf '%-6s %10s %14s %12s  %s\n' "$n" "$rps" "$cpu_us" "$bad" "$(cut -d' ' -f1-3 /proc/loadavg)"
done

echo
echo "convergence: write on node 1 -> changed decision on node 2 ($ROUNDS rounds, --poll-interval $POLL)"
echo "  with notifications: $("$PY" "$HERE/convergence.py" "${NODE_ENDPOINTS[0]}" "${NODE_ENDPOINTS[1]}" \
  "$TMP/n1" "$TMP/keys.json" "$ROUNDS")"
stop_nodes
start_nodes --notifications off
echo "  polling only:       $("$PY" "$HERE/convergence.py" "${NODE_ENDPOINTS[0]}" "${NODE_ENDPOINTS[1]}" \
  "$TMP/n1" "$TMP/keys.json" "$ROUNDS")"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
