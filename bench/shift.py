"""A shift starting: 200 technicians' phones syncing within 60 s against gunicorn with 4 workers.

    python bench/shift.py [--database-url URL] [--phones 200] [--seconds 60] [--workers 4] [--batch]

Each phone, at its own moment of the minute: a static file (the floor, side by side), the bundle, the
bundle again with If-None-Match (a 304 when nothing changed), and five commands (accept, depart, arrive,
一敲, 一报) on its first job, one request each (as a phone sends what is tapped while it has signal). With
--batch the five go in one POST /commands/batch, as a phone sends what waited in its outbox.
The server's own time per request comes from gunicorn's access log (%(D)s), the SQL statements per request
from the app's request log (REQUEST_LOG=1, field "sql"). Prints a table: per kind the requests, errors,
server p50/p95, the ratio of the p50 to the static file's, and the SQL count. Writes
bench/results/shift-<database>[-batch].json.

Without --database-url (or TEST_DATABASE_URL) it makes a throwaway SQLite database; on a throwaway
PostgreSQL cluster: `scripts/with-postgres.sh .venv/bin/python bench/shift.py` (it sets TEST_DATABASE_URL).
The company is made with the test factories: two branches, an area each, the technicians split between
them, three jobs each (one to work on, two waiting), an API token each (as the phone holds).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from burst import Gunicorn  # noqa: E402
from load import Client, percentile  # noqa: E402
from report import commit, machine  # noqa: E402

STATIC = "/static/js/field/app.js"  # a module every phone loads
COMMANDS = (("transition", {"action": "accept"}), ("transition", {"action": "depart"}),
            ("transition", {"action": "arrive"}), ("step", {"step": "knock", "outcome": "done"}),
            ("step", {"step": "introduce", "outcome": "done"}))
JOBS_EACH = 3


def prepare(phones):
    """The company, inside an app context on a migrated empty database; [(token, first job id)]."""
    from app.auth.services import create_token
    from app.clocks.services import ensure_default_policies
    from app.extensions import db
    from app.visits.services import ensure_default_photo_rules
    from tests import factories

    ensure_default_policies()
    ensure_default_photo_rules()
    areas = [factories.area(factories.branch(code=code, name=name))
             for code, name in (("CD", "城东分公司"), ("CX", "城西分公司"))]
    dispatcher = factories.user("dispatcher")
    out = []
    for number in range(phones):
        area = areas[number % len(areas)]
        technician = factories.technician(area)
        estate = factories.estate(area)
        jobs = [factories.work_order(factories.household(estate), actor=dispatcher, technician_=technician)
                for _ in range(JOBS_EACH)]
        out.append((create_token(technician, "shift bench"), jobs[0].id))
        if number % 50 == 49:
            db.session.commit()
    db.session.commit()
    return out


def phone(url, token, job_id, start_at, answers, batch=False):
    """One phone's sync, on its own keep-alive connection, from its moment of the minute."""
    from urllib.parse import urlsplit

    host = urlsplit(url)
    client = Client(host.hostname, host.port)
    auth = {"Authorization": f"Bearer {token}"}
    time.sleep(max(0.0, start_at - time.monotonic()))

    def ask(kind, method, path, body=None, headers=None):
        started = time.perf_counter()
        try:
            status, data = client.request(method, path, body, {**auth, **(headers or {})})
        except OSError as error:
            status, data = 0, repr(error).encode()
        answers.append({"kind": kind, "status": status, "bytes": len(data), "s": time.perf_counter() - started})
        return status, data

    ask("static", "GET", STATIC)
    ask("bundle", "GET", "/api/v1/me/bundle")
    etag = client.last_headers.get("ETag", "") if hasattr(client, "last_headers") else ""
    ask("bundle 304", "GET", "/api/v1/me/bundle", headers={"If-None-Match": etag})
    commands = [{"client_uuid": str(uuid.uuid4()), "type": type_, "work_order_id": job_id, "payload": payload,
                 "device_time": datetime.now(UTC).isoformat()} for type_, payload in COMMANDS]
    if batch:
        body = json.dumps({"commands": commands}).encode()
        status, data = ask("batch of 5", "POST", "/api/v1/commands/batch", body, {"Content-Type": "application/json"})
        if status == 200 and any(r["http_status"] != 200 for r in json.loads(data)["results"]):
            answers[-1]["status"] = "an item refused"
        return
    for command in commands:
        ask("command", "POST", "/api/v1/commands", json.dumps(command).encode(), {"Content-Type": "application/json"})


