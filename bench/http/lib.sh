# Shared helpers of the HTTP load benchmarks in bench/http/ (sourced, not run):
# ports, readiness, wrk runs with percentiles, an unprivileged nginx
# answering a static 200, CPU time of processes, medians.
#
# The caller sets TMP (a scratch dir) and PIDS (an array of children to stop
# on exit; see bench_cleanup) before using these: bench_init does both.

PY=/usr/bin/python3   # Debian's python (boto3, botocore), never PATH's
BENCH_HTTP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# A scratch dir (TMP) and the children to stop on exit (PIDS), removed and
# stopped when the script exits.
bench_init() {
  TMP=$(mktemp -d)
  PIDS=()
  trap bench_cleanup EXIT
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}

# Waits until a server answers 200 on PATH (default /).
wait_up() {  # port [path]
  local _
  for _ in $(seq 200); do
    if "$PY" - "$1" "${2:-/}" <<'PYEOF' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2)
s.sendall(b"GET " + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
assert s.recv(12).startswith(b"HTTP/1.1 200")
PYEOF
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

# Runs wrk (WRK_THREADS, CONNS, DURATION; optional Lua script) and prints
# "RPS P50 P99 REQUESTS" with latencies in ms. Non-2xx answers or socket
# errors are reported on stderr and make the run fail: a benchmark of error
# responses measures nothing.
run_wrk() {  # url label [lua-script]
  local out script=()
  [[ -n "${3:-}" ]] && script=(-s "$3")
  out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "${script[@]}" "$1")
  echo "$out" > "$TMP/wrk_$2.txt"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    / requests in / { total = $1 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    /Socket errors/ { errs = $0 }
    END { if (bad != "" || errs != "") { print "error: " bad " non-2xx; " errs > "/dev/stderr"; exit 1 }
          printf "%s %.3f %.3f %s\n", rps, p50, p99, total }'
}

# One measured run: wrk against one server, plus the server's CPU time per
# request (user+sys of all its processes), which background load disturbs
# far less than requests/s. Prints "RPS P50 P99 CPU_US_PER_REQ".
measure() {  # url label lua-script-or-empty pids...
  local url=$1 label=$2 script=$3 before after rps p50 p99 total tick_us
  shift 3
  tick_us=$((1000000 / $(getconf CLK_TCK)))
  before=$(cpu_ticks "$@")
  read -r rps p50 p99 total < <(run_wrk "$url" "$label" "$script")
  [[ -n "$total" ]] || return 1
  after=$(cpu_ticks "$@")
  awk -v r="$rps" -v a="$p50" -v b="$p99" -v n="$total" -v t=$((after - before)) -v us="$tick_us" \
    'BEGIN { printf "%s %s %s %.1f\n", r, a, b, t * us / n }'
}

# The row of a rounds file with the median requests/s.
median_row() { sort -n -k1,1 "$1" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'; }

# Starts nginx (Debian's, unprivileged, config in $TMP/nginx) answering
# "ok\n" with 200 on every path, with WORKERS worker processes. Sets
# NGINX_PID (the master) and NGINX_PORT.
start_nginx() {  # workers
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  [[ -x "$nginx" ]] || { echo "nginx is not installed (scripts/install-deps.sh)" >&2; return 2; }
  NGINX_PORT=$(free_port)
  mkdir -p "$TMP/nginx"
  cat > "$TMP/nginx/nginx.conf" <<NGINXEOF
daemon off;
master_process on;
worker_processes $1;
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
NGINXEOF
  "$nginx" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_up "$NGINX_PORT"
}

nginx_workers() { pgrep -P "$NGINX_PID" | xargs; }

stop_nginx() {
  kill -QUIT "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
}

# Finds a built binary: the first executable among the candidates.
find_binary() {  # name candidates...
  local name=$1 b
  shift
  for b in "$@"; do [[ -x "$b" ]] && { echo "$b"; return 0; }; done
  echo "$name not found; build it or pass its path" >&2
  return 2
}

# Starts `iamd serve` on a free port with a fresh data dir ($TMP/data) and
# SERVER_THREADS threads (and IAMD_ARGS, e.g. "--audit-log off"); waits for
# /healthz. Sets IAMD_PID, IAMD_PORT and ENDPOINT.
start_iamd() {  # path/to/iamd
  IAMD_PORT=$(free_port)
  ENDPOINT=http://127.0.0.1:$IAMD_PORT
  # shellcheck disable=SC2086
  "$1" serve --listen "127.0.0.1:$IAMD_PORT" --data "$TMP/data" --threads "$SERVER_THREADS" ${IAMD_ARGS:-} \
    > "$TMP/iamd.out" &
  IAMD_PID=$!
  PIDS+=("$IAMD_PID")
  wait_up "$IAMD_PORT" /healthz
}

# Sets up the iamd at $ENDPOINT (data in $TMP/data) for a scenario, keys in
# $TMP/keys.json: `getuser` (user bench allowed iam:GetUser on itself) or
# `authorize` (resource server objstore allowed iamd:Authorize, user alice
# with a photos policy). See iamd_client.py.
setup_scenario() {  # getuser|authorize
  "$PY" "$BENCH_HTTP_DIR/iamd_client.py" "$1-setup" "$ENDPOINT" "$TMP/data" "$TMP/keys.json"
}

# Signs one request of the scenario now (getuser as user|root|session, or
# authorize in form principal|signed), checks iamd answers it, and writes a
# wrk script replaying it to FILE. SigV4 accepts it for 15 minutes.
sign_request() {  # getuser|authorize variant file
  "$PY" "$BENCH_HTTP_DIR/iamd_client.py" "$1-lua" "$ENDPOINT" "$TMP/keys.json" "$2" "$3"
}

# The start of a comparison with nginx: nginx and iamd (the scenario set up)
# on free ports, the request signed into FILE, a second of wrk on each to
# warm them. Sets NGINX_WORKERS.
start_vs_nginx() {  # path/to/iamd getuser|authorize variant file
  start_nginx "$SERVER_THREADS"
  start_iamd "$1"
  setup_scenario "$2"
  echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (keep-alive), servers with $SERVER_THREADS threads/workers, $(nproc) cores"
  sign_request "$2" "$3" "$4"
  wrk -t1 -c4 -d1s "http://127.0.0.1:$NGINX_PORT/" > /dev/null
  wrk -t1 -c4 -d1s -s "$4" "$ENDPOINT/" > /dev/null
  NGINX_WORKERS=$(nginx_workers)
}

# ROUNDS runs of nginx and iamd, alternately, into $TMP/nginx.rounds and
# $TMP/iamd.rounds (see report); the request is signed anew each round.
measure_rounds() {  # getuser|authorize variant file
  : > "$TMP/nginx.rounds"
  : > "$TMP/iamd.rounds"
  for _ in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    measure "http://127.0.0.1:$NGINX_PORT/" nginx "" $NGINX_WORKERS >> "$TMP/nginx.rounds"
    sign_request "$1" "$2" "$3"
    measure "$ENDPOINT/" iamd "$3" "$IAMD_PID" >> "$TMP/iamd.rounds"
  done
}

# Prints the table of median rounds ($TMP/nginx.rounds, $TMP/iamd.rounds),
# the iamd/nginx ratios and the machine's load.
report() {  # nginx-label iamd-label
  local n_rps n_p50 n_p99 n_cpu i_rps i_p50 i_p99 i_cpu
  read -r n_rps n_p50 n_p99 n_cpu < <(median_row "$TMP/nginx.rounds")
  read -r i_rps i_p50 i_p99 i_cpu < <(median_row "$TMP/iamd.rounds")
  if [[ $(wc -l < "$TMP/iamd.rounds") -gt 1 ]]; then
    echo "rounds (requests/s): nginx $(cut -d' ' -f1 "$TMP/nginx.rounds" | xargs), iamd $(cut -d' ' -f1 "$TMP/iamd.rounds" | xargs)"
    # Each round runs nginx then iamd back to back: the ratio within a round
    # is the one a neighbour's load on a shared machine disturbs least.
    paste -d' ' <(cut -d' ' -f1 "$TMP/iamd.rounds") <(cut -d' ' -f1 "$TMP/nginx.rounds") |
      awk '{ printf "%.2f\n", $1 / $2 }' | sort -n |
      awk '{ r[NR] = $1 } END {
        printf "per-round iamd/nginx ratios:"; for (i = 1; i <= NR; i++) printf " %s", r[i]
        printf "; median %s\n", r[int((NR + 1) / 2)] }'
  fi
  printf "%-14s %12s %10s %10s %14s\n" server "requests/s" "p50 ms" "p99 ms" "CPU us/req"
  printf "%-14s %12.0f %10.3f %10.3f %14.1f\n" "$1" "$n_rps" "$n_p50" "$n_p99" "$n_cpu"
  printf "%-14s %12.0f %10.3f %10.3f %14.1f\n" "$2" "$i_rps" "$i_p50" "$i_p99" "$i_cpu"
  awk -v i="$i_rps" -v n="$n_rps" -v ic="$i_cpu" -v nc="$n_cpu" 'BEGIN {
    printf "iamd/nginx requests/s ratio: %.2f   CPU per request, nginx/iamd: %.2f\n", i / n, nc / ic }'
  echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# SIGTERM to iamd, which must exit 0; then nginx stops.
stop_servers() {
  kill -TERM "$IAMD_PID"
  if wait "$IAMD_PID"; then echo "iamd exited 0 on SIGTERM"; else echo "iamd exit status $?" >&2; fi
  [[ -n "${NGINX_PID:-}" ]] && stop_nginx
  PIDS=()
}
