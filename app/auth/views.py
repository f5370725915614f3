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
from app.auth.access import roles_required
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.security import is_safe_next

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "technician": "field.shell",
    "dispatcher": "dispatch.board",
    "admin": "dispatch.board",
    "back_office": "callbacks.queue_page",  # its day starts with the callbacks due (回访), not the board
    "storekeeper": "stock.index",
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


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required()
def password():
    """Everyone's own password: the first one an admin handed over is replaced here before anything else."""
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    user = current_user._get_current_object()
    with refusal(ValidationFailed) as refused:
        services.change_own_password(user, request.form.get("current", ""), request.form.get("new", ""),
                                     request.form.get("again", ""))
    if refused.error:
        return render_template("auth/password.html", errors=refused.error.fields), refused.error.status
    sessions.start(user)  # every other session ended with the old password; this browser carries on
    db.session.commit()
    login_user(user)
    flash("密码已更改;其他已登录的电脑和手机须用新密码重新登录。", "success")
    return redirect(url_for(HOME_BY_ROLE[user.role]))
