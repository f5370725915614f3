"""Two app servers (two gunicorn processes) counting sign-in failures in one Redis (RATELIMIT_STORAGE_URI, the
production setting): a guesser spreading attempts over both is stopped at the limit, not at twice it."""
import json
import sys
from pathlib import Path

import pytest

from app.extensions import db
from tests import factories

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import burst  # noqa: E402
from load import Client  # noqa: E402


@pytest.fixture
def two_servers(app, redis_url, tmp_path):
    env = {"RATELIMIT_STORAGE_URI": redis_url, "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 15 minutes"}
    config = app.config
    with burst.Gunicorn(config["SQLALCHEMY_DATABASE_URI"], config["SHIFU_FILES_ROOT"], workers=1, env=env,
                        log_path=tmp_path / "a.log") as first, \
         burst.Gunicorn(config["SQLALCHEMY_DATABASE_URI"], config["SHIFU_FILES_ROOT"], workers=1, env=env,
                        log_path=tmp_path / "b.log") as second:
        yield first, second


def sign_in(server, username, password):
    client = Client("127.0.0.1", server.port)
    body = json.dumps({"username": username, "password": password}).encode()
    status, _data = client.request("POST", "/api/v1/session", body, {"Content-Type": "application/json"})
    return status


def test_failed_sign_ins_on_two_servers_count_together(app, two_servers):
    with app.app_context():
        factories.user("dispatcher", username="liuting")
        db.session.commit()
    first, second = two_servers
    assert [sign_in(first, "liuting", "wrong"), sign_in(second, "liuting", "wrong"),
            sign_in(first, "liuting", "wrong")] == [401, 401, 401]
    assert sign_in(second, "liuting", "wrong") == 429  # the fourth, on the other server
    assert sign_in(second, "someone-else", factories.PASSWORD) in (401, 200)  # another account is not held back
