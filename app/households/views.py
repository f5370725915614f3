"""热用户档案 at the desk: the list, and each household's file (一户一档) with its record and history."""
from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from app.auth.access import DESK, DISPATCH, roles_required
from app.branches.models import Estate
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.households import file, services
from app.households.schemas import ContactIn, RecordIn
from app.localtime import local_today
from app.schemas import LAST_PAGE, id_number, load_form
from app.spreadsheets import csv_lines, send_xlsx, table_workbook

bp = Blueprint("households", __name__, url_prefix="/households")


@bp.get("")
@roles_required(*DESK)
def index():
    query = request.args.get("q", "").strip()[:100]
    estate_id = id_number(request.args.get("estate"))
    number = id_number(request.args.get("page"), largest=LAST_PAGE) or 1
    return render_template("households/index.html", found=services.page(query, estate_id, number), q=query,
                           estate_id=estate_id, estates=_estates())


@bp.get("/<int:household_id>")
@roles_required(*DESK)
def detail(household_id):
    return _file_page(services.get(household_id))


def _file_page(household, status=200, errors=None, form=None):
    return render_template("households/detail.html", household=household, file=file.whole(household),
                           estates=_estates(), errors=errors or {}, form=form or {},
                           labels=services.FIELD_LABELS), status


@bp.post("/<int:household_id>/contact")
@roles_required(*DISPATCH)
def update_contact(household_id):
    """A dispatcher corrects the name or phone while the customer is on the line."""
    return _update(household_id, ContactIn(), services.CONTACT_FIELDS)


@bp.post("/<int:household_id>")
@roles_required("admin")
def update_record(household_id):
    return _update(household_id, RecordIn(), services.RECORD_FIELDS)


def _update(household_id, schema, fields):
    household = services.get(household_id)
    with refusal(ValidationFailed) as refused:
        changed = services.update(current_user, household, load_form(schema, request.form), fields)
    if refused.error:
        return _file_page(household, refused.error.status, refused.error.fields, request.form)
    db.session.commit()
    flash("已保存:" + "、".join(services.FIELD_LABELS[f] for f in changed) if changed else "没有改动。", "success")
    return redirect(url_for("households.detail", household_id=household_id))


EXPORT_COLUMNS = ("户号", "姓名", "电话", "小区", "楼号", "单元", "室", "面积", "片区", "备注")


@bp.get("/export.<any(csv, xlsx):kind>")
@roles_required(*DESK)
def export(kind):
    """Every household in the import's own layout, so a file exported here imports back unchanged."""
    rows = (_export_row(h) for h in services.everyone())
    if kind == "xlsx":
        return send_xlsx(table_workbook("热用户", EXPORT_COLUMNS, rows), f"热用户_{local_today().isoformat()}.xlsx")
    return Response(stream_with_context(csv_lines(EXPORT_COLUMNS, rows)), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''households-{local_today().isoformat()}.csv"})


def _export_row(household):
    area = household.floor_area_centi
    return (household.account_number, household.name, household.phone, household.estate.name, household.building,
            household.unit, household.room, f"{area // 100}.{area % 100:02d}" if area is not None else "",
            household.estate.area.name, household.note)


def _estates():
    return db.session.execute(db.select(Estate).where(Estate.active.is_(True)).order_by(Estate.name)).scalars().all()
