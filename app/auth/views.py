from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.extensions import db, limiter
from app.security import is_safe_next

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "technician": "field.shell",
    "dispatcher": "dispatch.board",
    "admin": "dispatch.board",
    "back_office": "dispatch.board",
}


def login_rate_limit():
    return current_app.config["SHIFU_LOGIN_RATE_LIMIT"]


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    next_url = request.values.get("next", "")
    if request.method == "POST":
        user = services.authenticate(request.form.get("username", "").strip(), request.form.get("password", ""))
        if user is not None:
            db.session.commit()  # a rehashed password
            login_user(user)
            return redirect(next_url if is_safe_next(next_url) else url_for(HOME_BY_ROLE[user.role]))
        flash("用户名或密码不正确。", "error")
    return render_template("auth/login.html", next_url=next_url if is_safe_next(next_url) else ""), (
        401 if request.method == "POST" else 200
    )


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
