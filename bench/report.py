"""Turn the JSON lines of a bench/run.sh run into one JSON file and a Markdown table (on stdout).

Absolute numbers depend on the machine and on whatever else it is doing, so each endpoint is also
given as a ratio to the floor (GET /api/v1/session, signed in) measured just before it on the same
server: latency × floor (how many floor requests one request costs) and rps ÷ floor.
"""
import argparse
import json
import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from statistics import median

ENDPOINTS = {
    "floor": "floor: `GET /api/v1/session`",
    "my_jobs": "job list: `GET /api/v1/me/jobs` (T1001)",
    "board": "dispatch board: `GET /dispatch/board`",
    "work_orders_api": "`GET /api/v1/work-orders?per_page=50`",
}


def row(run, floor):
    single, many = run["single"], run["concurrent"]
    dataset, endpoint = run["label"].split("|")
    return {
        "dataset": dataset, "endpoint": endpoint, "path": run["path"], "user": run["user"],
        "kb": round(run["bytes"] / 1024, 1), "single_p50_ms": single["p50_ms"],
        "rps": many["rps"], "p50_ms": many["p50_ms"], "p95_ms": many["p95_ms"], "p99_ms": many["p99_ms"],
        "server_single_p50_ms": single.get("server_p50_ms"), "server_p50_ms": many.get("server_p50_ms"),
        "errors": single["errors"] + many["errors"], "first_error": many["first_error"],
        "loadavg_1m": run["loadavg_1m"],
        "latency_x_floor": round(single["p50_ms"] / floor["single"]["p50_ms"], 1),
        "rps_of_floor": round(many["rps"] / floor["concurrent"]["rps"], 3),
        "p95_x_floor": round(many["p95_ms"] / floor["concurrent"]["p95_ms"], 1),
    }


def rows(lines):
    """Every endpoint against the floor run just before it; one floor row per dataset (medians)."""
    out, floors, last_floor = [], {}, None
    for line in lines:
        if line.get("kind") or "label" not in line:
            continue
        dataset, endpoint = line["label"].split("|")
        if endpoint == "floor":
            last_floor = line
            floors.setdefault(dataset, []).append(line)
        else:
            out.append(row(line, last_floor))
    for runs in floors.values():
        typical = {phase: {key: median(r[phase][key] for r in runs) for key in keys}
                   for phase, keys in (("single", ("p50_ms", "p95_ms")), ("concurrent", ("p50_ms", "p95_ms", "rps")))}
        first = runs[0]
        merged = {**first, "single": {**first["single"], **typical["single"]},
                  "concurrent": {**first["concurrent"], **typical["concurrent"]}}
        out.append(row(merged, merged) | {"floor_runs": len(runs)})
    order = list(ENDPOINTS)
    datasets = list(floors)
    return sorted(out, key=lambda r: (datasets.index(r["dataset"]), order.index(r["endpoint"])))


def machine():
    with open("/proc/meminfo") as f:
        meminfo = dict(line.split(":", 1) for line in f)
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")),
                     platform.machine())
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gb": round(int(meminfo["MemTotal"].split()[0]) / 2**20, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "gunicorn": version("gunicorn"), "sqlalchemy": version("sqlalchemy"), "os": platform.platform()}


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except OSError:
        return None


def markdown(report):
    c = report["config"]
    lines = [f"{c['database']}, gunicorn {c['workers']} workers × {c['threads']} threads, {c['clients']} clients "
             f"for {c['seconds']} s per endpoint; {report['machine']['cpus']} CPUs; commit {report['commit']}", "",
             "| data | endpoint | 1 client p50 ms | × floor | 20 clients req/s | ÷ floor | p95 ms | × floor "
             "| server p50 ms under load | KB |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in report["results"]:
        lines.append(f"| {r['dataset']} | {ENDPOINTS[r['endpoint']]} | {r['single_p50_ms']} | {r['latency_x_floor']} "
                     f"| {r['rps']} | {r['rps_of_floor']} | {r['p95_ms']} | {r['p95_x_floor']} "
                     f"| {r['server_p50_ms']} | {r['kb']} |")
    lines += ["", "| data | work orders | open | T1001's open jobs | status changes | worker RSS MB idle "
              "| after the load | peak |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for d in report["datasets"]:
        lines.append(f"| {d['dataset']} | {d['work_orders']} | {d['open']} | {d['jobs_of_T1001']} "
                     f"| {d['status_changes']} | {mb(d['idle_mb'])} | {mb(d['rss_mb'])} | {mb(d['peak_mb'])} |")
    failed = [r for r in report["results"] if r["errors"]]
    if failed:
        count = sum(r["errors"] for r in failed)
        lines += ["", f"**{count} failed requests**; first: {failed[0]['first_error']}"]
    return "\n".join(lines)


def mb(values):
    return ", ".join(map(str, values))


def datasets(lines):
    out = {}
    for line in lines:
        if line.get("kind") == "dataset":
            out[line["dataset"]] = {**line, "idle_mb": [], "rss_mb": [], "peak_mb": []}
        elif line.get("kind") == "memory" and line["when"] == "idle":
            out[line["dataset"]]["idle_mb"].append(round(line["rss_kb"] / 1024))
        elif line.get("kind") == "memory":
            out[line["dataset"]]["rss_mb"].append(round(line["rss_kb"] / 1024))
            out[line["dataset"]]["peak_mb"].append(round(line["hwm_kb"] / 1024))
    return [{k: v for k, v in d.items() if k != "kind"} for d in out.values()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--out", required=True)
    for name in ("database", "workers", "threads", "clients", "seconds"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    report = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit(), "machine": machine(),
              "config": {k: getattr(args, k) for k in ("database", "workers", "threads", "clients", "seconds")},
              "results": rows(lines), "datasets": datasets(lines)}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print(markdown(report))


if __name__ == "__main__":
    main()
