"""The slip's public side (the QR code's page) and the desk's actions on a slip."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import DESK, roles_required
from app.errors import Forbidden, NotFound, refusal
from app.extensions import db, limiter
from app.service_slips import content, services
from app.service_slips.models import SIGNED

bp = Blueprint("slips", __name__)

# A customer checks once or twice; guessing tokens, or a flood of ratings, needs many more. The back office
# scanning returned third copies (the whole office behind one address) is not held to it.
PUBLIC_LIMIT = "20 per minute;200 per hour"
SCANNING_STAFF = ("back_office", "admin")
STAFF_MAY_NOT_RATE = "评价由客户本人填写;请到“回访”页记录电话回访结果。"


def _scanning_staff():
    return current_user.is_authenticated and current_user.role in SCANNING_STAFF


@bp.route("/v/<token>", methods=["GET", "POST"])
@limiter.limit(PUBLIC_LIMIT, exempt_when=_scanning_staff)
def verify(token):
    """Genuine or not, without logging in: serial, date, branch, amount, status — no name, phone or address."""
    slip = _slip_of(token)
    if slip is None:  # a stale or mistyped code: a customer's page with the hotline, not the staff's 404
        return render_template("service_slips/not_found.html"), 404
    error, status = None, 200
    if request.method == "POST":
        with refusal() as refused:
            _rate(slip)
        if refused.error:
            error, status = refused.error.message, refused.error.status
        else:
            db.session.commit()
            return redirect(url_for("slips.verify", token=token, rated=1), code=303)
    return render_template("service_slips/verify.html", slip=slip, intact=services.verify_integrity(slip),
                           satisfaction=content.SATISFACTION, error=error, just_rated=bool(request.args.get("rated")),
                           staff_note=STAFF_MAY_NOT_RATE, SIGNED=SIGNED), status


def _slip_of(token):
    if len(token) > 64:
        return None
    try:
        return services.by_token(token)
    except NotFound:
        return None


def _rate(slip):
    """The customer's own rating: anyone signed in (staff scanning a copy, a technician) would answer the
    callback as 客户扫码评价, so they may not."""
    if current_user.is_authenticated:
        raise Forbidden("已登录的员工不能代客户评价,未保存。", code="staff_may_not_rate")
    services.rate(slip, request.form.get("satisfaction", ""), request.form.get("comment", ""),
                  _solved(request.form.get("solved", "")))


def _solved(answer):
    """问题是否已解决: yes / no, or not said (a blank); anything else is refused by the service."""
    return {"yes": True, "no": False, "": None}.get(answer, answer)


@bp.post("/slips/<int:slip_id>/void")
@roles_required(*DESK)
def void(slip_id):
    """Two steps: the reason typed on the order page, then a page that shows the slip and the reason and
    asks to confirm (a void cannot be undone: the serial stays in the register as 已作废)."""
    slip = services.get_slip(slip_id)
    reason = request.form.get("reason", "")
    if request.form.get("confirmed") != "yes":
        if not reason.strip():
            flash("请填写作废原因。", "error")
            return redirect(url_for("work_orders.detail", order_id=slip.work_order_id) + "#slips")
        return render_template("service_slips/void_confirm.html", slip=slip, reason=reason.strip())
    return _act(slip, lambda: services.void(current_user, slip, reason),
                f"服务单 {slip.serial} 已作废;请师傅重新开具更正单。")


@bp.post("/slips/<int:slip_id>/token")
@roles_required("back_office", "admin")
def revoke_token(slip_id):
    slip = services.get_slip(slip_id)
    return _act(slip, lambda: services.revoke_token(current_user, slip),
                f"服务单 {slip.serial} 的二维码已更换,旧二维码失效;请重新打印客户联。")


def _act(slip, change, done_message):
    with refusal() as refused:
        change()
    if refused.error:
        flash(refused.error.message, "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("work_orders.detail", order_id=slip.work_order_id) + "#slips")
