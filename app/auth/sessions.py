"""Sessions and tokens that end on the server.

A Flask session is a signed cookie: clearing it on sign-out leaves any copy of it valid. So signing in
also starts a UserSession row whose random key the cookie carries; every request looks the key up,
and signing out, a new password or a deactivated user end the rows (and revoke the user's tokens).
"""
import hashlib
import secrets

from flask import session

from app.audit.services import record
from app.auth.models import ApiToken, User, UserSession
from app.errors import NotFound
from app.extensions import db
from app.localtime import now_utc

SESSION_KEY = "_sid"


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user):
    """A new server-side session for `user`; the caller puts it in the cookie with login_user()."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=digest(key)))
    db.session.flush()
    session[SESSION_KEY] = key


def user_of(key, user_id):
    """The active user whose live session this key is, or None."""
    if not key or not user_id.isdigit():
        return None
    return db.session.execute(
        db.select(User).join(UserSession, UserSession.user_id == User.id).where(
            UserSession.key_hash == digest(key), UserSession.ended_at.is_(None), User.id == int(user_id),
            User.active.is_(True))
    ).scalar_one_or_none()


def end_current():
    """Sign-out: this browser's session ends on the server too."""
    key = session.pop(SESSION_KEY, None)
    if key:
        db.session.execute(db.update(UserSession).where(
            UserSession.key_hash == digest(key), UserSession.ended_at.is_(None)).values(ended_at=now_utc()))


def end_all(user, actor, reason):
    """Every session and token of `user` ends: a new password, a reset, a deactivation, a lost phone."""
    now = now_utc()
    sessions = db.session.execute(db.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)).values(ended_at=now)).rowcount
    tokens = db.session.execute(db.update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)).rowcount
    record(actor, "user", user.id, "end_sessions", reason=reason, sessions=sessions, tokens=tokens)
    return sessions, tokens


def tokens_of(user):
    return db.session.execute(
        db.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at, ApiToken.id)).scalars().all()


def revoke_token(actor, token_id):
    """:raise NotFound: no such token."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("没有这个令牌。")
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        record(actor, "user", token.user_id, "revoke_token", token_id=token.id, label=token.label)
    db.session.flush()
    return token
