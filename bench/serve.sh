# shellcheck shell=bash
# Sourced by bench/run.sh and bench/million.sh, first thing after `cd` to the project: the database (with
# DATABASE=postgresql the calling script is run again inside a throwaway cluster, always our own, never a
# database from the environment), a throwaway app served by gunicorn, and the load runs. Knobs with their
# defaults: DATABASE (sqlite), SECONDS_EACH (5), CLIENTS (20), WORKERS (nproc), THREADS (1). Sets tmp,
# results, log, url and defines start_server, stop_server and load. Everything lives in $tmp, deleted on exit.
DATABASE=${DATABASE:-sqlite}
if [[ $DATABASE == postgresql && -z ${BENCH_IN_POSTGRES:-} ]]; then
  BENCH_IN_POSTGRES=1 exec scripts/with-postgres.sh "$0" "$@"
fi
[[ $DATABASE == sqlite || $DATABASE == postgresql ]] || { echo "DATABASE is sqlite or postgresql" >&2; exit 2; }
SECONDS_EACH=${SECONDS_EACH:-5}
CLIENTS=${CLIENTS:-20}
WORKERS=${WORKERS:-$(nproc)}
THREADS=${THREADS:-1}
PASSWORD=shifu-demo-2026
VENV=.venv/bin
[[ -x $VENV/gunicorn ]] || { echo "bench: no $VENV/gunicorn; run make venv-dev first" >&2; exit 1; }

tmp=$(mktemp -d /tmp/shifu-bench.XXXXXX)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh random key: nothing is read from or written to instance/.
export SHIFU_ENV=development SECRET_KEY="bench-$RANDOM$RANDOM$RANDOM" SECURE_COOKIES=0 FLASK_APP=wsgi.py
export LOGIN_RATE_LIMIT="100000 per minute"  # 20 clients sign in for every scenario
if [[ $DATABASE == postgresql ]]; then
  export DATABASE_URL=$TEST_DATABASE_URL
else
  export DATABASE_URL="sqlite:///$tmp/bench.sqlite"
fi
results=$tmp/results.jsonl
log=$tmp/access.log
port=$($VENV/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

start_server() {
  # gthread: keep-alive connections, as phones and browsers use; the access log's last field is the
  # server's own time per request in microseconds, which load.py reads back.
  $VENV/gunicorn -w "$WORKERS" -k gthread --threads "$THREADS" -b "127.0.0.1:$port" --no-control-socket \
    --access-logfile "$log" --access-logformat '%(m)s %(U)s %(s)s %(D)s' \
    --error-logfile "$tmp/gunicorn.log" wsgi:app &
  server_pid=$!
  for _ in $(seq 100); do
    $VENV/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
      "$url/api/v1/session" 2>/dev/null && return
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "bench: gunicorn did not answer on $url" >&2
  tail -n 30 "$tmp/gunicorn.log" >&2
  exit 1
}

stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

load() {  # dataset name user path
  echo "  $2 ($4 as $3)" >&2
  $VENV/python bench/load.py --url "$url" --path "$4" --user "$3" --password "$PASSWORD" \
    --clients "$CLIENTS" --seconds "$SECONDS_EACH" --single 3 --access-log "$log" --label "$1|$2" >>"$results"
}
