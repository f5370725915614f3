"""The end of a working day at one instant: signings and transitions from six technicians on two branches,
all sent at once to gunicorn with four workers. Prints a JSON summary (answers by status, p50/p95).

    python bench/burst.py [--database-url URL] [--workers 4] [--per-technician 10,7]

Without --database-url it makes a throwaway SQLite database (bench/run.sh's DATABASE=postgresql runs
it inside a throwaway PostgreSQL cluster). tests/test_burst.py runs the same burst on both databases
and checks what must hold (no 5xx, serials consecutive per branch, nothing twice); this script only
measures. The data is made with the test factories, so the burst needs no demo company.
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from load import Client, percentile  # noqa: E402

BRANCHES = (("CD", "城东分公司"), ("CX", "城西分公司"))


@dataclass
class Plan:
    """Who sends what: each technician's username and the commands he sends at the instant."""

    commands: dict = field(default_factory=dict)  # username → [command body]
    branch_of: dict = field(default_factory=dict)  # username → branch code


def prepare(signings, transitions, technicians_per_branch=3):
    """Inside an app context, on an empty migrated database: two branches, three technicians each, every
    one with `signings` orders on site waiting for the customer's signature and `transitions` orders
    dispatched to him (each to be accepted). Commits; returns the Plan."""
    from app.clocks.services import ensure_default_policies
    from app.extensions import db
    from app.visits.services import ensure_default_photo_rules
    from tests import factories
    from tests.service_slips.conftest import as_json, choices, on_site_with_repair, signed_as_phone

    ensure_default_policies()
    ensure_default_photo_rules()
    plan = Plan()
    for code, name in BRANCHES:
        area = factories.area(factories.branch(code=code, name=name))
        for _ in range(technicians_per_branch):
            tech = factories.technician(area)
            commands = []
            for _ in range(signings):
                order, _ = on_site_with_repair(area, category="repair", fault_location="company", resolution="free",
                                               tech=tech)
                commands.append(_command("sign_slip", order.id,
                                         as_json(signed_as_phone(tech, order, choices(method="none")))))
            for _ in range(transitions):
                order = factories.work_order(factories.household(factories.estate(area)), technician_=tech)
                commands.append(_command("transition", order.id, {"action": "accept"}))
            plan.commands[tech.username] = commands
            plan.branch_of[tech.username] = code
    db.session.commit()
    return plan


def _command(type_, order_id, payload):
    return {"client_uuid": str(uuid.uuid4()), "type": type_, "work_order_id": order_id, "payload": payload}


def phones(url, plan):
    """One signed-in client (own connection, own session) per command, so all can be in flight at once."""
    from tests import factories

    host = urlsplit(url)
    out = []
    for username, commands in plan.commands.items():
        for command in commands:
            client = Client(host.hostname, host.port)
            client.sign_in(username, factories.PASSWORD)
            status, data = client.request("GET", "/api/v1/session")
            client.csrf = json.loads(data)["csrf_token"]
            out.append((client, username, command))
    return out


def fire(senders, floor=False):
    """Every command sent at the same instant (a barrier); returns [(username, command, status, body, s)].
    `floor`: the same clients send GET /api/v1/me instead, the cheapest signed-in answer, for the ratio."""
    barrier = threading.Barrier(len(senders))
    answers = []

    def send(client, username, command):
        body = json.dumps(command, ensure_ascii=False).encode()
        barrier.wait()
        started = time.perf_counter()
        try:
            if floor:
                status, data = client.request("GET", "/api/v1/me")
            else:
                status, data = client.request("POST", "/api/v1/commands", body,
                                              {"Content-Type": "application/json", "X-CSRFToken": client.csrf})
        except (OSError, http.client.HTTPException) as error:
            status, data = 0, repr(error).encode()
        answers.append((username, command, status, data, time.perf_counter() - started))

    threads = [threading.Thread(target=send, args=sender) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def summary(answers):
    latencies = [answer[4] for answer in answers]
    statuses = {}
    for answer in answers:
        statuses[str(answer[2])] = statuses.get(str(answer[2]), 0) + 1
    return {"commands": len(answers), "statuses": statuses,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1)}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """The app under gunicorn (sync workers, as `bench/serve.sh` and production run it) on a free port."""

    def __init__(self, database_url, files_root, workers=4, log_path=None, env=None, args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SHIFU_ENV": "development", "SECRET_KEY": f"burst-{uuid.uuid4()}",
               "SECURE_COOKIES": "0", "DATABASE_URL": database_url, "FILES_ROOT": str(files_root),
               "LOGIN_RATE_LIMIT": "100000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute",
               **(env or {})}
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="shifu-burst-", suffix=".log")[1])
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (held for the life of the server, closed in stop)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--no-control-socket",
             "--timeout", "120", *args, "wsgi:app"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self):
        for _ in range(150):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/api/v1/session")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()[-2000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-technician", default="10,7", help="signings,transitions per technician")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    signings, transitions = (int(n) for n in args.per_technician.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/burst.sqlite"
        os.environ.update(SHIFU_ENV="development", SECRET_KEY="burst", DATABASE_URL=database_url)
        from flask_migrate import upgrade

        from app import create_app

        app = create_app({"SHIFU_FILES_ROOT": f"{tmp}/files"})
        with app.app_context():
            _empty(app)
            upgrade()
            plan = prepare(signings, transitions)
        with Gunicorn(database_url, f"{tmp}/files", args.workers, Path(tmp) / "gunicorn.log") as server:
            senders = phones(server.url, plan)
            floor = summary(fire(senders, floor=True))
            answers = summary(fire(senders))
        result = {"label": args.label, "database": database_url.split(":", 1)[0], "workers": args.workers,
                  **answers, "floor": floor,
                  "p50_ratio": round(answers["p50_ms"] / floor["p50_ms"], 1),
                  "p95_ratio": round(answers["p95_ms"] / floor["p95_ms"], 1)}
        print(json.dumps(result, ensure_ascii=False))


def _empty(app):
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


if __name__ == "__main__":
    main()
