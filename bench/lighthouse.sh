#!/usr/bin/env bash
# Lighthouse 12, mobile profile (simulated slow 4G, 4x CPU slowdown), on the field app's first load and on
# the sign-in page, served by gunicorn alone (no nginx): the embedded default. Each page RUNS times (median
# taken), with the app's compression on and, for comparison, off (COMPRESS_RESPONSES=0).
#   bench/lighthouse.sh            → bench/results/lighthouse.json and a table on stdout
# Lighthouse comes from the npm registry into bench/.lighthouse (12.2.3: 13 needs Node 22); Chromium is
# Debian's. Knobs: RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WORKERS=${WORKERS:-2}
# shellcheck source=bench/serve.sh
source bench/serve.sh

tool=bench/.lighthouse
if [[ ! -x $tool/node_modules/.bin/lighthouse ]]; then
  mkdir -p "$tool"
  (cd "$tool" && npm install --silent --no-audit --no-fund -E lighthouse@12.2.3 >&2)
fi

$VENV/flask db upgrade >/dev/null 2>&1 || { $VENV/flask db upgrade; exit 1; }
$VENV/flask demo load >/dev/null

audit() {  # label path
  local run
  for run in $(seq "$RUNS"); do
    CHROME_PATH=/usr/bin/chromium "$tool/node_modules/.bin/lighthouse" "$url$2" --quiet \
      --form-factor=mobile --only-categories=performance --output=json --output-path="$tmp/lh.json" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking" >/dev/null 2>&1
    $VENV/python - "$1" "$2" "$run" "$tmp/lh.json" >>"$results" <<'EOF'
import json, sys
label, path, run, report = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.load(open(sys.argv[4]))
audits = report["audits"]
requests = audits["network-requests"]["details"]["items"]
print(json.dumps({
    "label": label, "path": path, "run": run,
    "performance": round(report["categories"]["performance"]["score"] * 100),
    "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
    "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
    "requests": len(requests),
    "transfer_kib": round(sum(item.get("transferSize", 0) for item in requests) / 1024, 1),
    "resource_kib": round(sum(item.get("resourceSize", 0) for item in requests) / 1024, 1),
    "compression_savings_kib": round(audits["uses-text-compression"].get("details", {})
                                     .get("overallSavingsBytes", 0) / 1024, 1),
}))
EOF
  done
}

for mode in on off; do
  export COMPRESS_RESPONSES=$([[ $mode == on ]] && echo 1 || echo 0)
  start_server
  audit "compression $mode" /field/
  audit "compression $mode" /login
  stop_server
done

mkdir -p bench/results
$VENV/python - "$results" <<'EOF' | tee bench/results/lighthouse.json
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
summary = []
for key in dict.fromkeys((row["label"], row["path"]) for row in rows):
    runs = [row for row in rows if (row["label"], row["path"]) == key]
    median = {name: statistics.median(row[name] for row in runs)
              for name in ("performance", "lcp_ms", "fcp_ms", "tbt_ms", "requests", "transfer_kib",
                           "resource_kib", "compression_savings_kib")}
    summary.append({"label": key[0], "path": key[1], "runs": len(runs), **median})
print(json.dumps(summary, indent=1))
EOF
