"""The price list at the desk: the admin keeps it; dispatchers and back office look prices up."""
from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.auth.access import DESK, roles_required
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.price_list import imports, services, sheets
from app.price_list.models import CATEGORIES, COMMON_UNITS
from app.price_list.money import format_fen, yuan_text
from app.price_list.schemas import DraftIn, PriceItemIn, PublishIn
from app.schemas import id_number, load_form
from app.spreadsheets import XLSX

bp = Blueprint("price_list", __name__, url_prefix="/price-list")
bp.add_app_template_filter(format_fen, "yuan")


@bp.get("")
@roles_required(*DESK)
def versions():
    in_force = services.version_in_force()
    based_on = id_number(request.args.get("based_on")) or (in_force.id if in_force else None)
    return render_template("price_list/versions.html", versions=services.all_versions(), in_force=in_force,
                           state_of=lambda v: services.state_of(v, in_force), labels=services.STATE_LABELS,
                           based_on=based_on, copying="based_on" in request.args)


@bp.post("")
@roles_required("admin")
def create_draft():
    with refusal(ValidationFailed) as refused:
        data = load_form(DraftIn(), request.form)
        based_on = services.get_version(data["based_on_id"]) if data["based_on_id"] else None
        version = services.create_draft(current_user, data["name"], based_on)
    if refused.error:
        flash("新建草稿:" + refused.error.details + "。", "error")
        return redirect(url_for("price_list.versions", _anchor="new-draft"))
    db.session.commit()
    flash(f"草稿“{version.name}”已建立,共 {len(version.items)} 项。修改后发布才会生效。", "success")
    return redirect(url_for("price_list.version", version_id=version.id))


@bp.get("/<int:version_id>")
@roles_required(*DESK)
def version(version_id):
    return _version_page(services.get_version(version_id))


def _version_page(version, status=200, form=None, errors=None, report=None, terms_errors=None, terms_form=None):
    in_force = services.version_in_force()
    shared = version.terms_by_category
    if terms_form is None:
        terms_form = {key: value for category, terms in shared.items() for key, value in (
            (f"terms-{category}", terms.after_sales), (f"months-{category}", terms.warranty_months or ""))}
    page = render_template(
        "price_list/version.html", version=version, state=services.state_of(version, in_force),
        labels=services.STATE_LABELS, groups=services.grouped_items(version), categories=CATEGORIES,
        units=COMMON_UNITS, form=form or {}, errors=errors or {}, report=report,
        today=services.local_today(), can_edit=version.is_draft and current_user.role == "admin",
        shared_terms=shared, terms_form=terms_form, terms_errors=terms_errors or {}, terms_text=services.terms_text,
    )
    return page, status


@bp.post("/<int:version_id>/items")
@roles_required("admin")
def add_item(version_id):
    version = services.get_version(version_id)
    with refusal(ValidationFailed) as refused:
        services.save_item(current_user, version, load_form(PriceItemIn(), request.form))
    if refused.error:
        return _version_page(version, 422, request.form, refused.error.fields)
    db.session.commit()
    flash(f"已添加 {request.form.get('code', '').strip().upper()}。", "success")
    # Landing on the code field focuses it: the next item can be typed at once.
    return redirect(url_for("price_list.version", version_id=version_id, _anchor="add-code"))


