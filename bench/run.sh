#!/usr/bin/env bash
# The speed benchmark, end to end (what and why: BENCHMARKS.md).
#   bench/run.sh                       SQLite: demo data, then demo + 100k orders
#   DATABASE=postgresql bench/run.sh   the same on a throwaway PostgreSQL cluster
# Knobs: ORDERS (100000), OPEN_SHARE (0.003: a few hundred open, as in a real season), SECONDS_EACH (5), CLIENTS (20), WORKERS (nproc), THREADS (1).
# Everything lives in a temp dir that is deleted on exit; only bench/results/ is written in the repo.
# Pure Python load generator: nothing to install beyond the venv (`make venv-dev`).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/serve.sh
source bench/serve.sh  # the database (PostgreSQL runs this script again in its own cluster) and the server
ORDERS=${ORDERS:-100000}
OPEN_SHARE=${OPEN_SHARE:-0.003}

# Resident memory of each worker (children of the gunicorn master), now and at its peak.
record_memory() {  # dataset when
  local pid
  for pid in $(ps -o pid= --ppid "$server_pid"); do
    awk -v dataset="$1" -v when="$2" -v pid="$pid" '/^VmRSS:|^VmHWM:/ { kb[$1] = $2 }
      END { printf "{\"kind\": \"memory\", \"dataset\": \"%s\", \"when\": \"%s\", \"pid\": %d, " \
                   "\"rss_kb\": %d, \"hwm_kb\": %d}\n", dataset, when, pid, kb["VmRSS:"], kb["VmHWM:"] }' \
      "/proc/$pid/status" >>"$results"
  done
}

# Each endpoint right after a floor run, so every ratio compares two measurements a few seconds
# apart: the machine may be busy with other work, and that changes both alike.
measure() {  # dataset
  echo "bench: $1" >&2
  $VENV/python bench/dataset.py "$1" >>"$results"
  start_server
  sleep 2  # let every worker finish importing the app before taking its idle size
  record_memory "$1" idle
  load "$1" floor T1001 /api/v1/session
  load "$1" my_jobs T1001 /api/v1/me/jobs
  load "$1" floor dispatcher /api/v1/session
  load "$1" board dispatcher /dispatch/board
  load "$1" floor dispatcher /api/v1/session
  load "$1" work_orders_api dispatcher "/api/v1/work-orders?per_page=50"
  record_memory "$1" loaded
  stop_server
}

$VENV/flask db upgrade >/dev/null 2>&1 || { $VENV/flask db upgrade; exit 1; }
$VENV/flask demo load >/dev/null
measure demo
$VENV/python bench/make_orders.py "$ORDERS" --open-share "$OPEN_SHARE" >&2
measure "+$((ORDERS / 1000))k"

mkdir -p bench/results
cp "$results" "bench/results/raw-$DATABASE.jsonl"
$VENV/python bench/report.py "$results" --database "$DATABASE" --workers "$WORKERS" --threads "$THREADS" \
  --clients "$CLIENTS" --seconds "$SECONDS_EACH" --out "bench/results/latest-$DATABASE.json"
cp "bench/results/latest-$DATABASE.json" bench/results/latest.json
