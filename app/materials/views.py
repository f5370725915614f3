"""The desk's stock pages: a branch's store and vans with the storekeeper's forms (入库, 领料, 退料, 调拨, 报损,
盘点), the movements, the catalogue, and the month's materials report with its reconciliation."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.models import User
from app.branches.models import Branch
from app.errors import DomainError, NotFound, ValidationFailed, refusal
from app.extensions import db
from app.kpis.months import current_month, iso, label, parse_month, shift
from app.localtime import local_today
from app.materials import catalogue, desk, periods, queries, reports, services
from app.materials.models import KINDS, Material, StockLocation
from app.materials.schemas import DESK_KINDS, CountForm, MaterialForm, MovementForm
from app.materials.services import KEEPERS, READERS
from app.price_list.money import yuan_text
from app.schemas import id_number, load_form
from app.spreadsheets import send_xlsx

bp = Blueprint("stock", __name__)
bp.add_app_template_filter(services.units_text, "units")


def _branches():
    return db.session.execute(db.select(Branch).where(Branch.active.is_(True)).order_by(Branch.code)).scalars().all()


def _branch(required=True):
    """The branch asked for (`?branch=`): a storekeeper's own, whatever is asked; else the first one.

    :raise NotFound: no such branch."""
    if current_user.role == "storekeeper":
        return current_user.branch
    text = request.values.get("branch", "")
    if not text:
        branches = _branches()
        return branches[0] if branches and required else None
    branch = db.session.get(Branch, id_number(text) or 0)
    if branch is None:
        raise NotFound("没有这个分公司。")
    return branch


def _technicians(branch):
    return db.session.execute(db.select(User).filter_by(role="technician", branch_id=branch.id, active=True)
                              .order_by(User.badge_number)).scalars().all()


@bp.get("/stock")
@roles_required(*READERS)
def index(status=200, form=None, errors=None, counting=None):
    branch = _branch()
    if branch is None:
        raise NotFound("还没有分公司。")
    levels = queries.store_levels(branch)
    return render_template(
        "materials/stock.html", branch=branch, branches=_branches(), levels=levels,
        low=[row for row in levels if row["low"]], vans=queries.vans(branch.id),
        technicians=_technicians(branch), materials=queries.catalogue(branch.id), kinds=DESK_KINDS,
        labels=KINDS, form=form or {}, errors=errors or {}, counting=counting or {}, today=local_today(),
        keeps=current_user.role in KEEPERS, closed=periods.closed_through(branch.id), units=services.units_text,
    ), status


@bp.post("/stock/movements")
@roles_required(*KEEPERS)
def move():
    branch = _branch()
    form = {**request.form, "branch_id": str(branch.id)}
    with refusal(DomainError) as refused:
        movement = desk.desk_move(current_user, load_form(MovementForm(), form))
    if refused.error:
        flash(f"未办理:{refused.error.message}", "error")
        return index(refused.error.status, request.form, refused.error.fields)
    db.session.commit()
    flash(f"已办理{KINDS[movement.kind]}:{movement.material.name} {services.units_text(movement.quantity_centi)}"
          f"{movement.material.unit}。", "success")
    return redirect(url_for("stock.index", branch=branch.id))


@bp.post("/stock/counts")
@roles_required(*KEEPERS)
def count():
    branch = _branch()
    form = {**request.form, "branch_id": str(branch.id)}
    with refusal(DomainError) as refused:
        movement = desk.desk_count(current_user, load_form(CountForm(), form))
    if refused.error:
        flash(f"未记录盘点:{refused.error.message}", "error")
        return index(refused.error.status, counting=request.form, errors=refused.error.fields)
    db.session.commit()
    flash(f"盘点已记录:{movement.reason}。" if movement else "盘点与账面一致,无需调整。", "success")
    return redirect(url_for("stock.index", branch=branch.id))


@bp.get("/stock/movements")
@roles_required(*READERS)
def movements():
    branch = _branch()
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    material_id = id_number(request.args.get("material"))
    technician_id = id_number(request.args.get("technician"))
    page = id_number(request.args.get("page")) or 1
    location_id = None
    if technician_id:
        location_id = db.session.execute(db.select(StockLocation.id).filter_by(
            technician_id=technician_id)).scalar() or 0
    rows, more = queries.movements(branch.id, location_id, material_id, kind, page)
    return render_template("materials/movements.html", branch=branch, branches=_branches(), rows=rows, more=more,
                           page=page, kind=kind, material_id=material_id, technician_id=technician_id,
                           labels=KINDS, materials=queries.catalogue(branch.id, include_inactive=True),
                           technicians=_technicians(branch), units=services.units_text)


# ---- the catalogue ----

@bp.get("/materials")
@roles_required(*READERS)
def materials():
    branch = _branch(required=False) if current_user.role == "storekeeper" else None
    return render_template("materials/catalogue.html",
                           materials=queries.catalogue(branch.id if branch else None, include_inactive=True),
                           units=services.units_text, edits=current_user.role in KEEPERS)


@bp.get("/materials/new")
@roles_required(*KEEPERS)
def new_material():
    return _material_page(None, {"whole_units": "1", "active": "1"})


@bp.post("/materials")
@roles_required(*KEEPERS)
def create_material():
    with refusal(DomainError) as refused:
        material = catalogue.save(current_user, load_form(MaterialForm(), request.form))
    if refused.error:
        return _material_page(None, request.form, refused.error.fields, refused.error.status)
    db.session.commit()
    flash(f"{material.code}“{material.name}”已加入材料目录。", "success")
    return redirect(url_for("stock.materials"))


@bp.get("/materials/<int:material_id>")
@roles_required(*KEEPERS)
def edit_material(material_id):
    material = _material(material_id)
    form = {"code": material.code, "name": material.name, "specification": material.specification,
            "unit": material.unit, "whole_units": "1" if material.whole_units else "",
            "cost": yuan_text(material.cost_fen), "min_stock": services.units_text(material.min_stock_centi),
            "branch_id": str(material.branch_id or ""), "active": "1" if material.active else ""}
    return _material_page(material, form)


@bp.post("/materials/<int:material_id>")
@roles_required(*KEEPERS)
def update_material(material_id):
    material = _material(material_id)
    with refusal(DomainError) as refused:
        catalogue.save(current_user, load_form(MaterialForm(), request.form), material)
    if refused.error:
        return _material_page(material, request.form, refused.error.fields, refused.error.status)
    db.session.commit()
    flash(f"{material.code}“{material.name}”已保存。", "success")
    return redirect(url_for("stock.materials"))


def _material(material_id):
    material = db.session.get(Material, material_id)
    if material is None:
        raise NotFound("没有这种材料。")
    return material


def _material_page(material, form, errors=None, status=200):
    if errors:
        flash("未保存:请检查标红的内容。", "error")
    return render_template("materials/material.html", material=material, form=form, errors=errors or {},
                           branches=_branches()), status


@bp.get("/materials/export.xlsx")
@roles_required(*READERS)
def export_materials():
    return send_xlsx(catalogue.workbook(queries.catalogue(None, include_inactive=True)), "材料目录.xlsx")


@bp.post("/materials/import")
@roles_required("admin")
def import_materials():
    upload = request.files.get("file")
    dry_run = request.form.get("dry_run") == "1"
    with refusal(DomainError) as refused:
        if upload is None or not upload.filename:
            raise ValidationFailed("请选择文件。", {"file": ["请选择文件"]})
        report = catalogue.import_file(current_user, upload.filename, upload.stream, dry_run)
    if refused.error:
        flash(f"未导入:{refused.error.message}", "error")
        return render_template("materials/catalogue.html", materials=queries.catalogue(None, include_inactive=True),
                               units=services.units_text, edits=True), refused.error.status
    if not dry_run:
        db.session.commit()
    return render_template("materials/catalogue.html", materials=queries.catalogue(None, include_inactive=True),
                           units=services.units_text, edits=True, report=report)


# ---- the month's report and reconciliation ----

def _month():
    text = request.values.get("month", "")
    return parse_month(text) if text else current_month()


@bp.get("/reports/materials")
@roles_required(*READERS)
def report_page():
    month = _month()
    branch = _branch(required=False)
    branch_id = branch.id if branch else None
    rows = reports.usage(month, branch_id)
    return render_template(
        "materials/report.html", month=month, branch=branch, branches=_branches(), rows=rows,
        people=reports.by_technician(rows), reconciliation=reports.reconcile(month, branch_id), iso=iso,
        label=label, previous=shift(month, -1), next=shift(month, 1), units=services.units_text,
        closed=periods.closed_through(branch_id) if branch_id else None,
        closes=current_user.role in ("back_office", "admin"), first_day=reports.month_days(month)[0],
    )


@bp.get("/reports/materials/export.xlsx")
@roles_required(*READERS)
def export_report():
    month, branch = _month(), _branch(required=False)
    name = f"材料月报_{iso(month)}{'_' + branch.code if branch else ''}.xlsx"
    return send_xlsx(reports.workbook(month, branch.id if branch else None), name)


@bp.post("/reports/materials/close")
@roles_required("back_office", "admin")
def close_month():
    month, branch = _month(), _branch()
    with refusal(DomainError) as refused:
        period = periods.close_month(current_user, branch, reports.month_days(month)[0])
    if refused.error:
        flash(f"未结账:{refused.error.message}", "error")
    else:
        db.session.commit()
        flash(f"{branch.name}的库存账已结至 {period.closed_through:%Y-%m-%d},此前的月份不再记入。", "success")
    return redirect(url_for("stock.report_page", month=iso(month), branch=branch.id))
