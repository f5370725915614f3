"""The admin's page for which 十个一 steps need which photos."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.visits import checklist, services

bp = Blueprint("visits", __name__, url_prefix="/admin/photo-rules")


@bp.get("")
@roles_required("admin")
def photo_rules():
    return render_template("visits/photo_rules.html", steps=checklist.STEPS, kinds=checklist.PHOTO_KINDS,
                           rules=services.photo_rules())


@bp.post("")
@roles_required("admin")
def update_photo_rules():
    wanted = {tuple(value.split("/", 1)) for value in request.form.getlist("rule") if "/" in value}
    with refusal(ValidationFailed) as refused:
        services.set_photo_rules(current_user, wanted)
    if refused.error:
        flash(refused.error.message, "error")
    else:
        db.session.commit()
        flash("拍照要求已保存,手机下次同步后生效。", "success")
    return redirect(url_for("visits.photo_rules"))
