"""Role checks for pages and API endpoints alike."""
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from app.auth.models import ROLES
from app.errors import Forbidden, wants_json
from app.extensions import login_manager


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def roles_required(*roles):
    """:raise 401: when nobody is signed in; :raise 403: when the role may not use this."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return unauthorized()
            if roles and current_user.role not in roles:
                allowed = "、".join(ROLES[r] for r in roles)
                raise Forbidden(f"仅{allowed}可以使用此功能。")
            return view(*args, **kwargs)

        return wrapper

    return decorator


DESK = ("dispatcher", "admin", "back_office")
DISPATCH = ("dispatcher", "admin")


# While a first password is in force only these answer: changing it, signing in or out, the phone's shell.
FIRST_PASSWORD_ENDPOINTS = {"auth.password", "auth.logout", "auth.login", "auth.index", "static",
                            "session.get_session", "session.sign_in", "session.sign_out", "session.me",
                            "session.change_password"}


def first_password_first():
    """A user signed in with a first password (or a reset) chooses their own before anything else: the desk
    is sent to 修改密码, the API answers 403 password_change_required. Called from the request hook once
    the request's write intent is known (app/security.py): the user is read inside the right transaction."""
    endpoint = request.endpoint or ""
    if endpoint in FIRST_PASSWORD_ENDPOINTS or endpoint.startswith("field."):
        return None
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if wants_json():
        raise Forbidden("请先设置自己的密码。", code="password_change_required")
    return redirect(url_for("auth.password"))
