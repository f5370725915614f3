"""Security from the first line: hashing, rate limits, CSRF, tokens, headers, redirects, cookies."""
import re
from pathlib import Path

import pytest

from app.auth.models import ApiToken, User
from app.auth.services import authenticate
from app.config import ConfigError, load_settings
from app.extensions import db
from app.work_orders.models import WorkOrder
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_passwords_are_hashed_with_argon2id(ctx):
    user = factories.user("dispatcher")
    assert user.password_hash.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in user.password_hash
    assert authenticate(user.username, factories.PASSWORD) == user
    assert authenticate(user.username, "wrong") is None
    assert authenticate("nobody", factories.PASSWORD) is None


def test_a_disabled_user_cannot_sign_in(ctx):
    user = factories.user("dispatcher", active=False)
    assert authenticate(user.username, factories.PASSWORD) is None


def _login(client, username, password):
    return client.post("/api/v1/session", json={"username": username, "password": password})


def test_login_attempts_are_rate_limited(app, client):
    with app.app_context():
        username = factories.user("technician").username
        db.session.commit()
    app.config["SHIFU_LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [_login(client, username, "wrong").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        assert _login(client, username, factories.PASSWORD).status_code == 429
        assert client.get("/api/v1/session").get_json()["authenticated"] is False
    finally:
        app.config["SHIFU_LOGIN_RATE_LIMIT"] = "1000 per minute"


def test_signing_in_through_the_api_starts_a_session(app, client):
    with app.app_context():
        username = factories.user("technician").username
        db.session.commit()
    response = _login(client, username, factories.PASSWORD)
    assert response.status_code == 200 and response.get_json()["user"]["role"] == "technician"
    assert client.get("/api/v1/me/jobs").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/me/jobs").status_code == 401


def test_a_browser_write_without_the_csrf_token_is_refused_and_changes_nothing(app, client, world):
    world.as_(client, "dispatcher")
    client.csrf = False
    response = client.post("/api/v1/work-orders", json={
        "household_id": world["household"], "channel": "hotline", "category": "repair", "description": "不热"})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf_failed"
    page = client.post(f"/work-orders/{world['order']}/transition", data={"action": "cancel", "reason": "x"})
    assert page.status_code == 400 and "页面已过期" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(WorkOrder).count() == 2
        assert db.session.get(WorkOrder, world["order"]).status == "dispatched"


def _token_for(app, role):
    with app.app_context():
        username = factories.user(role, username=f"hotline-12345-{role}").username
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["create-token", username, "--label", "12345 热线对接"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_an_integration_opens_orders_with_a_bearer_token_and_no_csrf(app, client, world):
    token = _token_for(app, "dispatcher")
    client.csrf = False
    response = client.post("/api/v1/work-orders", headers={"Authorization": f"Bearer {token}"}, json={
        "account_number": "0101020301", "channel": "hotline_12345", "category": "repair",
        "description": "12345 转办:家中不热"})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        assert db.session.query(ApiToken).one().token_hash != token  # only the digest is stored


def test_a_wrong_bearer_token_is_401_even_with_a_session(app, client, world):
    world.as_(client, "dispatcher")
    response = client.get("/api/v1/work-orders", headers={"Authorization": "Bearer shifu_not-a-token"})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_a_token_keeps_its_users_role(app, client, world):
    token = _token_for(app, "back_office")
    response = client.post("/api/v1/work-orders", headers={"Authorization": f"Bearer {token}"}, json={
        "household_id": world["household"], "channel": "hotline", "category": "repair", "description": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_login_redirects_only_within_this_site(app, client, target):
    with app.app_context():
        username = factories.user("dispatcher").username
        db.session.commit()
    response = client.post("/login", data={"username": username, "password": factories.PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dispatch/board"


def test_login_follows_a_local_next(app, client):
    with app.app_context():
        username = factories.user("dispatcher").username
        db.session.commit()
    response = client.post("/login", data={"username": username, "password": factories.PASSWORD,
                                           "next": "/dispatch/intake"})
    assert response.headers["Location"] == "/dispatch/intake"


def test_a_wrong_password_on_the_page_says_so(app, client):
    response = client.post("/login", data={"username": "nobody", "password": "x"})
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\sstyle=|<style", text), template
        assert not re.search(r"\son[a-z]+=", text), template


def test_session_cookies_are_httponly_and_samesite(client):
    response = client.get("/api/v1/session")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_needs_a_secret_key_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SHIFU_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_settings(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    settings = load_settings(tmp_path).as_flask_config()
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


def test_production_with_a_job_queue_needs_the_public_address(monkeypatch, tmp_path):
    """A worker renders the slip's PDF with no request: without SHIFU_PUBLIC_URL its QR code would open
    nowhere, so the app refuses to start rather than print such slips."""
    monkeypatch.setenv("SHIFU_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("QUEUE_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.delenv("SHIFU_PUBLIC_URL", raising=False)
    with pytest.raises(ConfigError, match="SHIFU_PUBLIC_URL"):
        load_settings(tmp_path)
    monkeypatch.setenv("SHIFU_PUBLIC_URL", "https://fuwu.example.cn/")
    assert load_settings(tmp_path).public_url == "https://fuwu.example.cn"
    monkeypatch.setenv("SHIFU_ENV", "development")  # trying the app with a queue needs no public address
    monkeypatch.delenv("SHIFU_PUBLIC_URL")
    assert load_settings(tmp_path).queue_url


def test_the_user_table_never_holds_a_plain_password(ctx):
    user = factories.user("admin")
    assert factories.PASSWORD not in db.session.get(User, user.id).password_hash


def test_behind_a_proxy_the_forwarded_scheme_and_address_are_believed():
    from flask import Flask, request

    from app import trust_proxies

    app = Flask(__name__)
    app.config["SHIFU_PROXY_COUNT"] = 1
    trust_proxies(app)
    app.get("/probe")(lambda: {"scheme": request.scheme, "remote": request.remote_addr})
    seen = app.test_client().get("/probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
    assert seen.get_json() == {"scheme": "https", "remote": "10.1.2.3"}
