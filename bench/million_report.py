"""Turn bench/million.sh's (and bench/backlog.sh's) JSON lines into one JSON file and two Markdown tables (on stdout).

Each endpoint is given against the floor (GET /api/v1/session) measured just before it on the same
server, and against itself on the small data set: the ratio the issue asks about.
"""
import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import commit, machine  # noqa: E402

ENDPOINTS = {
    "kpis": "KPI month page `GET /kpis?month=…`",
    "drill": "drill-down, first page `GET /kpis/orders?…kpi=repair_timeliness`",
    "drill_misses": "drill-down, misses only (`&misses=1`)",
    "export": "month as XLSX `GET /kpis/export.xlsx`",
    "ledger": "complaint ledger XLSX `GET /kpis/ledger.xlsx`",
    "board": "dispatch board `GET /dispatch/board`",
    "api_page": "work orders API, first page `GET /api/v1/work-orders?per_page=50`",
}


def rows(lines):
    out, floor = [], None
    for line in lines:
        if "label" not in line:
            continue
        dataset, endpoint = line["label"].split("|")
        if endpoint == "floor":
            floor = line
            continue
        out.append({
            "dataset": dataset, "endpoint": endpoint, "path": line["path"], "kb": round(line["bytes"] / 1024, 1),
            "single_p50_ms": line["single"]["p50_ms"], "floor_p50_ms": floor["single"]["p50_ms"],
            "x_floor": round(line["single"]["p50_ms"] / floor["single"]["p50_ms"], 1),
            "rps": line["concurrent"]["rps"], "server_p50_ms": line["concurrent"].get("server_p50_ms"),
            "errors": line["single"]["errors"] + line["concurrent"]["errors"],
        })
    return out


def markdown(report):
    results, sets = report["results"], report["datasets"]
    lines = ["| data | endpoint | 1 client p50 ms | × floor | 20 clients req/s | server p50 ms under load | KB |",
             "|---|---|--:|--:|--:|--:|--:|"]
    lines += [f"| {r['dataset']} | {ENDPOINTS[r['endpoint']]} | {r['single_p50_ms']} | {r['x_floor']} | {r['rps']} "
              f"| {r['server_p50_ms']} | {r['kb']} |" for r in results]
    small, large = sets[0]["dataset"], sets[-1]["dataset"]
    by = {(r["dataset"], r["endpoint"]): r for r in results}
    lines += ["", f"| endpoint | {small} p50 ms | {large} p50 ms | {large} ÷ {small} | × floor {small} → {large} |",
              "|---|--:|--:|--:|--:|"]
    for endpoint, name in ENDPOINTS.items():
        a, b = by.get((small, endpoint)), by.get((large, endpoint))
        if a and b:
            ratio = round(b["single_p50_ms"] / a["single_p50_ms"], 2)
            lines.append(f"| {name} | {a['single_p50_ms']} | {b['single_p50_ms']} | **{ratio}** "
                         f"| {a['x_floor']} → {b['x_floor']} |")
    lines += ["", "| data | work orders | open | status changes |", "|---|--:|--:|--:|"]
    lines += [f"| {d['dataset']} | {d['work_orders']} | {d['open']} | {d['status_changes']} |" for d in sets]
    lines += ["", "| generated | orders | callbacks | visits | visit steps | insert s | KPI rebuild s |",
              "|---|--:|--:|--:|--:|--:|--:|"]
    lines += [f"| +{g['added']['orders']} | {g['work_orders']} in all | {g['added']['callbacks']} "
              f"| {g['added']['visits']} | {g['added']['visit_steps']} | {g['insert_s']} | {g['rebuild_s']} |"
              for g in report["generated"]]
    failed = sum(r["errors"] for r in results)
    if failed:
        lines += ["", f"**{failed} failed requests**"]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--out", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--workers", required=True)
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    report = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit(), "machine": machine(),
              "config": {"database": args.database, "workers": args.workers}, "results": rows(lines),
              "datasets": [line for line in lines if line.get("kind") == "dataset"],
              "generated": [line for line in lines if line.get("kind") == "generated"]}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print(markdown(report))


if __name__ == "__main__":
    main()