@bp.route("/<int:version_id>/items/<int:item_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_item(version_id, item_id):
    version = services.get_version(version_id)
    services.require_draft(version)
    item = services.get_item(version, item_id)
    if request.method == "GET":
        return _item_page(version, item, _form_of(item))
    with refusal(ValidationFailed) as refused:
        services.save_item(current_user, version, load_form(PriceItemIn(), request.form), item)
    if refused.error:
        return _item_page(version, item, request.form, refused.error.fields), 422
    db.session.commit()
    flash(f"{item.code}“{item.name}”已保存。", "success")
    return redirect(url_for("price_list.version", version_id=version_id, _anchor=f"item-{item.id}"))


def _form_of(item):
    return {"code": item.code, "name": item.name, "specification": item.specification, "unit": item.unit,
            "category": item.category, "price": yuan_text(item.price_fen),
            "is_basic_labour_fee": "1" if item.is_basic_labour_fee else "", "after_sales": item.after_sales,
            "warranty_months": str(item.warranty_months) if item.warranty_months else "",
            "material_code": item.material_code, "material_quantity": item.material_quantity if item.material else ""}


def _item_page(version, item, form, errors=None):
    return render_template("price_list/item.html", version=version, item=item, form=form, errors=errors or {},
                           categories=CATEGORIES, units=COMMON_UNITS)


@bp.post("/<int:version_id>/items/<int:item_id>/delete")
@roles_required("admin")
def delete_item(version_id, item_id):
    version = services.get_version(version_id)
    item = services.get_item(version, item_id)
    services.delete_item(current_user, version, item)
    db.session.commit()
    flash(f"已删除 {item.code}“{item.name}”。", "success")
    return redirect(url_for("price_list.version", version_id=version_id))


@bp.post("/<int:version_id>/category-terms")
@roles_required("admin")
def category_terms(version_id):
    """售后服务 of each category: what every item without terms of its own guarantees, and for how long."""
    version = services.get_version(version_id)
    with refusal(ValidationFailed) as refused:
        wanted = {category: (request.form.get(f"terms-{category}", "").strip(),
                             _months(request.form.get(f"months-{category}", ""), category)) for category in CATEGORIES}
        services.set_category_terms(current_user, version, wanted)
    if refused.error:
        return _version_page(version, 422, terms_errors=refused.error.fields, terms_form=request.form)
    db.session.commit()
    flash("各类别的售后服务已保存。", "success")
    return redirect(url_for("price_list.version", version_id=version_id, _anchor="category-terms"))


def _months(text, category):
    """A warranty typed in months: blank is none. :raise ValidationFailed: not a whole number."""
    if not text.strip():
        return 0
    months = id_number(text.strip(), smallest=0, largest=services.MAX_WARRANTY_MONTHS)
    if months is None:
        rule = f"保修期应为 0–{services.MAX_WARRANTY_MONTHS} 的整数"
        raise ValidationFailed("售后服务设置有误。", {category: [rule]})
    return months


@bp.post("/<int:version_id>/publish")
@roles_required("admin")
def publish(version_id):
    version = services.get_version(version_id)
    with refusal(ValidationFailed) as refused:
        services.publish(current_user, version, load_form(PublishIn(), request.form)["effective_from"])
    if refused.error:
        flash("还不能发布:" + refused.error.details + "。", "error")
        return redirect(url_for("price_list.version", version_id=version_id, _anchor="publish"))
    db.session.commit()
    flash(f"“{version.name}”已发布,自 {version.effective_from.isoformat()} 起生效。", "success")
    return redirect(url_for("price_list.version", version_id=version_id))


@bp.post("/<int:version_id>/delete")
@roles_required("admin")
def delete_draft(version_id):
    version = services.get_version(version_id)
    name = version.name
    services.delete_draft(current_user, version)
    db.session.commit()
    flash(f"草稿“{name}”已删除。", "success")
    return redirect(url_for("price_list.versions"))


@bp.post("/<int:version_id>/import")
@roles_required("admin")
def import_file(version_id):
    version = services.get_version(version_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的 CSV 或 XLSX 文件。", "error")
        return redirect(url_for("price_list.version", version_id=version_id, _anchor="import"))
    dry_run = bool(request.form.get("dry_run"))
    with refusal(sheets.FileRefused) as refused:
        report = imports.import_file(current_user, version, upload.filename,
                                     upload.stream.read(sheets.MAX_BYTES + 1), dry_run)
    if refused.error:
        flash(f"导入失败:{refused.error.message}", "error")
        return redirect(url_for("price_list.version", version_id=version_id, _anchor="import"))
    _finish(dry_run)
    return _version_page(version, report=report)


def _finish(dry_run):
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


@bp.get("/<int:version_id>/export.<any(csv, xlsx):kind>")
@roles_required(*DESK)
def export(version_id, kind):
    version = services.get_version(version_id)
    data = sheets.to_csv(version) if kind == "csv" else sheets.to_xlsx(version)
    mimetype = "text/csv" if kind == "csv" else XLSX
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"价目表-{version.id}-{_date_part(version)}.{kind}")


def _date_part(version):
    return version.effective_from.isoformat() if version.effective_from else "草稿"
