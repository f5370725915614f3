"""Signing out signs out: sessions end on the server, and so do a new password, a reset and a deactivation;
tokens can be listed and revoked; sign-in limits count failures, per account; no credentials is a 401."""
import pytest

from app.auth import services
from app.auth.models import ApiToken, User, UserSession
from app.extensions import db
from app.work_orders.models import WorkOrder
from tests import factories

NEW_ORDER = {"channel": "hotline", "category": "repair", "description": "暖气不热"}


def desk_login(client, username, password=factories.PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": client.csrf_token()})


def copy_of_cookie(app, client):
    """Another browser holding a copy of `client`'s session cookie, taken now."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def user_named(app, role, **extra):
    with app.app_context():
        user = factories.user(role, **extra)
        db.session.commit()
        return user.username, user.id


def test_a_cookie_copied_before_signing_out_opens_nothing_afterwards(app, client, world):
    username, _ = user_named(app, "dispatcher")
    assert desk_login(client, username).status_code == 302
    thief = copy_of_cookie(app, client)
    token = client.csrf_token()
    assert thief.get("/dispatch/board").status_code == 200  # the copy works while the session lives
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 302
    assert thief.get("/dispatch/board").status_code == 302  # to the login page
    answer = thief.post("/api/v1/work-orders", headers={"X-CSRFToken": token},
                        json={**NEW_ORDER, "household_id": world["household"]})
    assert answer.status_code == 401
    with app.app_context():
        assert db.session.query(WorkOrder).count() == 2


def test_a_phones_cookie_copied_before_signing_out_gets_no_bundle(app, client):
    username, _ = user_named(app, "technician")
    client.post("/api/v1/session", json={"username": username, "password": factories.PASSWORD})
    thief = copy_of_cookie(app, client)
    assert thief.get("/api/v1/me/bundle").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert thief.get("/api/v1/me/bundle").status_code == 401


def test_signing_out_one_browser_leaves_the_users_other_browser_signed_in(app, client):
    username, _ = user_named(app, "dispatcher")
    other = app.test_client()
    desk_login(client, username)
    desk_login(other, username)
    client.post("/logout", headers={"X-CSRFToken": client.csrf_token()})
    assert other.get("/dispatch/board").status_code == 200


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_a_new_password_or_a_deactivation_ends_every_session_and_token(app, client, change):
    username, user_id = user_named(app, "dispatcher")
    desk_login(client, username)
    phone = app.test_client()
    phone.post("/api/v1/session", json={"username": username, "password": factories.PASSWORD})
    with app.app_context():
        token = services.create_token(db.session.get(User, user_id), "热线对接")
        db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me").status_code == phone.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    with app.app_context():
        user = db.session.get(User, user_id)
        if change == "password":
            services.change_password(user, user, "a new long password")
        else:
            services.deactivate(None, user)
        db.session.commit()
    for browser in (client, phone):
        assert browser.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    with app.app_context():
        assert db.session.query(UserSession).filter_by(user_id=user_id, ended_at=None).count() == 0


def test_an_admin_lists_and_revokes_a_users_tokens_from_the_command_line(app, client):
    username, user_id = user_named(app, "dispatcher")
    with app.app_context():
        user = db.session.get(User, user_id)
        keep, drop = services.create_token(user, "保留"), services.create_token(user, "泄露")
        db.session.commit()
        drop_id = db.session.execute(db.select(ApiToken.id).filter_by(label="泄露")).scalar_one()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["list-tokens", username]).output
    assert "保留" in listed and "泄露" in listed and listed.count("active") == 2
    assert runner.invoke(args=["revoke-token", str(drop_id)]).exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {drop}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {keep}"}).status_code == 200
    assert runner.invoke(args=["sign-out-user", username]).exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {keep}"}).status_code == 401


@pytest.fixture
def tight_limits(app):
    saved = app.config["SHIFU_LOGIN_RATE_LIMIT"], app.config["SHIFU_LOGIN_ACCOUNT_RATE_LIMIT"]
    app.config["SHIFU_LOGIN_RATE_LIMIT"] = "10 per minute;50 per hour"
    app.config["SHIFU_LOGIN_ACCOUNT_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["SHIFU_LOGIN_RATE_LIMIT"], app.config["SHIFU_LOGIN_ACCOUNT_RATE_LIMIT"] = saved


def sign_in_api(app, username, password=factories.PASSWORD):
    return app.test_client().post("/api/v1/session", json={"username": username, "password": password}).status_code


def test_a_shift_of_technicians_signing_in_from_one_address_is_never_refused(app, tight_limits):
    with app.app_context():
        names = [factories.user("technician").username for _ in range(60)]
        db.session.commit()
    assert [sign_in_api(app, name) for name in names] == [200] * 60


def test_failures_count_per_account_and_a_neighbours_right_password_still_works(app, tight_limits):
    guessed, _ = user_named(app, "technician")
    neighbour, _ = user_named(app, "technician")
    assert [sign_in_api(app, guessed, "wrong") for _ in range(4)] == [401, 401, 401, 429]
    assert sign_in_api(app, guessed) == 429  # the guessed account waits, right password or not
    assert sign_in_api(app, neighbour) == 200
    assert sign_in_api(app, guessed.upper(), "wrong") == 429  # the same account however it is typed


def test_an_api_write_without_credentials_is_a_401_not_an_expired_page(client, world):
    answer = client.post("/api/v1/work-orders", json={**NEW_ORDER, "household_id": world["household"]})
    assert answer.status_code == 401 and answer.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_page_on_another_site_cannot_sign_a_browser_in(app, client, content_type):
    """What a cross-site form can send is refused: the API signs in from JSON only, which needs a CORS
    preflight this app never grants. So signing in needs no CSRF token (the desk's form still has one)."""
    username, _ = user_named(app, "technician")
    body = f'{{"username": "{username}", "password": "{factories.PASSWORD}"}}'
    answer = client.post("/api/v1/session", data=body, content_type=content_type)
    assert answer.status_code == 422
    assert client.get("/api/v1/session").get_json()["authenticated"] is False


def test_create_user_asks_a_technician_for_badge_branch_and_areas_and_refuses_one_routing_cannot_reach(app):
    with app.app_context():
        area = factories.area()
        area_name, code = area.name, area.branch.code
        other_branch_area = factories.area().name
        db.session.commit()
    runner = app.test_cli_runner()
    base = ["create-user", "T7001", "--name", "新师傅", "--role", "technician", "--password", "long-enough-1"]
    made = runner.invoke(args=[*base, "--badge", "T7001", "--branch", code, "--area", area_name])
    assert made.exit_code == 0, made.output
    asked = runner.invoke(args=base[:1] + ["T7002"] + base[2:], input=f"T7002\n{code}\n{area_name}\n")
    assert asked.exit_code == 0 and "工号" in asked.output and "片区" in asked.output
    wrong = runner.invoke(args=base[:1] + ["T7003"] + base[2:] + ["--badge", "T7003", "--branch", code,
                                                                 "--area", other_branch_area])
    assert wrong.exit_code != 0 and "片区须属于" in wrong.output
    with app.app_context():
        placed = db.session.execute(db.select(User).filter_by(username="T7002")).scalar_one()
        assert placed.badge_number == "T7002" and placed.branch.code == code
        assert [a.name for a in placed.areas] == [area_name]
        assert db.session.execute(db.select(User).filter_by(username="T7003")).scalar_one_or_none() is None


@pytest.mark.parametrize(("role", "home"), [("back_office", "/callbacks"), ("dispatcher", "/dispatch/board"),
                                            ("admin", "/dispatch/board"), ("technician", "/field/")])
def test_each_role_lands_where_its_day_starts(app, client, role, home):
    username, _ = user_named(app, role, **({"badge_number": "T8001"} if role == "technician" else {}))
    answer = desk_login(client, username)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(home)
    assert client.get("/").headers["Location"].endswith(home)


@pytest.mark.parametrize("page", ["/field/", "/field/offline", "/login"])
def test_an_anonymous_page_view_writes_no_cookie(client, page):
    """A page answered after a sign-in in flight (the service worker storing the shell as the technician signs
    in) must not put the signed-out cookie back: only what changes the session sets it."""
    assert client.get("/api/v1/session").headers.get("Set-Cookie")  # the CSRF token: a session is started
    assert client.get(page).headers.get("Set-Cookie") is None


def test_a_page_view_during_sign_in_leaves_the_phone_signed_in(app, client):
    """The race itself: a page requested with the signed-out cookie, answered after the sign-in."""
    username, _user_id = user_named(app, "technician")
    client.get("/api/v1/session")
    late = app.test_client()  # the same browser's request in flight, with the cookie it had before signing in
    late.set_cookie("session", client.get_cookie("session").value)
    assert client.post("/api/v1/session", json={"username": username, "password": factories.PASSWORD},
                       headers={"X-CSRFToken": client.csrf_token()}).status_code == 200
    if late.get("/field/").headers.get("Set-Cookie"):  # answered after the sign-in
        client.set_cookie("session", late.get_cookie("session").value)  # the browser keeps the last one set
    assert client.get("/api/v1/me").status_code == 200