def server_times(access_log):
    """{kind: [seconds]} from gunicorn's access log lines: method path status microseconds."""
    out = {}
    for line in Path(access_log).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        method, path, status, micro = parts
        kind = {"/api/v1/me/bundle": "bundle 304" if status == "304" else "bundle",
                "/api/v1/commands": "command", "/api/v1/commands/batch": "batch of 5", STATIC: "static"}.get(path)
        if kind:
            out.setdefault(kind, []).append(int(micro) / 1e6)
    return out


def sql_counts(request_log):
    """{kind: [statements]} from the app's JSON request lines (static files are not logged)."""
    out = {}
    for line in Path(request_log).read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        kind = {"/api/v1/me/bundle": "bundle 304" if entry["status"] == 304 else "bundle",
                "/api/v1/commands": "command", "/api/v1/commands/batch": "batch of 5"}.get(entry["path"])
        if kind and entry.get("sql") is not None:
            out.setdefault(kind, []).append(entry["sql"])
    return out


def table(rows):
    lines = ["| request | n | errors | server p50 ms | server p95 ms | × static p50 | SQL statements p50 (max) | KB |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    lines += [f"| {r['kind']} | {r['n']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} | **{r['x_static']}** "
              f"| {r['sql_p50']} ({r['sql_max']}) | {r['kb']} |" for r in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", action="store_true", help="each phone's five commands in one batch request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/shift.sqlite"
        os.environ.update(SHIFU_ENV="development", SECRET_KEY="shift", DATABASE_URL=database_url)
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db

        app = create_app()
        with app.app_context():
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            upgrade(directory=str(ROOT / "migrations"))
            plan = prepare(args.phones)
            dialect = db.engine.dialect.name
        access_log, request_log = Path(tmp) / "access.log", Path(tmp) / "requests.log"
        answers = []
        with Gunicorn(database_url, Path(tmp) / "files", workers=args.workers, log_path=request_log,
                      env={"REQUEST_LOG": "1"},
                      args=["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]
                      ) as server:
            begin = time.monotonic() + 1
            step = args.seconds / len(plan)
            threads = [threading.Thread(target=phone, args=(server.url, token, job, begin + i * step, answers,
                                                            args.batch)) for i, (token, job) in enumerate(plan)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.seconds + 300)
        times, sql = server_times(access_log), sql_counts(request_log)
    floor = statistics.median(times["static"])
    rows = []
    for kind in ("static", "bundle", "bundle 304", "batch of 5" if args.batch else "command"):
        mine = [a for a in answers if a["kind"] == kind]
        good = {"bundle 304": (304,)}.get(kind, (200,))
        seconds = times.get(kind, [])
        rows.append({"kind": kind, "n": len(mine), "errors": sum(a["status"] not in good for a in mine),
                     "p50_ms": round(percentile(seconds, 0.5) * 1000, 2),
                     "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
                     "x_static": round(statistics.median(seconds) / floor, 1),
                     "sql_p50": statistics.median(sql[kind]) if kind in sql else 0,
                     "sql_max": max(sql[kind]) if kind in sql else 0,
                     "kb": round(statistics.median(a["bytes"] for a in mine) / 1024, 1)})
    report = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit(), "machine": machine(),
              "database": dialect, "phones": args.phones, "seconds": args.seconds, "workers": args.workers,
              "rows": rows}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"shift-{dialect}{'-batch' if args.batch else ''}.json"
    (out / name).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{dialect}, {args.phones} phones over {args.seconds:g} s, gunicorn {args.workers} workers"
          + (", each phone's five commands in one batch" if args.batch else ""))
    print(table(rows))


if __name__ == "__main__":
    main()
