"""A deadlock or serialization failure is retried inside the server; if it persists the answer is 503 with
Retry-After (the phone tries later), never 500, and nothing is kept from the failed attempts."""
import uuid

import psycopg.errors
import pytest
from sqlalchemy.exc import OperationalError

from app import conflicts
from app.commands.models import Command
from app.extensions import db
from app.visits import services as visits
from app.work_orders.models import WorkOrder
from tests.commands.test_commands_api import send


def collide(monkeypatch, times):
    """visits.advance meets a deadlock `times` times, then works."""
    real, calls = visits.advance, []

    def advance(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("SELECT … FOR NO KEY UPDATE", {}, psycopg.errors.DeadlockDetected("deadlock"))
        return real(*args, **kwargs)

    monkeypatch.setattr(visits, "advance", advance)
    monkeypatch.setattr(conflicts, "PAUSE_SECONDS", (0, 0.001))
    return calls


def test_a_deadlock_is_retried_and_the_command_applied_once(app, client, world, monkeypatch):
    calls = collide(monkeypatch, times=2)
    answer = send(world.as_(client, "technician"), world, "transition", {"action": "accept"})
    assert answer.status_code == 200 and len(calls) == 3
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        assert order.status == "accepted" and [c.action for c in order.history].count("accept") == 1
        assert db.session.query(Command).count() == 1


def test_a_conflict_that_persists_is_a_503_with_retry_after_and_keeps_nothing(app, client, world, monkeypatch):
    calls = collide(monkeypatch, times=100)
    key = str(uuid.uuid4())
    answer = send(world.as_(client, "technician"), world, "transition", {"action": "accept"}, client_uuid=key)
    assert answer.status_code == 503 and answer.get_json()["error"] == "busy"
    assert answer.headers["Retry-After"] == str(conflicts.RETRY_AFTER_SECONDS)
    assert len(calls) == conflicts.ATTEMPTS
    with app.app_context():
        assert db.session.query(Command).count() == 0  # the phone's retry will be the first time
        assert db.session.get(WorkOrder, world["order"]).status == "dispatched"


@pytest.mark.parametrize("error", [psycopg.errors.SerializationFailure, psycopg.errors.LockNotAvailable])
def test_serialization_failures_and_lock_timeouts_are_transient_too(error):
    assert conflicts.is_transient(OperationalError("UPDATE", {}, error("x")))


def test_other_database_errors_are_not_retried():
    assert not conflicts.is_transient(OperationalError("SELECT", {}, psycopg.errors.UndefinedTable("x")))


def test_a_photo_upload_that_meets_a_deadlock_is_read_again_and_kept(app, client, world, monkeypatch):
    from app.photos import services as photos
    from app.photos.models import Photo
    from tests.photos.test_photos import jpeg, upload

    phone = world.as_(client, "technician")
    for action in ("accept", "depart", "arrive"):
        send(phone, world, "transition", {"action": action})
    real, calls = photos.add_photo, []

    def add_photo(*args, **kwargs):
        calls.append(len(args[5]))  # the bytes read from the upload on this attempt
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, psycopg.errors.DeadlockDetected("deadlock"))
        return real(*args, **kwargs)

    monkeypatch.setattr(photos, "add_photo", add_photo)
    monkeypatch.setattr(conflicts, "PAUSE_SECONDS", (0, 0.001))
    assert upload(phone, world, jpeg(640, 480)).status_code == 200
    assert calls[0] == calls[1] > 0
    with app.app_context():
        assert db.session.query(Photo).count() == 1
