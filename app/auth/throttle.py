"""How often sign-in may fail. Only failures count, so a right password is never refused for what
other people did: a depot's technicians all sign in from its Wi-Fi at the start of a shift. Failures
count per account (what a guesser attacks) and per address only far above a depot's head count."""
from flask import current_app, request

from app.extensions import limiter


def _failed(response):
    return response.status_code == 401


def _per_address():
    return current_app.config["SHIFU_LOGIN_RATE_LIMIT"]


def _per_account():
    return current_app.config["SHIFU_LOGIN_ACCOUNT_RATE_LIMIT"]


def _account():
    """The account a sign-in names ("" — no limit applies — when it names none)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    username = data.get("username") if isinstance(data, dict) or data is request.form else None
    if not isinstance(username, str) or not username.strip():
        return ""
    return "login:" + username.strip().lower()[:64]


def limited(view):
    """Both limits on a sign-in view (its POST)."""
    view = limiter.limit(_per_address, methods=["POST"], deduct_when=_failed)(view)
    return limiter.limit(_per_account, key_func=_account, methods=["POST"], deduct_when=_failed)(view)
