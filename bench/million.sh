#!/usr/bin/env bash
# The KPI page and the dispatch board at 10,000 and at 1,000,000 work orders (BENCHMARKS.md).
#   bench/million.sh                       SQLite
#   DATABASE=postgresql bench/million.sh   a throwaway PostgreSQL cluster (scripts/with-postgres.sh)
# Knobs: SMALL (10000), LARGE (1000000), OPEN (300 open orders in all), SECONDS_EACH (5), CLIENTS (20),
# WORKERS (nproc). Serves and measures as bench/run.sh does (gunicorn gthread, bench/load.py); everything
# lives in a temp dir deleted on exit; results go to bench/results/million-<database>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/serve.sh
source bench/serve.sh  # the database (PostgreSQL runs this script again in its own cluster) and the server
SMALL=${SMALL:-10000}
LARGE=${LARGE:-1000000}
OPEN=${OPEN:-300}
month=$(TZ=Asia/Shanghai date +%Y-%m)

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

$VENV/flask db upgrade >/dev/null 2>&1 || { $VENV/flask db upgrade; exit 1; }
$VENV/flask demo load >/dev/null
$VENV/python bench/million.py "$SMALL" --open "$OPEN" >>"$results"
measure "$((SMALL / 1000))k"
$VENV/python bench/million.py "$((LARGE - SMALL))" --open 0 --seed 2028 >>"$results"
measure "$((LARGE / 1000))k"

mkdir -p bench/results
cp "$results" "bench/results/million-raw-$DATABASE.jsonl"
$VENV/python bench/million_report.py "$results" --database "$DATABASE" --workers "$WORKERS" \
  --out "bench/results/million-$DATABASE.json"
