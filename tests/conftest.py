"""Fixtures: one app and one migrated database per run (SQLite, or TEST_DATABASE_URL), emptied after each test."""
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

os.environ["SHIFU_ENV"] = "testing"

from app import create_app
from app.clocks.services import ensure_default_policies
from app.extensions import db, limiter
from app.visits.services import ensure_default_photo_rules
from tests import factories

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class CsrfClient(FlaskClient):
    """A browser-like client: it sends the session's CSRF token on every write, as our pages and JS do."""

    csrf = True

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if self.csrf and method not in ("GET", "HEAD", "OPTIONS") and "Authorization" not in kwargs.get(
            "headers", {}
        ):
            headers = dict(kwargs.pop("headers", {}) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self):
        return super().open("/api/v1/session").get_json()["csrf_token"]


def _database_url(tmp_dir):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.sqlite"


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory() as tmp_dir:
        app = create_app({
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_dir),
            "SESSION_COOKIE_SECURE": False,
            "SHIFU_FILES_ROOT": f"{tmp_dir}/files",
            "REMEMBER_COOKIE_SECURE": False,
            "SHIFU_LOGIN_RATE_LIMIT": "1000 per minute",
            "SHIFU_LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        })
        app.test_client_class = CsrfClient
        with app.app_context():
            _migrate_fresh()
        yield app
        with app.app_context():
            db.engine.dispose()


def _migrate_fresh():
    from flask_migrate import upgrade

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()


@pytest.fixture(autouse=True)
def _empty_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        _empty_tables()
        limiter.reset()


def _empty_tables(attempts=10):
    """Every table emptied. A browser test's page may leave a request running in the live server (a sync,
    a PDF) when it ends; on PostgreSQL its locks and TRUNCATE's can deadlock, and the loser is retried."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name != "alembic_version"]
    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                if db.engine.dialect.name == "postgresql":
                    connection.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"))
                else:
                    for table in tables:
                        connection.execute(table.delete())
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, user):
    """The client signed in as `user`, as the login page would leave it (a live session on the server)."""
    from app.auth import sessions

    with client.application.test_request_context():
        from flask import session as started

        sessions.start(user)
        key = started[sessions.SESSION_KEY]
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = key
    return client


BUCKET = "shifu-test"


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1 (from PyPI), with a bucket: the object store of the tests."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway redis-server (Debian's) on 127.0.0.1, for the tests of what several app servers share."""
    import shutil
    import socket
    import subprocess

    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: scripts/system-packages.sh test installs it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                               "no", "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP for the browser tests."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai"}


class World(dict):
    """Ids of a small company, committed, for tests that go through HTTP."""

    def as_(self, client, role):
        from app.auth.models import User

        with client.application.app_context():
            sign_in(client, db.session.get(User, self[role]))
        return client


@pytest.fixture
def world(app):
    with app.app_context():
        ensure_default_policies()
        ensure_default_photo_rules()
        area = factories.area()
        tech = factories.technician(area)
        other_tech = factories.technician(area)
        dispatcher = factories.user("dispatcher")
        household = factories.household(factories.estate(area), phone="13812345678", account_number="0101020301")
        order = factories.work_order(household, actor=dispatcher, technician_=tech)
        other_order = factories.work_order(household, actor=dispatcher, technician_=other_tech)
        ids = World(
            area=area.id, technician=tech.id, other_technician=other_tech.id, dispatcher=dispatcher.id,
            back_office=factories.user("back_office").id, admin=factories.user("admin").id,
            household=household.id, order=order.id, other_order=other_order.id,
        )
        db.session.commit()
    return ids


def open_desk(browser, live_server, username, password=factories.PASSWORD):
    """A desktop browser signed in to the desk; `page.problems` collects console errors (CSP included)."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名 / 工号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def beijing(year, month, day, hour, minute=0):
    """A Beijing wall-clock time as the aware UTC moment the database keeps."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


@contextmanager
def counted_queries():
    """The SQL statements sent inside the block."""
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
