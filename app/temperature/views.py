"""The desk's 测温报表 (every desk role) and the admin's room temperature standard."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import DESK, roles_required
from app.branches.models import Branch
from app.errors import NotFound, ValidationFailed, refusal
from app.extensions import db
from app.kpis.months import current_month, iso, label, parse_month, shift
from app.localtime import local_today
from app.schemas import id_number, load_form
from app.spreadsheets import send_xlsx
from app.temperature import report, standard
from app.temperature.schemas import RoomStandardIn

bp = Blueprint("temperature", __name__)


def _month():
    text = request.args.get("month", "")
    return parse_month(text) if text else current_month()


def _branch():
    """The ?branch= asked for, None for the whole company. :raise NotFound: no such branch."""
    text = request.args.get("branch", "")
    if not text:
        return None
    branch_id = id_number(text)
    branch = db.session.get(Branch, branch_id) if branch_id else None
    if branch is None:
        raise NotFound("没有这个分公司。")
    return branch


@bp.get("/reports/temperature")
@roles_required(*DESK)
def report_page():
    """A month's readings per branch and estate (`?month=2026-12&branch=<id>`). :raise 404, 422."""
    month, branch = _month(), _branch()
    estates, total, attention = report.summary(month, branch.id if branch else None)
    return render_template(
        "temperature/report.html", month=month, branch=branch, estates=estates, total=total, attention=attention,
        branches=db.session.execute(db.select(Branch).order_by(Branch.name)).scalars().all(),
        iso=iso, label=label, previous=shift(month, -1), next=shift(month, 1), limit=report.ATTENTION_LIMIT,
        rule=standard.current(),
    )


@bp.get("/reports/temperature/export.xlsx")
@roles_required(*DESK)
def export():
    month, branch = _month(), _branch()
    name = f"测温报表_{iso(month)}{'_' + branch.code if branch else ''}.xlsx"
    return send_xlsx(report.workbook(month, branch.id if branch else None), name)


@bp.get("/admin/room-standard")
@roles_required("admin")
def standard_page():
    return _standard_page()


@bp.post("/admin/room-standard")
@roles_required("admin")
def set_standard():
    with refusal(ValidationFailed) as refused:
        data = load_form(RoomStandardIn(), request.form)
        rule = standard.set_standard(current_user, data["day_starts"], data["day_ends"], data["day_min"],
                                     data["night_min"])
    if refused.error:
        flash(refused.error.message, "error")
        return _standard_page(422, request.form, refused.error.fields)
    db.session.commit()
    flash(f"室温标准已保存:{rule.describe()}。此后的测温按新标准判断,手机下次同步后生效。", "success")
    return redirect(url_for("temperature.standard_page"))


def _standard_page(status=200, form=None, errors=None):
    rule = standard.current()
    shown = form or {"day_starts": standard.clock_text(rule.day_starts), "day_ends": standard.clock_text(rule.day_ends),
                     "day_min": f"{rule.day_min_tenths / 10:g}", "night_min": f"{rule.night_min_tenths / 10:g}"}
    return render_template("temperature/standard.html", rule=rule, form=shown, errors=errors or {},
                           today=local_today()), status
