"""The admin's 导入热用户: upload the billing system's export, map its columns, see the dry run row by row,
create the estates it names that do not exist, import — with a progress bar that survives a reload."""
from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from app import jobs
from app.auth.access import roles_required
from app.branches.models import Area
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.imports import reader, services
from app.imports.models import ADD, REJECT, SAME, UPDATE
from app.schemas import id_number
from app.spreadsheets import csv_lines

bp = Blueprint("imports", __name__, url_prefix="/households/imports")
OUTCOMES = {ADD: "新增", UPDATE: "更新", SAME: "无变化", REJECT: "拒绝"}


@bp.get("")
@roles_required("admin")
def index():
    return render_template("imports/index.html", imports=services.recent())


@bp.post("")
@roles_required("admin")
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要导入的文件。", "error")
        return redirect(url_for("imports.index"))
    with refusal(ValidationFailed) as refused:
        found = services.upload(current_user, file.filename, file.stream)
    if refused.error:
        flash(f"{file.filename}:{refused.error.message}", "error")
        return redirect(url_for("imports.index"))
    db.session.commit()
    return redirect(url_for("imports.page", import_id=found.id))


@bp.get("/<int:import_id>")
@roles_required("admin")
def page(import_id):
    found = services.get(import_id)
    areas = db.session.execute(db.select(Area).where(Area.active.is_(True)).order_by(Area.name)).scalars().all()
    return render_template("imports/import.html", found=found, fields=reader.FIELDS, outcomes=OUTCOMES,
                           rejected=services.rejected_rows(found), stalled=services.stalled(found), areas=areas,
                           area_by_name={a.name: a.id for a in areas})


@bp.get("/<int:import_id>/status")
@roles_required("admin")
def status(import_id):
    """What the page's progress bar reads, once a second."""
    found = services.get(import_id)
    return jsonify(status=found.status, progress=found.progress, rows=found.rows, stalled=services.stalled(found))


@bp.post("/<int:import_id>/mapping")
@roles_required("admin")
def mapping(import_id):
    found = services.get(import_id)
    chosen = {field: id_number(request.form.get(field)) for field in reader.FIELDS}  # column number, 1-based
    with refusal(ValidationFailed) as refused:
        services.set_mapping(current_user, found, {f: (i - 1 if i else None) for f, i in chosen.items()})
    if refused.error:
        flash(refused.error.message + ";".join(refused.error.details.split(";")[:3]), "error")
        return redirect(url_for("imports.page", import_id=import_id))
    db.session.commit()
    jobs.start(services.run_check, found.id)
    return redirect(url_for("imports.page", import_id=import_id))


@bp.post("/<int:import_id>/apply")
@roles_required("admin")
def apply(import_id):
    found = services.get(import_id)
    chosen = {name: id_number(request.form.get(f"estate-{index}"))
              for index, name in enumerate(sorted(found.unknown_estates))}
    with refusal(ValidationFailed) as refused:
        new_estates = services.choose_new_estates(current_user, found, {n: a for n, a in chosen.items() if a})
    if refused.error:
        flash(refused.error.message, "error")
        return redirect(url_for("imports.page", import_id=import_id))
    db.session.commit()
    jobs.start(services.apply, found.id, current_user.id, new_estates)
    return redirect(url_for("imports.page", import_id=import_id))


@bp.get("/<int:import_id>/report.csv")
@roles_required("admin")
def report(import_id):
    """Every row of the file and what the dry run found: 新增 / 更新 / 无变化 / 拒绝 and why."""
    found = services.get(import_id)

    rows = ((row.row_number, OUTCOMES[row.outcome], row.reason, row.account_number, row.name, row.phone,
             row.estate_name, row.building, row.unit, row.room) for row in services.report_rows(found))
    lines = csv_lines(("行", "结果", "原因", "户号", "姓名", "电话", "小区", "楼号", "单元", "室"), rows)
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''import-{found.id}-report.csv"})
