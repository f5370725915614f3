"""Finished demo orders get the visit behind them and the slip the customer signed.

The visit is written at the times the order's history already tells (between 到场 and 完工), and
the slip is signed through the same service a phone's command reaches, with handwriting drawn here.
"""
import io
from datetime import timedelta

from PIL import Image, ImageDraw

from app.demo.signatures import drawn_signature
from app.extensions import db
from app.files.storage import storage
from app.localtime import local_day
from app.materials.demo import consume_free_repair
from app.paid_service.services import Wanted, price_lines
from app.photos import images
from app.photos.models import Photo
from app.service_slips import content
from app.service_slips import services as slips
from app.temperature import standard
from app.visits import checklist
from app.visits.models import RepairRecord, TemperatureReading, Visit, VisitStep
from app.visits.services import latest_visit, photo_rules
from app.work_orders.models import WorkOrder

FINISHED = ("done", "called_back", "closed")
SIGNED_CATEGORIES = ("repair", "urgent_leak", "paid_service", "temperature_check")
# What the technicians found, by category: (fault location, resolution, diagnosis, result).
REPAIRS = {
    "repair": ("company", "free", "入户阀门前过滤器堵塞,循环不畅", "清洗过滤器并排气,半小时后暖气片上下均热"),
    "urgent_leak": ("company", "free", "暖气片放气阀老化破损漏水", "关阀泄压后更换放气阀,试水无渗漏"),
    "temperature_check": ("company", "free", "室内温度略低,户内系统有空气", "排气后复测各房间室温达标"),
    "paid_service": ("customer", "paid", "户内温控阀阀芯损坏,属客户产权", "按客户选择更换阀门,试压无渗漏"),
}
# Paid service, by a word of the order's description: (price-list code, quantity, supplied by).
PAID_LINES = {
    "温控阀": (("SB-003", "1", "company"), ("RG-005", "1", "company")),
    "过滤器": (("SB-005", "1", "customer"),),  # the customer's own filter: the basic labour fee only
}


def sign_finished_orders(version):
    """Idempotent: orders that already have a visit are left as they are."""
    finished = db.session.execute(
        db.select(WorkOrder).where(WorkOrder.status.in_(FINISHED), WorkOrder.category.in_(SIGNED_CATEGORIES),
                                   WorkOrder.arrived_at.is_not(None)).order_by(WorkOrder.done_at)
    ).scalars().all()
    for n, order in enumerate(finished):
        if latest_visit(order) is not None:
            continue
        visit = _visit(order, n)
        lines = next((lines for word, lines in PAID_LINES.items() if word in order.description), ())
        _sign(order, visit, version, lines, n)


def _visit(order, n):
    finished = order.done_at - timedelta(minutes=3)
    visit = Visit(technician_id=order.technician_id, started_at=order.arrived_at, finished_at=finished)
    order.visits.append(visit)  # latest_visit reads the order's visits
    gap = (finished - order.arrived_at) / len(checklist.STEPS)
    rules = photo_rules()
    for index, step in enumerate(checklist.STEPS):
        at = order.arrived_at + gap * (index + 1)
        for kind in rules.get(step.code, []):
            _photo(order, visit, step.code, kind, at - timedelta(minutes=1), n)
        visit.steps.append(VisitStep(step=step.code, outcome="done", at=at))
    location, resolution, diagnosis, result = REPAIRS[order.category]
    visit.repair = RepairRecord(fault_location=location, resolution=resolution, diagnosis=diagnosis, result=result,
                                at=order.arrived_at + gap * 6)
    db.session.flush()
    consume_free_repair(order, visit, local_day(visit.repair.at))
    # A 测温 visit: cold on arrival, measured again once the radiator was bled (as its completion note says).
    readings = [("bedroom", 176, 1), ("bedroom", 185, 6), ("living_room", 190, 6)] \
        if order.category == "temperature_check" else [("bedroom", 190 + n % 4, 1)]
    for room, tenths, after_steps in readings:
        measured = order.arrived_at + gap * after_steps
        minimum = standard.current().minimum_at(measured)
        visit.readings.append(TemperatureReading(room=room, tenths=tenths, minimum_tenths=minimum,
                                                 below_standard=tenths < minimum, at=measured, device_time=measured))
    db.session.flush()
    return visit


def _photo(order, visit, step, kind, at, n):
    raw = _picture(f"{order.number} {checklist.BY_CODE[step].title} {checklist.PHOTO_KINDS[kind]}", n)
    processed = images.process(raw, order.number)
    files = storage()
    db.session.add(Photo(
        client_uuid=f"demo-{order.number}-{step}-{kind}"[:36], work_order_id=order.id, visit=visit,
        step=step, kind=kind, storage_key=files.put(processed.jpeg, ".jpg"),
        thumbnail_key=files.put(processed.thumbnail, ".jpg"), sha256=content.sha256_hex(processed.jpeg),
        upload_sha256=content.sha256_hex(raw), width=processed.width, height=processed.height,
        size_bytes=len(processed.jpeg), taken_at=at, uploaded_by_id=order.technician_id))


def _picture(caption, n):
    """A stand-in for a photo of the work: a radiator-grey scene with the caption on it."""
    image = Image.new("RGB", (800, 600), (120 + n * 7 % 60, 130, 140))
    pen = ImageDraw.Draw(image)
    for x in range(120, 680, 60):
        pen.rectangle((x, 180, x + 40, 460), fill=(225, 225, 220), outline=(90, 90, 90), width=3)
    pen.text((20, 20), caption.encode("ascii", "ignore").decode() or "photo", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _sign(order, visit, version, lines, n):
    technician = order.technician
    codes = {item.code: item.id for item in version.items}
    wanted = [{"price_item_id": codes[code], "quantity": quantity, "supplied_by": supplied_by}
              for code, quantity, supplied_by in lines]
    total = sum(line.amount_fen for line in price_lines(version, [Wanted(**w) for w in wanted])) if wanted else 0
    method = ("wechat", "cash", "alipay")[n % 3] if total else "none"
    submission = {
        "price_list_version_id": version.id if wanted else None, "lines": wanted,
        "payment": {"method": method, "collected_fen": total},
        "feedback": {"satisfaction": ("satisfied", "satisfied", "fair")[n % 3], "comment": ""},
        "signed_at": visit.finished_at - timedelta(minutes=1), "replaces": None,
        "signatures": {"customer": drawn_signature(2 * n + 1), "technician": drawn_signature(2 * n + 2)},
    }
    document = slips.preview(technician, order, submission)
    return slips.sign(technician, order, {**submission, "content": document,
                                          "content_sha256": content.digest(document)})
