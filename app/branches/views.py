"""The admin's 组织架构: branches, their areas, the estates each covers and the technicians who serve them."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.models import User
from app.branches import services
from app.branches.models import Area, Branch, Estate
from app.branches.schemas import BranchIn, NameIn
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.schemas import id_number, load_form

bp = Blueprint("organisation", __name__, url_prefix="/admin/organisation")


@bp.get("")
@roles_required("admin")
def index():
    return _index()


def _index(status=200, form=None, errors=None):
    return render_template("branches/index.html", branches=services.branches(), form=form or {},
                           errors=errors or {}), status


@bp.post("/branches")
@roles_required("admin")
def create_branch():
    with refusal(ValidationFailed) as refused:
        branch = services.save_branch(current_user, load_form(BranchIn(), _upper_code(request.form)))
    if refused.error:
        flash("未新建分公司:" + refused.error.details + "。", "error")
        return _index(refused.error.status, request.form, refused.error.fields)
    db.session.commit()
    flash(f"已新建{branch.name}({branch.code})。下一步:为它新建片区。", "success")
    return redirect(url_for("organisation.index", _anchor=f"branch-{branch.id}"))


@bp.post("/branches/<int:branch_id>")
@roles_required("admin")
def update_branch(branch_id):
    branch = services.get(Branch, branch_id)
    with refusal(ValidationFailed) as refused:
        services.save_branch(current_user, load_form(BranchIn(), _upper_code(request.form)), branch)
    return _done(refused, f"{branch.name}已保存。", _anchor=f"branch-{branch_id}")


@bp.post("/branches/<int:branch_id>/areas")
@roles_required("admin")
def create_area(branch_id):
    branch = services.get(Branch, branch_id)
    with refusal(ValidationFailed) as refused:
        area = services.save_area(current_user, branch, load_form(NameIn(), request.form)["name"])
    if refused.error:
        return _done(refused, "", _anchor=f"branch-{branch_id}")
    db.session.commit()
    flash(f"已新建片区“{area.name}”。下一步:添加小区、指派维修师傅。", "success")
    return redirect(url_for("organisation.area_page", area_id=area.id))


@bp.get("/areas/<int:area_id>")
@roles_required("admin")
def area_page(area_id):
    area = services.get(Area, area_id)
    technicians = db.session.execute(
        db.select(User).filter_by(role="technician", branch_id=area.branch_id, active=True).order_by(User.badge_number)
    ).scalars().all()
    other_areas = db.session.execute(
        db.select(Area).where(Area.active.is_(True), Area.id != area.id).order_by(Area.name)
    ).scalars().all()
    return render_template("branches/area.html", area=area, technicians=technicians, other_areas=other_areas)


@bp.post("/areas/<int:area_id>")
@roles_required("admin")
def rename_area(area_id):
    area = services.get(Area, area_id)
    with refusal(ValidationFailed) as refused:
        services.save_area(current_user, area.branch, load_form(NameIn(), request.form)["name"], area)
    return _done(refused, "片区已改名。", "organisation.area_page", area_id=area_id)


@bp.post("/areas/<int:area_id>/technicians")
@roles_required("admin")
def area_technicians(area_id):
    area = services.get(Area, area_id)
    ids = [number for number in map(id_number, request.form.getlist("technician_id")) if number]
    with refusal(ValidationFailed) as refused:
        services.set_area_technicians(current_user, area, ids)
    message = f"{area.name}的维修师傅已保存:派单时优先推荐他们。"
    return _done(refused, message, "organisation.area_page", area_id=area_id)


@bp.post("/areas/<int:area_id>/estates")
@roles_required("admin")
def create_estate(area_id):
    area = services.get(Area, area_id)
    with refusal(ValidationFailed) as refused:
        estate = services.save_estate(current_user, area, load_form(NameIn(), request.form)["name"])
    message = "" if refused.error else f"已新建小区“{estate.name}”。"
    return _done(refused, message, "organisation.area_page", area_id=area_id)


@bp.post("/estates/<int:estate_id>")
@roles_required("admin")
def rename_estate(estate_id):
    estate = services.get(Estate, estate_id)
    with refusal(ValidationFailed) as refused:
        services.save_estate(current_user, estate.area, load_form(NameIn(), request.form)["name"], estate)
    return _done(refused, "小区已改名。", "organisation.area_page", area_id=estate.area_id)


@bp.post("/estates/<int:estate_id>/move")
@roles_required("admin")
def move_estate(estate_id):
    estate = services.get(Estate, estate_id)
    origin = estate.area_id
    with refusal(ValidationFailed) as refused:
        area = services.get(Area, id_number(request.form.get("area_id")) or 0)
        services.move_estate(current_user, estate, area)
    message = "" if refused.error else (f"“{estate.name}”已移到{estate.area.name}({estate.area.branch.name}):"
                                       "此后的工单按新片区派单,已开的工单不变。")
    return _done(refused, message, "organisation.area_page", area_id=origin)


@bp.post("/<any(branch, area, estate):kind>/<int:row_id>/active")
@roles_required("admin")
def set_active(kind, row_id):
    row = services.get({"branch": Branch, "area": Area, "estate": Estate}[kind], row_id)
    active = request.form.get("active") == "1"
    with refusal(ValidationFailed) as refused:
        services.set_active(current_user, row, active)
    message = f"“{row.name}”已{'启用' if active else '停用'}。"
    if kind == "branch":
        return _done(refused, message, _anchor=f"branch-{row_id}")
    area_id = row.id if kind == "area" else row.area_id
    return _done(refused, message, "organisation.area_page", area_id=area_id)


def _done(refused, message, endpoint="organisation.index", **values):
    """After a change: commit and say so, or say why not; back to where the form was."""
    if refused.error:
        flash(refused.error.message + (f"({refused.error.details})" if refused.error.details else ""), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _upper_code(form):
    return {**form.to_dict(), "code": form.get("code", "").strip().upper()}
