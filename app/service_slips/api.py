from flask import jsonify, make_response, render_template, request
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, roles_required
from app.errors import NotFound
from app.extensions import db
from app.service_slips import printing, services
from app.service_slips.schemas import PdfQuery, RenderingOut, SlipOut, VoidIn

blp = Blueprint("slips_api", __name__, url_prefix="/slips", description="Service slips (客户服务单)")


def visible_slip(slip_id):
    """The desk sees every slip; a technician only the slips they signed (others are a 404)."""
    slip = services.get_slip(slip_id)
    if current_user.role not in DESK and slip.technician_id != current_user.id:
        raise NotFound("找不到该服务单。")
    return slip


@blp.get("/<int:slip_id>")
@roles_required()
@blp.response(200, SlipOut)
def get_slip(slip_id):
    """A slip with the document that was signed and whether the stored rows still match its hash."""
    return visible_slip(slip_id)


@blp.get("/<int:slip_id>/pdf")
@roles_required()
@blp.arguments(PdfQuery, location="query")
@blp.response(200, description="application/pdf: three A4 pages, or `copy=customer` for the customer's copy")
@blp.alt_response(202, schema=RenderingOut, description="正在生成: being rendered; ask again after Retry-After")
def pdf(query, slip_id):
    """The slip as printed: 第一联 客户联, 第二联 分公司联, 第三联 客服部联. With a job queue configured, a PDF not
    rendered yet is put on the queue and the answer is 202 (正在生成) until it is ready."""
    slip = visible_slip(slip_id)
    copies = (query["copy"],) if query["copy"] else None
    data = printing.stored_pdf(slip, copies)
    if data is None and printing.render_later(slip):
        return rendering(slip)
    response = make_response(data if data is not None else printing.pdf_of(slip, copies))
    response.mimetype = "application/pdf"
    suffix = f"-{query['copy']}" if query["copy"] else ""
    response.headers["Content-Disposition"] = f'inline; filename="{slip.serial}{suffix}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def rendering(slip):
    """202: a page that looks again in two seconds for a browser, the same in JSON for the phone."""
    headers = {"Retry-After": "2", "Cache-Control": "no-store"}
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":  # a desk's tab
        return make_response(render_template("service_slips/rendering.html", slip=slip), 202, headers)
    return make_response(jsonify(status="rendering", message="正在生成服务单 PDF,请稍候。"), 202, headers)


@blp.post("/<int:slip_id>/void")
@roles_required(*DESK)
@blp.arguments(VoidIn)
@blp.response(200, SlipOut)
def void(data, slip_id):
    """Void with a reason (kept forever); the technician then signs a slip that replaces it."""
    slip = services.void(current_user, services.get_slip(slip_id), data["reason"])
    db.session.commit()
    return slip


@blp.post("/<int:slip_id>/token")
@roles_required("back_office", "admin")
@blp.response(200, SlipOut)
def revoke_token(slip_id):
    """A new verification token: the QR code already printed stops working; reprint to hand out a new one."""
    slip = services.revoke_token(current_user, services.get_slip(slip_id))
    db.session.commit()
    return slip
