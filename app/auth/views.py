from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from app.auth import services, sessions, throttle
from app.extensions import db
from app.security import is_safe_next

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "technician": "field.shell",
    "dispatcher": "dispatch.board",
    "admin": "dispatch.board",
    "back_office": "callbacks.queue_page",  # its day starts with the callbacks due (回访), not the board
}


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/login", methods=["GET", "POST"])
@throttle.limited
def login():
    next_url = request.values.get("next", "")
    if request.method == "POST":
        user = services.authenticate(request.form.get("username", "").strip(), request.form.get("password", ""))
        if user is not None:
            sessions.start(user)
            db.session.commit()  # the session, and a rehashed password
            login_user(user)
            return redirect(next_url if is_safe_next(next_url) else url_for(HOME_BY_ROLE[user.role]))
        flash("用户名或密码不正确。", "error")
    return render_template("auth/login.html", next_url=next_url if is_safe_next(next_url) else ""), (
        401 if request.method == "POST" else 200
    )


@bp.post("/logout")
def logout():
    sessions.end_current()
    logout_user()
    db.session.commit()
    return redirect(url_for("auth.login"))
