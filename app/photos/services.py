"""Photos of the work: validated, re-encoded and stamped on arrival, stored outside the web root."""
import hashlib

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.files.storage import storage
from app.localtime import format_local
from app.photos import images
from app.photos.models import Photo
from app.visits import checklist
from app.visits.services import visit_in_progress
from app.work_orders.services import get_visible, occurred_at

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def add_photo(order, actor, client_uuid, step, kind, raw, device_time=None):
    _check(step, kind, raw)
    visit = visit_in_progress(order, actor)
    taken_at = occurred_at(order, device_time)
    processed = images.process(raw, f"{order.number}  {format_local(taken_at)}")
    files = storage()
    photo = Photo(
        client_uuid=client_uuid, work_order_id=order.id, visit=visit, step=step, kind=kind,
        storage_key=files.put(processed.jpeg, ".jpg"), thumbnail_key=files.put(processed.thumbnail, ".jpg"),
        sha256=_sha256(processed.jpeg), upload_sha256=_sha256(raw), width=processed.width, height=processed.height,
        size_bytes=len(processed.jpeg), taken_at=taken_at, device_time=device_time, uploaded_by_id=actor.id,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def _check(step, kind, raw):
    fields = {}
    if step not in checklist.BY_CODE:
        fields["step"] = ["未知步骤"]
    if kind not in checklist.PHOTO_KINDS:
        fields["kind"] = ["须为 before、after 或 site"]
    if not raw:
        fields["file"] = ["请选择照片"]
    elif len(raw) > MAX_UPLOAD_BYTES:
        fields["file"] = ["照片超过 8 MB"]
    if fields:
        raise ValidationFailed("照片上传有误。", fields)


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def get_visible_photo(actor, photo_id):
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise NotFound("找不到该照片。")
    get_visible(actor, photo.work_order_id)  # raises NotFound for those who may not see the order
    return photo
