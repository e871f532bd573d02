#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's
# `postgresql` package (scripts/install-deps.sh installs it).
#
#   url=$(scripts/pg-cluster.sh start /tmp/pg1)   # prints postgres://iamd@127.0.0.1:PORT/iamd
#   ...                                            # use it (database "iamd", superuser "iamd")
#   scripts/pg-cluster.sh url /tmp/pg1             # prints the URL again
#   scripts/pg-cluster.sh stop /tmp/pg1            # stops the server and removes /tmp/pg1
#   scripts/pg-cluster.sh restart /tmp/pg1         # stop + start on the same port, data kept
#   scripts/pg-cluster.sh kill /tmp/pg1            # stop (immediate), data and port kept
#   scripts/pg-cluster.sh run CMD ARGS...          # start in a temp dir, run CMD with
#                                                  # IAMD_TEST_PG_URL set, stop; CMD's exit code
#
# The server listens only on 127.0.0.1, on a free port, with its Unix socket
# inside DIR; it trusts every local connection (no password): for tests only,
# never for data that matters. initdb and the server run as an unprivileged
# user: the current one, or when run as root (CI) the `postgres` user (else
# `nobody`), who then owns DIR. DIR must not exist yet or be empty, and its
# parent directories must be searchable by that user. fsync is off unless
# IAMD_PG_FSYNC=on (benchmarks comparing durable commits set it).
set -euo pipefail

die() { echo "pg-cluster.sh: $*" >&2; exit 1; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || die "PostgreSQL is not installed (apt-get install postgresql)"

owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi

as_owner() {
  if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {  # DIR PORT
  local dir=$1 port=$2 fsync=${IAMD_PG_FSYNC:-off}
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c synchronous_commit=$fsync \
        -c full_page_writes=$fsync -c max_connections=200 -c shared_buffers=32MB" >/dev/null
}

cmd_start() {
  local dir=$1
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then die "$dir exists and is not empty"; fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 700 "$dir"
  [ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
  as_owner test -w "$dir" || die "$owner cannot write $dir (are its parents searchable?)"
  as_owner "$bindir/initdb" -D "$dir/data" -U iamd -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local port tries=0
  until port=$(free_port) && pg_start "$dir" "$port"; do
    tries=$((tries + 1))
    [ "$tries" -lt 5 ] || { cat "$dir/server.log" >&2; die "the server did not start"; }
  done
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U iamd iamd
  echo "$port" >"$dir/port"
  echo "postgres://iamd@127.0.0.1:$port/iamd" | tee "$dir/url"
}

cmd_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 30 -m fast stop >/dev/null 2>&1 ||
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

cmd_kill() {
  as_owner "$bindir/pg_ctl" -D "$1/data" -w -t 30 -m immediate stop >/dev/null
}

cmd_restart() {
  local dir=$1
  [ -f "$dir/port" ] || die "$dir holds no cluster"
  if [ -f "$dir/data/postmaster.pid" ]; then cmd_kill "$dir" || true; fi
  pg_start "$dir" "$(cat "$dir/port")"
}

run_dir=""
cmd_run() {
  local rc=0
  run_dir=$(mktemp -d /tmp/iamd-pg-XXXXXX)
  chmod 755 "$run_dir"  # the parent of the cluster dir must be searchable by its owner
  trap 'cmd_stop "$run_dir/c"; rm -rf "$run_dir"' EXIT
  IAMD_TEST_PG_URL=$(cmd_start "$run_dir/c")
  export IAMD_TEST_PG_URL
  "$@" || rc=$?
  return "$rc"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: pg-cluster.sh start DIR"; cmd_start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: pg-cluster.sh stop DIR"; cmd_stop "$2" ;;
  kill) [ $# -eq 2 ] || die "usage: pg-cluster.sh kill DIR"; cmd_kill "$2" ;;
  restart) [ $# -eq 2 ] || die "usage: pg-cluster.sh restart DIR"; cmd_restart "$2" ;;
  url) [ $# -eq 2 ] || die "usage: pg-cluster.sh url DIR"; cat "$2/url" ;;
  run) [ $# -ge 2 ] || die "usage: pg-cluster.sh run CMD ARGS..."; shift; cmd_run "$@" ;;
  *) die "usage: pg-cluster.sh start|stop|kill|restart|url DIR, or run CMD ARGS..." ;;
esac
