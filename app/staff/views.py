"""The admin's 人员 pages: who signs in, as what, where; first passwords; leaving with orders handed over."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.models import ROLES, User
from app.branches.models import Area, Branch
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.schemas import id_number, load_form
from app.staff import imports, services
from app.staff.schemas import StaffIn

bp = Blueprint("staff", __name__, url_prefix="/admin/staff")


@bp.get("")
@roles_required("admin")
def index():
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    branch_id = id_number(request.args.get("branch"))
    inactive = request.args.get("inactive") == "1"
    people = services.listing(role, branch_id, active=not inactive)
    return render_template("staff/index.html", people=people, role=role, branch_id=branch_id, inactive=inactive,
                           roles=ROLES, branches=_branches())


@bp.get("/new")
@roles_required("admin")
def new():
    return _form_page(None, {"role": request.args.get("role", "technician")})


@bp.post("")
@roles_required("admin")
def create():
    with refusal(ValidationFailed) as refused:
        user, password = services.create(current_user, load_form(StaffIn(), _form()))
    if refused.error:
        return _form_page(None, _form(), refused.error.fields, refused.error.status)
    db.session.commit()
    return render_template("staff/password.html", user=user, password=password, created=True)


@bp.get("/<int:user_id>")
@roles_required("admin")
def edit(user_id):
    user = services.get(user_id)
    form = {"username": user.username, "name": user.name, "role": user.role, "phone": user.phone or "",
            "badge_number": user.badge_number or "", "branch_id": user.branch_id,
            "area_ids": [a.id for a in user.areas]}
    return _form_page(user, form)


@bp.post("/<int:user_id>")
@roles_required("admin")
def update(user_id):
    user = services.get(user_id)
    with refusal(ValidationFailed) as refused:
        services.update(current_user, user, load_form(StaffIn(), _form()))
    if refused.error:
        return _form_page(user, _form(), refused.error.fields, refused.error.status)
    db.session.commit()
    flash(f"{user.name}已保存;新的角色和片区在其下一次操作时生效。", "success")
    return redirect(url_for("staff.edit", user_id=user_id))


@bp.post("/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id):
    user = services.get(user_id)
    password = services.reset_password(current_user, user)
    db.session.commit()
    return render_template("staff/password.html", user=user, password=password, created=False)


@bp.post("/<int:user_id>/deactivate")
@roles_required("admin")
def deactivate(user_id):
    user = services.get(user_id)
    everyone = id_number(request.form.get("all_to"))
    handover = {order.id: id_number(request.form.get(f"order-{order.id}")) or everyone
                for order in services.open_orders(user)}
    with refusal(ValidationFailed) as refused:
        orders = services.deactivate(current_user, user, handover)
    if refused.error:
        flash(refused.error.message, "error")
        return redirect(url_for("staff.edit", user_id=user_id, _anchor="deactivate"))
    db.session.commit()
    handed = f",{len(orders)} 张未完成的工单已改派" if orders else ""
    flash(f"{user.name}已停用{handed};其登录和手机上的会话均已失效。", "success")
    return redirect(url_for("staff.index"))


@bp.post("/<int:user_id>/reactivate")
@roles_required("admin")
def reactivate(user_id):
    user = services.reactivate(current_user, services.get(user_id))
    db.session.commit()
    flash(f"{user.name}已恢复启用(原密码;如需可重置)。", "success")
    return redirect(url_for("staff.edit", user_id=user_id))


@bp.post("/import")
@roles_required("admin")
def import_file():
    """Staff from a spreadsheet: each good row created with a first password shown once on this page."""
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要导入的文件。", "error")
        return redirect(url_for("staff.index"))
    dry_run = bool(request.form.get("dry_run"))
    with refusal(ValidationFailed) as refused:
        report = imports.import_staff(current_user, file.filename, file.stream, dry_run=dry_run)
    if refused.error:
        flash(f"{file.filename}:{refused.error.message}", "error")
        return redirect(url_for("staff.index"))
    if not dry_run:
        db.session.commit()
    return render_template("staff/import_report.html", report=report, filename=file.filename)


def _form():
    form = request.form.to_dict()
    form["area_ids"] = request.form.getlist("area_ids")
    form.pop("csrf_token", None)
    return form


def _form_page(user, form, errors=None, status=200):
    colleagues = []
    orders = []
    if user is not None and user.role == "technician":
        orders = services.open_orders(user)
        colleagues = db.session.execute(
            db.select(User).where(User.role == "technician", User.active.is_(True), User.id != user.id)
            .order_by(User.branch_id != user.branch_id, User.badge_number)
        ).scalars().all()
    areas = db.session.execute(db.select(Area).where(Area.active.is_(True)).order_by(Area.name)).scalars().all()
    return render_template("staff/form.html", user=user, form=form, errors=errors or {}, roles=ROLES,
                           branches=_branches(active_only=True), areas=areas, orders=orders,
                           colleagues=colleagues), status


def _branches(active_only=False):
    statement = db.select(Branch).order_by(Branch.code)
    if active_only:
        statement = statement.where(Branch.active.is_(True))
    return db.session.execute(statement).scalars().all()
