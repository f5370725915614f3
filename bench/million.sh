#!/usr/bin/env bash
# The KPI page and the dispatch board at 10,000 and at 1,000,000 work orders (BENCHMARKS.md).
#   bench/million.sh                       SQLite
#   DATABASE=postgresql bench/million.sh   a throwaway PostgreSQL cluster (scripts/with-postgres.sh)
# Knobs: SMALL (10000), LARGE (1000000), OPEN (300 open orders in all), SECONDS_EACH (5), CLIENTS (20),
# WORKERS (nproc). Serves and measures as bench/run.sh does (gunicorn gthread, bench/load.py); everything
# lives in a temp dir deleted on exit; results go to bench/results/million-<database>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE=${DATABASE:-sqlite}
if [[ $DATABASE == postgresql && -z ${BENCH_IN_POSTGRES:-} ]]; then
  BENCH_IN_POSTGRES=1 exec scripts/with-postgres.sh "$0" "$@"
fi
[[ $DATABASE == sqlite || $DATABASE == postgresql ]] || { echo "DATABASE is sqlite or postgresql" >&2; exit 2; }

SMALL=${SMALL:-10000}
LARGE=${LARGE:-1000000}
OPEN=${OPEN:-300}
SECONDS_EACH=${SECONDS_EACH:-5}
CLIENTS=${CLIENTS:-20}
WORKERS=${WORKERS:-$(nproc)}
PASSWORD=shifu-demo-2026
VENV=.venv/bin

tmp=$(mktemp -d /tmp/shifu-million.XXXXXX)
server_pid=
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export SHIFU_ENV=development SECRET_KEY="bench-$RANDOM$RANDOM$RANDOM" SECURE_COOKIES=0 FLASK_APP=wsgi.py
export LOGIN_RATE_LIMIT="100000 per minute"
if [[ $DATABASE == postgresql ]]; then
  export DATABASE_URL=$TEST_DATABASE_URL
else
  export DATABASE_URL="sqlite:///$tmp/bench.sqlite"
fi
results=$tmp/results.jsonl
log=$tmp/access.log
port=$($VENV/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
month=$(TZ=Asia/Shanghai date +%Y-%m)

start_server() {
  $VENV/gunicorn -w "$WORKERS" -k gthread --threads 1 -b "127.0.0.1:$port" --no-control-socket \
    --access-logfile "$log" --access-logformat '%(m)s %(U)s %(s)s %(D)s' \
    --error-logfile "$tmp/gunicorn.log" wsgi:app &
  server_pid=$!
  for _ in $(seq 100); do
    $VENV/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
      "$url/api/v1/session" 2>/dev/null && return
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "million: gunicorn did not answer on $url" >&2
  tail -n 30 "$tmp/gunicorn.log" >&2
  exit 1
}

load() {  # dataset name user path
  echo "  $2 ($4 as $3)" >&2
  $VENV/python bench/load.py --url "$url" --path "$4" --user "$3" --password "$PASSWORD" \
    --clients "$CLIENTS" --seconds "$SECONDS_EACH" --single 3 --access-log "$log" --label "$1|$2" >>"$results"
}

measure() {  # dataset; every endpoint right after a floor run on the same server
  echo "million: $1" >&2
  $VENV/python bench/dataset.py "$1" >>"$results"
  start_server
  sleep 2
  local kpis="/kpis?month=$month" drill="/kpis/orders?month=$month&kpi=repair_timeliness"
  for spec in "kpis|backoffice|$kpis" "drill|backoffice|$drill" "drill_misses|backoffice|$drill&misses=1" \
              "export|backoffice|/kpis/export.xlsx?month=$month" "board|dispatcher|/dispatch/board"; do
    IFS='|' read -r name user path <<<"$spec"
    load "$1" floor "$user" /api/v1/session
    load "$1" "$name" "$user" "$path"
  done
  # Last, and two clients: the ledger holds every complaint of the month, seconds at a million orders,
  # and twenty clients would still be queued in front of the workers when the next run began.
  load "$1" floor backoffice /api/v1/session
  CLIENTS=2 load "$1" ledger backoffice "/kpis/ledger.xlsx?month=$month"
  stop_server
}

$VENV/flask db upgrade heads >/dev/null 2>&1 || { $VENV/flask db upgrade heads; exit 1; }
$VENV/flask demo load >/dev/null
$VENV/python bench/million.py "$SMALL" --open "$OPEN" >>"$results"
measure "$((SMALL / 1000))k"
$VENV/python bench/million.py "$((LARGE - SMALL))" --open 0 --seed 2028 >>"$results"
measure "$((LARGE / 1000))k"

mkdir -p bench/results
cp "$results" "bench/results/million-raw-$DATABASE.jsonl"
$VENV/python bench/million_report.py "$results" --database "$DATABASE" --workers "$WORKERS" \
  --out "bench/results/million-$DATABASE.json"
