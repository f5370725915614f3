from flask import jsonify
from flask_login import current_user
from marshmallow import Schema, fields

from app.api import Blueprint
from app.auth.access import roles_required
from app.commands import services as commands
from app.commands.api import answer, run_once
from app.commands.schemas import CommandOut, PhotoIn
from app.extensions import db
from app.field.services import job_loads
from app.files.storage import storage
from app.photos import services
from app.schemas import LARGEST_ID
from app.visits import checklist
from app.work_orders.services import get_visible

blp = Blueprint("photos_api", __name__, url_prefix="/photos", description="Photos of the work")


class PhotoFile(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


MULTIPART = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object",
    "required": ["client_uuid", "work_order_id", "step", "kind", "file"],
    "properties": {
        "client_uuid": {"type": "string", "format": "uuid"},
        "work_order_id": {"type": "integer", "minimum": 1, "maximum": LARGEST_ID},
        "step": {"type": "string", "enum": list(checklist.STEP_CODES), "description": "a 十个一 step code"},
        "kind": {"type": "string", "enum": list(checklist.PHOTO_KINDS)},
        "device_time": {"type": "string", "format": "date-time"},
        "file": {"type": "string", "format": "binary", "description": "JPEG, PNG or WebP"},
    },
}}}}


@blp.post("")
@roles_required("technician")
@blp.doc(requestBody=MULTIPART)
@blp.arguments(PhotoIn, location="form")
@blp.arguments(PhotoFile, location="files")
@blp.response(200, CommandOut)
@blp.alt_response(413, description="Larger than the request limit")
@blp.alt_response(422, description="Not a JPEG/PNG/WebP image, too many pixels; kept as refused")
def upload(data, files):
    """Upload one photo (multipart). Replaying its client_uuid returns the first answer."""
    upload_ = files.get("file")
    raw = upload_.read() if upload_ else b""

    changed = []

    def apply():
        order = get_visible(current_user, data["work_order_id"], lock=True, loads=job_loads())
        services.add_photo(order, current_user, str(data["client_uuid"]), data["step"], data["kind"], raw,
                           data["device_time"])
        changed.append(order)

    payload = {"step": data["step"], "kind": data["kind"], "bytes": len(raw)}
    values = commands.claim_values(current_user, str(data["client_uuid"]), "photo", data["work_order_id"], payload,
                                   data["device_time"])
    command, replayed = run_once(current_user, values, apply)
    body, status = answer(command, replayed, changed[0] if changed and not replayed else None)
    db.session.commit()
    return jsonify(body), status


def _send(photo_id, thumbnail):
    photo = services.get_visible_photo(current_user, photo_id)
    key = photo.thumbnail_key if thumbnail else photo.storage_key
    response = storage().send(key, "image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


JPEG = {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}


@blp.get("/<int:photo_id>")
@roles_required()
@blp.doc(responses={"200": {"description": "The photo, re-encoded as JPEG", **JPEG}})
@blp.alt_response(404, description="No such photo, or its order is not yours to see")
def photo(photo_id):
    """The photo, to those who may see its order."""
    return _send(photo_id, thumbnail=False)


@blp.get("/<int:photo_id>/thumbnail")
@roles_required()
@blp.doc(responses={"200": {"description": "A thumbnail, long side 320 px, JPEG", **JPEG}})
@blp.alt_response(404, description="No such photo, or its order is not yours to see")
def thumbnail(photo_id):
    return _send(photo_id, thumbnail=True)


