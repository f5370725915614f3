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
