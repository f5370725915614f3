"""The admin's page for the clocks each category starts."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.clocks import services
from app.errors import ValidationFailed
from app.extensions import db
from app.work_orders.vocabulary import CATEGORIES

bp = Blueprint("clocks", __name__, url_prefix="/admin/clocks")


@bp.get("")
@roles_required("admin")
def policies():
    return render_template(
        "clocks/policies.html", policies=[services.policy_for(c) for c in CATEGORIES], errors={}
    )


@bp.post("/<category>")
@roles_required("admin")
def update(category):
    try:
        limits = {name: _whole_number(request.form.get(name, "")) for name in services.LIMIT_FIELDS}
        callback = {"hours": _whole_number(request.form.get("callback_hours", "")),
                    "after_hours": _whole_number(request.form.get("callback_after_hours", "")),
                    "daytime_only": bool(request.form.get("callback_daytime_only"))}
        services.update_policy(current_user, category, limits, bool(request.form.get("by_appointment")), callback)
    except ValidationFailed as error:
        db.session.rollback()
        flash(f"{CATEGORIES.get(category, category)}:{error.message}", "error")
    else:
        db.session.commit()
        flash(f"{CATEGORIES[category]}的时限已保存:工单时限对此后受理的工单生效,回访时限对此后完工的工单生效。",
              "success")
    return redirect(url_for("clocks.policies"))


def _whole_number(text):
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed("时限须为正整数,或留空表示不计时。")
    return int(text)
