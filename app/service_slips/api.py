from flask import make_response
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, roles_required
from app.errors import NotFound
from app.extensions import db
from app.service_slips import printing, services
from app.service_slips.schemas import PdfQuery, SlipOut, VoidIn

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
def pdf(query, slip_id):
    """The slip as printed: 第一联 客户联, 第二联 分公司联, 第三联 客服部联."""
    slip = visible_slip(slip_id)
    copies = (query["copy"],) if query["copy"] else None
    response = make_response(printing.pdf_of(slip, copies))
    response.mimetype = "application/pdf"
    suffix = f"-{query['copy']}" if query["copy"] else ""
    response.headers["Content-Disposition"] = f'inline; filename="{slip.serial}{suffix}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
