"""Every write path takes its row locks in the one order of app/locks.py (docs/sync.md), and only that way."""
import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import counted_queries
from tests.service_slips.conftest import as_user
from tests.service_slips.test_slips_api import sign_command

APP = Path(__file__).resolve().parents[2] / "app"
LOCKS = ("work_orders", "callbacks", "users", "counters")  # locks 2–5 of app/locks.py


def test_every_row_lock_is_taken_through_app_locks():
    """A bare FOR UPDATE waits for the KEY SHARE locks of foreign-key checks: the deadlock of issue 18."""
    offenders = [str(path.relative_to(APP)) for path in APP.rglob("*.py")
                 if path.name != "locks.py" and re.search(r"with_for_update|FOR UPDATE", path.read_text())]
    assert offenders == []


def locks_taken(statements):
    """The lockable tables in the order the statements first locked them."""
    order = []
    for statement in statements:
        flat = " ".join(statement.split())
        match = (re.search(r"FOR NO KEY UPDATE OF (\w+)", flat)  # a lock that reads joined rows names its table
                 or re.search(r"FROM (\w+) WHERE .* FOR NO KEY UPDATE", flat) or re.match(r"UPDATE (counters)\b", flat))
        if match and match.group(1) in LOCKS and match.group(1) not in order:
            order.append(match.group(1))
        assert " FOR UPDATE" not in flat, flat
    return order


def test_a_signing_locks_the_order_then_the_technician_then_the_serial(app, client, shop):
    command = sign_command(app, shop, lines=[("PJ-002", "1", "customer")], method="cash", collected=3000)
    as_user(client, shop["tech"])
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes no row locks: one writer at a time")
        with counted_queries() as statements:
            assert client.post("/api/v1/commands", json=command).status_code == 200
    assert locks_taken(statements) == ["work_orders", "users", "counters"]


def test_a_void_locks_the_order_before_the_technician(app, client, shop):
    as_user(client, shop["back_office"])
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes no row locks: one writer at a time")
        with counted_queries() as statements:
            answer = client.post(f"/api/v1/slips/{shop['slip']}/void", json={"reason": "金额写错"})
            assert answer.status_code == 200, answer.get_json()
    assert locks_taken(statements) == ["work_orders", "users"]
