from flask import current_app
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from app.api import Blueprint
from app.auth import services, sessions, throttle
from app.auth.access import roles_required
from app.auth.schemas import LoginIn, PasswordIn, SessionOut, UserOut
from app.errors import DomainError
from app.extensions import db

blp = Blueprint("session", __name__, url_prefix="", description="Signing in from the field app")


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"


def _session_payload():
    user = current_user if current_user.is_authenticated else None
    return {
        "authenticated": user is not None,
        "user": user,
        "csrf_token": generate_csrf(),
        "time_zone": current_app.config["SHIFU_TIME_ZONE"],
    }


PUBLIC = {"security": []}  # no credentials needed: signing in starts here


@blp.get("/session")
@blp.doc(**PUBLIC)
@blp.response(200, SessionOut)
def get_session():
    """Who is signed in, and the CSRF token to send as X-CSRFToken on writes."""
    return _session_payload()


@blp.post("/session")
@throttle.limited
@blp.doc(**PUBLIC)
@blp.arguments(LoginIn)
@blp.response(200, SessionOut)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many failed sign-ins for this account or address")
def sign_in(credentials):
    user = services.authenticate(credentials["username"].strip(), credentials["password"])
    if user is None:
        raise BadCredentials("用户名或密码不正确。")
    sessions.start(user)
    db.session.commit()
    login_user(user)
    return _session_payload()


@blp.delete("/session")
@blp.doc(**PUBLIC)
@blp.response(204)
def sign_out():
    sessions.end_current()
    logout_user()
    db.session.commit()


@blp.get("/me")
@roles_required()
@blp.response(200, UserOut)
def me():
    return current_user


@blp.post("/me/password")
@roles_required()
@blp.arguments(PasswordIn)
@blp.response(200, SessionOut)
@blp.alt_response(409, description="rule_broken: the current password is wrong, or the new one not typed twice alike")
def change_password(passwords):
    """One's own new password (a first password must be replaced before anything else). Every other
    session and token of the user ends; this device gets a fresh session, and a new CSRF token."""
    user = current_user._get_current_object()
    services.change_own_password(user, passwords["current"], passwords["new"], passwords["again"])
    sessions.start(user)
    db.session.commit()
    login_user(user)
    return _session_payload()
