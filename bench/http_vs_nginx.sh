#!/usr/bin/env bash
# Requests/s and latency of iamd's HTTP server (trivial 200 handler) against
# nginx answering a static 200, both on loopback under the same wrk load.
#
#   bench/http_vs_nginx.sh [path/to/http_bench]
#   DURATION=10s CONNS=32 WRK_THREADS=2 SERVER_THREADS=2 ROUNDS=1 bench/http_vs_nginx.sh
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
ROOT=$(cd "$(dirname "$0")/.." && pwd)

BENCH=${1:-}
if [[ -z "$BENCH" ]]; then
  for b in "$ROOT"/build-http/bench_http/http_bench "$ROOT"/build-http/bench/http/http_bench \
           "$ROOT"/build/bench/http/http_bench; do
    [[ -x "$b" ]] && BENCH=$b && break
  done
fi
[[ -x "$BENCH" ]] || { echo "http_bench not found; build it (ninja http_bench) or pass its path" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] || { echo "nginx is not installed" >&2; exit 2; }

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_up() {  # port
  for _ in $(seq 100); do
    if python3 - "$1" <<'EOF' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2)
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
assert s.recv(12).startswith(b"HTTP/1.1 200")
EOF
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# CPU time (clock ticks) used so far by the given processes, all threads.
cpu_ticks() {
  local total=0 p f
  for p in "$@"; do
    read -r -a f < "/proc/$p/stat"
    total=$((total + f[13] + f[14]))
  done
  echo "$total"
}

# Runs wrk; prints "RPS P50 P99 REQUESTS" with latencies in ms.
run_wrk() {  # url label
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "$1")
  echo "$out" > "$TMP/wrk_$2.txt"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    / requests in / { total = $1 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    /Socket errors/ { errs = $0 }
    END { printf "%s %.3f %.3f %s\n", rps, p50, p99, total; if (bad != "" || errs != "") print "warning: " bad " non-2xx; " errs > "/dev/stderr" }'
}

# --- nginx ---------------------------------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx"
cat > "$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $SERVER_THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
EOF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")

# --- iamd ------------------------------------------------------------------
IAMD_PORT=$(free_port)
"$BENCH" --listen "127.0.0.1:$IAMD_PORT" --threads "$SERVER_THREADS" > "$TMP/iamd.out" &
IAMD_PID=$!
PIDS+=("$IAMD_PID")

wait_up "$NGINX_PORT"
wait_up "$IAMD_PORT"

echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (keep-alive), servers with $SERVER_THREADS threads/workers, $(nproc) cores"
# Short warm-up for both, then the measured runs.
wrk -t1 -c4 -d1s "http://127.0.0.1:$NGINX_PORT/" > /dev/null
wrk -t1 -c4 -d1s "http://127.0.0.1:$IAMD_PORT/" > /dev/null
NGINX_WORKERS=$(pgrep -P "$NGINX_PID" | xargs)
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# One round: wrk against one server, plus the server's CPU time per request
# (user+sys of all its processes), which background load disturbs far less
# than requests/s.
measure() {  # url label pids...
  local url=$1 label=$2 before after rps p50 p99 total
  shift 2
  before=$(cpu_ticks "$@")
  read -r rps p50 p99 total < <(run_wrk "$url" "$label")
  after=$(cpu_ticks "$@")
  awk -v r="$rps" -v a="$p50" -v b="$p99" -v n="$total" -v t=$((after - before)) -v us="$TICK_US" \
    'BEGIN { printf "%s %s %s %.1f\n", r, a, b, t * us / n }'
}
for r in $(seq "$ROUNDS"); do
  # shellcheck disable=SC2086
  measure "http://127.0.0.1:$NGINX_PORT/" nginx $NGINX_WORKERS >> "$TMP/nginx.rounds"
  measure "http://127.0.0.1:$IAMD_PORT/" iamd "$IAMD_PID" >> "$TMP/iamd.rounds"
done
median() { sort -n -k1,1 "$1" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'; }
read -r N_RPS N_P50 N_P99 N_CPU < <(median "$TMP/nginx.rounds")
read -r I_RPS I_P50 I_P99 I_CPU < <(median "$TMP/iamd.rounds")
if [[ "$ROUNDS" -gt 1 ]]; then
  echo "rounds (requests/s): nginx $(cut -d' ' -f1 "$TMP/nginx.rounds" | xargs), iamd $(cut -d' ' -f1 "$TMP/iamd.rounds" | xargs)"
fi

printf "%-8s %12s %10s %10s %14s\n" server "requests/s" "p50 ms" "p99 ms" "CPU us/req"
printf "%-8s %12.0f %10.3f %10.3f %14.1f\n" nginx "$N_RPS" "$N_P50" "$N_P99" "$N_CPU"
printf "%-8s %12.0f %10.3f %10.3f %14.1f\n" iamd "$I_RPS" "$I_P50" "$I_P99" "$I_CPU"
awk -v i="$I_RPS" -v n="$N_RPS" -v ic="$I_CPU" -v nc="$N_CPU" 'BEGIN {
  printf "iamd/nginx requests/s ratio: %.2f   CPU per request, nginx/iamd: %.2f\n", i / n, nc / ic }'
echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Graceful stop: iamd must exit 0 on SIGTERM.
kill -TERM "$IAMD_PID"
if wait "$IAMD_PID"; then echo "iamd http_bench exited 0 on SIGTERM"; else echo "iamd http_bench exit status $?" >&2; fi
kill -QUIT "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
PIDS=()
