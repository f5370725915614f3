#!/usr/bin/env bash
# The dispatch board with a normal backlog (300 open orders) and with a runaway one (10,000 open), in a
# company of 10,000 work orders (BENCHMARKS.md, "The board at 10,000 open orders"). The board shows the
# first 200 by deadline either way: the goal is its time at 10,000 open within 3x its time at 300.
#   bench/backlog.sh                       SQLite
#   DATABASE=postgresql bench/backlog.sh   a throwaway PostgreSQL cluster (scripts/with-postgres.sh)
# Knobs: ORDERS (10000), OPEN (300), MANY (10000 open), SECONDS_EACH (5), CLIENTS (20), WORKERS (nproc).
# Results: bench/results/backlog-<database>.json; a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/serve.sh
source bench/serve.sh
ORDERS=${ORDERS:-10000}
OPEN=${OPEN:-300}
MANY=${MANY:-10000}

measure() {  # dataset
  echo "backlog: $1" >&2
  $VENV/python bench/dataset.py "$1" >>"$results"
  start_server
  sleep 2
  for spec in "board|dispatcher|/dispatch/board" "api_page|dispatcher|/api/v1/work-orders?per_page=50"; do
    IFS='|' read -r name user path <<<"$spec"
    load "$1" floor "$user" /api/v1/session
    load "$1" "$name" "$user" "$path"
  done
  stop_server
}

$VENV/flask db upgrade >/dev/null 2>&1 || { $VENV/flask db upgrade; exit 1; }
$VENV/flask demo load >/dev/null
$VENV/python bench/million.py "$ORDERS" --open "$OPEN" >>"$results"
measure "$OPEN open"
# The runaway backlog: as many more orders, all of them still open, added to the same company.
$VENV/python bench/million.py "$((MANY - OPEN))" --open "$((MANY - OPEN))" --seed 2029 >>"$results"
measure "$MANY open"

mkdir -p bench/results
$VENV/python bench/million_report.py "$results" --database "$DATABASE" --workers "$WORKERS" \
  --out "bench/results/backlog-$DATABASE.json"
