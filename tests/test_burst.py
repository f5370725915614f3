"""100 signings and transitions at one instant, over real HTTP, to gunicorn with four workers (on SQLite and on
PostgreSQL, whichever the suite runs on): no answer is a 5xx, nothing is applied twice, and each branch's
slip serials run on without a gap. bench/burst.py measures the same burst for BENCHMARKS.md."""
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from app.commands.models import Command
from app.extensions import db
from app.service_slips.models import Slip
from app.work_orders.models import WorkOrder

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import burst  # noqa: E402

SIGNINGS, TRANSITIONS = 10, 7  # per technician: six technicians, 102 commands


@pytest.fixture
def server(app, tmp_path):
    with burst.Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], app.config["SHIFU_FILES_ROOT"], workers=4,
                        log_path=tmp_path / "gunicorn.log") as running:
        yield running


def serials_by_branch():
    serials = defaultdict(list)
    for serial in db.session.execute(db.select(Slip.serial)).scalars():
        code, _year, number = re.fullmatch(r"([A-Z]+)-(\d{4})-(\d{6})", serial).groups()
        serials[code].append(int(number))
    return {code: sorted(numbers) for code, numbers in serials.items()}


def test_a_burst_of_signings_and_transitions_answers_no_5xx_and_numbers_without_gaps(app, server):
    with app.app_context():
        plan = burst.prepare(SIGNINGS, TRANSITIONS)
    senders = burst.phones(server.url, plan)
    answers = burst.fire(senders)

    failed = [(a[2], a[3][:300]) for a in answers if a[2] != 200]
    assert failed == [], f"{len(failed)} of {len(answers)} not applied; gunicorn: {server.log_path}"
    with app.app_context():
        assert serials_by_branch() == {code: list(range(1, 3 * SIGNINGS + 1)) for code, _ in burst.BRANCHES}
        assert db.session.query(Command).count() == len(answers)
        accepted = db.session.query(WorkOrder).filter_by(status="accepted").count()
        assert accepted == 6 * TRANSITIONS

    again = burst.fire(senders)  # the phones did not hear the answers: all sent again, with the same uuids
    assert {a[2] for a in again} == {200}
    assert all(json.loads(a[3])["replayed"] for a in again)
    with app.app_context():
        assert db.session.query(Slip).count() == 6 * SIGNINGS and db.session.query(Command).count() == len(answers)
