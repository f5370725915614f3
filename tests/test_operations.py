"""What the load balancer and the operator see: /healthz, /readyz naming what is not ready, and one JSON line
per request with its id, status, duration and user."""
import json
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.conftest import sign_in


def test_healthz_answers_without_credentials_or_the_database(client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (200, {"status": "ok"})


def test_readyz_checks_the_database_and_the_store(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_readyz_is_503_naming_a_store_that_cannot_be_written(app, client, monkeypatch, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setitem(app.config, "SHIFU_FILES_ROOT", str(blocked / "files"))
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.get_json()["checks"]["storage"] != "ok"
    assert answer.get_json()["checks"]["database"] == "ok"


def test_every_request_is_one_json_line_with_its_id_and_user(app, client, world, caplog):
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        sign_in(client, db.session.get(User, world["dispatcher"]))
    with caplog.at_level(logging.INFO, logger="shifu.requests"):
        answer = client.get("/api/v1/me", headers={"X-Request-ID": "abc12345-lb"})
        client.get("/healthz")
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "shifu.requests"]
    assert len(lines) == 1 and answer.headers["X-Request-ID"] == "abc12345-lb"
    line = lines[0]
    assert (line["request_id"], line["method"], line["path"], line["status"], line["user_id"]) == (
        "abc12345-lb", "GET", "/api/v1/me", 200, world["dispatcher"])
    assert line["ms"] >= 0
    assert line["sql"] >= 1  # the statements the request sent (the user's session, at least)


def test_the_line_of_a_request_that_wrote_sends_no_statement(app, client, world, caplog):
    """After the view's commit its user is expired: the line names the user from its identity, without loading it
    again (a transaction and a query on every write)."""
    from app.extensions import db
    from tests.commands.test_commands_api import send

    world.as_(client, "technician")
    committed, after_commit = [], []
    with app.app_context():
        engine = db.engine

    def on_commit(_session):
        committed.append(1)

    def on_statement(_conn, _cursor, statement, *_args):
        if committed:
            after_commit.append(statement)

    event.listen(Session, "after_commit", on_commit)
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        with caplog.at_level(logging.INFO, logger="shifu.requests"):
            answer = send(client, world, "transition", {"action": "accept"})
    finally:
        event.remove(Session, "after_commit", on_commit)
        event.remove(engine, "before_cursor_execute", on_statement)
    line = json.loads([r.getMessage() for r in caplog.records if r.name == "shifu.requests"][-1])
    assert answer.status_code == 200 and committed and line["user_id"] == world["technician"]
    assert after_commit == []


def test_a_request_id_that_is_not_one_is_replaced(client):
    answer = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script> and a very long tail"})
    assert len(answer.headers["X-Request-ID"]) == 32 and "<" not in answer.headers["X-Request-ID"]
